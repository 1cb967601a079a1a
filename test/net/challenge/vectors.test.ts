import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { CHALLENGE_MAX_BYTES } from '../../../src/net/challenge/constants.js'
import { decodeChallengeMessage, encodeChallengeMessage, type ChallengeMessage } from '../../../src/net/challenge/messages.js'
import { authorSide, signStart, startRecordOf, verifyStart } from '../../../src/net/challenge/start-record.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { MalformedMessageError } from '../../../src/wire/errors.js'
import { decodeFrames } from '../../../src/wire/frame.js'
import { gameIdOf, startToSign } from '../../../src/wire/game-start.js'
import { hex, readVectors, toHex } from '../../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../../protocols/challenge.md', import.meta.url), 'utf8'))

/** A hex vector's bytes. */
function bytesOf (name: string): Uint8Array {
  const v = vectors.get(name)
  if (v?.kind !== 'hex') throw new Error(`no hex vector ${name} in protocols/challenge.md`)
  return hex(v.value)
}

/** A text vector. */
function textOf (name: string): string {
  const v = vectors.get(name)
  if (v?.kind !== 'text') throw new Error(`no text vector ${name} in protocols/challenge.md`)
  return v.value
}

/** Decodes a vector that must be a message of type `t`. */
function messageOf<T extends ChallengeMessage['t']> (name: string, t: T): Extract<ChallengeMessage, { t: T }> {
  const m = decodeChallengeMessage(bytesOf(name))
  if (m.t !== t) throw new Error(`${name} decoded as ${m.t}, not ${t}`)
  return m as Extract<ChallengeMessage, { t: T }>
}

const alice = await generateKeyPairFromSeed('Ed25519', bytesOf('proposer-seed'))
const bob = await generateKeyPairFromSeed('Ed25519', bytesOf('accepter-seed'))
const aliceId = peerIdFromPrivateKey(alice)
const bobId = peerIdFromPrivateKey(bob)

/** The start record Bob's accept of Alice's propose makes; `rated` takes the pair with ratings, `engine` Bob's accept as a bot. */
function acceptedRecord (variant: boolean | 'engine' = false): ReturnType<typeof startRecordOf> {
  const rated = variant === true
  const { t: _t, ...accept } = messageOf(rated ? 'accept-rated' : variant === 'engine' ? 'accept-engine' : 'accept', 'accept')
  const { t: _p, ...proposal } = messageOf(rated ? 'propose-rated' : 'propose', 'propose')
  return startRecordOf(proposal, {
    author: aliceId.toMultihash().bytes,
    accepter: bobId.toMultihash().bytes,
    accepterName: accept.name,
    ...(accept.rating != null ? { accepterRating: accept.rating } : {}),
    ...(accept.engine != null ? { accepterEngine: accept.engine } : {}),
    created: accept.created
  })
}

describe('protocols/challenge.md test vectors', () => {
  it('has the vectors these tests read', () => {
    expect([...vectors.keys()].sort()).toEqual([
      'accept', 'accept-engine', 'accept-engine-long-name', 'accept-rated', 'accept-rating-extra-key', 'accept-short-sig', 'accepter-peer-id', 'accepter-seed',
      'confirm', 'confirm-engine', 'confirm-rated', 'counter', 'decline', 'decline-message', 'decline-short-id', 'game-id', 'game-id-engine', 'game-id-rated',
      'propose', 'propose-bad-terms', 'propose-control-name', 'propose-correspondence', 'propose-correspondence-pause-true', 'propose-correspondence-short-bank',
      'propose-engine', 'propose-engine-extra-key', 'propose-extra-field', 'propose-frame', 'propose-rated',
      'propose-rating-zero-sigma', 'proposer-peer-id', 'proposer-seed', 'random-author-side', 'random-digest',
      'start-record', 'start-record-engine', 'start-record-rated', 'unknown-type'
    ])
  })

  it('the seeds make the peer IDs named', () => {
    expect(aliceId.toString()).toBe(textOf('proposer-peer-id'))
    expect(bobId.toString()).toBe(textOf('accepter-peer-id'))
  })

  it('propose: decodes to the offer described, and encodes back to the same bytes', () => {
    const m = messageOf('propose', 'propose')
    expect(m).toEqual({
      t: 'propose',
      id: hex('00112233445566778899aabbccddeeff'),
      terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 300_000, periodMs: 30_000, periods: 3 } },
      color: 'random',
      name: 'Alice',
      expires: 1_700_000_090_000
    })
    expect(toHex(encodeChallengeMessage(m))).toBe(toHex(bytesOf('propose')))
  })

  it('propose-correspondence: days per move, a bank and a weekend pause, and back to the same bytes', () => {
    const m = messageOf('propose-correspondence', 'propose')
    expect(m).toEqual({
      t: 'propose',
      id: hex('00112233445566778899aabbccddeeff'),
      terms: { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 259_200_000, maxBankMs: 604_800_000, weekendPause: { utcOffsetMin: 60 } } },
      color: 'random',
      name: 'Alice',
      expires: 1_700_000_090_000
    })
    expect(toHex(encodeChallengeMessage(m))).toBe(toHex(bytesOf('propose-correspondence')))
  })

  it('propose-frame: the frame decoder yields the propose', async () => {
    const frames: Uint8Array[] = []
    for await (const frame of decodeFrames([bytesOf('propose-frame')], { maxBytes: CHALLENGE_MAX_BYTES })) frames.push(frame)
    expect(frames.map(toHex)).toEqual([toHex(bytesOf('propose'))])
  })

  it.each(['counter', 'decline', 'decline-message', 'accept', 'confirm', 'propose-rated', 'accept-rated', 'confirm-rated', 'accept-engine', 'confirm-engine', 'propose-engine'])('%s: decodes and encodes back to the same bytes', name => {
    expect(toHex(encodeChallengeMessage(decodeChallengeMessage(bytesOf(name))))).toBe(toHex(bytesOf(name)))
  })

  it('propose-rated and accept-rated: the unrated messages plus each author\'s own rating', () => {
    const { t: _t, rating, ...propose } = messageOf('propose-rated', 'propose')
    expect(rating).toEqual({ mu: 29_396, sigma: 7171 })
    expect(propose).toEqual((({ t: _u, ...p }) => p)(messageOf('propose', 'propose')))
    const accept = messageOf('accept-rated', 'accept')
    expect(accept).toMatchObject({ id: propose.id, created: 1_700_000_000_000, name: 'Bob', rating: { mu: 25_000, sigma: 8333 } })
    expect(messageOf('accept', 'accept').rating).toBeUndefined()
  })

  it('accept-engine and propose-engine: the plain messages plus the sender\'s own engine', () => {
    const { engine, ...accept } = messageOf('accept-engine', 'accept')
    expect(engine).toEqual({ name: 'GNU Go', version: '3.8' })
    expect((({ sig: _s, ...a }) => a)(accept)).toEqual((({ sig: _s, ...a }) => a)(messageOf('accept', 'accept')))
    const { engine: alices, ...propose } = messageOf('propose-engine', 'propose')
    expect(alices).toEqual({ name: 'KataGo', version: '1.15.3' })
    expect(propose).toEqual(messageOf('propose', 'propose'))
  })

  it('start-record-engine: only the bot\'s side is in engines, and the record has its own game ID', () => {
    const { record, authorSide: side } = acceptedRecord('engine')
    expect(side).toBe('W')
    // Bob, the accepter and the bot, plays Black: his engine is B; Alice, a person, has no side.
    expect(record.engines).toEqual({ B: { name: 'GNU Go', version: '3.8' } })
    expect(Object.hasOwn(record.engines!, 'W')).toBe(false)
    expect(Object.hasOwn(record, 'ratings')).toBe(false)
    expect(toHex(encodeCanonical(startToSign(record)))).toBe(toHex(bytesOf('start-record-engine')))
    expect(gameIdOf(record).toString()).toBe(textOf('game-id-engine'))
    expect(textOf('game-id-engine')).not.toBe(textOf('game-id'))
  })

  it('accept-engine and confirm-engine: both signatures cover the record with the engine, and not the one without', async () => {
    const { record } = acceptedRecord('engine')
    const accept = messageOf('accept-engine', 'accept')
    const confirm = messageOf('confirm-engine', 'confirm')
    await verifyStart(bob.publicKey, record, accept.sig)
    await verifyStart(alice.publicKey, record, confirm.sig)
    expect(toHex(await signStart(bob, record))).toBe(toHex(accept.sig))
    expect(toHex(await signStart(alice, record))).toBe(toHex(confirm.sig))
    await expect(verifyStart(bob.publicKey, acceptedRecord().record, accept.sig)).rejects.toMatchObject({ reason: 'wrong' })
  })

  it('each engine lands on its own sender\'s side: the proposer\'s from its proposal, the accepter\'s from its accept', () => {
    const { t: _t, ...proposal } = messageOf('propose-engine', 'propose')
    const parties = { author: aliceId.toMultihash().bytes, accepter: bobId.toMultihash().bytes, accepterName: 'Bob', created: 1_700_000_000_000 }
    // Alice (the author) plays White by the nonce rule.
    expect(startRecordOf(proposal, parties).record.engines).toEqual({ W: { name: 'KataGo', version: '1.15.3' } })
    expect(startRecordOf(proposal, { ...parties, accepterEngine: { name: 'GNU Go', version: '3.8' } }).record.engines)
      .toEqual({ B: { name: 'GNU Go', version: '3.8' }, W: { name: 'KataGo', version: '1.15.3' } })
    expect(Object.hasOwn(startRecordOf(messageOf('propose', 'propose'), parties).record, 'engines')).toBe(false)
  })

  it('counter and declines: their fields', () => {
    expect(messageOf('counter', 'counter')).toMatchObject({ color: 'white', name: 'Bob', terms: { size: 13, rules: 'japanese', komi: 6.5, tc: { kind: 'none' } } })
    expect(messageOf('decline', 'decline')).toEqual({ t: 'decline', id: hex('00112233445566778899aabbccddeeff'), reason: 'busy' })
    expect(messageOf('decline-message', 'decline')).toMatchObject({ reason: 'unsupported', message: 'only 19x19' })
  })

  it('random colour: the digest, its low bit, and the side it gives the author', () => {
    const id = messageOf('propose', 'propose').id
    const digest = createHash('sha256').update(id).update(aliceId.toMultihash().bytes).update(bobId.toMultihash().bytes).digest()
    expect(toHex(digest)).toBe(toHex(bytesOf('random-digest')))
    expect(authorSide('random', id, aliceId.toMultihash().bytes, bobId.toMultihash().bytes)).toBe(textOf('random-author-side'))
  })

  it('start-record: the accept of the propose makes this record, and its CID is the game ID', () => {
    const { record, authorSide: side } = acceptedRecord()
    expect(side).toBe('W')
    expect(record.black).toEqual(bobId.toMultihash().bytes)
    expect(record.names).toEqual({ B: 'Bob', W: 'Alice' })
    expect(toHex(encodeCanonical(startToSign(record)))).toBe(toHex(bytesOf('start-record')))
    expect(gameIdOf(record).toString()).toBe(textOf('game-id'))
  })

  it('start-record-rated: both claims make a record with ratings by side, and its own game ID', () => {
    const { record, authorSide: side } = acceptedRecord(true)
    expect(side).toBe('W')
    // Alice, the author, plays White: her claim is W, Bob's (from his accept) is B.
    expect(record.ratings).toEqual({ B: { mu: 25_000, sigma: 8333 }, W: { mu: 29_396, sigma: 7171 } })
    expect(toHex(encodeCanonical(startToSign(record)))).toBe(toHex(bytesOf('start-record-rated')))
    expect(gameIdOf(record).toString()).toBe(textOf('game-id-rated'))
    expect(textOf('game-id-rated')).not.toBe(textOf('game-id'))
  })

  it('a claim on one side only makes the unrated record', () => {
    const { t: _t, ...accept } = messageOf('accept', 'accept')
    const { t: _p, ...rated } = messageOf('propose-rated', 'propose')
    const parties = { author: aliceId.toMultihash().bytes, accepter: bobId.toMultihash().bytes, accepterName: accept.name, created: accept.created }
    const proposerOnly = startRecordOf(rated, parties).record
    const accepterOnly = startRecordOf(messageOf('propose', 'propose'), { ...parties, accepterRating: { mu: 25_000, sigma: 8333 } }).record
    for (const record of [proposerOnly, accepterOnly]) {
      expect(Object.hasOwn(record, 'ratings')).toBe(false)
      expect(toHex(encodeCanonical(startToSign(record)))).toBe(toHex(bytesOf('start-record')))
      expect(gameIdOf(record).toString()).toBe(textOf('game-id'))
    }
  })

  it('accept-rated and confirm-rated: both signatures cover the rated record, and not the unrated one', async () => {
    const { record } = acceptedRecord(true)
    const accept = messageOf('accept-rated', 'accept')
    const confirm = messageOf('confirm-rated', 'confirm')
    await verifyStart(bob.publicKey, record, accept.sig)
    await verifyStart(alice.publicKey, record, confirm.sig)
    expect(toHex(await signStart(bob, record))).toBe(toHex(accept.sig))
    expect(toHex(await signStart(alice, record))).toBe(toHex(confirm.sig))
    await expect(verifyStart(bob.publicKey, acceptedRecord().record, accept.sig)).rejects.toMatchObject({ reason: 'wrong' })
  })

  it('accept: Bob\'s signature over the record verifies, and the seed key makes exactly it', async () => {
    const { record } = acceptedRecord()
    const accept = messageOf('accept', 'accept')
    await verifyStart(bob.publicKey, record, accept.sig)
    expect(toHex(await signStart(bob, record))).toBe(toHex(accept.sig))
    await expect(verifyStart(alice.publicKey, record, accept.sig)).rejects.toMatchObject({ reason: 'wrong' })
  })

  it('confirm: Alice\'s countersignature over the same record verifies', async () => {
    const { record } = acceptedRecord()
    const confirm = messageOf('confirm', 'confirm')
    await verifyStart(alice.publicKey, record, confirm.sig)
    expect(toHex(await signStart(alice, record))).toBe(toHex(confirm.sig))
  })

  it.each([...vectors.values()].filter(v => v.expect != null).map(v => [v.name, v.expect] as const))('%s is refused as %s', (name, reason) => {
    let caught: unknown
    try {
      decodeChallengeMessage(bytesOf(name))
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(MalformedMessageError)
    expect(caught).toMatchObject({ reason })
  })

  it('the refused messages name the field at fault', () => {
    const pathOf = (name: string): string | undefined => {
      try {
        decodeChallengeMessage(bytesOf(name))
      } catch (err) {
        return (err as MalformedMessageError).path
      }
      return undefined
    }
    expect(pathOf('propose-extra-field')).toBe('rated')
    expect(pathOf('propose-bad-terms')).toBe('terms.size')
    expect(pathOf('propose-control-name')).toBe('name')
    expect(pathOf('accept-short-sig')).toBe('sig')
    expect(pathOf('decline-short-id')).toBe('id')
    expect(pathOf('propose-rating-zero-sigma')).toBe('rating.sigma')
    expect(pathOf('accept-rating-extra-key')).toBe('rating.n')
    expect(pathOf('accept-engine-long-name')).toBe('engine.name')
    expect(pathOf('propose-engine-extra-key')).toBe('engine.gpu')
    expect(pathOf('propose-correspondence-short-bank')).toBe('terms.tc')
    expect(pathOf('propose-correspondence-pause-true')).toBe('terms.tc')
  })
})
