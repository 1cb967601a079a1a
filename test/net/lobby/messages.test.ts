import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { LOBBY_MAX_BYTES, MAX_TTL, TTL } from '../../../src/net/lobby/constants.js'
import { LobbyMessageError } from '../../../src/net/lobby/errors.js'
import { checkLobbyMessage, decodeLobbyMessage, encodeLobbyMessage, type CancelMessage, type LobbyMessage, type PresenceMessage, type SeekMessage } from '../../../src/net/lobby/messages.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { WireError } from '../../../src/wire/errors.js'
import type { GameTerms } from '../../../src/wire/game-start.js'

const now = 1_767_225_600_000
const me = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
const id = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)
const terms: GameTerms = { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 600_000, periodMs: 30_000, periods: 5 } }

const presence: PresenceMessage = { t: 'presence', peer: me, name: 'Alice', sizes: [9, 19], ratings: { 9: { mu: 29.396, sigma: 7.171 }, 19: { mu: 25, sigma: 8.5 } }, status: 'idle', expires: now + TTL, seq: 7 }
const seek: SeekMessage = { t: 'seek', peer: me, id, terms, color: 'random', range: { min: 20, max: 35 }, expires: now + TTL, seq: 8 }
const cancel: CancelMessage = { t: 'cancel', peer: me, id, seq: 9 }

/** The wire map of a message, to break one field at a time. */
function wire (msg: LobbyMessage): Record<string, unknown> {
  const { t, ...fields } = msg
  return { v: 1, t, ...fields }
}

/** What the decoder makes of a raw map: 'ok', or the reason and path it refuses it with. */
function verdict (map: unknown): string {
  try {
    decodeLobbyMessage(encodeCanonical(map))
    return 'ok'
  } catch (err) {
    if (err instanceof WireError) return 'path' in err && err.path !== '' ? `${err.reason} at ${String(err.path)}` : err.reason
    throw err
  }
}

/** Removes a key from a map, for "missing field" cases. */
function without (map: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _gone, ...rest } = map
  return rest
}

describe('lobby codec: valid messages', () => {
  it.each<[string, LobbyMessage]>([
    ['presence', presence],
    ['presence without ratings', { ...presence, ratings: undefined } as unknown as PresenceMessage],
    ['presence, one size, playing', { ...presence, sizes: [13], status: 'playing', ratings: { 13: { mu: -3.5, sigma: 100 } } }],
    ['seek', seek],
    ['seek without range, only a minimum', { ...seek, range: { min: -10_000 } }],
    ['seek, untimed, handicap, white', { ...seek, color: 'white', terms: { ...terms, size: 9, handicap: 3, komi: 0.5, tc: { kind: 'none' } } }],
    ['seek, Fischer without a cap', { ...seek, terms: { ...terms, tc: { kind: 'fischer', mainMs: 60_000, incrementMs: 5000 } } }],
    ['seek, correspondence with a weekend pause', { ...seek, terms: { ...terms, tc: { kind: 'correspondence', perMoveMs: 3 * 86_400_000, maxBankMs: 7 * 86_400_000, weekendPause: { utcOffsetMin: -300 } } } }],
    ['cancel', cancel]
  ])('%s survives encode and decode', (_name, msg) => {
    const decoded = decodeLobbyMessage(encodeLobbyMessage(msg))
    // Optional fields handed in as undefined are left out, never sent as values.
    const expected = Object.fromEntries(Object.entries(msg).filter(([, v]) => v !== undefined))
    expect(decoded).toEqual(expected)
    expect(encodeLobbyMessage(decoded)).toEqual(encodeLobbyMessage(msg))
  })

  it('accepts a name of 32 four-byte characters, and a time control with maxMs: undefined', () => {
    expect(verdict({ ...wire(presence), name: '😀'.repeat(32) })).toBe('ok')
    const fischer = { kind: 'fischer', mainMs: 60_000, incrementMs: 5000, maxMs: undefined } as const
    expect(decodeLobbyMessage(encodeLobbyMessage({ ...seek, terms: { ...terms, tc: fischer } }))).toMatchObject({ terms: { tc: { kind: 'fischer', mainMs: 60_000, incrementMs: 5000 } } })
  })
})

describe('lobby codec: refused shapes', () => {
  const p = wire(presence)
  const s = wire(seek)
  const c = wire(cancel)

  it.each<[string, unknown, string]>([
    // envelope
    ['not a map', [1, 2], 'schema'],
    ['version missing', without(p, 'v'), 'schema at v'],
    ['version 2', { ...p, v: 2 }, 'unknown-version'],
    ['version 0', { ...p, v: 0 }, 'unknown-version'],
    ['version as text', { ...p, v: '1' }, 'schema at v'],
    ['type missing', without(p, 't'), 'schema at t'],
    ['unknown type', { ...p, t: 'chat' }, 'unknown-type at t'],
    ['type as a number', { ...p, t: 1 }, 'schema at t'],
    // presence
    ['presence: unknown key', { ...p, admin: true }, 'schema at admin'],
    ['presence: signature-like key', { ...p, sig: new Uint8Array(64) }, 'schema at sig'],
    ...['peer', 'name', 'sizes', 'status', 'expires', 'seq'].map(k => [`presence: ${k} missing`, without(p, k), `schema at ${k}`] as [string, unknown, string]),
    ['presence: peer as text', { ...p, peer: 'QmPeer' }, 'schema at peer'],
    ['presence: peer of 1 byte', { ...p, peer: Uint8Array.of(0) }, 'schema at peer'],
    ['presence: peer of 65 bytes', { ...p, peer: new Uint8Array(65) }, 'schema at peer'],
    ['presence: name a number', { ...p, name: 5 }, 'schema at name'],
    ['presence: name empty', { ...p, name: '' }, 'schema at name'],
    ['presence: name only spaces', { ...p, name: '   ' }, 'schema at name'],
    ['presence: name of 33 characters', { ...p, name: 'a'.repeat(33) }, 'schema at name'],
    ['presence: name over 128 bytes', { ...p, name: '😀'.repeat(33) }, 'schema at name'],
    ['presence: name with BEL', { ...p, name: 'Al\u0007ice' }, 'schema at name'],
    ['presence: name with a newline', { ...p, name: 'Al\nice' }, 'schema at name'],
    ['presence: name with DEL', { ...p, name: 'Al\u007fice' }, 'schema at name'],
    ['presence: name with C1 CSI', { ...p, name: 'Al\u009b2Jice' }, 'schema at name'],
    ['presence: sizes empty', { ...p, sizes: [] }, 'schema at sizes'],
    ['presence: sizes not an array', { ...p, sizes: 9 }, 'schema at sizes'],
    ['presence: sizes unsorted', { ...p, sizes: [19, 9] }, 'schema at sizes[1]'],
    ['presence: sizes repeated', { ...p, sizes: [9, 9] }, 'schema at sizes[1]'],
    ['presence: sizes too many', { ...p, sizes: [9, 13, 19, 19] }, 'schema at sizes'],
    ['presence: size 7', { ...p, sizes: [7] }, 'schema at sizes[0]'],
    ['presence: size as text', { ...p, sizes: ['9'] }, 'schema at sizes[0]'],
    ['presence: size 9.5', { ...p, sizes: [9.5] }, 'schema at sizes[0]'],
    ['presence: ratings empty', { ...p, ratings: {} }, 'schema at ratings'],
    ['presence: ratings an array', { ...p, ratings: [] }, 'schema at ratings'],
    ['presence: ratings for size 7', { ...p, ratings: { 7: { mu: 25, sigma: 8 } } }, 'schema at ratings.7'],
    ['presence: rating not a map', { ...p, ratings: { 9: 25 } }, 'schema at ratings.9'],
    ['presence: rating without sigma', { ...p, ratings: { 9: { mu: 25 } } }, 'schema at ratings.9.sigma'],
    ['presence: rating with an extra key', { ...p, ratings: { 9: { mu: 25, sigma: 8, n: 3 } } }, 'schema at ratings.9.n'],
    ['presence: sigma 0', { ...p, ratings: { 9: { mu: 25, sigma: 0 } } }, 'schema at ratings.9.sigma'],
    ['presence: sigma negative', { ...p, ratings: { 9: { mu: 25, sigma: -1 } } }, 'schema at ratings.9.sigma'],
    ['presence: sigma 100.5', { ...p, ratings: { 9: { mu: 25, sigma: 100.5 } } }, 'schema at ratings.9.sigma'],
    ['presence: mu 1000.5', { ...p, ratings: { 9: { mu: 1000.5, sigma: 8 } } }, 'schema at ratings.9.mu'],
    ['presence: mu -1001', { ...p, ratings: { 9: { mu: -1001, sigma: 8 } } }, 'schema at ratings.9.mu'],
    ['presence: mu as text', { ...p, ratings: { 9: { mu: '25', sigma: 8 } } }, 'schema at ratings.9.mu'],
    ['presence: status away', { ...p, status: 'away' }, 'schema at status'],
    ['presence: status a number', { ...p, status: 0 }, 'schema at status'],
    ['presence: expires negative', { ...p, expires: -1 }, 'schema at expires'],
    ['presence: expires a fraction', { ...p, expires: now + 0.5 }, 'schema at expires'],
    ['presence: expires as text', { ...p, expires: 'soon' }, 'schema at expires'],
    ['presence: seq negative', { ...p, seq: -1 }, 'schema at seq'],
    ['presence: seq null', { ...p, seq: null }, 'schema at seq'],
    // seek
    ['seek: unknown key', { ...s, note: 'hi' }, 'schema at note'],
    ...['peer', 'id', 'terms', 'color', 'expires', 'seq'].map(k => [`seek: ${k} missing`, without(s, k), `schema at ${k}`] as [string, unknown, string]),
    ['seek: komi 1e300 (the game core\'s bound is 1000)', { ...s, terms: { ...terms, komi: 1e300 } }, 'schema at terms.komi'],
    ['seek: komi -1001', { ...s, terms: { ...terms, komi: -1001 } }, 'schema at terms.komi'],
    ['seek: 80 free handicap stones on 9x9', { ...s, terms: { ...terms, size: 9, handicap: 80, placement: 'free' } }, 'schema at terms.handicap'],
    ['seek: 10 fixed handicap stones on 19x19', { ...s, terms: { ...terms, handicap: 10 } }, 'schema at terms.handicap'],
    ['seek: id of 7 bytes', { ...s, id: new Uint8Array(7) }, 'schema at id'],
    ['seek: id of 9 bytes', { ...s, id: new Uint8Array(9) }, 'schema at id'],
    ['seek: id as text', { ...s, id: '0102030405060708' }, 'schema at id'],
    ['seek: terms not a map', { ...s, terms: 'even' }, 'schema at terms'],
    ['seek: terms with an extra key', { ...s, terms: { ...terms, private: true } }, 'schema at terms.private'],
    ['seek: size 1', { ...s, terms: { ...terms, size: 1 } }, 'schema at terms.size'],
    ['seek: size 26', { ...s, terms: { ...terms, size: 26 } }, 'schema at terms.size'],
    ['seek: rules korean', { ...s, terms: { ...terms, rules: 'korean' } }, 'schema at terms.rules'],
    ['seek: komi 6.3', { ...s, terms: { ...terms, komi: 6.3 } }, 'schema at terms.komi'],
    ['seek: handicap negative', { ...s, terms: { ...terms, handicap: -1 } }, 'schema at terms.handicap'],
    ['seek: placement random', { ...s, terms: { ...terms, placement: 'random' } }, 'schema at terms.placement'],
    ['seek: tc missing', { ...s, terms: without(terms as unknown as Record<string, unknown>, 'tc') }, 'schema at terms.tc'],
    ['seek: tc kind blitz', { ...s, terms: { ...terms, tc: { kind: 'blitz' } } }, 'schema at terms.tc'],
    ['seek: tc with an unknown key', { ...s, terms: { ...terms, tc: { ...terms.tc, bonus: 1 } } }, 'schema at terms.tc.bonus'],
    ['seek: untimed clock with a main time', { ...s, terms: { ...terms, tc: { kind: 'none', mainMs: 60_000 } } }, 'schema at terms.tc.mainMs'],
    ['seek: byo-yomi with an increment', { ...s, terms: { ...terms, tc: { ...terms.tc, incrementMs: 1000 } } }, 'schema at terms.tc.incrementMs'],
    ['seek: byo-yomi period of 0', { ...s, terms: { ...terms, tc: { ...terms.tc, periodMs: 0 } } }, 'schema at terms.tc'],
    ['seek: correspondence with a main time', { ...s, terms: { ...terms, tc: { kind: 'correspondence', perMoveMs: 86_400_000, maxBankMs: 86_400_000, mainMs: 1000 } } }, 'schema at terms.tc.mainMs'],
    ['seek: correspondence of 2 months a move', { ...s, terms: { ...terms, tc: { kind: 'correspondence', perMoveMs: 60 * 86_400_000, maxBankMs: 60 * 86_400_000 } } }, 'schema at terms.tc'],
    ['seek: color green', { ...s, color: 'green' }, 'schema at color'],
    ['seek: range empty', { ...s, range: {} }, 'schema at range'],
    ['seek: range not a map', { ...s, range: [20, 35] }, 'schema at range'],
    ['seek: range with an unknown key', { ...s, range: { min: 1, mid: 3 } }, 'schema at range.mid'],
    ['seek: range min a fraction', { ...s, range: { min: 1.5 } }, 'schema at range.min'],
    ['seek: range min above max', { ...s, range: { min: 30, max: 20 } }, 'schema at range.min'],
    ['seek: range max too high', { ...s, range: { max: 10_001 } }, 'schema at range.max'],
    ['seek: expires negative', { ...s, expires: -5 }, 'schema at expires'],
    // cancel
    ['cancel: unknown key', { ...c, reason: 'bored' }, 'schema at reason'],
    ['cancel: expires is not a cancel field', { ...c, expires: now + TTL }, 'schema at expires'],
    ...['peer', 'id', 'seq'].map(k => [`cancel: ${k} missing`, without(c, k), `schema at ${k}`] as [string, unknown, string]),
    ['cancel: id of 0 bytes', { ...c, id: new Uint8Array(0) }, 'schema at id'],
    ['cancel: seq a fraction', { ...c, seq: 1.5 }, 'schema at seq']
  ])('%s', (_name, map, expected) => {
    expect(verdict(map)).toBe(expected)
  })

  it('refuses bytes that are not canonical CBOR before looking at the fields', () => {
    const bytes = encodeLobbyMessage(presence)
    expect(() => decodeLobbyMessage(Uint8Array.of(0xff, 0xfe, 0x00))).toThrow(expect.objectContaining({ reason: 'not-cbor' }))
    expect(() => decodeLobbyMessage(new Uint8Array(0))).toThrow(expect.objectContaining({ reason: 'not-cbor' }))
    expect(() => decodeLobbyMessage(Uint8Array.of(...bytes, 0x00))).toThrow(expect.objectContaining({ reason: 'not-cbor' }))
    // The same map with its first two entries swapped: "t": "presence" (11 bytes), then "v": 1 (3 bytes).
    const tEntry = bytes.slice(1, 12)
    const vEntry = bytes.slice(12, 15)
    expect(vEntry).toEqual(Uint8Array.of(0x61, 0x76, 0x01))
    const swapped = Uint8Array.of(bytes[0], ...vEntry, ...tEntry, ...bytes.slice(15))
    expect(() => decodeLobbyMessage(swapped)).toThrow(expect.objectContaining({ reason: 'not-canonical' }))
  })

  it('refuses a message over 4 KiB before decoding it, and reads one of exactly 4 KiB', () => {
    /** A presence padded with an extra byte string so the whole is `size` bytes. */
    const padded = (size: number): Uint8Array => {
      const base = encodeCanonical({ ...p, pad: new Uint8Array(0) }).length
      // A byte string's header grows from 1 to 3 bytes once it holds 256 bytes or more.
      return encodeCanonical({ ...p, pad: new Uint8Array(size - base - 2) })
    }
    expect(padded(LOBBY_MAX_BYTES)).toHaveLength(LOBBY_MAX_BYTES)
    expect(padded(LOBBY_MAX_BYTES + 1)).toHaveLength(LOBBY_MAX_BYTES + 1)
    expect(() => decodeLobbyMessage(padded(LOBBY_MAX_BYTES))).toThrow(expect.objectContaining({ reason: 'schema', path: 'pad' }))
    expect(() => decodeLobbyMessage(padded(LOBBY_MAX_BYTES + 1))).toThrow(expect.objectContaining({ reason: 'too-large' }))
  })
})

describe('lobby rules: signer and expiry', () => {
  /** The reason `checkLobbyMessage` refuses a message for, or 'ok'. */
  function check (msg: LobbyMessage, from: Uint8Array = me, at: number = now): string {
    try {
      checkLobbyMessage(msg, { from, now: at })
      return 'ok'
    } catch (err) {
      if (err instanceof LobbyMessageError) return err.reason
      throw err
    }
  }

  it('accepts each kind from its own peer within the window', () => {
    expect(check(presence)).toBe('ok')
    expect(check(seek)).toBe('ok')
    expect(check(cancel)).toBe('ok')
  })

  it('refuses a message that speaks for another peer than its signer', () => {
    expect(check(presence, other)).toBe('wrong-peer')
    expect(check(seek, other)).toBe('wrong-peer')
    expect(check(cancel, other)).toBe('wrong-peer')
  })

  it.each<[string, number, string]>([
    ['a millisecond ago', now - 1, 'expired'],
    ['exactly now', now, 'expired'],
    ['a millisecond from now', now + 1, 'ok'],
    ['exactly MAX_TTL ahead', now + MAX_TTL, 'ok'],
    ['a millisecond past MAX_TTL', now + MAX_TTL + 1, 'expires-too-far'],
    ['a year ahead', now + 365 * 24 * 3600 * 1000, 'expires-too-far']
  ])('expires %s', (_name, expires, expected) => {
    expect(check({ ...presence, expires })).toBe(expected)
    expect(check({ ...seek, expires })).toBe(expected)
  })

  it('gives a cancel no expiry to check', () => {
    expect(check(cancel, me, Number.MAX_SAFE_INTEGER)).toBe('ok')
  })
})
