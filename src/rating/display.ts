import { MAX_DAN, MAX_KYU, RANK_STEP } from './constants.js'
import { fromFixed, type FixedRating } from './trueskill.js'
import { defaultRatingParams, type RatingParams } from './params.js'

/** A rating as players see it. */
export interface RatingView {
  readonly mu: number
  /** The uncertainty (TrueSkill's sigma). */
  readonly sigma: number
  /** mu − 3·sigma: the rating the player is 99.9% sure to be above; what ranks and leaderboards use. */
  readonly conservative: number
  /** Too few games to trust (sigma above the provisional threshold). */
  readonly provisional: boolean
  /** Go rank from the conservative rating: '30k' … '1k', '1d' … '9d'. */
  readonly rank: string
}

/** mu − 3·sigma. */
export function conservative (r: FixedRating): number {
  const { mu, sigma } = fromFixed(r)
  return mu - 3 * sigma
}

/**
 * The Go rank of a conservative rating: 30 kyu at 0 or below, one rank up every RANK_STEP points,
 * 1 dan from 30·RANK_STEP (37.5), at most 9 dan. A documented scale, not a calibration against
 * other servers' ranks.
 */
export function rankOf (conservativeRating: number): string {
  const steps = Math.max(0, Math.floor(conservativeRating / RANK_STEP + 1e-9))
  if (steps < MAX_KYU) return `${MAX_KYU - steps}k`
  return `${Math.min(MAX_DAN, steps - MAX_KYU + 1)}d`
}

/** What the screen and `p2pgo rating` show for a rating. */
export function viewOf (r: FixedRating, params: RatingParams = defaultRatingParams): RatingView {
  const { mu, sigma } = fromFixed(r)
  const c = conservative(r)
  return { mu, sigma, conservative: Math.round(c * 1000) / 1000, provisional: sigma > params.provisionalSigma, rank: rankOf(c) }
}

/** The rank as SGF's BR/WR write it: "3k", or "3k?" while provisional (KGS's way of writing an uncertain rank). */
export function rankText (r: FixedRating, params: RatingParams = defaultRatingParams): string {
  const v = viewOf(r, params)
  return v.provisional ? `${v.rank}?` : v.rank
}

/** One line for people: `12.3 ±4.1 (17k, provisional)`. */
export function formatRating (r: FixedRating, params: RatingParams = defaultRatingParams): string {
  const v = viewOf(r, params)
  return `${v.conservative.toFixed(1)} ±${v.sigma.toFixed(1)} (${v.rank}${v.provisional ? ', provisional' : ''})`
}
