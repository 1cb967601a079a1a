import { JIGO_PROBABILITY, PROVISIONAL_SIGMA, TRUESKILL_BETA, TRUESKILL_MU, TRUESKILL_SIGMA, TRUESKILL_TAU } from './constants.js'

/** The TrueSkill environment p2pgo rates games in. Every node must use the same values to audit. */
export interface RatingParams {
  /** A new player's mean. */
  readonly mu: number
  /** A new player's uncertainty. */
  readonly sigma: number
  /** The skill gap that gives the stronger player about 76% wins. */
  readonly beta: number
  /** Uncertainty added before each game, so ratings can keep moving. */
  readonly tau: number
  /** Chance of jigo with a whole-number komi; a half-point komi makes a draw impossible (0). */
  readonly jigoProbability: number
  /** Sigma above which a rating is shown as provisional. */
  readonly provisionalSigma: number
}

/** TrueSkill's published defaults and p2pgo's documented choices (constants.ts). */
export const defaultRatingParams: RatingParams = Object.freeze({
  mu: TRUESKILL_MU,
  sigma: TRUESKILL_SIGMA,
  beta: TRUESKILL_BETA,
  tau: TRUESKILL_TAU,
  jigoProbability: JIGO_PROBABILITY,
  provisionalSigma: PROVISIONAL_SIGMA
})

/** A rating parameter that makes no sense. */
export class InvalidRatingParamsError extends Error {
  static readonly code = 'ERR_RATING_PARAMS'
  readonly code = InvalidRatingParamsError.code
  readonly field: keyof RatingParams

  constructor (field: keyof RatingParams, message: string) {
    super(`rating parameter ${field}: ${message}`)
    this.name = 'InvalidRatingParamsError'
    this.field = field
  }
}

/** Throws InvalidRatingParamsError unless every parameter is in its range. */
export function validateRatingParams (p: RatingParams): void {
  const finite = (k: keyof RatingParams): void => { if (!Number.isFinite(p[k])) throw new InvalidRatingParamsError(k, 'must be a finite number') }
  for (const k of Object.keys(defaultRatingParams) as Array<keyof RatingParams>) finite(k)
  if (p.sigma <= 0) throw new InvalidRatingParamsError('sigma', 'must be above 0')
  if (p.beta <= 0) throw new InvalidRatingParamsError('beta', 'must be above 0')
  if (p.tau < 0) throw new InvalidRatingParamsError('tau', 'must be 0 or more')
  if (p.jigoProbability < 0 || p.jigoProbability >= 1) throw new InvalidRatingParamsError('jigoProbability', 'must be from 0 up to (not including) 1')
  if (p.provisionalSigma <= 0) throw new InvalidRatingParamsError('provisionalSigma', 'must be above 0')
}

/** The defaults with `overrides` applied, validated. */
export function createRatingParams (overrides: Partial<RatingParams> = {}): RatingParams {
  const p = Object.freeze({ ...defaultRatingParams, ...overrides })
  validateRatingParams(p)
  return p
}
