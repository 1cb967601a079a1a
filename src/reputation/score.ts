// The reputation score: a pure function of what a node saw one peer do (protocols/reputation.md).
import { PRUNE_FRACTION } from './constants.js'
import { defaultReputationParams, type ReputationParams } from './params.js'
import type { ReputationEvent } from './events.js'

/** A peer's score and what it is made of. Gains and losses are as they count now (decayed). */
export interface ReputationBreakdown {
  readonly score: number
  /** 1 / (1 + e^(−score)): 0.5 for a stranger. */
  readonly trust: number
  readonly originated: { readonly count: number, readonly gain: number, readonly meanQuality: number }
  readonly delivered: { readonly count: number, readonly gain: number }
  readonly penalties: { readonly invalid: number, readonly spam: number, readonly auditFailed: number, readonly loss: number }
  /** Gains cut by the caps, undecayed: what a flood tried to buy and did not get. */
  readonly capped: number
}

const decay = (age: number, halfLife: number): number => 2 ** (-Math.max(0, age) / halfLife)

/** What an event is worth before caps and decay: a gain (positive) or a penalty (negative). */
export function amountOf (e: ReputationEvent, p: ReputationParams = defaultReputationParams): number {
  switch (e.kind) {
    case 'originated': return p.originGain * e.quality * (e.quality > p.highQuality ? p.highQualityBonus : 1)
    case 'delivered': return p.deliveryGain * p.relayBoost * e.quality
    case 'invalid': return -p.invalidPenalty
    case 'spam': return -p.spamPenalty
    case 'audit-failed': return -p.auditPenalty
  }
}

/** trust = 1 / (1 + e^(−score / trustScale)), in (0, 1). */
export function trustOf (score: number, p: ReputationParams = defaultReputationParams): number {
  return 1 / (1 + Math.exp(-score / p.trustScale))
}

/**
 * One peer's score at `now`: every gain, cut to the caps (per window: at most `perOriginCap`
 * from RNA of one origin, at most `windowCap` in all, taken in time order), then decayed with
 * `gainHalfLife`; minus every penalty decayed with `penaltyHalfLife`. An event dated after `now`
 * counts as made now. Throws when the events are about more than one peer.
 */
export function scoreOf (events: readonly ReputationEvent[], now: number, p: ReputationParams = defaultReputationParams): ReputationBreakdown {
  const peer = events[0]?.peer
  const sorted = [...events].sort((a, b) => a.at - b.at)
  const perOrigin = new Map<string, number>()
  const perWindow = new Map<number, number>()
  let score = 0
  let capped = 0
  const originated = { count: 0, gain: 0, quality: 0 }
  const delivered = { count: 0, gain: 0 }
  const penalties = { invalid: 0, spam: 0, auditFailed: 0, loss: 0 }
  for (const e of sorted) {
    if (e.peer !== peer) throw new RangeError(`scoreOf takes one peer's events; got ${peer} and ${e.peer}`)
    const at = Math.min(e.at, now)
    const amount = amountOf(e, p)
    if (amount < 0) {
      const loss = -amount * decay(now - at, p.penaltyHalfLife)
      score -= loss
      penalties.loss += loss
      if (e.kind === 'invalid') penalties.invalid++
      else if (e.kind === 'spam') penalties.spam++
      else penalties.auditFailed++
      continue
    }
    const window = Math.floor(at / p.window)
    const origin = e.kind === 'delivered' ? e.origin : e.peer
    const originKey = `${window} ${origin}`
    const kept = Math.max(0, Math.min(amount, p.perOriginCap - (perOrigin.get(originKey) ?? 0), p.windowCap - (perWindow.get(window) ?? 0)))
    perOrigin.set(originKey, (perOrigin.get(originKey) ?? 0) + kept)
    perWindow.set(window, (perWindow.get(window) ?? 0) + kept)
    capped += amount - kept
    const gain = kept * decay(now - at, p.gainHalfLife)
    score += gain
    if (e.kind === 'originated') {
      originated.count++
      originated.gain += gain
      originated.quality += e.quality
    } else {
      delivered.count++
      delivered.gain += gain
    }
  }
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
 * The most any peer's score can be, given how many distinct origins it can gain from in a window
 * (itself included). In a window a peer keeps at most G = min(windowCap, perOriginCap × origins).
 * The window holding `now` and the one before it can still count in full (an event just before
 * `now`); a window m ≥ 2 back ended at least (m − 1) windows ago, so it counts at most
 * G × r^(m−1) with r = 2^(−window / gainHalfLife). Summed: G × (1 + 1 / (1 − r)). With the
 * defaults (a day's window, a week's half-life) that is about 11.6 × G: 11.6 for anyone, 3.5 for
 * a peer whose RNA all comes from one origin. A ring of k colluding identities forwarding each
 * other's RNA gets at most maxScore(k) each on an honest node, k × maxScore(k) together.
 */
export function maxScore (originsPerWindow: number, p: ReputationParams = defaultReputationParams): number {
  const perWindow = Math.min(p.windowCap, p.perOriginCap * Math.max(0, originsPerWindow))
  const r = 2 ** (-p.window / p.gainHalfLife)
  return perWindow * (1 + 1 / (1 - r))
}

/**
 * The events worth keeping at `now`: those whose contribution is still at least PRUNE_FRACTION
 * of their amount (about ten half-lives), and everything in the current window (the caps need it).
 */
export function prune (events: readonly ReputationEvent[], now: number, p: ReputationParams = defaultReputationParams): ReputationEvent[] {
  const window = Math.floor(now / p.window)
  return events.filter(e => {
    const at = Math.min(e.at, now)
    if (Math.floor(at / p.window) === window) return true
    const halfLife = amountOf(e, p) < 0 ? p.penaltyHalfLife : p.gainHalfLife
    return decay(now - at, halfLife) >= PRUNE_FRACTION
  })
}
