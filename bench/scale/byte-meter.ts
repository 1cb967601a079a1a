// Bytes on the wire per node, counted by libp2p's own Prometheus metrics: each node gets a
// registry of its own, so hundreds of nodes in one process do not add into one counter.
// `global` is every byte on the node's connections (after encryption and muxing); the protocol
// labels count what each protocol's streams carried.
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'
import type { Metrics } from '@libp2p/interface'

/** The counter the library keeps per protocol (and `global`), labelled "<protocol> sent|received". */
const TRANSFER = 'libp2p_data_transfer_bytes_total'

export interface ByteCount { readonly in: number, readonly out: number }

export class ByteMeter {
  private readonly registry = new Registry()
  /** For P2pgoNodeInit.metrics. */
  readonly metrics: (components: any) => Metrics = prometheusMetrics({ registry: this.registry, collectDefaultMetrics: false })

  /** First copies' bytes the lobby took from gossip so far, lobby topics and census (the lobby's own counter). */
  async lobbyFirstCopies (): Promise<{ lobby: number, census: number }> {
    const metric = this.registry.getSingleMetric('p2pgo_lobby_first_copy_bytes_total')
    const out = { lobby: 0, census: 0 }
    if (metric == null) return out
    for (const v of (await metric.get()).values) {
      if (v.labels.kind === 'lobby') out.lobby += v.value
      else if (v.labels.kind === 'census') out.census += v.value
    }
    return out
  }

  /** Lobby messages refused so far, by reason (the lobby's p2pgo_lobby_rejected_total). */
  async lobbyRefusals (): Promise<Record<string, number>> {
    const metric = this.registry.getSingleMetric('p2pgo_lobby_rejected_total')
    const out: Record<string, number> = {}
    if (metric == null) return out
    for (const v of (await metric.get()).values) {
      const reason = String(v.labels.reason ?? '')
      out[reason] = (out[reason] ?? 0) + v.value
    }
    return out
  }

  /** Bytes so far: every connection's, and per protocol. */
  async read (): Promise<{ total: ByteCount, protocols: Record<string, ByteCount> }> {
    const metric = this.registry.getSingleMetric(TRANSFER)
    const protocols: Record<string, { in: number, out: number }> = {}
    if (metric == null) return { total: { in: 0, out: 0 }, protocols }
    const { values } = await metric.get()
    for (const v of values) {
      const label = String(v.labels.protocol ?? '')
      const at = label.lastIndexOf(' ')
      const name = label.slice(0, at)
      const entry = protocols[name] ??= { in: 0, out: 0 }
      if (label.endsWith(' received')) entry.in += v.value
      else if (label.endsWith(' sent')) entry.out += v.value
    }
    const total = protocols.global ?? { in: 0, out: 0 }
    delete protocols.global
    return { total, protocols }
  }
}
