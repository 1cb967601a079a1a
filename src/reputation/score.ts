// The reputation score: a pure function of what a node saw one peer do. The network layer records
// the events (src/net/reputation/); nothing here knows the network.
import { TRUST_EPSILON } from './constants.js'
import { MixedPeersError } from './errors.js'
import { defaultReputationParams, type ReputationParams } from './params.js'
import type { ReputationEvent } from './events.js'

/** A peer's score and what it is made of. Gains and the loss are as they count at `now` (decayed). */
export interface ReputationBreakdown {
  /** originated.gain + delivered.gain − penalties.loss. */
  readonly score: number
  /** trustOf(score): 0.5 for a stranger. */
  readonly trust: number
  readonly originated: { readonly count: number, readonly gain: number, readonly meanQuality: number }
  readonly delivered: { readonly count: number, readonly gain: number }
  /** Counts of each kind of penalty, and what they cost together now. */
  readonly penalties: {
    readonly invalid: number
    readonly spam: number
    readonly auditFailed: number
    readonly loss: number
    /** How many `invalid` events each refusal gave (`lobby:wrong-peer`, `game:bad-signature`, ...): why a peer lost trust. */
    readonly reasons: Readonly<Record<string, number>>
  }
  /** Gains cut by the caps, undecayed: what a flood tried to earn and did not. */
  readonly capped: number
}

/** The breakdown of a peer nothing is known about. */
export const EMPTY_BREAKDOWN: ReputationBreakdown = Object.freeze({
  score: 0,
  trust: 0.5,
  originated: Object.freeze({ count: 0, gain: 0, meanQuality: 0 }),
  delivered: Object.freeze({ count: 0, gain: 0 }),
  penalties: Object.freeze({ invalid: 0, spam: 0, auditFailed: 0, loss: 0, reasons: Object.freeze({}) }),
  capped: 0
})

/** 2^(−age / halfLife): what an amount `age` ms old still counts for (1 for an age of 0 or less). */
export function decay (age: number, halfLife: number): number {
  return 2 ** (-Math.max(0, age) / halfLife)
}

/** The cap window an event falls in. */
export function windowOf (at: number, p: ReputationParams = defaultReputationParams): number {
  return Math.floor(at / p.window)
}

/** What an event is worth before caps and decay: a gain (≥ 0) or a penalty (< 0, or 0 if the penalty is set to 0). */
export function amountOf (e: ReputationEvent, p: ReputationParams = defaultReputationParams): number {
  switch (e.kind) {
    case 'originated': return p.originGain * e.quality * (e.quality > p.highQuality ? p.highQualityBonus : 1)
    case 'delivered': return p.deliveryGain * p.relayBoost * e.quality
    case 'invalid': return -p.invalidPenalty
    case 'spam': return -p.spamPenalty
    case 'audit-failed': return -p.auditPenalty
  }
}

/** The origin whose RNA a gain came from: the per-origin cap counts per (window, origin). */
export function originOf (e: ReputationEvent): string {
  return e.kind === 'delivered' ? e.origin : e.peer
}

/** trust = 1 / (1 + e^(−score / trustScale)), non-decreasing in score and kept inside (0, 1). */
export function trustOf (score: number, p: ReputationParams = defaultReputationParams): number {
  const x = score / p.trustScale
  // The two forms avoid e^(large): each is exact where the other would overflow.
  const t = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))
  return Math.min(1 - TRUST_EPSILON, Math.max(TRUST_EPSILON, t))
}

/**
 * One peer's score at `now`: every gain cut to the caps (per window of `window` ms, at most
 * `perOriginCap` from RNA of one origin and `windowCap` in all, taken in time order, undecayed),
 * then decayed with `gainHalfLife`; minus every penalty (never capped) decayed with
 * `penaltyHalfLife`. An event dated after `now` counts as made at `now`. Throws MixedPeersError
 * when the events are about more than one peer. O(n log n).
 */
export function scoreOf (events: readonly ReputationEvent[], now: number, p: ReputationParams = defaultReputationParams): ReputationBreakdown {
  if (!Number.isFinite(now)) throw new RangeError(`now must be a time, got ${now}`)
  if (events.length === 0) return EMPTY_BREAKDOWN
  const peer = events[0].peer
  for (const e of events) if (e.peer !== peer) throw new MixedPeersError(peer, e.peer)
  // Stable: events at the same ms are taken in the order given.
  const sorted = [...events].sort((a, b) => a.at - b.at)
  const perOrigin = new Map<string, number>()
  const perWindow = new Map<number, number>()
  let capped = 0
  const originated = { count: 0, gain: 0, quality: 0 }
  const delivered = { count: 0, gain: 0 }
  const penalties = { invalid: 0, spam: 0, auditFailed: 0, loss: 0, reasons: {} as Record<string, number> }
  for (const e of sorted) {
    const at = Math.min(e.at, now)
    const amount = amountOf(e, p)
    if (e.kind === 'invalid' || e.kind === 'spam' || e.kind === 'audit-failed') {
      penalties.loss += -amount * decay(now - at, p.penaltyHalfLife)
      if (e.kind === 'invalid') {
        penalties.invalid++
        penalties.reasons[e.reason] = (penalties.reasons[e.reason] ?? 0) + 1
      }
      else if (e.kind === 'spam') penalties.spam++
      else penalties.auditFailed++
      continue
    }
    const window = windowOf(at, p)
    const key = `${window} ${originOf(e)}`
    const fromOrigin = perOrigin.get(key) ?? 0
    const inWindow = perWindow.get(window) ?? 0
    const kept = Math.max(0, Math.min(amount, p.perOriginCap - fromOrigin, p.windowCap - inWindow))
    perOrigin.set(key, fromOrigin + kept)
    perWindow.set(window, inWindow + kept)
    capped += amount - kept
    const gain = kept * decay(now - at, p.gainHalfLife)
    if (e.kind === 'originated') {
      originated.count++
      originated.gain += gain
      originated.quality += e.quality
    } else {
      delivered.count++
      delivered.gain += gain
    }
  }
  const score = originated.gain + delivered.gain - penalties.loss
  return {
    score,
    trust: trustOf(score, p),
    originated: { count: originated.count, gain: originated.gain, meanQuality: originated.count > 0 ? originated.quality / originated.count : 0 },
    delivered,
    penalties,
    capped
  }
}

/**
 * A breakdown computed at some time, as it stands `dt` ≥ 0 ms later — exact (up to float
 * rounding) when no event was dated after the time it was computed at, since then no event
 * changes window and every amount only decays further.
 */
export function ageBreakdown (b: ReputationBreakdown, dt: number, p: ReputationParams = defaultReputationParams): ReputationBreakdown {
  if (dt === 0) return b
  const g = decay(dt, p.gainHalfLife)
  const l = decay(dt, p.penaltyHalfLife)
  const originated = { ...b.originated, gain: b.originated.gain * g }
  const delivered = { ...b.delivered, gain: b.delivered.gain * g }
  const penalties = { ...b.penalties, loss: b.penalties.loss * l }
  const score = originated.gain + delivered.gain - penalties.loss
  return { score, trust: trustOf(score, p), originated, delivered, penalties, capped: b.capped }
}

/** The most a peer can keep in one window, gaining from `origins` distinct origins (itself included). */
export function maxWindowGain (origins: number, p: ReputationParams = defaultReputationParams): number {
  if (Number.isNaN(origins) || origins < 0) throw new RangeError(`origins must be 0 or more, got ${origins}`)
  // Guarded so that 0 × Infinity (no per-origin gain, unbounded origins) is 0, not NaN.
  return origins === 0 || p.perOriginCap === 0 ? 0 : Math.min(p.windowCap, p.perOriginCap * origins)
}

/**
 * The documented upper bound on any peer's score when it gains from at most `originsPerWindow`
 * distinct origins per window (itself included, for RNA it created): G × (1 + 1 / (1 − r)) with
 * G = min(windowCap, perOriginCap × originsPerWindow) and r = 2^(−window / gainHalfLife).
 *
 * Derivation: penalties only lower a score, and the caps keep at most G (undecayed) per window.
 * The window holding `now` and the one just before it can each still count almost in full (gains
 * just before `now`, and at the very end of the previous window when `now` is just past its
 * start); a window m ≥ 2 back ended at least (m − 1) windows before `now`, so it counts at most
 * G × r^(m − 1). Summing, G × (1 + Σ_{m≥0} r^m) = G × (1 + 1 / (1 − r)), a supremum that a peer
 * filling every window at its last moment approaches. With the defaults (a day's window, a week's
 * half-life) that is ≈ 11.6 × G: ≈ 3.48 for a peer gaining from one origin, ≈ 11.6 from four or
 * more. A ring of k colluding identities forwarding each other's RNA scores at most maxScore(k)
 * per identity on an honest node, and k × maxScore(k) together.
 */
export function maxScore (originsPerWindow: number, p: ReputationParams = defaultReputationParams): number {
  const r = 2 ** (-p.window / p.gainHalfLife)
  return maxWindowGain(originsPerWindow, p) * (1 + 1 / (1 - r))
}
