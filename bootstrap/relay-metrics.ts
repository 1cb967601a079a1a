// p2pgo's own Prometheus metrics for the bootstrap relay, beside libp2p's (@libp2p/prometheus-metrics).
// Every value is read from an injected source when Prometheus scrapes (prom-client's `collect`;
// the DHT record count, a datastore scan, at most once a minute),
// so nothing here keeps state of its own or imports libp2p: the daemon wires the sources.
//
// What libp2p already exports, and so is not repeated here (with `metrics: prometheusMetrics()`):
// - bytes relayed: libp2p counts bytes per negotiated protocol stream in
//   `libp2p_data_transfer_bytes_total{protocol="<protocol id> sent|received"}`. A relay's circuit
//   is its inbound HOP stream piped into its outbound STOP stream, so
//   `libp2p_data_transfer_bytes_total{protocol=~"/libp2p/circuit/relay/0.2.0/(hop|stop) received"}`
//   summed is the traffic it carried, both ways, counted once: the relayed connection's bytes as
//   they cross the relay (end-to-end noise and yamux framing included), plus the relay protocol's
//   own messages (tens of bytes per reservation or circuit). RELAYED_BYTES_QUERY is that query.
//   (test/bootstrap/relay-metrics.test.ts checks it on a real relay.)
// - reservations: `libp2p_circuit_relay_server_reservations_total` (a gauge despite its name);
//   p2pgo_relay_reservations is the same number under a stable p2pgo name beside the circuits.
// - the DHT routing table: `libp2p_kad_dht_routing_table_size`; connections by direction:
//   `libp2p_connection_manager_connections`; open streams per protocol: `libp2p_protocol_streams_total`.
import { Counter, Gauge, register } from 'prom-client'
import type { Registry } from 'prom-client'

/** A value read at scrape time. */
export type Sample = () => number | Promise<number>

/** Why the relay said no, counted since start (the relay quota's reasons: 'per-ip', 'per-peer', 'full', …). */
export type RefusalCounts = Readonly<Record<string, number>>

/** Where each metric's value comes from. */
export interface RelayMetricSources {
  /** Reservations held now (the circuit relay server's reservation store). */
  readonly reservations: Sample
  /** Circuits relayed now (relay-quota.ts's `countCircuits`, which the quota decides on too). */
  readonly circuits: Sample
  /** Reservations and circuits refused, by reason, since start (cumulative: a counter). */
  readonly refusals: () => RefusalCounts | Promise<RefusalCounts>
  /** DHT records this node holds for the network (see `countDhtRecords`). */
  readonly dhtRecords: Sample
  /** Peers connected now. */
  readonly peers: Sample
  /** Envelopes held for offline players, and their bytes (protocols/mailbox.md), when the node holds. */
  readonly mailbox?: { readonly envelopes: Sample, readonly bytes: Sample }
  /** A source that failed: the metric keeps its last value and the scrape goes on. */
  readonly onError?: (metric: string, err: unknown) => void
}

/** The names of p2pgo's relay metrics, as they appear on /metrics. */
export const RELAY_METRICS = {
  reservations: 'p2pgo_relay_reservations',
  circuits: 'p2pgo_relay_circuits',
  refusals: 'p2pgo_relay_refusals_total',
  dhtRecords: 'p2pgo_dht_records',
  peers: 'p2pgo_peers'
} as const

/** The mailbox holder's metrics (registered when `sources.mailbox` is given). */
export const MAILBOX_METRICS = {
  envelopes: 'p2pgo_mailbox_held_envelopes',
  bytes: 'p2pgo_mailbox_held_bytes'
} as const

/** Bytes a relay carried per second, both directions, from libp2p's own per-protocol counter. */
export const RELAYED_BYTES_QUERY = 'sum(rate(libp2p_data_transfer_bytes_total{protocol=~"/libp2p/circuit/relay/0.2.0/(hop|stop) received"}[1m]))'

/**
 * How long a DHT record count is reused: counting is a key scan of the datastore (15 ms of CPU per
 * 5,000 records, bench/metrics-scrape.ts: most of a scrape's cost), and the count moves slowly
 * (kad-dht keeps a record for hours). Scraped every 15 s, the relay scans once a minute.
 */
export const DHT_RECORDS_MAX_AGE_MS = 60_000

/**
 * `read`, answered from its last value while that is younger than `maxAgeMs`; concurrent callers
 * share one read. A failed read is not kept: the next call reads again.
 */
export function cachedSample (read: Sample, maxAgeMs: number, now: () => number = Date.now): Sample {
  let value: number | undefined
  let at = 0
  let pending: Promise<number> | undefined
  return async () => {
    if (value !== undefined && now() - at < maxAgeMs) return value
    pending ??= (async () => {
      try {
        const v = await read()
        value = v
        at = now()
        return v
      } finally {
        pending = undefined
      }
    })()
    return await pending
  }
}

/** How registerRelayMetrics reads its costlier sources. */
export interface RelayMetricsOptions {
  /** How long the DHT record count is reused (`DHT_RECORDS_MAX_AGE_MS`). */
  readonly dhtRecordsMaxAgeMs?: number
  /** The clock of that reuse (tests). */
  readonly now?: () => number
}

/** kad-dht keeps the records it holds under `<datastorePrefix>/record/`; p2pgo keeps the default prefix '/dht'. */
export const DHT_RECORD_PREFIX = '/dht/record/'

/**
 * Registers p2pgo's relay metrics on `registry` (prom-client's global one, where
 * @libp2p/prometheus-metrics puts libp2p's, when unset) and returns the function that removes them.
 * Call it after the node is created: @libp2p/prometheus-metrics clears the global registry when it
 * is constructed, unless given `preserveExistingMetrics: true`. Registering twice throws.
 */
export function registerRelayMetrics (sources: RelayMetricSources, registry: Registry = register, options: RelayMetricsOptions = {}): () => void {
  const failed = (metric: string, err: unknown): void => {
    try { sources.onError?.(metric, err) } catch {}
  }
  const gauge = (name: string, help: string, read: Sample): Gauge => new Gauge({
    name,
    help,
    registers: [registry],
    async collect () {
      try {
        this.set(await read())
      } catch (err) {
        failed(name, err)
      }
    }
  })
  const made: string[] = []
  try {
    gauge(RELAY_METRICS.reservations, 'Circuit relay reservations held now', sources.reservations)
    made.push(RELAY_METRICS.reservations)
    gauge(RELAY_METRICS.circuits, 'Circuits relayed now', sources.circuits)
    made.push(RELAY_METRICS.circuits)
    new Counter({
      name: RELAY_METRICS.refusals,
      help: 'Relay reservations and circuits refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
      async collect () {
        try {
          const counts = await sources.refusals()
          // The source keeps the totals; the counter mirrors them (a counter cannot be set).
          this.reset()
          for (const [reason, count] of Object.entries(counts)) {
            if (Number.isFinite(count) && count >= 0) this.inc({ reason }, count)
          }
        } catch (err) {
          failed(RELAY_METRICS.refusals, err)
        }
      }
    })
    made.push(RELAY_METRICS.refusals)
    const dhtRecords = cachedSample(sources.dhtRecords, options.dhtRecordsMaxAgeMs ?? DHT_RECORDS_MAX_AGE_MS, options.now)
    gauge(RELAY_METRICS.dhtRecords, `DHT records held in the datastore (keys under ${DHT_RECORD_PREFIX}), counted at most once a minute`, dhtRecords)
    made.push(RELAY_METRICS.dhtRecords)
    gauge(RELAY_METRICS.peers, 'Peers connected now', sources.peers)
    made.push(RELAY_METRICS.peers)
    if (sources.mailbox != null) {
      gauge(MAILBOX_METRICS.envelopes, 'Envelopes held for offline players now', sources.mailbox.envelopes)
      made.push(MAILBOX_METRICS.envelopes)
      gauge(MAILBOX_METRICS.bytes, 'Bytes of envelopes held for offline players now (bounded by the holder limit totalBytes)', sources.mailbox.bytes)
      made.push(MAILBOX_METRICS.bytes)
    }
  } catch (err) {
    // A name already taken: leave the registry as it was.
    for (const name of made) registry.removeSingleMetric(name)
    throw err
  }
  let registered = true
  return () => {
    // Idempotent, and never removes a metric someone registered under the same name afterwards.
    if (!registered) return
    registered = false
    for (const name of made) registry.removeSingleMetric(name)
  }
}

/** The datastore query `countDhtRecords` needs (interface-datastore's `Datastore` has it). */
export interface KeyQueryable {
  queryKeys: (query: { prefix?: string }, options?: { signal?: AbortSignal }) => AsyncIterable<unknown> | Iterable<unknown>
}

/**
 * The DHT records (ratings, seeks, co-signed results) this node holds in its datastore: what the
 * network stored on it, which the routing table size does not tell. Expired records still count
 * until kad-dht replaces them. A key scan: cheap at a scrape interval for a bootstrap's thousands.
 */
export async function countDhtRecords (datastore: KeyQueryable, options: { signal?: AbortSignal } = {}): Promise<number> {
  let count = 0
  for await (const _ of datastore.queryKeys({ prefix: DHT_RECORD_PREFIX }, options)) count++
  return count
}
