// Reputation's tunables, gossipsub-style: an interface, the defaults, a builder, a validator.
import * as C from './constants.js'
import { InvalidReputationParamsError } from './errors.js'

/** How events become a score. Amounts are in score points, times in ms. */
export interface ReputationParams {
  /** A first delivery earns deliveryGain × relayBoost × quality. */
  readonly deliveryGain: number
  /** Multiplies a delivery's gain (the "relay boost = 2 × quality"). */
  readonly relayBoost: number
  /** An origin earns originGain × quality … */
  readonly originGain: number
  /** … times highQualityBonus when quality is above highQuality. */
  readonly highQuality: number
  /** The high-quality multiplier (1 turns it off). */
  readonly highQualityBonus: number
  /** Cost of delivering an invalid RNA. */
  readonly invalidPenalty: number
  /** Cost of creating a valid but worthless RNA. */
  readonly spamPenalty: number
  /** Cost of a rating record that failed its audit. */
  readonly auditPenalty: number
  /** Length of a cap window: windows are floor(at / window). */
  readonly window: number
  /** The most a peer can gain in one window from RNA of one origin (itself, for RNA it created). */
  readonly perOriginCap: number
  /** The most a peer can gain in one window in all. */
  readonly windowCap: number
  /** Gains halve every gainHalfLife. */
  readonly gainHalfLife: number
  /** Penalties halve every penaltyHalfLife. */
  readonly penaltyHalfLife: number
  /** trust = 1 / (1 + e^(−score / trustScale)). */
  readonly trustScale: number
}

/** The starting values and this project's choices (constants.ts; protocols/reputation.md, "Constants"). */
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

const NON_NEGATIVE = ['deliveryGain', 'relayBoost', 'originGain', 'invalidPenalty', 'spamPenalty', 'auditPenalty', 'perOriginCap', 'windowCap'] as const
const POSITIVE = ['window', 'gainHalfLife', 'penaltyHalfLife', 'trustScale'] as const

/** Throws InvalidReputationParamsError unless every parameter is in its range. */
export function validateReputationParams (p: ReputationParams): void {
  for (const k of Object.keys(defaultReputationParams) as Array<keyof ReputationParams>) {
    if (typeof p[k] !== 'number' || !Number.isFinite(p[k])) throw new InvalidReputationParamsError(k, 'must be a finite number')
  }
  for (const k of NON_NEGATIVE) if (p[k] < 0) throw new InvalidReputationParamsError(k, 'must be 0 or more')
  for (const k of POSITIVE) if (p[k] <= 0) throw new InvalidReputationParamsError(k, 'must be above 0')
  if (p.highQuality < 0 || p.highQuality > 1) throw new InvalidReputationParamsError('highQuality', 'must be from 0 to 1')
  // A "bonus" below 1 would make the best RNA earn less than slightly worse RNA.
  if (p.highQualityBonus < 1) throw new InvalidReputationParamsError('highQualityBonus', 'must be 1 or more')
}

/** The defaults with `overrides` applied, validated and frozen. */
export function createReputationParams (overrides: Partial<ReputationParams> = {}): ReputationParams {
  const p = Object.freeze({ ...defaultReputationParams, ...overrides })
  validateReputationParams(p)
  return p
}
