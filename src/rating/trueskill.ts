// TrueSkill for Go games: one player against one (ts-trueskill's computation, ported in
// trueskill-graph.ts), in fixed point so that every node computes, stores and compares the same
// integers (an audit recomputes them).
import { quality1vs1, rate1vs1, type MuSigma, type TrueSkillEnv } from './trueskill-graph.js'
import { FIXED_POINT } from './constants.js'
import { defaultRatingParams, type RatingParams } from './params.js'
import type { RatingClaim } from '../wire/game-start.js'

/** A game's outcome from one player's side. */
export type Outcome = 'win' | 'loss' | 'draw'

/** A TrueSkill rating in thousandths, as records and start records carry it. */
export type FixedRating = RatingClaim

/** A new player's rating. */
export function initialRating (params: RatingParams = defaultRatingParams): FixedRating {
  return toFixed(params.mu, params.sigma)
}

/** Rounds a (mu, sigma) pair to thousandths. */
export function toFixed (mu: number, sigma: number): FixedRating {
  return { mu: Math.round(mu * FIXED_POINT), sigma: Math.max(1, Math.round(sigma * FIXED_POINT)) }
}

/** mu and sigma as plain numbers. */
export function fromFixed (r: FixedRating): { mu: number, sigma: number } {
  return { mu: r.mu / FIXED_POINT, sigma: r.sigma / FIXED_POINT }
}

/** The draw chance a game's komi allows: none with a half-point komi, `jigoProbability` with a whole one. */
export function drawProbabilityFor (komi: number, params: RatingParams = defaultRatingParams): number {
  return Number.isInteger(komi) ? params.jigoProbability : 0
}

function env (params: RatingParams, drawProbability: number): TrueSkillEnv {
  return { beta: params.beta, tau: params.tau, drawProbability }
}

function rating (r: FixedRating): MuSigma {
  return fromFixed(r)
}

/**
 * The player's rating after one game: `me` and `opponent` as they stood before it (thousandths),
 * the outcome from `me`'s side, and the komi (which decides whether a draw was possible).
 */
export function rateGame (me: FixedRating, opponent: FixedRating, outcome: Outcome, komi: number, params: RatingParams = defaultRatingParams): FixedRating {
  const e = env(params, drawProbabilityFor(komi, params))
  const a = rating(me)
  const b = rating(opponent)
  // rate1vs1 takes the winner first; in a draw the order does not matter.
  const after = outcome === 'loss' ? rate1vs1(b, a, false, e)[1] : rate1vs1(a, b, outcome === 'draw', e)[0]
  return toFixed(after.mu, after.sigma)
}

/** TrueSkill's match quality for a pairing: the chance of a draw, in (0, 1]; higher is fairer. */
export function matchQuality (a: FixedRating, b: FixedRating, params: RatingParams = defaultRatingParams): number {
  // Quality depends on beta and the two ratings only (no draw margin).
  return quality1vs1(rating(a), rating(b), params.beta)
}
