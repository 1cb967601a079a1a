import { describe, expect, it } from 'vitest'
import { CHALLENGE_VERSION } from '../../../src/net/challenge/constants.js'
import { decodeChallengeMessage, encodeChallengeMessage, type ChallengeMessage } from '../../../src/net/challenge/messages.js'
import { decodeCanonical } from '../../../src/wire/cbor.js'
import { encodeMessage } from '../../../src/wire/envelope.js'
import { MalformedMessageError } from '../../../src/wire/errors.js'
import { terms13, terms9 } from './nodes.js'

const id = new Uint8Array(16).fill(9)
const sig = new Uint8Array(64).fill(3)
const rating = { mu: 29_396, sigma: 7171 }

/** The decoded message's schema error path, or 'accepted'. */
function refusal (bytes: Uint8Array): string {
  try {
    decodeChallengeMessage(bytes)
  } catch (err) {
    if (err instanceof MalformedMessageError && err.reason === 'schema') return err.path
    throw err
  }
  return 'accepted'
}

/** A message's fields as they go on the wire, `rating` replaced by `value`: for messages the encoder would never make. */
function withRating (m: ChallengeMessage, value: unknown): Uint8Array {
  const { v: _v, t, ...fields } = decodeCanonical(encodeChallengeMessage(m), { maxBytes: 4096 }) as Record<string, unknown>
  return encodeMessage(CHALLENGE_VERSION, t as string, { ...fields, rating: value })
}

const propose: ChallengeMessage = { t: 'propose', id, terms: terms9, color: 'random', name: 'Alice', expires: 1_700_000_090_000 }
const counter: ChallengeMessage = { t: 'counter', id, terms: terms13, color: 'white', name: 'Bob', expires: 1_700_000_090_000 }
const accept: ChallengeMessage = { t: 'accept', id, created: 1_700_000_000_000, name: 'Bob', sig }

describe('challenge messages: the rating claim', () => {
  it.each([propose, counter, accept])('$t: with a rating and without, decodes to what was encoded', m => {
    const rated = { ...m, rating }
    expect(decodeChallengeMessage(encodeChallengeMessage(rated))).toEqual(rated)
    expect(decodeChallengeMessage(encodeChallengeMessage(m))).toEqual(m)
    // Absent means absent: no `rating: undefined` key on either side of the codec.
    expect(Object.hasOwn(decodeCanonical(encodeChallengeMessage(m), { maxBytes: 4096 }) as object, 'rating')).toBe(false)
    expect(Object.hasOwn(decodeChallengeMessage(encodeChallengeMessage(m)), 'rating')).toBe(false)
  })

  it('writes the claim\'s own fields only', () => {
    const loose = { ...propose, rating: { ...rating, note: 'x' } }
    expect(encodeChallengeMessage(loose)).toEqual(encodeChallengeMessage({ ...propose, rating }))
  })

  it.each<[string, unknown, string]>([
    ['an extra key', { mu: 1, sigma: 2, n: 3 }, 'rating.n'],
    ['mu not an integer', { mu: 29.5, sigma: 7171 }, 'rating.mu'],
    ['sigma 0', { mu: 29_396, sigma: 0 }, 'rating.sigma'],
    ['sigma too large', { mu: 29_396, sigma: 1_000_001 }, 'rating.sigma'],
    ['mu too large', { mu: 1_000_001, sigma: 7171 }, 'rating.mu'],
    ['no sigma', { mu: 29_396 }, 'rating.sigma'],
    ['a number, not a map', 29_396, 'rating'],
    ['null', null, 'rating']
  ])('refuses a rating with %s, in propose, counter and accept alike', (_name, value, path) => {
    for (const m of [propose, counter, accept]) expect(refusal(withRating(m, value))).toBe(path)
  })

  it('confirm and decline have no rating', () => {
    expect(refusal(withRating({ t: 'confirm', id, sig }, rating))).toBe('rating')
    expect(refusal(withRating({ t: 'decline', id, reason: 'busy' }, rating))).toBe('rating')
  })
})

describe('challenge messages: the engine', () => {
  const engine = { name: 'GNU Go', version: '3.8' }

  /** A message's fields as they go on the wire, `engine` replaced by `value`. */
  function withEngine (m: ChallengeMessage, value: unknown): Uint8Array {
    const { v: _v, t, ...fields } = decodeCanonical(encodeChallengeMessage(m), { maxBytes: 4096 }) as Record<string, unknown>
    return encodeMessage(CHALLENGE_VERSION, t as string, { ...fields, engine: value })
  }

  it.each([propose, counter, accept])('$t: with an engine and without, decodes to what was encoded', m => {
    const bot = { ...m, engine }
    expect(decodeChallengeMessage(encodeChallengeMessage(bot))).toEqual(bot)
    expect(decodeChallengeMessage(encodeChallengeMessage({ ...bot, rating }))).toEqual({ ...bot, rating })
    expect(decodeChallengeMessage(encodeChallengeMessage({ ...m, engine: { name: 'KataGo', version: '' } }))).toEqual({ ...m, engine: { name: 'KataGo', version: '' } })
    expect(Object.hasOwn(decodeCanonical(encodeChallengeMessage(m), { maxBytes: 4096 }) as object, 'engine')).toBe(false)
    expect(Object.hasOwn(decodeChallengeMessage(encodeChallengeMessage(m)), 'engine')).toBe(false)
  })

  it('writes the engine\'s own fields only', () => {
    expect(encodeChallengeMessage({ ...accept, engine: { ...engine, path: '/usr/games/gnugo' } } as ChallengeMessage)).toEqual(encodeChallengeMessage({ ...accept, engine }))
  })

  it.each<[string, unknown, string]>([
    ['a 65-byte name', { name: 'G'.repeat(65), version: '3.8' }, 'engine.name'],
    ['an empty name', { name: '', version: '3.8' }, 'engine.name'],
    ['a 65-byte version', { name: 'GNU Go', version: '3'.repeat(65) }, 'engine.version'],
    ['a line break', { name: 'GNU Go\n', version: '3.8' }, 'engine.name'],
    ['an extra key', { ...engine, level: 1 }, 'engine.level'],
    ['no version', { name: 'GNU Go' }, 'engine.version'],
    ['text, not a map', 'GNU Go 3.8', 'engine'],
    ['null', null, 'engine']
  ])('refuses an engine with %s, in propose, counter and accept alike', (_name, value, path) => {
    for (const m of [propose, counter, accept]) expect(refusal(withEngine(m, value))).toBe(path)
  })

  it('confirm and decline have no engine', () => {
    expect(refusal(withEngine({ t: 'confirm', id, sig }, engine))).toBe('engine')
    expect(refusal(withEngine({ t: 'decline', id, reason: 'busy' }, engine))).toBe('engine')
  })

  it('the largest proposal possible is under 700 bytes, as protocols/challenge.md says', () => {
    const wide = '\u{1f600}'
    const largest: ChallengeMessage = {
      t: 'counter',
      id,
      terms: { size: 25, rules: 'new-zealand', komi: -150.5, handicap: 9, placement: 'fixed', tc: { kind: 'fischer', mainMs: 86_400_000, incrementMs: 3_600_000, maxMs: 86_400_000 } },
      color: 'random',
      name: wide.repeat(32),
      expires: Number.MAX_SAFE_INTEGER,
      rating: { mu: -1_000_000, sigma: 1_000_000 },
      engine: { name: wide.repeat(16), version: wide.repeat(16) }
    }
    const bytes = encodeChallengeMessage(largest)
    expect(decodeChallengeMessage(bytes)).toEqual(largest)
    expect(bytes.length).toBeLessThan(700)
  })
})

describe('challenge messages: terms no game can start from', () => {
  it.each([
    ['komi 1e300', { komi: 1e300 }, 'terms.komi'],
    ['komi -1e300', { komi: -1e300 }, 'terms.komi'],
    ['komi 1001', { komi: 1001 }, 'terms.komi'],
    ['komi 7.25', { komi: 7.25 }, 'terms.komi'],
    ['80 free handicap stones on 9x9', { handicap: 80, placement: 'free' as const }, 'terms.handicap'],
    ['10 fixed handicap stones on 9x9', { handicap: 10 }, 'terms.handicap'],
    ['2 free handicap stones (no game act places them)', { handicap: 2, placement: 'free' as const }, 'terms.placement'],
    ['a clock of 25 hours', { tc: { kind: 'absolute' as const, mainMs: 25 * 3_600_000 } }, 'terms.tc']
  ])('refuses %s in a propose and a counter, at the field', (_name, bad, path) => {
    for (const t of ['propose', 'counter'] as const) {
      expect(refusal(encodeMessage(CHALLENGE_VERSION, t, { id, terms: { ...terms9, ...bad }, color: 'random', name: 'Alice', expires: 1 }))).toBe(path)
    }
  })

  it('accepts the bounds themselves: komi ±1000, 9 fixed stones on 9x9, free placement of no handicap', () => {
    for (const bad of [{ komi: 1000 }, { komi: -1000 }, { handicap: 9 }, { handicap: 0, placement: 'free' as const }]) {
      expect(refusal(encodeMessage(CHALLENGE_VERSION, 'propose', { id, terms: { ...terms9, ...bad }, color: 'random', name: 'Alice', expires: 1 }))).toBe('accepted')
    }
  })
})
