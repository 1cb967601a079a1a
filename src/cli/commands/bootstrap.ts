import { parseArgs } from 'node:util'
import { UsageError, type Command } from '../command.js'
import { streamEvents } from '../json-events.js'
import { nodeFlagOptions, openNode, untilSignal } from '../online-home.js'
import { StunServer, STUN_PORT } from '../../net/stun/stun-server.js'

const usage = `Usage: p2pgo bootstrap [--home DIR] [--listen MA,...] [--announce MA,...] [--stun-port N] [--local] [--json-events]

Runs an always-on node that other players join through: a server of p2pgo's DHT, a circuit
relay (with limits made for games), a gossip peer for the lobby, and a STUN responder on UDP
(port 3478 unless --stun-port N; 0 picks a free port) so peers behind NAT learn their public
UDP address for hole punching. Prints its full
multiaddrs (ending in /p2p/<peer ID>), one per line, then runs until SIGINT or SIGTERM.

  --home DIR        the p2pgo home (default: $P2PGO_HOME, else ~/.p2pgo); its identity is kept
  --listen MA,...   addresses to listen on (default from config.json, else TCP on every interface)
  --announce MA,... addresses to advertise instead of the observed ones
  --stun-port N     the UDP port of the STUN responder (default 3478)
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
      values = parseArgs({ args: [...args], options: { ...nodeFlagOptions, 'stun-port': { type: 'string' }, 'json-events': { type: 'boolean' } }, strict: true }).values
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    const stunPort = Number(values['stun-port'] ?? STUN_PORT)
    if (!Number.isInteger(stunPort) || stunPort < 0 || stunPort > 65535) throw new UsageError(`--stun-port must be a port number, got ${values['stun-port'] ?? ''}`)
    const stun = new StunServer({ port: stunPort })
    try {
      await stun.start()
    } catch (err) {
      io.printError(`p2pgo bootstrap: cannot answer STUN on UDP port ${stunPort} (${(err as Error).message}); choose another with --stun-port N`)
      return 1
    }
    const { node, close } = await openNode(values, 'bootstrap', {}, io.printError).catch(async err => { await stun.stop(); throw err })
    const stopEvents = values['json-events'] === true ? streamEvents(node, io.print) : () => {}
    await node.start()
    if (values['json-events'] !== true) {
      for (const ma of node.libp2p.getMultiaddrs()) io.print(ma.toString())
    }
    io.printError(`p2pgo bootstrap: STUN on UDP port ${stun.port}`)
    await untilSignal()
    stopEvents()
    await stun.stop()
    await close()
    return 0
  }
}
