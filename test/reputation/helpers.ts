// Event builders and fast-check arbitraries shared by the reputation tests.
import fc from 'fast-check'
import { day } from '../../src/units.js'
import type { ReputationEvent } from '../../src/reputation/events.js'

/** A fixed "now" in the middle of a day (22:13 UTC), and the start of its cap window. */
export const T0 = 1_700_000_000_000
export const DAY0 = Math.floor(T0 / day) * day

export const PEER = 'peer-a'

let n = 0
const id = (): string => `rna-${n++}`

export const delivered = (quality: number, at = T0, origin = 'origin-1', peer = PEER): ReputationEvent => ({ kind: 'delivered', peer, rna: id(), origin, quality, at })
export const originated = (quality: number, at = T0, peer = PEER): ReputationEvent => ({ kind: 'originated', peer, rna: id(), quality, at })
export const invalid = (at = T0, peer = PEER): ReputationEvent => ({ kind: 'invalid', peer, reason: 'bad-signature', at })
export const spam = (at = T0, peer = PEER, quality = 0.05): ReputationEvent => ({ kind: 'spam', peer, rna: id(), quality, at })
export const auditFailed = (at = T0, peer = PEER): ReputationEvent => ({ kind: 'audit-failed', peer, at })

/** Any penalty of PEER at `at`. */
export const penaltyAt = (kind: 'invalid' | 'spam' | 'audit-failed', at: number): ReputationEvent =>
  kind === 'invalid' ? invalid(at) : kind === 'spam' ? spam(at) : auditFailed(at)

/** A time within `days` days after DAY0, clustered in whole windows often enough to hit the caps. */
export const timeIn = (days: number): fc.Arbitrary<number> => fc.oneof(
  fc.integer({ min: 0, max: days * day }).map(dt => DAY0 + dt),
  fc.tuple(fc.integer({ min: 0, max: days - 1 }), fc.constantFrom(0, 1, day - 1)).map(([d, dt]) => DAY0 + d * day + dt)
)

/** A quality, often at the edges and the bonus threshold. */
export const quality: fc.Arbitrary<number> = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 0.7, 0.7000001, 1))

/**
 * A gain of PEER from one of `k` origins: origin 0 is PEER itself ('originated', or a
 * 'delivered' naming itself), origins 1 … k − 1 are others.
 */
export const gain = (k: number, days = 20): fc.Arbitrary<ReputationEvent> =>
  fc.tuple(fc.integer({ min: 0, max: k - 1 }), fc.boolean(), quality, timeIn(days)).map(([o, own, q, at]) =>
    o === 0 ? (own ? originated(q, at) : delivered(q, at, PEER)) : delivered(q, at, `origin-${o}`))

/** A penalty of PEER. */
export const penalty = (days = 20): fc.Arbitrary<ReputationEvent> =>
  fc.tuple(fc.constantFrom('invalid' as const, 'spam' as const, 'audit-failed' as const), timeIn(days)).map(([kind, at]) => penaltyAt(kind, at))

/** Any event of PEER, gains from at most `k` origins. */
export const anyEvent = (k: number, days = 20): fc.Arbitrary<ReputationEvent> => fc.oneof({ arbitrary: gain(k, days), weight: 4 }, { arbitrary: penalty(days), weight: 1 })
