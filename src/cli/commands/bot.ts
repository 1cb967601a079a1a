import { splitCommand, EngineCommandError } from '../../bot/engine-command.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { streamEvents } from '../json-events.js'
import { listenFlagOptions, listenFlags, nodeFlagOptions, openNode } from '../online-home.js'
import { stopSignals } from '../stop-signals.js'

const usage = `Usage: p2pgo bot --engine "CMD" (--seek | --accept | --match) [--size 9] [--games N] [--home DIR]
                 [--listen MA,... | --port N] [--no-relay] [--bootstrap MA,...] [--name NAME]
                 [--move-delay MS] [--local] [--rendezvous MA,... | --no-rendezvous] [--json-events]

A headless player whose moves come from any GTP engine, e.g.
  p2pgo bot --engine "/usr/games/gnugo --mode gtp --level 1" --seek --games 3
The engine's GTP name and version ("GNU Go 3.8") are declared in every game the bot agrees:
the co-signed start record, the SGF export's comment and the training data name them.

  --engine "CMD"     the engine command line (split like a shell would; no shell is run)
  --seek             post a seek (lobby, and the DHT under the bot's rating bucket) and play
                     whoever accepts it
  --accept           accept seeks in the lobby that fit --size
  --match            find the best seeker near the bot's rating (p2pgo match) and challenge it
  --size N           board size, 9 (default), 13 or 19
  --games N          games to finish (both result signatures in) before exiting 0; default 1
  --home DIR         the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo); an unfinished game in
                     it is resumed first
  --listen MA,...    addresses to listen on; without /p2p-circuit or /webrtc entries the two
                     relay slots and WebRTC are kept (unless only loopback addresses are given)
  --port N           TCP on every interface at port N, the rest of the default set kept
  --no-relay         no relay reservation and no WebRTC (behind a NAT, reachable only by UPnP)
  --bootstrap MA,... peers to join the network through
  --stun HOST:PORT,... STUN servers for hole punching (default: the bootstrap peers' hosts, port 3478)
  --name NAME        display name (default from config.json)
  --move-delay MS    take at least MS milliseconds per move (default 0: as fast as the engine)
  --rendezvous MA,... Amino-protocol peers to find p2pgo peers through (default: the public
                    IPFS DHT via libp2p's bootstrap peers; none with --local unless given)
  --no-rendezvous   never ask the public IPFS DHT for p2pgo peers, nor publish this node there
  --local            a network on this machine only: loopback addresses kept, no mDNS or UPnP
  --json-events      one JSON object per line on stdout for every connection, game and delivery event

Exit status: 0 after N games; 1 on an error (the engine could not start, the home is in use);
2 for bad arguments.`

export const botCommand: Command = {
  path: ['bot'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({
      args: [...args],
      options: {
        ...nodeFlagOptions,
        ...listenFlagOptions,
        engine: { type: 'string' },
        seek: { type: 'boolean' },
        accept: { type: 'boolean' },
        match: { type: 'boolean' },
        size: { type: 'string' },
        games: { type: 'string' },
        name: { type: 'string' },
        'move-delay': { type: 'string' },
        'json-events': { type: 'boolean' }
      },
      strict: true
    }).values
    if (values.engine == null) throw new UsageError('--engine "CMD" is required')
    const modes = (['seek', 'accept', 'match'] as const).filter(m => values[m] === true)
    if (modes.length !== 1) throw new UsageError('give exactly one of --seek, --accept and --match')
    const size = Number(values.size ?? '9')
    if (![9, 13, 19].includes(size)) throw new UsageError(`--size must be 9, 13 or 19, got ${values.size ?? ''}`)
    const games = Number(values.games ?? '1')
    if (!Number.isInteger(games) || games < 1) throw new UsageError(`--games must be a whole number from 1, got ${values.games ?? ''}`)
    const moveDelayMs = Number(values['move-delay'] ?? '0')
    if (!Number.isInteger(moveDelayMs) || moveDelayMs < 0 || moveDelayMs > 600_000) throw new UsageError(`--move-delay must be whole milliseconds from 0 to 600000, got ${values['move-delay'] ?? ''}`)
    let engine
    try {
      engine = splitCommand(values.engine)
    } catch (err) {
      if (err instanceof EngineCommandError) throw new UsageError(err.message)
      throw err
    }
    const listen = listenFlags(values)
    const { node, close } = await openNode({ ...values, ...listen }, 'player', { ...listen.extra, ...(values.name != null ? { name: values.name } : {}) }, io.printError)
    const stopEvents = values['json-events'] === true ? streamEvents(node, io.print) : () => {}
    // Loaded once the arguments are good: a refused command never loads libp2p.
    const { Bot } = await import('../../bot/bot.js')
    const bot = new Bot({ node, engine, size, mode: modes[0], games, name: node.name, moveDelayMs, log: line => { io.printError(`p2pgo bot: ${line}`) } })
    const signals = stopSignals()
    try {
      await node.start()
      await bot.run(signals.stop)
      return 0
    } finally {
      // Events go on until the node has stopped: a game's last acts still reach a script.
      await close()
      stopEvents()
      signals.dispose()
    }
  }
}
