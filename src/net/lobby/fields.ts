// The field checks the lobby's messages share, version 1 and version 2 (protocols/lobby.md): names,
// board sizes, ratings, rating ranges, seek terms, and their plain-map forms for the encoders.
// Pure, like the codecs that use them.
import { checkAgreedTerms } from '../challenge/terms.js'
import { MalformedMessageError, asMap, at, bytes, field, int, noExtraKeys, oneOf, optional, text } from '../../wire/index.js'
import { LOBBY_SIZES, MAX_ABS_MU, MAX_ABS_RANGE, MAX_SIGMA, NAME_MAX_CHARS } from './constants.js'
import type { LobbyRating, LobbyRatings, LobbySize, RatingRange } from './messages.js'
import type { GameTerms } from '../../wire/game-start.js'
import type { CborMap, Check } from '../../wire/index.js'

/** A peer ID's multihash is 2 to 64 bytes (identity-hashed Ed25519 keys are 38), as in start records. */
export const peerBytes = bytes({ min: 2, max: 64 })

export function schema (path: string, detail: string): never {
  throw new MalformedMessageError('schema', path, detail)
}

/**
 * One line people read, as a display name is: 1 to `maxChars` characters (code points, at most
 * 4 UTF-8 bytes each), not only spaces, no control characters. `noun` names it in refusals.
 */
export function displayLine (maxChars: number, noun: string): Check<string> {
  const maxBytes = maxChars * 4
  return (value, path) => {
    const line = text(maxBytes)(value, path)
    if ([...line].length > maxChars) schema(path, `a ${noun} has at most ${maxChars} characters`)
    if (line.trim() === '') schema(path, `a ${noun} must not be empty`)
    // \p{Cc} covers C0, DEL and C1: C1 holds CSI (0x9b), which some terminals obey as an escape.
    if (/\p{Cc}/u.test(line)) schema(path, `a ${noun} must not contain control characters`)
    return line
  }
}

/** A display name: 1 to 32 characters, not only spaces, no control characters (names reach other players' terminals). */
export const displayName: Check<string> = displayLine(NAME_MAX_CHARS, 'name')

/** Board sizes: a subset of 9, 13, 19 with at least `min` sizes, sorted and without repeats (one encoding per set). */
export function sizeSetOf (min: number): Check<LobbySize[]> {
  return (value, path) => {
    if (!Array.isArray(value)) schema(path, 'expected an array of board sizes')
    if (value.length < min || value.length > LOBBY_SIZES.length) schema(path, `expected ${min} to ${LOBBY_SIZES.length} board sizes`)
    const sizes = value.map((s, i) => oneOf(...LOBBY_SIZES)(s, at(path, i)))
    for (let i = 1; i < sizes.length; i++) {
      if (sizes[i] <= sizes[i - 1]) schema(at(path, i), 'board sizes must be in increasing order, each once')
    }
    return sizes
  }
}

/** Board sizes: a non-empty subset of 9, 13, 19, sorted and without repeats. */
export const sizeSet: Check<LobbySize[]> = sizeSetOf(1)

/** A finite number (whole or not) within ±`limit`. */
export function finite (limit: number): Check<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
      schema(path, `expected a number from ${-limit} to ${limit}`)
    }
    return value
  }
}

export const rating: Check<LobbyRating> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['mu', 'sigma'], path)
  const mu = field(map, 'mu', finite(MAX_ABS_MU), path)
  const sigma = field(map, 'sigma', finite(MAX_SIGMA), path)
  if (sigma <= 0) schema(at(path, 'sigma'), 'sigma must be above 0')
  return { mu, sigma }
}

/** Ratings by size; an empty map is refused, since "no ratings" is written by leaving the field out. */
export const ratingMap: Check<LobbyRatings> = (value, path) => {
  const map = asMap(value, path)
  const keys = LOBBY_SIZES.map(String)
  noExtraKeys(map, keys, path)
  if (Object.keys(map).length === 0) schema(path, 'leave the field out instead of sending no ratings')
  const out: Partial<Record<LobbySize, LobbyRating>> = {}
  for (const size of LOBBY_SIZES) {
    const r = optional(map, String(size), rating, path)
    if (r != null) out[size] = r
  }
  return out
}

/** A rating range with at least one end, min ≤ max. */
export const ratingRange: Check<RatingRange> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['min', 'max'], path)
  const min = optional(map, 'min', int(-MAX_ABS_RANGE, MAX_ABS_RANGE), path)
  const max = optional(map, 'max', int(-MAX_ABS_RANGE, MAX_ABS_RANGE), path)
  if (min == null && max == null) schema(path, 'leave the field out instead of sending an open range')
  if (min != null && max != null && min > max) schema(at(path, 'min'), 'min must not be above max')
  return { ...(min != null ? { min } : {}), ...(max != null ? { max } : {}) }
}

/**
 * Game terms as a challenge checks them (the wire's shape and the game core's bounds: a seek
 * nobody could start a game from is refused here, before anyone answers it), plus one rule
 * `checkTerms` leaves out: the time control carries only the fields its kind uses (`checkTerms`
 * drops `mainMs` from a `none` clock silently, and a signed message must not carry meaning no
 * one checked).
 */
export function seekTerms (map: CborMap, path: string): GameTerms {
  const terms = checkAgreedTerms(map, path)
  const tc = asMap(map.tc, at(path, 'tc'))
  for (const key of Object.keys(tc)) {
    if (!Object.hasOwn(terms.tc, key)) schema(at(at(path, 'tc'), key), `the field is not used by a "${terms.tc.kind}" time control`)
  }
  return terms
}

/** A time control as a plain map with only its defined fields (callers may hand in `maxMs: undefined`). */
export function termsMap (terms: GameTerms): Record<string, unknown> {
  const tc = Object.fromEntries(Object.entries(terms.tc).filter(([, v]) => v !== undefined))
  return { size: terms.size, rules: terms.rules, komi: terms.komi, handicap: terms.handicap, placement: terms.placement, tc }
}

/** A rating range as a plain map with only the ends it has. */
export function rangeMap (range: RatingRange): Record<string, unknown> {
  return { ...(range.min != null ? { min: range.min } : {}), ...(range.max != null ? { max: range.max } : {}) }
}

/** Ratings as a plain map with only the sizes that have one. */
export function ratingsMap (ratings: LobbyRatings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ratings).filter(([, r]) => r != null).map(([size, r]) => [size, { mu: r.mu, sigma: r.sigma }]))
}

