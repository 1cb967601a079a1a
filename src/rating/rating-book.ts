// A player's own ratings: the state a node keeps and publishes. Pure: applying a co-signed
// result gives a new book; the node persists it.
import { MAX_CITED, RATED_SIZES } from './constants.js'
import { changeFrom } from './audit.js'
import { cosignedResultId, type CosignedResult } from './cosigned-result.js'
import { initialRating, type FixedRating } from './trueskill.js'
import { defaultRatingParams, type RatingParams } from './params.js'
import type { RatedSize, SizeRating } from './rating-record.js'
import type { RatingProblem } from './errors.js'

/** Ratings per board size; a size with no rated game yet is absent (the initial rating applies). */
export type RatingBook = Readonly<Partial<Record<RatedSize, SizeRating>>>

/** Whether a board size has a rating. */
export function isRatedSize (size: number): size is RatedSize {
  return (RATED_SIZES as readonly number[]).includes(size)
}

/** The rating on a size: its current one, or a newcomer's. */
export function ratingOn (book: RatingBook, size: RatedSize, params: RatingParams = defaultRatingParams): FixedRating {
  return book[size]?.rating ?? initialRating(params)
}

/** What applying a result did. */
export type Applied =
  | { readonly applied: true, readonly book: RatingBook, readonly size: RatedSize, readonly before: FixedRating, readonly after: FixedRating }
  | { readonly applied: false, readonly reason: RatingProblem | 'not-current' | 'already-applied', readonly detail: string }

/**
 * Applies a verified co-signed result to `me`'s book. It counts only if it is a rated game on a
 * rated size that `me` played, not applied before, and it started from `me`'s current rating on
 * that size (a game agreed while another rated game was running would break the audit chain).
 */
export function applyResult (book: RatingBook, me: Uint8Array, r: CosignedResult, params: RatingParams = defaultRatingParams): Applied {
  const size = r.start.terms.size
  if (!isRatedSize(size)) return { applied: false, reason: 'wrong-size', detail: `${size}x${size} is not rated` }
  const change = changeFrom(r, me, params)
  if ('problem' in change) return { applied: false, reason: change.problem, detail: change.detail }
  const current = book[size]
  const id = cosignedResultId(r)
  if (current?.cited.some(c => c.result.equals(id)) === true) return { applied: false, reason: 'already-applied', detail: id.toString() }
  const now = ratingOn(book, size, params)
  if (change.before.mu !== now.mu || change.before.sigma !== now.sigma) {
    return { applied: false, reason: 'not-current', detail: `the game started from ${change.before.mu}/${change.before.sigma}, the rating is ${now.mu}/${now.sigma}` }
  }
  const next: SizeRating = {
    rating: change.after,
    games: (current?.games ?? 0) + 1,
    cited: [...(current?.cited ?? []), { result: id, after: change.after }].slice(-MAX_CITED)
  }
  return { applied: true, book: { ...book, [size]: next }, size, before: change.before, after: change.after }
}
