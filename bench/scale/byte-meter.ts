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
