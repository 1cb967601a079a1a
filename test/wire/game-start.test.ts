import { describe, expect, it } from 'vitest'
import { decodeCanonical } from '../../src/wire/cbor.js'
import { encodeMessage } from '../../src/wire/envelope.js'
import { MalformedMessageError } from '../../src/wire/errors.js'
import { checkEngineInfo, checkRatingClaim, decodeStart, describeEngines, encodeStart, engineLabel, gameIdOf, startToSign, START_MAX_BYTES, START_VERSION, type SignedStart } from '../../src/wire/game-start.js'

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

describe('engine identities', () => {
  it.each([
    { name: 'GNU Go', version: '3.8' },
    { name: 'KataGo', version: '' },
    { name: 'G', version: 'v'.repeat(64) },
    { name: 'é'.repeat(32), version: '1.0' }
  ])('accepts %o', info => {
    expect(checkEngineInfo(info, 'engine')).toEqual(info)
  })

  it.each<[string, unknown, string]>([
    ['an empty name', { name: '', version: '3.8' }, 'engine.name'],
    ['a 65-byte name', { name: 'G'.repeat(65), version: '3.8' }, 'engine.name'],
    ['a name of 33 two-byte characters (66 bytes)', { name: 'é'.repeat(33), version: '3.8' }, 'engine.name'],
    ['a 65-byte version', { name: 'GNU Go', version: '3'.repeat(65) }, 'engine.version'],
    ['a line break in the name', { name: 'GNU\nGo', version: '3.8' }, 'engine.name'],
    ['an escape in the version', { name: 'GNU Go', version: '3.8\u001b[2J' }, 'engine.version'],
    ['no version (an empty one is written, never left out)', { name: 'GNU Go' }, 'engine.version'],
    ['no name', { version: '3.8' }, 'engine.name'],
    ['an extra key', { name: 'GNU Go', version: '3.8', level: 1 }, 'engine.level'],
    ['a name that is not text', { name: 7, version: '3.8' }, 'engine.name'],
    ['not a map', 'GNU Go 3.8', 'engine']
  ])('refuses %s', (_name, info, path) => {
    expect(refusal(() => checkEngineInfo(info, 'engine'))).toBe(path)
  })

  it('labels and describes them as SGF comments show them', () => {
    expect(engineLabel({ name: 'GNU Go', version: '3.8' })).toBe('GNU Go 3.8')
    expect(engineLabel({ name: 'KataGo', version: '' })).toBe('KataGo')
    expect(describeEngines({ B: { name: 'GNU Go', version: '3.8' } })).toBe('engines: B GNU Go 3.8')
    expect(describeEngines({ W: { name: 'KataGo', version: '1.15.3' }, B: { name: 'GNU Go', version: '3.8' } })).toBe('engines: B GNU Go 3.8, W KataGo 1.15.3')
  })
})

describe('the start record\'s engines', () => {
  const gnugo = { name: 'GNU Go', version: '3.8' }
  const katago = { name: 'KataGo', version: '1.15.3' }
  const oneEngine: SignedStart = { ...unrated, engines: { W: gnugo } }
  const twoEngines: SignedStart = { ...rated, engines: { B: katago, W: gnugo } }

  /** The stored record's fields with `engines` set to `engines`, for refusals. */
  function storedWithEngines (engines: unknown): Uint8Array {
    const { v: _v, t: _t, ...fields } = startToSign(unrated)
    return encodeMessage(START_VERSION, 'start', { ...fields, engines, sigs: unrated.sigs })
  }

  it('a game of two people has no engines key at all, so its bytes and game ID are as before', () => {
    expect(Object.hasOwn(startToSign(unrated), 'engines')).toBe(false)
    expect(Object.hasOwn(decodeStart(encodeStart(unrated)), 'engines')).toBe(false)
    // An engines map with no side is no engines at all: never written empty, never undefined.
    const empty = { ...unrated, engines: {} }
    const undef = { ...unrated, engines: { B: undefined, W: undefined } }
    for (const r of [empty, undef, { ...unrated, engines: undefined }]) {
      expect(Object.hasOwn(startToSign(r), 'engines')).toBe(false)
      expect(encodeStart(r)).toEqual(encodeStart(unrated))
      expect(gameIdOf(r).equals(gameIdOf(unrated))).toBe(true)
    }
  })

  it('one engine: only its side is written, and the record round-trips', () => {
    expect(startToSign(oneEngine).engines).toEqual({ W: gnugo })
    expect(Object.hasOwn(startToSign(oneEngine).engines as object, 'B')).toBe(false)
    expect(Object.hasOwn(startToSign({ ...unrated, engines: { B: undefined, W: gnugo } }).engines as object, 'B')).toBe(false)
    const back = decodeStart(encodeStart(oneEngine))
    expect(back).toEqual(oneEngine)
    expect(Object.hasOwn(back.engines!, 'B')).toBe(false)
  })

  it('two engines and ratings round-trip together; the engines are signed, so the game ID changes with them', () => {
    expect(decodeStart(encodeStart(twoEngines))).toEqual(twoEngines)
    expect(gameIdOf(oneEngine).equals(gameIdOf(unrated))).toBe(false)
    expect(gameIdOf({ ...unrated, engines: { B: gnugo } }).equals(gameIdOf(oneEngine))).toBe(false)
    expect(gameIdOf({ ...unrated, engines: { W: { ...gnugo, version: '3.9' } } }).equals(gameIdOf(oneEngine))).toBe(false)
    // Only the identities' own fields are signed.
    const loose = { ...unrated, engines: { W: { ...gnugo, path: '/usr/games/gnugo' } } }
    expect(gameIdOf(loose).equals(gameIdOf(oneEngine))).toBe(true)
  })

  it('the largest record possible stays within the start record\'s size cap', () => {
    const wide = '\u{1f600}'.repeat(32)
    const largest: SignedStart = {
      terms: { size: 25, rules: 'new-zealand', komi: -150.5, handicap: 624, placement: 'free', tc: { kind: 'fischer', mainMs: 86_400_000, incrementMs: 3_600_000, maxMs: 86_400_000 } },
      black: new Uint8Array(64).fill(0xff),
      white: new Uint8Array(64).fill(0xfe),
      nonce: new Uint8Array(16),
      created: Number.MAX_SAFE_INTEGER,
      names: { B: wide, W: wide },
      ratings: { B: { mu: -1_000_000, sigma: 1_000_000 }, W: { mu: -1_000_000, sigma: 1_000_000 } },
      engines: { B: { name: '\u{1f600}'.repeat(16), version: '\u{1f600}'.repeat(16) }, W: { name: '\u{1f600}'.repeat(16), version: '\u{1f600}'.repeat(16) } },
      sigs: unrated.sigs
    }
    const bytes = encodeStart(largest)
    expect(bytes.length).toBeLessThan(START_MAX_BYTES)
    expect(decodeStart(bytes)).toEqual(largest)
  })

  it.each<[string, unknown, string]>([
    ['an empty map', {}, 'engines'],
    ['a third side', { B: gnugo, X: gnugo }, 'engines.X'],
    ['a side that is null', { B: null }, 'engines.B'],
    ['a 65-byte name', { W: { name: 'G'.repeat(65), version: '3.8' } }, 'engines.W.name'],
    ['an empty name', { B: { name: '', version: '3.8' } }, 'engines.B.name'],
    ['an engine with an extra key', { B: { ...gnugo, level: 10 } }, 'engines.B.level'],
    ['an engine with no version', { B: { name: 'GNU Go' } }, 'engines.B.version'],
    ['a list', [gnugo], 'engines'],
    ['null', null, 'engines']
  ])('refuses engines with %s', (_name, engines, path) => {
    expect(refusal(() => decodeStart(storedWithEngines(engines)))).toBe(path)
  })
})

describe('correspondence terms', () => {
  const day = 86_400_000
  const corr = { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day, weekendPause: { utcOffsetMin: 60 } } as const
  const withTc = (tc: unknown): Uint8Array => {
    const { v: _v, t: _t, ...fields } = startToSign(unrated)
    return encodeMessage(START_VERSION, 'start', { ...fields, terms: { ...unrated.terms, tc }, sigs: unrated.sigs })
  }

  it('round-trip in a start record, the pause included; the time control is signed, so the game ID is its own', () => {
    const record: SignedStart = { ...unrated, terms: { ...unrated.terms, tc: corr } }
    expect(decodeStart(encodeStart(record))).toEqual(record)
    const { weekendPause: _w, ...noPause } = corr
    const plain: SignedStart = { ...unrated, terms: { ...unrated.terms, tc: noPause } }
    expect(decodeStart(encodeStart(plain))).toEqual(plain)
    expect(Object.hasOwn(decodeStart(encodeStart(plain)).terms.tc, 'weekendPause')).toBe(false)
    expect(gameIdOf(record).equals(gameIdOf(plain))).toBe(false)
    expect(gameIdOf(plain).equals(gameIdOf(unrated))).toBe(false)
  })

  it.each<[string, unknown, RegExp]>([
    ['a bank below the time per move', { ...corr, maxBankMs: 2 * day }, /maxBankMs must be from 3d to 60d/],
    ['a time per move of 10 minutes', { ...corr, perMoveMs: 600_000 }, /perMoveMs must be from 1h to 30d/],
    ['a pause given as true', { ...corr, weekendPause: true }, /weekendPause must be a map/],
    ['a pause at a half-past offset of 20 minutes', { ...corr, weekendPause: { utcOffsetMin: 20 } }, /steps of 15/],
    ['a key no time control has', { ...corr, days: 3 }, /not part of this message/]
  ])('refuses %s, at terms.tc', (_name, tc, message) => {
    let caught: unknown
    try {
      decodeStart(withTc(tc))
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(MalformedMessageError)
    expect((caught as MalformedMessageError).path).toMatch(/^terms\.tc/)
    expect((caught as MalformedMessageError).message).toMatch(message)
  })
})
