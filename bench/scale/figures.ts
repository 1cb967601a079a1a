// Pure arithmetic of the scale benchmark: per-node rates between two samples, percentiles.
import type { NodeSample } from './messages.js'

export interface WorkerSample { readonly at: number, readonly cpuMicros: number, readonly rssBytes: number, readonly lagMs: number, readonly nodes: readonly NodeSample[] }

/** The q-quantile (0..1) of some numbers, nearest rank; null for none. */
export function percentile (xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

export interface Rates {
  /** Mean over nodes of bytes per second, in and out, all connections; and the gossip and DHT streams' shares. */
  readonly bytesIn: number
  readonly bytesOut: number
  readonly gossipIn: number
  readonly dhtIn: number
  /** First copies of lobby and census messages received (before gossip's duplicates). */
  readonly lobbyFirstIn: number
  readonly censusFirstIn: number
  /** Process CPU of the workers per node, as a percentage of one core. */
  readonly cpuPct: number
  readonly seconds: number
}

/**
 * Rates per node between `before` and `after` (the same workers, in the same order). Under churn
 * a worker's list grows (joined nodes at its end) and nodes go down: only the nodes up at both
 * samples count, so the figure is what a node that stayed pays (CPU is shared out among them).
 */
export function ratesBetween (before: readonly WorkerSample[], after: readonly WorkerSample[]): Rates {
  let nodes = 0
  let bytesIn = 0
  let bytesOut = 0
  let gossipIn = 0
  let dhtIn = 0
  let lobbyFirstIn = 0
  let censusFirstIn = 0
  let cpu = 0
  let seconds = 0
  after.forEach((a, w) => {
    const b = before[w]
    const dt = (a.at - b.at) / 1000
    seconds = Math.max(seconds, dt)
    cpu += (a.cpuMicros - b.cpuMicros) / 1e6 / dt
    a.nodes.forEach((n, i) => {
      const o = b.nodes[i]
      if (o == null || n.up === false || o.up === false) return
      nodes++
      bytesIn += (n.bytesIn - o.bytesIn) / dt
      bytesOut += (n.bytesOut - o.bytesOut) / dt
      gossipIn += (n.gossipIn - o.gossipIn) / dt
      dhtIn += (n.dhtIn - o.dhtIn) / dt
      lobbyFirstIn += (n.lobbyFirstIn - o.lobbyFirstIn) / dt
      censusFirstIn += (n.censusFirstIn - o.censusFirstIn) / dt
    })
  })
  const per = (x: number): number => Math.round(x / Math.max(1, nodes))
  return { bytesIn: per(bytesIn), bytesOut: per(bytesOut), gossipIn: per(gossipIn), dhtIn: per(dhtIn), lobbyFirstIn: per(lobbyFirstIn), censusFirstIn: per(censusFirstIn), cpuPct: Math.round(cpu / Math.max(1, nodes) * 10000) / 100, seconds: Math.round(seconds) }
}
