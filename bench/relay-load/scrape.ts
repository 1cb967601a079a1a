// Reading the relay's metrics endpoint as an operator would: the real `curl` binary (falling back
// to fetch only when curl is not installed, and saying so), then the few samples the benchmark
// reports, out of the Prometheus text.
import { execFile } from 'node:child_process'

/** The relay protocol streams whose received bytes are the traffic a relay carried (bootstrap/relay-metrics.ts). */
export const HOP_RECEIVED = 'protocol="/libp2p/circuit/relay/0.2.0/hop received"'
export const STOP_RECEIVED = 'protocol="/libp2p/circuit/relay/0.2.0/stop received"'

/** The counters and gauges the benchmark follows, as one scrape showed them. */
export interface MetricsSample {
  readonly reservations?: number
  readonly circuits?: number
  readonly peers?: number
  readonly dhtRecords?: number
  /** Bytes received on HOP streams (from circuits' sources) and STOP streams (from their destinations). */
  readonly hopReceivedBytes?: number
  readonly stopReceivedBytes?: number
  /** p2pgo_relay_refusals_total summed over reasons. */
  readonly refusals?: number
}

/** One sample's value from Prometheus text (`name{labels} value`), or undefined when absent. */
export function sample (text: string, name: string, labels = ''): number | undefined {
  const prefix = labels === '' ? `${name} ` : `${name}{${labels}} `
  const line = text.split('\n').find(l => l.startsWith(prefix))
  return line == null ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

/** The sum of every sample of a metric, whatever its labels. */
export function sum (text: string, name: string): number | undefined {
  const lines = text.split('\n').filter(l => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
  return lines.length === 0 ? undefined : lines.reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)
}

/** The benchmark's samples out of a scrape. */
export function readSample (text: string): MetricsSample {
  const out: Record<string, number | undefined> = {
    reservations: sample(text, 'p2pgo_relay_reservations'),
    circuits: sample(text, 'p2pgo_relay_circuits'),
    peers: sample(text, 'p2pgo_peers'),
    dhtRecords: sample(text, 'p2pgo_dht_records'),
    hopReceivedBytes: sample(text, 'libp2p_data_transfer_bytes_total', HOP_RECEIVED),
    stopReceivedBytes: sample(text, 'libp2p_data_transfer_bytes_total', STOP_RECEIVED),
    refusals: sum(text, 'p2pgo_relay_refusals_total')
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as MetricsSample
}

/** Whether the real curl binary can be run here (checked once). */
let curlMissing: boolean | undefined

/** GET `url` with `curl -s` (a real process); with fetch when curl is not installed. */
export async function scrape (url: string): Promise<{ text: string, tool: 'curl' | 'fetch' }> {
  if (curlMissing !== true) {
    try {
      const text = await new Promise<string>((resolve, reject) => {
        execFile('curl', ['-s', '--max-time', '10', url], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
          if (err != null) reject(err)
          else resolve(stdout)
        })
      })
      curlMissing = false
      return { text, tool: 'curl' }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      curlMissing = true
    }
  }
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  return { text: await res.text(), tool: 'fetch' }
}
