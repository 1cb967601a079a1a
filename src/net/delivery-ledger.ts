// Per-rung delivery statistics: how many acts went out on each rung, how many were acknowledged,
// and how long the acknowledgements took. Pure: the node feeds it its `delivery` events.
import { RUNG_ORDER, type Rung } from './rung.js'

/** What `p2pgo peers --json` shows for one rung. */
export interface RungDelivery {
  /** Acts acknowledged over this rung. */
  readonly delivered: number
  /** Sends that failed (no path, stream reset) while on this rung. */
  readonly failed: number
  /** delivered / (delivered + failed), or null before the first attempt. */
  readonly successRate: number | null
  /** Act-to-acknowledgement round trip over the last LATENCY_SAMPLES deliveries, ms. */
  readonly medianMs: number | null
  readonly p95Ms: number | null
}

/** Latency samples kept per rung: recent enough to follow a changing path, enough for a p95. */
export const LATENCY_SAMPLES = 256

function quantile (sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

export class DeliveryLedger {
  private readonly rungs = new Map<Rung, { delivered: number, failed: number, samples: number[], next: number }>()

  /** One delivery outcome: acknowledged (with its round trip) or failed. */
  record (rung: Rung, ok: boolean, latencyMs?: number): void {
    let r = this.rungs.get(rung)
    if (r == null) {
      r = { delivered: 0, failed: 0, samples: [], next: 0 }
      this.rungs.set(rung, r)
    }
    if (!ok) {
      r.failed++
      return
    }
    r.delivered++
    if (latencyMs == null || !Number.isFinite(latencyMs) || latencyMs < 0) return
    // A ring of the most recent samples.
    if (r.samples.length < LATENCY_SAMPLES) r.samples.push(latencyMs)
    else r.samples[r.next] = latencyMs
    r.next = (r.next + 1) % LATENCY_SAMPLES
  }

  /** Every rung with at least one outcome, best rung first. */
  summary (): Partial<Record<Rung, RungDelivery>> {
    const out: Partial<Record<Rung, RungDelivery>> = {}
    for (const rung of RUNG_ORDER) {
      const r = this.rungs.get(rung)
      if (r == null) continue
      const sorted = [...r.samples].sort((a, b) => a - b)
      const attempts = r.delivered + r.failed
      out[rung] = {
        delivered: r.delivered,
        failed: r.failed,
        successRate: attempts === 0 ? null : r.delivered / attempts,
        medianMs: quantile(sorted, 0.5),
        p95Ms: quantile(sorted, 0.95)
      }
    }
    return out
  }
}
