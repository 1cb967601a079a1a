// `p2pgo watch GAME_ID`: follows a live game from the command line (protocols/watch.md). The
// command starts a node of its own, like `p2pgo bot`: a watch is a stream of events that lasts
// the game, which the control socket (one question, one answer) does not carry.
import { CID } from 'multiformats/cid'
import { fromSgfPoint, toGtpVertex, toSgfPoint } from '../../game/vertex.js'
import { dhtPeersSoon } from '../../queries/dht-peers.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { nodeFlagOptions, openNode } from '../online-home.js'
import { stopSignals } from '../stop-signals.js'
import type { Watching } from '../../net/watch/index.js'
import type { Act } from '../../wire/game-messages.js'

const usage = `Usage: p2pgo watch GAME_ID [--json-events] [--home DIR] [--bootstrap MA,...] [--local]
                   [--listen MA,...] [--rendezvous MA,... | --no-rendezvous]

Watches a live game to its end: its players are found in the DHT (they announce the game when it
starts), the moves played so far are caught up, then each move is printed as it is played, with
the spectators' chat and the result. Every act is checked as the opponent checks it.

  --json-events      one JSON object per line instead: watch:move {gameId, by, ply, move},
                     watch:chat {gameId, peer, name, text, at}, watch:ended {gameId, result,
                     cosigned}, each with "type" and "time" (ISO 8601)
  --home DIR         the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo); no other p2pgo node may
                     run in it
  --bootstrap MA,... peers to join the network through
  --local            a network on this machine only: loopback addresses kept, no mDNS or UPnP
  (--listen, --announce, --stun, --rendezvous, --no-rendezvous as for p2pgo bot)

Exit status: 0 when the game was seen to its end (both players signed the result); 1 when
nobody has the game or the watch stopped before the end; 2 for bad arguments.`

/** How long a command with a node of its own waits for DHT peers before looking the game up. */
const JOIN_TIMEOUT_MS = 20_000
/** How long the co-signature may lag a result before the command ends without it. */
const COSIGN_WAIT_MS = 30_000

export const watchCommand: Command = {
  path: ['watch'],
  usage,
  async run (args, io) {
    const { values, positionals } = parseCommandArgs({
      args: [...args],
      options: { ...nodeFlagOptions, 'json-events': { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
    if (positionals.length !== 1) throw new UsageError('name exactly one game ID')
    const gameId = parseGameId(positionals[0])
    const json = values['json-events'] === true
    const { node, close } = await openNode(values, 'player', {}, io.printError)
    const signals = stopSignals()
    try {
      await node.start()
      // Where the command is, on stderr (stdout is the game): finding the players can take a while.
      const joined = await dhtPeersSoon(node, { ms: JOIN_TIMEOUT_MS, connectionFirst: true, signal: signals.stop })
      io.printError(`p2pgo watch: looking for the players of game ${gameId.toString()} in the DHT (${joined.connections} connected, ${joined.dhtPeers} in the DHT's table)`)
      let watching: Watching
      try {
        watching = await node.watch.watch(gameId, { signal: signals.stop })
        io.printError(`p2pgo watch: following game ${gameId.toString()}`)
      } catch (err) {
        if (signals.stop.aborted) return 1
        io.printError(`p2pgo watch: could not watch game ${gameId.toString()}: ${(err as Error).message}`)
        return 1
      }
      return await follow(watching, json, io.print, signals.stop)
        .then(code => {
          if (code !== 0) io.printError(`p2pgo watch: stopped watching game ${gameId.toString()} before its end`)
          return code
        })
    } finally {
      await close()
      signals.dispose()
    }
  }
}

/** A game ID as `p2pgo games` prints it (a CID); UsageError, saying so, for anything else. */
function parseGameId (text: string): CID {
  try {
    const cid = CID.parse(text)
    if (cid.version === 1) return cid
  } catch {}
  throw new UsageError(`"${text}" is not a game ID: a game ID is the CID the lobby and p2pgo games list (bafy...)`)
}

/**
 * Prints the game as it goes, the moves caught up so far first; resolves 0 at the co-signed
 * result (or a result whose co-signature did not come within COSIGN_WAIT_MS), 1 when the acts
 * stopped applying or the command was stopped.
 */
async function follow (watching: Watching, json: boolean, print: (line: string) => void, stop: AbortSignal): Promise<number> {
  const gameId = watching.gameId.toString()
  const size = watching.game?.start.terms.size ?? 19
  const line = (type: string, detail: Record<string, unknown>, text: string): void => {
    print(json ? JSON.stringify({ type, time: new Date().toISOString(), ...detail, gameId }) : text)
  }
  const move = (d: { by: 'B' | 'W', ply: number, move: string }): void => {
    const point = d.move === 'pass' ? undefined : fromSgfPoint(d.move)
    line('watch:move', { by: d.by, ply: d.ply, move: d.move }, `${d.ply + 1} ${d.by} ${point == null ? 'pass' : toGtpVertex(point, size)}`)
  }
  const done = Promise.withResolvers<number>()
  let cosignTimer: ReturnType<typeof setTimeout> | undefined
  // Scripts see both events (the result, then its co-signature); people see one result line.
  const ended = (d: { result: string, cosigned: boolean }): void => {
    if (json || d.cosigned) line('watch:ended', { result: d.result, cosigned: d.cosigned }, `result ${d.result}`)
    if (d.cosigned) done.resolve(0)
    else {
      cosignTimer ??= setTimeout(() => {
        if (!json) print(`result ${d.result} (signed by one player only: the other's signature did not come within ${COSIGN_WAIT_MS / 1000} s)`)
        done.resolve(0)
      }, COSIGN_WAIT_MS)
    }
  }
  // What the catch-up applied before these listeners, then what comes: no gap, one tick.
  for (const act of watching.game?.turnActs ?? []) move(turnOf(act))
  const end = watching.game?.end
  watching.addEventListener('watch:move', e => { move(e.detail) })
  watching.addEventListener('watch:chat', e => {
    const { peer, name, text, at } = e.detail
    line('watch:chat', { peer, name, text, at }, `${name}: ${text}`)
  })
  watching.addEventListener('watch:ended', e => { ended(e.detail) })
  watching.addEventListener('watch:stopped', e => {
    line('watch:stopped', { reason: e.detail.reason, message: e.detail.message }, `the game's acts stopped applying: ${e.detail.message}`)
    done.resolve(1)
  })
  if (end != null) ended({ result: end.result, cosigned: watching.game?.finished === true })
  const onStop = (): void => { done.resolve(1) }
  stop.addEventListener('abort', onStop, { once: true })
  try {
    return await done.promise
  } finally {
    clearTimeout(cosignTimer)
    stop.removeEventListener('abort', onStop)
  }
}

function turnOf (act: Act): { by: 'B' | 'W', ply: number, move: string } {
  return { by: act.by, ply: act.ply ?? 0, move: act.kind === 'pass' ? 'pass' : toSgfPoint({ x: act.x ?? 0, y: act.y ?? 0 }) }
}
