import { createInterface, type Interface } from 'node:readline'
import { NetworkEngine } from '../../gtp/network-engine.js'
import { parseCommandLine, responseToString } from '../../gtp/gtp-codec.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { listenFlagOptions, listenFlags, nodeFlagOptions, openNode } from '../online-home.js'
import { stopSignals } from '../stop-signals.js'
import { networkSeat, present, type SeatMode } from '../gtp-seat.js'
import { second } from '../../units.js'
import type { GameSession } from '../../session/index.js'

const usage = `Usage: p2pgo gtp (--seek | --challenge PEER | --match | --accept) [--size 9] [--komi K] [--home DIR]
                 [--listen MA,... | --port N] [--no-relay] [--bootstrap MA,...] [--name NAME]
                 [--local] [--rendezvous MA,... | --no-rendezvous]

p2pgo as a GTP engine: any GTP board (Sabaki, GoGui, Lizzie, a script) plays a network game.
Add "p2pgo gtp --seek" as an engine in the board and let it play the colour of your opponent:
  - "play" for your colour is your move, sent to the network;
  - "genmove" for the other colour waits for your opponent's move and answers it ("resign" when
    they resigned, "pass");
  - boardsize, komi, time_settings and kgs-time_settings set the terms before the game; the game
    is agreed with the network opponent when the first play or genmove arrives (its colour says
    which side is yours);
  - time_left answers with the network game's real clock; final_score and final_status_list
    give the result and the dead stones both players agreed in counting;
  - undo asks your opponent to take your last move back (they may decline).
In counting, p2pgo gtp proposes no dead stones as Black and agrees to your opponent's marking:
play the game out (capture dead stones) before passing.
GTP answers go to standard output; what the network is doing goes to standard error.

  --seek             post a seek (lobby and DHT) for your colour and play whoever accepts it
  --challenge PEER   propose the game to one peer (its peer ID)
  --match            find an opponent near your rating (p2pgo match) and propose to it
  --accept           answer a seek in the lobby that fits the terms and your colour
  --size N           board size until boardsize says otherwise: 9 (default), 13 or 19
  --komi K           komi until komi says otherwise (default 7.5)
  --home DIR         the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo); an unfinished game in
                     it is played on (the board must replay its moves with play)
  --listen, --port, --no-relay, --bootstrap, --stun, --name, --rendezvous, --no-rendezvous,
  --local            as for p2pgo bot

Exit status: 0 after quit (or the end of standard input); 1 on an error (the home is in use);
2 for bad arguments.`

/** How long quitting waits for the opponent's signature on a finished game before it stops the node anyway. */
const COSIGN_WAIT_MS = 20 * second

export const gtpCommand: Command = {
  path: ['gtp'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({
      args: [...args],
      options: {
        ...nodeFlagOptions,
        ...listenFlagOptions,
        seek: { type: 'boolean' },
        challenge: { type: 'string' },
        match: { type: 'boolean' },
        accept: { type: 'boolean' },
        size: { type: 'string' },
        komi: { type: 'string' },
        name: { type: 'string' }
      },
      strict: true
    }).values
    const modes: SeatMode[] = [
      ...(values.seek === true ? [{ kind: 'seek' } as const] : []),
      ...(values.accept === true ? [{ kind: 'accept' } as const] : []),
      ...(values.match === true ? [{ kind: 'match' } as const] : []),
      ...(values.challenge != null ? [{ kind: 'challenge', peer: values.challenge } as const] : [])
    ]
    if (modes.length !== 1) throw new UsageError('give exactly one of --seek, --challenge PEER, --match and --accept')
    const size = Number(values.size ?? '9')
    if (![9, 13, 19].includes(size)) throw new UsageError(`--size must be 9, 13 or 19, got ${values.size ?? ''}`)
    const komi = Number(values.komi ?? '7.5')
    if (values.komi === '' || !Number.isFinite(komi) || Math.abs(komi) > 1000) throw new UsageError(`--komi must be a number such as 7.5, got ${values.komi ?? ''}`)
    const mode = modes[0]
    if (mode.kind === 'challenge') {
      try {
        const { peerIdFromString } = await import('@libp2p/peer-id')
        peerIdFromString(mode.peer)
      } catch {
        throw new UsageError(`--challenge takes a peer ID (12D3Koo...), got ${mode.peer}`)
      }
    }
    const say = (line: string): void => { io.printError(`p2pgo gtp: ${line}`) }
    const listen = listenFlags(values)
    const { node, close } = await openNode({ ...values, ...listen }, 'player', { ...listen.extra, ...(values.name != null ? { name: values.name } : {}) }, io.printError)
    const engine = new NetworkEngine({
      open: networkSeat(node, mode, say),
      terms: { size, komi, rules: 'chinese', handicap: 0, placement: 'fixed', tc: { kind: 'none' } },
      log: say
    })
    const signals = stopSignals()
    signals.stop.addEventListener('abort', () => { engine.stop() })
    // Lines are queued from the start: commands piped in while the node starts are not lost.
    const lines = lineQueue(createInterface({ input: process.stdin, crlfDelay: Infinity }), signals.stop)
    try {
      await node.start()
      // In the lobby from the start: others see the player (and can dial it) before a game is sought.
      present(node, size, 'idle')
      say(`node ${node.libp2p.peerId.toString()} started; waiting for GTP commands on standard input`)
      for (let line = await lines.next(); line != null; line = await lines.next()) {
        const request = parseCommandLine(line)
        if (request == null) continue
        io.print(responseToString(await engine.handle(request)).slice(0, -1))
        if (engine.quitting) break
      }
      const session = engine.game?.session
      if (session != null && session.end != null) await cosigned(session, say)
      return 0
    } finally {
      lines.close()
      engine.stop()
      await close()
      signals.dispose()
    }
  }
}

/** The lines of `rl` one at a time, buffered from now; null at the end of input or once `stop` aborts. */
function lineQueue (rl: Interface, stop: AbortSignal): { next: () => Promise<string | null>, close: () => void } {
  const queued: string[] = []
  let ended = false
  let wake: (() => void) | undefined
  rl.on('line', line => { queued.push(line); wake?.() })
  rl.on('close', () => { ended = true; wake?.() })
  stop.addEventListener('abort', () => { ended = true; wake?.() }, { once: true })
  return {
    next: async () => {
      while (queued.length === 0 && !ended && !stop.aborted) await new Promise<void>(resolve => { wake = resolve })
      wake = undefined
      return stop.aborted ? null : queued.shift() ?? null
    },
    close: () => { rl.close() }
  }
}

/** Waits (bounded) for both result signatures, so the opponent's copy of the game is complete before the node stops. */
async function cosigned (session: GameSession, say: (line: string) => void): Promise<void> {
  const done = (): boolean => session.results.B != null && session.results.W != null
  const deadline = Date.now() + COSIGN_WAIT_MS
  while (!done() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100))
  say(done() ? `game ${session.gameId.toString()} ended ${session.end?.result ?? ''}, signed by both players` : `game ${session.gameId.toString()} ended ${session.end?.result ?? ''}; your opponent's signature has not arrived (it is kept in the home)`)
}
