// The version 2 codec beyond the vectors: every type round-trips through encodeLobbyV2 and
// checkLobbyV2; each schema rule and each semantic check refuses with its reason and path; the
// encoder refuses what receivers would, naming the field.
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { InvalidLobbyEntryError } from '../../../../src/net/lobby/errors.js'
import { CENSUS_PERIOD } from '../../../../src/net/lobby/v2/limits.js'
import { checkLobbyV2, encodeLobbyV2, lobbyV2Fields, type CheckV2Options, type UnsignedLobbyV2Message } from '../../../../src/net/lobby/v2/messages.js'
import { lobbyV2Domain } from '../../../../src/net/lobby/v2/sign.js'
import { encodeCanonical } from '../../../../src/wire/cbor.js'
import { sign } from '../../../../src/wire/signing.js'
import type { GameTerms } from '../../../../src/wire/game-start.js'
import type { PrivateKey } from '@libp2p/interface'

const now = 1_767_225_600_000
const maxTtl = 390_000
const key = await generateKeyPair('Ed25519')
const otherKey = await generateKeyPair('Ed25519')
const meId = peerIdFromPrivateKey(key)
const otherId = peerIdFromPrivateKey(otherKey)
const me = meId.toMultihash().bytes
const id = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)
const terms: GameTerms = { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 600_000, periodMs: 30_000, periods: 5 } }
const period = Math.floor(now / CENSUS_PERIOD)

const presence: UnsignedLobbyV2Message = { t: 'presence', peer: me, name: 'Alice', sizes: [9], ratings: { 9: { mu: 29.396, sigma: 7.171 } }, expires: now + 90_000, seq: 7 }
const messages: Record<string, UnsignedLobbyV2Message> = {
  presence,
  seek: { t: 'seek', peer: me, id, terms, color: 'random', range: { min: 20 }, expires: now + 90_000, seq: 8 },
  cancel: { t: 'cancel', peer: me, id, seq: 9 },
  leave: { t: 'leave', peer: me, seq: 10 },
  census: { t: 'census', peer: me, state: 'online', sizes: [], period, p: 1 }
}

/** The bytes of `fields` signed by `signer` in the domain of their type, whatever they hold (to build what a hostile peer sends). */
async function signedRaw (fields: Record<string, unknown>, signer: PrivateKey = key): Promise<Uint8Array> {
  return encodeCanonical(await sign(signer, lobbyV2Domain(String(fields.t)), fields))
}

/** What checkLobbyV2 makes of the bytes: 'ok', or the reason (and path for a schema refusal). */
async function verdict (bytes: Uint8Array, opts: CheckV2Options = { maxTtl }, at = now): Promise<string> {
  const checked = await checkLobbyV2(bytes, at, opts)
  if (!('error' in checked)) return 'ok'
  const e = checked.error
  return 'path' in e && e.path !== '' ? `${e.reason} at ${String(e.path)}` : e.reason
}

async function recordOf (signer: PrivateKey, addresses: number): Promise<Uint8Array> {
  const peerId = peerIdFromPrivateKey(signer)
  const multiaddrs = Array.from({ length: addresses }, (_, i) => multiaddr(`/ip4/203.0.113.${i + 1}/tcp/4001/p2p/${otherId.toString()}/p2p-circuit`))
  return (await RecordEnvelope.seal(new PeerRecord({ peerId, multiaddrs, seqNumber: BigInt(now) }), signer)).marshal()
}

describe('lobby v2 messages', () => {
  it.each(Object.keys(messages))('a %s round-trips: signed, accepted from its author by gossip and without a sender', async (name) => {
    const bytes = await encodeLobbyV2(messages[name], key)
    for (const opts of [{ maxTtl }, { maxTtl, from: meId }]) {
      const checked = await checkLobbyV2(bytes, now, opts)
      if ('error' in checked) throw checked.error
      const { sig, ...fields } = checked.message
      expect(fields).toEqual(messages[name])
      expect(sig).toHaveLength(64)
    }
  })

  it.each(Object.keys(messages))('a %s from another peer by gossip is refused as wrong-peer', async (name) => {
    expect(await verdict(await encodeLobbyV2(messages[name], key), { maxTtl, from: otherId })).toBe('wrong-peer')
  })

  it.each(Object.keys(messages))('a %s whose signature is another key\'s is refused as wrong', async (name) => {
    expect(await verdict(await signedRaw(lobbyV2Fields(messages[name]), otherKey))).toBe('wrong')
  })

  it('a signature is bound to its type: a cancel signed in the domain of a seek is refused', async () => {
    const fields = lobbyV2Fields(messages.cancel)
    expect(await verdict(encodeCanonical(await sign(key, 'lobby/seek', fields)))).toBe('wrong')
  })

  it.each([
    ['presence with status', { ...lobbyV2Fields(presence), status: 'idle' }, 'schema at status'],
    ['presence with no sizes', { ...lobbyV2Fields(presence), sizes: [] }, 'schema at sizes'],
    ['presence with sizes out of order', { ...lobbyV2Fields(presence), sizes: [19, 9] }, 'schema at sizes[1]'],
    ['presence with a control character in the name', { ...lobbyV2Fields(presence), name: 'Al\u009bice' }, 'schema at name'],
    ['leave with an extra key', { ...lobbyV2Fields(messages.leave), name: 'Alice' }, 'schema at name'],
    ['cancel with a short id', { ...lobbyV2Fields(messages.cancel), id: Uint8Array.of(1, 2) }, 'schema at id'],
    ['census with p 0', { ...lobbyV2Fields(messages.census), p: 0 }, 'schema at p'],
    ['census with p above 1', { ...lobbyV2Fields(messages.census), p: 1.0000001 }, 'schema at p'],
    ['census with a negative p', { ...lobbyV2Fields(messages.census), p: -0.5 }, 'schema at p'],
    ['census with an unknown state', { ...lobbyV2Fields(messages.census), state: 'idle' }, 'schema at state'],
    ['census with a size twice', { ...lobbyV2Fields(messages.census), sizes: [9, 9] }, 'schema at sizes[1]'],
    ['census with a fractional period', { ...lobbyV2Fields(messages.census), period: period + 0.5 }, 'schema at period'],
    ['seek whose untimed clock carries a main time', { ...lobbyV2Fields(messages.seek), terms: { ...terms, tc: { kind: 'none', mainMs: 60_000 } } }, 'schema at terms.tc.mainMs']
  ])('a signed %s is refused', async (_name, fields, reason) => {
    expect(await verdict(await signedRaw(fields))).toBe(reason)
  })

  it('a message without sig, or with a short one, is refused at sig', async () => {
    expect(await verdict(encodeCanonical(lobbyV2Fields(messages.leave)))).toBe('schema at sig')
    expect(await verdict(encodeCanonical({ ...lobbyV2Fields(messages.leave), sig: new Uint8Array(63) }))).toBe('schema at sig')
  })

  it('a peer ID that carries no key cannot sign: refused at peer', async () => {
    // A sha2-256 multihash, as an RSA peer ID is: the key is not in it.
    const hashed = Uint8Array.from([0x12, 0x20, ...new Uint8Array(32).fill(7)])
    const bytes = encodeCanonical({ ...lobbyV2Fields(messages.leave), peer: hashed, sig: new Uint8Array(64) })
    expect(await verdict(bytes)).toBe('schema at peer')
    expect(await verdict(encodeCanonical({ ...lobbyV2Fields(messages.leave), peer: Uint8Array.of(0, 1, 2), sig: new Uint8Array(64) }))).toBe('schema at peer')
  })

  it('expiry: after now and at most maxTtl ahead (presence and seek)', async () => {
    for (const base of [presence, messages.seek]) {
      expect(await verdict(await encodeLobbyV2({ ...base, expires: now + 1 } as UnsignedLobbyV2Message, key))).toBe('ok')
      expect(await verdict(await encodeLobbyV2({ ...base, expires: now } as UnsignedLobbyV2Message, key))).toBe('expired')
      expect(await verdict(await encodeLobbyV2({ ...base, expires: now + maxTtl } as UnsignedLobbyV2Message, key))).toBe('ok')
      expect(await verdict(await encodeLobbyV2({ ...base, expires: now + maxTtl + 1 } as UnsignedLobbyV2Message, key))).toBe('expires-too-far')
    }
  })

  it('a census is accepted while its period overlaps now ± 5 min, and refused outside', async () => {
    const census = async (p: number): Promise<Uint8Array> => await encodeLobbyV2({ ...messages.census, period: p } as UnsignedLobbyV2Message, key)
    // now is the start of `period`: the period 6 periods before ended exactly 5 min before now.
    expect(await verdict(await census(period - 6))).toBe('expired')
    expect(await verdict(await census(period - 5))).toBe('ok')
    expect(await verdict(await census(period + 5))).toBe('ok')
    expect(await verdict(await census(period + 6))).toBe('expires-too-far')
  })

  it('a presence\'s record must be its author\'s: another peer\'s record is refused as bad-record', async () => {
    const own = await recordOf(key, 2)
    expect(await verdict(await encodeLobbyV2({ ...presence, record: own, reach: 'relayed' } as UnsignedLobbyV2Message, key))).toBe('ok')
    const theirs = await recordOf(otherKey, 1)
    expect(await verdict(await signedRaw({ ...lobbyV2Fields(presence), record: theirs }))).toBe('bad-record')
    expect(await verdict(await signedRaw({ ...lobbyV2Fields(presence), record: Uint8Array.of(1, 2, 3) }))).toBe('bad-record')
  })

  it('a record found good once is good for its author only: the same bytes in another peer\'s presence are still refused', async () => {
    const own = await recordOf(key, 1)
    const mine = await encodeLobbyV2({ ...presence, record: own } as UnsignedLobbyV2Message, key)
    expect(await verdict(mine)).toBe('ok')
    expect(await verdict(mine)).toBe('ok')
    const copied = await signedRaw({ ...lobbyV2Fields(presence), peer: otherId.toMultihash().bytes, record: own }, otherKey)
    expect(await verdict(copied)).toBe('bad-record')
    // And a bad record of the author's after a good one is checked, not waved through.
    const broken = own.slice()
    broken[broken.length - 1] ^= 1
    expect(await verdict(await signedRaw({ ...lobbyV2Fields(presence), record: broken }))).toBe('bad-record')
  })

  it('refuses oversize input before decoding it', async () => {
    const big = new Uint8Array(4097)
    big.set(await encodeLobbyV2(presence, key))
    expect(await verdict(big)).toBe('too-large')
  })

  describe('encodeLobbyV2 refuses what receivers would, naming the field', () => {
    async function refusal (msg: UnsignedLobbyV2Message, signer: PrivateKey = key): Promise<InvalidLobbyEntryError> {
      try {
        await encodeLobbyV2(msg, signer)
      } catch (err) {
        if (err instanceof InvalidLobbyEntryError) return err
        throw err
      }
      throw new Error('encodeLobbyV2 accepted the message')
    }

    it.each([
      ['a message for another peer than the key', presence, otherKey, 'peer'],
      ['an empty name', { ...presence, name: ' ' }, key, 'name'],
      ['a rating with sigma 0', { ...presence, ratings: { 9: { mu: 25, sigma: 0 } } }, key, 'ratings.9.sigma'],
      ['a census of p 2', { ...messages.census, p: 2 }, key, 'p'],
      ['a seek of komi 6.3', { ...messages.seek, terms: { ...terms, komi: 6.3 } }, key, 'terms.komi'],
      ['a presence too large to send (too-large, no field)', { ...presence, record: new Uint8Array(4000) }, key, '']
    ] as Array<[string, UnsignedLobbyV2Message, PrivateKey, string]>)('%s', async (_name, msg, signer, path) => {
      const err = await refusal(msg, signer)
      expect(err.path).toBe(path)
      expect(err.message).not.toBe('')
    })

    it('a presence carrying another peer\'s record, at record', async () => {
      const err = await refusal({ ...presence, record: await recordOf(otherKey, 1) } as UnsignedLobbyV2Message)
      expect(err.path).toBe('record')
    })

    it('NaN, which has no canonical form', async () => {
      const err = await refusal({ ...presence, expires: Number.NaN } as UnsignedLobbyV2Message)
      expect(err.message).toMatch(/NaN/)
    })
  })

  it('the deterministic test key signs the same bytes every time (Ed25519)', async () => {
    const seeded = await generateKeyPairFromSeed('Ed25519', Uint8Array.from({ length: 32 }, (_, i) => i))
    const msg = { ...messages.leave, peer: peerIdFromPrivateKey(seeded).toMultihash().bytes } as UnsignedLobbyV2Message
    expect(Buffer.from(await encodeLobbyV2(msg, seeded)).equals(Buffer.from(await encodeLobbyV2(msg, seeded)))).toBe(true)
  })
})
