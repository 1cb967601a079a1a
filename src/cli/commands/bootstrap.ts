import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { streamEvents } from '../json-events.js'
import { nodeFlagOptions } from '../online-home.js'
import { stopSignals } from '../stop-signals.js'
import { ConfigError } from '../../config/config.js'
import { BootstrapDaemon, daemonConfig } from '../../../bootstrap/daemon.js'
import { Logger } from '../../../bootstrap/log.js'

const usage = `Usage: p2pgo bootstrap [--home DIR] [--config FILE] [--listen MA,...] [--announce MA,...]
                       [--metrics HOST:PORT] [--stun-port N] [--bootstrap MA,...] [--local] [--json-events]
                       [--rendezvous MA,... | --no-rendezvous]

Runs a community bootstrap relay: a server of p2pgo's DHT, a circuit relay with limits made for
games, an AutoNAT server, a gossip peer for the lobby and training data, and a STUN responder on
UDP so peers behind NAT learn their public UDP address for hole punching. Prints its full
multiaddrs (ending in /p2p/<peer ID>), one per line, then runs until SIGTERM or SIGINT: it stops
taking reservations and circuits, lets open circuits finish (shutdownGraceMs), and exits 0.
A second signal stops at once. Logs are JSON lines on stderr. See bootstrap/README.md.

  --home DIR          the home (default: $P2PGO_HOME, else ~/.p2pgo): identity, datastore, bootstrap.json
  --config FILE       the settings file (default: bootstrap.json in the home; optional there)
  --listen MA,...     addresses to listen on (default /ip4/0.0.0.0/tcp/4001 and /ip6/::/tcp/4001)
  --announce MA,...   addresses to advertise instead of the observed ones (the server's public address)
  --metrics HOST:PORT serve Prometheus /metrics and /health there (default: off)
  --stun-port N       the UDP port of the STUN responder (default 3478; 0 picks a free port)
  --bootstrap MA,...  other bootstrap relays to join
  --rendezvous MA,... Amino-protocol peers to find p2pgo peers through (default: the public
                     IPFS DHT via libp2p's bootstrap peers; none with --local unless given)
  --no-rendezvous    never ask the public IPFS DHT for p2pgo peers, nor publish this node there
  --local             a network on this machine only: keep loopback addresses, no mDNS, no UPnP
  --json-events       one JSON object per line on stdout for every connection and game event

Flags override bootstrap.json, which overrides the defaults.`

export const bootstrapCommand: Command = {
  path: ['bootstrap'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({
      args: [...args],
      options: { ...nodeFlagOptions, config: { type: 'string' }, metrics: { type: 'string' }, 'stun-port': { type: 'string' }, 'json-events': { type: 'boolean' } },
      strict: true,
      allowPositionals: false
    }).values
    const flags = {
      ...values,
      ...(values['stun-port'] != null ? { stunPort: values['stun-port'] } : {})
    }
    let config
    try {
      config = await daemonConfig(flags)
    } catch (err) {
      // A bad flag is a usage mistake (exit 2); a bad file is a configuration error (exit 1).
      if (err instanceof ConfigError && err.source === 'command line') throw new UsageError(err.message.replace(/^command line: /gm, ''))
      throw err
    }
    const log = new Logger({ write: line => { io.printError(line.replace(/\n$/, '')) }, fields: { service: 'p2pgo-bootstrap' } })
    // Listening before the node starts: a signal at any moment from here on stops it cleanly.
    const signals = stopSignals()
    const daemon = await BootstrapDaemon.start(flags, config, log).catch((err: unknown) => { signals.dispose(); throw err })
    const stopEvents = values['json-events'] === true ? streamEvents(daemon.node, io.print) : () => {}
    if (values['json-events'] !== true) {
      for (const ma of daemon.addresses()) io.print(ma)
    }
    await signals.first
    try {
      // A second signal cuts the wait for open circuits short.
      await daemon.shutdown(signals.hurry)
    } finally {
      stopEvents()
      signals.dispose()
    }
    return 0
  }
}

