// The community bootstrap relay as a service: the p2pgo node in its `bootstrap` role
// (src/net/: DHT server, circuit relay v2 server, AutoNAT v2 server, gossipsub peer) plus what an
// operator needs around it: bootstrap.json validated at load, the relay quota's abuse limits, a
// STUN responder, Prometheus metrics and /health on their own port, JSON log lines, and a
// graceful SIGTERM. `p2pgo bootstrap` (src/cli/commands/bootstrap.ts) parses flags and runs this.
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Counter, Registry } from 'prom-client'
import { ConfigError } from '../src/config/config.js'
import { resolveHome } from '../src/config/home.js'
import { openNode } from '../src/home/open-node.js'
import { StunServer } from '../src/net/stun/stun-server.js'
import { loadDaemonConfig, mergeDaemonConfig, parseHostPort, validateDaemonConfig, DAEMON_CONFIG_FILE } from './daemon-config.js'
import { MetricsServer } from './metrics-server.js'
import { countCircuits, isLoopbackGroup, RelayQuota } from './relay-quota.js'
import { relayServerLimits } from './relay-limits.js'
import { countDhtRecords, registerRelayMetrics } from './relay-metrics.js'
import { gracefulStop } from './shutdown.js'
import type { DaemonConfig, DaemonConfigOverrides } from './daemon-config.js'
import type { Logger } from './log.js'
import type { HealthReport } from './metrics-server.js'
import type { GracefulStopResult } from './shutdown.js'
import type { NodeFlags } from '../src/home/open-node.js'
import type { P2pgoNode } from '../src/net/node.js'

/** The command line's say over the daemon: node flags plus its own (each over bootstrap.json). */
export interface DaemonFlags extends NodeFlags {
  /** bootstrap.json elsewhere than in the home. */
  readonly config?: string
  /** "HOST:PORT" for /metrics and /health. */
  readonly metrics?: string
  readonly stunPort?: string
}

/** How often the daemon logs a one-line summary of its state. */
export const SUMMARY_INTERVAL_MS = 60_000

const list = (text: string | undefined): string[] | undefined => text == null ? undefined : text.split(',').map(s => s.trim()).filter(s => s !== '')

/**
 * The daemon's settings: defaults, then bootstrap.json (the home's, or `--config`), then flags.
 * A bad file throws `ConfigError` naming it; bad flags throw `ConfigError` from 'command line'.
 */
export async function daemonConfig (flags: DaemonFlags, env: NodeJS.ProcessEnv = process.env): Promise<DaemonConfig> {
  const path = flags.config ?? join(resolveHome({ flag: flags.home, env }), DAEMON_CONFIG_FILE)
  // A file named on the command line must be there; the home's is optional.
  if (flags.config != null) await access(path).catch(() => { throw new ConfigError(path, [{ path: '', message: 'does not exist or cannot be read' }]) })
  const file = await loadDaemonConfig(path)
  const overrides: Record<string, unknown> = {}
  const listen = list(flags.listen)
  const announce = list(flags.announce)
  if (listen != null) overrides.listen = listen
  if (announce != null) overrides.announce = announce
  if (flags.metrics != null) overrides.metrics = flags.metrics
  if (flags.stunPort != null) overrides.stunPort = /^\d+$/.test(flags.stunPort) ? Number(flags.stunPort) : flags.stunPort
  return mergeDaemonConfig(file, validateDaemonConfig(overrides, 'command line') as DaemonConfigOverrides)
}

/** A running bootstrap relay. */
export class BootstrapDaemon {
  readonly node: P2pgoNode
  readonly config: DaemonConfig
  readonly quota: RelayQuota
  readonly stun: StunServer
  /** Where /metrics and /health answer, when asked for. */
  readonly metrics: MetricsServer | undefined
  private readonly log: Logger
  private readonly closeNode: () => Promise<void>
  private readonly unregisterMetrics: () => void
  private readonly started = Date.now()
  private summaryTimer: ReturnType<typeof setInterval> | undefined
  private stopping = false

  private constructor (parts: { node: P2pgoNode, closeNode: () => Promise<void>, config: DaemonConfig, quota: RelayQuota, stun: StunServer, metrics: MetricsServer | undefined, unregisterMetrics: () => void, log: Logger }) {
    this.node = parts.node
    this.closeNode = parts.closeNode
    this.config = parts.config
    this.quota = parts.quota
    this.stun = parts.stun
    this.metrics = parts.metrics
    this.unregisterMetrics = parts.unregisterMetrics
    this.log = parts.log
  }

  /**
   * Opens the home, binds STUN and the metrics port, starts the node. Whatever started is
   * stopped again when a later step fails (a port in use, a bad home), and the error is thrown.
   */
  static async start (flags: NodeFlags, config: DaemonConfig, log: Logger): Promise<BootstrapDaemon> {
    const undo: Array<() => Promise<void> | void> = []
    try {
      const stun = new StunServer({ port: config.stunPort })
      await stun.start().catch((err: Error) => { throw new DaemonError(`cannot answer STUN on UDP port ${config.stunPort} (${err.message}); choose another with --stun-port N or "stunPort" in ${DAEMON_CONFIG_FILE}`) })
      undo.push(async () => { await stun.stop() })

      let node: P2pgoNode | undefined
      const quota = new RelayQuota({
        reservations: () => node?.libp2p.services.relay?.reservations ?? [],
        getConnections: peer => node?.libp2p.getConnections(peer) ?? []
      }, {
        limits: config.relay,
        // On a network of one machine every peer is 127.0.0.1 (libp2p's connection manager allow-lists it too).
        ...(flags.local === true ? { exempt: isLoopbackGroup } : {}),
        onRefusal: r => {
          log.warn('relay refused', { kind: r.kind, reason: r.reason, ...(r.peer != null ? { peer: r.peer.toString() } : {}), ...(r.destination != null ? { destination: r.destination.toString() } : {}), ...(r.ip != null ? { ip: r.ip } : {}) })
        }
      })
      // A registry of the daemon's own: libp2p's metrics and p2pgo's, nothing global.
      const registry = new Registry()
      const hostPort = config.metrics != null ? parseHostPort(config.metrics) : undefined
      const opened = await openNode(
        { ...flags, listen: config.listen.join(','), announce: config.announce.join(',') },
        // bootstrap.json's rendezvous list; the flags, read by openNode, override it.
        'bootstrap', config.rendezvous != null ? { rendezvous: [...config.rendezvous] } : {}, line => { log.warn(line) },
        {
          relayLimits: relayServerLimits(config.relay),
          connectionGater: quota.connectionGater(),
          ...(hostPort != null ? { metrics: prometheusMetrics({ registry, preserveExistingMetrics: true }) } : {})
        }
      )
      node = opened.node
      undo.push(opened.close)
      const p2pgo = node
      const unregisterMetrics = registerRelayMetrics({
        reservations: () => p2pgo.libp2p.services.relay?.reservations.size ?? 0,
        circuits: () => countCircuits(p2pgo.libp2p.getConnections()),
        refusals: () => quota.refusals.snapshot(),
        dhtRecords: async () => countDhtRecords(p2pgo.datastore),
        peers: () => p2pgo.libp2p.getPeers().length,
        mailbox: { envelopes: () => p2pgo.mailbox.holding()?.count ?? 0, bytes: () => p2pgo.mailbox.holding()?.bytes ?? 0 },
        onError: (metric, err) => { log.warn('metric source failed', { metric, err }) }
      }, registry)
      registerStunMetrics(stun, registry)

      const metrics: MetricsServer | undefined = hostPort != null ? new MetricsServer({ ...hostPort, registry, health: (): HealthReport => daemon.health(), log }) : undefined
      const daemon: BootstrapDaemon = new BootstrapDaemon({ node: p2pgo, closeNode: opened.close, config, quota, stun, metrics, unregisterMetrics, log })
      if (metrics != null) {
        await metrics.start().catch((err: Error) => { throw new DaemonError(`cannot serve metrics on ${config.metrics ?? ''} (${err.message}); choose another with --metrics HOST:PORT`) })
        undo.push(async () => { await metrics.stop() })
      }
      await p2pgo.start()
      daemon.logStarted()
      daemon.summaryTimer = setInterval(() => { daemon.logSummary() }, SUMMARY_INTERVAL_MS)
      daemon.summaryTimer.unref()
      return daemon
    } catch (err) {
      for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => {})
      throw err
    }
  }

  /** The node's full multiaddrs, each ending in /p2p/<peer ID>. */
  addresses (): string[] {
    return this.node.libp2p.getMultiaddrs().map(String)
  }

  /** Circuits relayed now. */
  circuits (): number {
    return countCircuits(this.node.libp2p.getConnections())
  }

  /** What /health answers. */
  health (): HealthReport {
    return {
      status: this.stopping ? 'stopping' : 'ok',
      peerId: this.node.libp2p.peerId.toString(),
      uptimeS: Math.round((Date.now() - this.started) / 1000),
      peers: this.node.libp2p.getPeers().length,
      reservations: this.node.libp2p.services.relay?.reservations.size ?? 0,
      circuits: this.circuits()
    }
  }

  /**
   * Graceful shutdown: /health turns 503, the relay stops taking reservations and circuits
   * (the HOP protocol is unregistered, and identify tells connected peers so), open circuits get
   * up to `shutdownGraceMs` to finish (less if `signal` aborts: a second signal), then the node
   * stops and the home is closed.
   */
  async shutdown (signal?: AbortSignal): Promise<GracefulStopResult> {
    this.stopping = true
    clearInterval(this.summaryTimer)
    const circuits = this.circuits()
    this.log.info('stopping', { circuits, reservations: this.health().reservations, graceMs: this.config.shutdownGraceMs })
    const result = await gracefulStop({
      stopAccepting: async () => { await this.node.libp2p.unhandle(RELAY_V2_HOP_CODEC) },
      activeCircuits: () => this.circuits(),
      graceMs: this.config.shutdownGraceMs,
      ...(signal != null ? { signal } : {}),
      stop: async () => {
        await this.metrics?.stop()
        this.unregisterMetrics()
        await this.stun.stop()
        await this.closeNode()
      }
    })
    this.log.info('stopped', { waitedMs: result.waitedMs, circuitsCut: result.circuitsLeft })
    return result
  }

  private logStarted (): void {
    const l = this.config.relay
    this.log.info('started', {
      peerId: this.node.libp2p.peerId.toString(),
      addresses: this.addresses(),
      stunPort: this.stun.port,
      metrics: this.metrics?.address() ?? null,
      limits: l
    })
  }

  private logSummary (): void {
    const { peers, reservations, circuits } = this.health()
    this.log.info('summary', { peers, reservations, circuits, refused: this.quota.refusals.snapshot(), stun: { ...this.stun.counts }, mailbox: this.node.mailbox.holding() ?? null, rssBytes: process.memoryUsage().rss })
  }
}

/** A daemon that cannot start for a reason the operator can fix (a port in use): a plain message, exit 1. */
export class DaemonError extends Error {
  static readonly code = 'ERR_DAEMON'
  readonly code = DaemonError.code
  constructor (message: string) {
    super(message)
    this.name = 'DaemonError'
  }
}

/** STUN answers by outcome, read from the responder at scrape time. */
function registerStunMetrics (stun: StunServer, registry: Registry): void {
  // eslint-disable-next-line no-new
  new Counter({
    name: 'p2pgo_stun_requests_total',
    help: 'STUN requests by outcome: answered, dropped (not a Binding request), limited (over the per-source rate)',
    labelNames: ['outcome'],
    registers: [registry],
    collect () {
      this.reset()
      for (const [outcome, n] of Object.entries(stun.counts)) this.inc({ outcome }, n)
    }
  })
}
