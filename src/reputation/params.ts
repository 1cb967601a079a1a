// Reputation's tunables, gossipsub-style: an interface, the defaults, a builder, a validator.
import * as C from './constants.js'

export interface ReputationParams {
  readonly deliveryGain: number
  readonly relayBoost: number
  readonly originGain: number
  readonly highQuality: number
  readonly highQualityBonus: number
  readonly invalidPenalty: number
  readonly spamPenalty: number
  readonly auditPenalty: number
  readonly window: number
  readonly perOriginCap: number
  readonly windowCap: number
  readonly gainHalfLife: number
  readonly penaltyHalfLife: number
  readonly trustScale: number
}

export const defaultReputationParams: ReputationParams = Object.freeze({
  deliveryGain: C.DELIVERY_GAIN,
  relayBoost: C.RELAY_BOOST,
  originGain: C.ORIGIN_GAIN,
  highQuality: C.HIGH_QUALITY,
  highQualityBonus: C.HIGH_QUALITY_BONUS,
  invalidPenalty: C.INVALID_PENALTY,
  spamPenalty: C.SPAM_PENALTY,
  auditPenalty: C.AUDIT_PENALTY,
  window: C.WINDOW,
  perOriginCap: C.PER_ORIGIN_CAP,
  windowCap: C.WINDOW_CAP,
  gainHalfLife: C.GAIN_HALF_LIFE,
  penaltyHalfLife: C.PENALTY_HALF_LIFE,
  trustScale: C.TRUST_SCALE
})

/** The defaults with some values replaced; throws RangeError on values that make no sense. */
export function createReputationParams (p: Partial<ReputationParams> = {}): ReputationParams {
  const params = { ...defaultReputationParams, ...p }
  validateReputationParams(params)
  return Object.freeze(params)
}

/** Gains, penalties and caps are non-negative; windows, half-lives and the trust scale positive. */
export function validateReputationParams (p: ReputationParams): void {
  for (const name of ['deliveryGain', 'relayBoost', 'originGain', 'highQualityBonus', 'invalidPenalty', 'spamPenalty', 'auditPenalty', 'perOriginCap', 'windowCap'] as const) {
    if (!Number.isFinite(p[name]) || p[name] < 0) throw new RangeError(`reputation ${name} must be a non-negative number, got ${p[name]}`)
  }
  for (const name of ['window', 'gainHalfLife', 'penaltyHalfLife', 'trustScale'] as const) {
    if (!Number.isFinite(p[name]) || p[name] <= 0) throw new RangeError(`reputation ${name} must be positive, got ${p[name]}`)
  }
  if (!(p.highQuality >= 0 && p.highQuality <= 1)) throw new RangeError(`reputation highQuality must be in [0, 1], got ${p.highQuality}`)
}
