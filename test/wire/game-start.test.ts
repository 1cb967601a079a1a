import { describe, expect, it } from 'vitest'
import { decodeCanonical } from '../../src/wire/cbor.js'
import { encodeMessage } from '../../src/wire/envelope.js'
import { MalformedMessageError } from '../../src/wire/errors.js'
import { checkRatingClaim, decodeStart, encodeStart, gameIdOf, startToSign, START_VERSION, type SignedStart } from '../../src/wire/game-start.js'

const unrated: SignedStart = {
  terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } },
  black: Uint8Array.of(0x00, 0x24, 1, 2, 3),
  white: Uint8Array.of(0x00, 0x24, 4, 5, 6),
  nonce: new Uint8Array(16).fill(7),
  created: 1_700_000_000_000,
  names: { B: 'Bob', W: 'Alice' },
  sigs: { B: new Uint8Array(64).fill(1), W: new Uint8Array(64).fill(2) }
}
const rated: SignedStart = { ...unrated, ratings: { B: { mu: 25_000, sigma: 8333 }, W: { mu: -1250, sigma: 1 } } }

/** The stored record's fields with `ratings` replaced, encoded as the stored start is, for refusals. */
function storedWith (ratings: unknown): Uint8Array {
  const { v: _v, t: _t, ...fields } = startToSign(unrated)
  return encodeMessage(START_VERSION, 'start', { ...fields, ratings, sigs: unrated.sigs })
}

/** The schema error's path when decoding refuses the bytes, or 'accepted'. */
function refusal (decode: () => unknown): string {
  try {
    decode()
  } catch (err) {
    if (err instanceof MalformedMessageError && err.reason === 'schema') return err.path
    throw err
  }
  return 'accepted'
}

describe('rating claims', () => {
  it.each([
    { mu: 25_000, sigma: 8333 },
    { mu: -1_000_000, sigma: 1 },
    { mu: 1_000_000, sigma: 1_000_000 },
    { mu: 0, sigma: 1 }
  ])('accepts %o', claim => {
    expect(checkRatingClaim(claim, 'rating')).toEqual(claim)
  })

  it.each<[string, unknown, string]>([
    ['an extra key', { mu: 1, sigma: 2, n: 3 }, 'rating.n'],
    ['mu not an integer', { mu: 25.5, sigma: 8333 }, 'rating.mu'],
    ['mu as text', { mu: '25000', sigma: 8333 }, 'rating.mu'],
    ['mu too low', { mu: -1_000_001, sigma: 8333 }, 'rating.mu'],
    ['mu too high', { mu: 1_000_001, sigma: 8333 }, 'rating.mu'],
    ['sigma 0', { mu: 25_000, sigma: 0 }, 'rating.sigma'],
    ['sigma negative', { mu: 25_000, sigma: -5 }, 'rating.sigma'],
    ['sigma too large', { mu: 25_000, sigma: 1_000_001 }, 'rating.sigma'],
    ['sigma missing', { mu: 25_000 }, 'rating.sigma'],
    ['not a map', [25_000, 8333], 'rating']
  ])('refuses %s', (_name, claim, path) => {
    expect(refusal(() => checkRatingClaim(claim, 'rating'))).toBe(path)
  })
})

describe('the start record\'s ratings', () => {
  it('an unrated record has no ratings key at all, so its game ID is as before', () => {
    expect(Object.hasOwn(startToSign(unrated), 'ratings')).toBe(false)
    expect(Object.hasOwn(decodeCanonical(encodeStart(unrated), { maxBytes: 2048 }) as object, 'ratings')).toBe(false)
    expect(decodeStart(encodeStart(unrated))).toEqual(unrated)
    expect(Object.hasOwn(decodeStart(encodeStart(unrated)), 'ratings')).toBe(false)
  })

  it('a rated record round-trips, and its ratings are signed: the game ID changes with them', () => {
    expect(startToSign(rated).ratings).toEqual(rated.ratings)
    expect(decodeStart(encodeStart(rated))).toEqual(rated)
    expect(gameIdOf(rated).equals(gameIdOf(unrated))).toBe(false)
    const other = { ...rated, ratings: { ...rated.ratings!, W: { mu: -1250, sigma: 2 } } }
    expect(gameIdOf(other).equals(gameIdOf(rated))).toBe(false)
  })

  it('signs the claims\' own fields only, whatever else the objects carry', () => {
    const loose = { ...rated, ratings: { B: { ...rated.ratings!.B, note: 'x' }, W: rated.ratings!.W } }
    expect(gameIdOf(loose).equals(gameIdOf(rated))).toBe(true)
  })

  it.each<[string, unknown, string]>([
    ['only B', { B: { mu: 1, sigma: 1 } }, 'ratings.W'],
    ['a third side', { B: { mu: 1, sigma: 1 }, W: { mu: 1, sigma: 1 }, X: { mu: 1, sigma: 1 } }, 'ratings.X'],
    ['an empty map', {}, 'ratings.B'],
    ['a claim with an extra key', { B: { mu: 1, sigma: 1, n: 1 }, W: { mu: 1, sigma: 1 } }, 'ratings.B.n'],
    ['sigma 0', { B: { mu: 1, sigma: 1 }, W: { mu: 1, sigma: 0 } }, 'ratings.W.sigma'],
    ['null', null, 'ratings']
  ])('refuses ratings with %s', (_name, ratings, path) => {
    expect(refusal(() => decodeStart(storedWith(ratings)))).toBe(path)
  })
})
