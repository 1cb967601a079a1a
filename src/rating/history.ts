// A player's rating history: per board size, the rating after each rated game, rebuilt from the
// co-signed results the player holds in the order the games finished, exactly as the rating
// service applied them (a result that did not count then does not count here). Pure: the caller
// reads the results and checks their signatures.
import { RATED_SIZES } from './constants.js'
import { applyResult, type RatingBook } from './rating-book.js'
import { viewOf } from './display.js'
import { defaultRatingParams, type RatingParams } from './params.js'
import type { CosignedResult } from './cosigned-result.js'
import type { FixedRating } from './trueskill.js'
import type { RatedSize } from './rating-record.js'

/** A finished game's co-signed result, when it finished, and its game ID. */
export interface FinishedResult {
  readonly result: CosignedResult
  /** When both signatures were in, ms since the epoch. */
  readonly at: number
  readonly game: string
}

/** The rating after one rated game. */
export interface HistoryPoint {
  readonly at: number
  readonly rating: FixedRating
  readonly game: string
}

/** Per rated size, the rating after each rated game, oldest first (a size with no rated game is absent). */
export type RatingHistory = Readonly<Partial<Record<RatedSize, readonly HistoryPoint[]>>>

/**
 * Replays `me`'s finished games (peer ID multihash bytes) from a newcomer's ratings in the order
 * they finished: each one that applies adds a point to its size.
 */
export function ratingHistory (games: readonly FinishedResult[], me: Uint8Array, params: RatingParams = defaultRatingParams): RatingHistory {
  let book: RatingBook = {}
  const out: Partial<Record<RatedSize, HistoryPoint[]>> = {}
  const ordered = [...games].sort((a, b) => a.at - b.at || a.result.start.created - b.result.start.created)
  for (const g of ordered) {
    const applied = applyResult(book, me, g.result, params)
    if (!applied.applied) continue
    book = applied.book
    ;(out[applied.size] ??= []).push({ at: g.at, rating: applied.after, game: g.game })
  }
  return out
}

/** The size a history is shown for when none is asked: the one with most rated games (the smallest of a tie; 9 when there are none). */
export function busiestSize (history: RatingHistory): RatedSize {
  let best: RatedSize = RATED_SIZES[0]
  for (const size of RATED_SIZES) if ((history[size]?.length ?? 0) > (history[best]?.length ?? 0)) best = size
  return best
}

/** One size's history as `p2pgo rating --history --json` prints it: a public contract. */
export interface HistoryJson {
  readonly size: RatedSize
  readonly points: ReadonlyArray<{ readonly at: string, readonly mu: number, readonly sigma: number, readonly conservative: number, readonly game: string }>
}

/** A size's history in the published shape: the time as ISO text, mu, sigma and mu − 3·sigma in rating points. */
export function historyJson (history: RatingHistory, size: RatedSize, params: RatingParams = defaultRatingParams): HistoryJson {
  return {
    size,
    points: (history[size] ?? []).map(p => {
      const v = viewOf(p.rating, params)
      return { at: new Date(p.at).toISOString(), mu: v.mu, sigma: v.sigma, conservative: v.conservative, game: p.game }
    })
  }
}
