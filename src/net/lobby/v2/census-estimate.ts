// How many are online, estimated from a sampled census instead of enumerated: each node sends a
// census message a period with probability p = min(1, C / N̂) and says which p it used; a receiver
// sums 1 / p over the distinct senders of a period (the Horvitz–Thompson estimator: unbiased
// whatever p each sender used) and averages the last few periods. Pure: no clock, no network.
import type { CensusState } from './messages.js'

/** Census messages wanted per period across the whole network, whatever its size. */
export const CENSUS_TARGET = 8

/** Complete periods averaged into the estimate. */
export const CENSUS_WINDOW = 5


/** One census message, as the estimator needs it. */
export interface CensusSample {
  /** The sender, as a string (a peer ID): each counts once per period. */
  readonly sender: string
  /** The period number the sender stamped (floor(its clock / CENSUS_PERIOD)). */
  readonly period: number
  /** The sampling probability the sender used, 0 < p ≤ 1. */
  readonly p: number
  readonly state: CensusState
  readonly sizes: readonly number[]
}

/** The estimate: everyone, and by state and by board size. */
export interface CensusCounts {
  readonly total: number
  readonly byState: Readonly<Record<CensusState, number>>
  readonly bySize: Readonly<Record<string, number>>
  /** Complete periods the estimate stands on (0: nothing heard yet, the counts are this node alone). */
  readonly periods: number
}

interface Period {
  readonly senders: Map<string, CensusSample>
}

/**
 * Keeps the census messages of the current and the last CENSUS_WINDOW periods and estimates the
 * number of nodes from them. `record` ignores a second message of a sender in a period (a replay
 * or a retry changes nothing) and messages stamped outside the window around `now`'s period.
 */
export class CensusEstimator {
  private readonly periods = new Map<number, Period>()
  private readonly window: number
  private readonly target: number

  constructor (options: { readonly window?: number, readonly target?: number } = {}) {
    this.window = options.window ?? CENSUS_WINDOW
    this.target = options.target ?? CENSUS_TARGET
  }

  /** Counts a census message heard at period `current` (the receiver's own); false when ignored. */
  record (sample: CensusSample, current: number): boolean {
    if (!(sample.p > 0 && sample.p <= 1)) return false
    // A sender's clock may be off by a period; anything further is not this census.
    if (sample.period > current + 1 || sample.period < current - this.window) return false
    let period = this.periods.get(sample.period)
    if (period == null) {
      period = { senders: new Map() }
      this.periods.set(sample.period, period)
    }
    if (period.senders.has(sample.sender)) return false
    period.senders.set(sample.sender, sample)
    this.forget(current)
    return true
  }

  /**
   * The estimate at period `current`: the mean over the last complete periods (current − 1 back
   * to current − window) that heard anything, each the sum of 1 / p over its senders. With
   * nothing heard it is 1 (this node).
   */
  estimate (current: number): CensusCounts {
    this.forget(current)
    const byState: Record<CensusState, number> = { open: 0, playing: 0, online: 0 }
    const bySize: Record<string, number> = {}
    let total = 0
    let periods = 0
    for (let k = current - this.window; k < current; k++) {
      const period = this.periods.get(k)
      if (period == null || period.senders.size === 0) continue
      periods++
      for (const s of period.senders.values()) {
        const weight = 1 / s.p
        total += weight
        byState[s.state] += weight
        for (const size of s.sizes) bySize[String(size)] = (bySize[String(size)] ?? 0) + weight
      }
    }
    if (periods === 0) return { total: 1, byState, bySize, periods: 0 }
    for (const key of Object.keys(byState) as CensusState[]) byState[key] /= periods
    for (const key of Object.keys(bySize)) bySize[key] /= periods
    return { total: Math.max(1, total / periods), byState, bySize, periods }
  }

  /** The probability this node sends its census with at period `current`: min(1, C / N̂). */
  probability (current: number): number {
    return Math.min(1, this.target / this.estimate(current).total)
  }

  /** Forgets everything (the node stopped). */
  clear (): void {
    this.periods.clear()
  }

  private forget (current: number): void {
    for (const k of this.periods.keys()) if (k < current - this.window) this.periods.delete(k)
  }
}
