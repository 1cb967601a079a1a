import { parseArgs } from 'node:util'
import { UsageError, type Command } from '../command.js'
import { streamEvents } from '../json-events.js'
import { nodeFlagOptions, openNode, untilSignal } from '../online-home.js'

const usage = `Usage: p2pgo bootstrap [--home DIR] [--listen MA,...] [--announce MA,...] [--local] [--json-events]

Runs an always-on node that other players join through: a server of p2pgo's DHT, a circuit
relay (with limits made for games), and a gossip peer for the lobby. Prints its full
multiaddrs (ending in /p2p/<peer ID>), one per line, then runs until SIGINT or SIGTERM.

  --home DIR        the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo); its identity is kept
  --listen MA,...   addresses to listen on (default from config.json, else TCP on every interface)
  --announce MA,... addresses to advertise instead of the observed ones
  --local           a network on this machine only: keep loopback addresses, no mDNS, no UPnP
  --json-events     one JSON object per line on stdout for every connection and game event

The bootstrap relay issue makes this a full service (metrics, STUN, configurable limits).`

export const bootstrapCommand: Command = {
  path: ['bootstrap'],
  summary: 'run an always-on node others join through (DHT server, relay, gossip)',
  usage,
  async run (args, io) {
    let values
    try {
      values = parseArgs({ args: [...args], options: { ...nodeFlagOptions, 'json-events': { type: 'boolean' } }, strict: true }).values
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    const { node, close } = await openNode(values, 'bootstrap')
    const stopEvents = values['json-events'] === true ? streamEvents(node, io.print) : () => {}
    await node.start()
    if (values['json-events'] !== true) {
      for (const ma of node.libp2p.getMultiaddrs()) io.print(ma.toString())
    }
    await untilSignal()
    stopEvents()
    await close()
    return 0
  }
}
