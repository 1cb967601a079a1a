// How many are online, estimated from a sampled census instead of enumerated: each node sends a
// census message a period with probability p = min(1, C / N̂) and says which p it used; a receiver
// sums 1 / p over the distinct senders of a period (the Horvitz–Thompson estimator: unbiased
// whatever p each sender used) and averages the last few periods. Pure: no clock, no network.
//
// A sender cannot choose to be counted as many: whether it sends in a period is drawn from its peer
// ID and the period (censusDraw), which every receiver recomputes, so a census is counted only
// when the draw is below the p it states: claiming a tiny p takes grinding through identities,
// about 1/p of them for a weight of 1/p. On top, one census counts as at most
// CENSUS_MAX_GROWTH times the receiver's current estimate (bench:scale --sybils: one census with
// p = 1e-6 made every node count a million players and fall silent).
import { hashBytes } from '../../../wire/cid.js'
import type { CensusState } from './messages.js'

/** Census messages wanted per period across the whole network, whatever its size. */
export const CENSUS_TARGET = 8

/** Complete periods averaged into the estimate. */
export const CENSUS_WINDOW = 5

/**
 * How far one census may raise the estimate: its weight 1 / p is capped at this many times the
 * receiver's estimate (at least CENSUS_TARGET), so a newcomer in a network of 10,000 reaches the
 * count in about three periods, and a forged tiny p buys a bounded step, not a million.
 */
export const CENSUS_MAX_GROWTH = 16

/**
 * Where a node's census draw falls in a period, in [0, 1): the first 48 bits of
 * SHA-256("p2pgo census\n" || peer ID multihash || period as 8 bytes big-endian). A node sends
 * its census in a period when the draw is below its p; a receiver counts it only then.
 */
export function censusDraw (peer: Uint8Array, period: number): number {
  const prefix = new TextEncoder().encode('p2pgo census\n')
  const data = new Uint8Array(prefix.length + peer.length + 8)
  data.set(prefix, 0)
  data.set(peer, prefix.length)
  new DataView(data.buffer).setBigUint64(prefix.length + peer.length, BigInt(Math.max(0, Math.floor(period))))
  const h = hashBytes(data).digest
  let x = 0
  for (let i = 0; i < 6; i++) x = x * 256 + h[i]
  return x / 2 ** 48
}


/** One census message, as the estimator needs it. */
export interface CensusSample {
  /** The sender, as a string (a peer ID): each counts once per period. */
  readonly sender: string
  /** The period number the sender stamped (floor(its clock / CENSUS_PERIOD)). */
  readonly period: number
  /** The sampling probability the sender used, 0 < p ≤ 1. */
  readonly p: number
  /** The sender's draw for the period (censusDraw): it sent only if this is below `p`. */
  readonly draw: number
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
    // Not drawn to send in this period at the p it states: not counted (an honest sender never sends then).
    if (!(sample.draw < sample.p)) return false
    // A sender's clock may be off by a period; anything further is not this census.
    if (sample.period > current + 1 || sample.period < current - this.window) return false
    let period = this.periods.get(sample.period)
    if (period == null) {
      period = { senders: new Map() }
      this.periods.set(sample.period, period)
    }
    if (period.senders.has(sample.sender)) return false
    const ceiling = CENSUS_MAX_GROWTH * Math.max(this.target, this.estimate(current).total)
    period.senders.set(sample.sender, { ...sample, p: Math.max(sample.p, 1 / ceiling) })
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
