// The mailbox codec (src/net/mailbox/wire/): every bad input refused with its reason and path,
// nothing half-decoded; the sealed box opens only for its recipient and its header.
import { describe, expect, it } from 'vitest'
import { encodeCanonical, sign } from '../../../../src/wire/index.js'
import { FrameTooLargeError, MalformedMessageError, UnknownVersionError, WireError } from '../../../../src/wire/errors.js'
import {
  ENVELOPE_DOMAIN, ENVELOPE_MAX_BYTES, EnvelopeError, PAYLOAD_MAX_BYTES, aadOf, checkCollected, checkDeposit, checkEnvelopeTimes, decodeEnvelope,
  decodeMailboxAnswer, decodeMailboxRequest, encodeEnvelope, envelopeId, itemsFrames, open, openEnvelope, refusalOf, seal
} from '../../../../src/net/mailbox/wire/index.js'
import { decodeCanonical } from '../../../../src/wire/cbor.js'
import { day, keys, mailboxBytes, now, peers } from './fixtures.js'

const bob = peers.bob.toMultihash().bytes
const e1 = mailboxBytes('envelope-1')
const fields = decodeCanonical(e1, { maxBytes: ENVELOPE_MAX_BYTES }) as Record<string, unknown>
const resigned = async (change: Record<string, unknown>, key = keys.alice): Promise<Uint8Array> => {
  const { sig: _sig, ...rest } = { ...fields, ...change }
  return encodeCanonical(await sign(key, ENVELOPE_DOMAIN, rest))
}

function reasonOf (f: () => unknown): [string, string] {
  try {
    f()
  } catch (err) {
    if (err instanceof MalformedMessageError || err instanceof EnvelopeError) return [err.reason, err.path]
    if (err instanceof WireError) return [err.reason, '']
    throw err
  }
  return ['accepted', '']
}

describe('envelope decoding', () => {
  it.each([
    ['seq 0', { seq: 0 }, ['schema', 'seq']],
    ['a kind not known', { kind: 'gift' }, ['schema', 'kind']],
    ['an ephemeral key of 31 bytes', { epk: new Uint8Array(31) }, ['schema', 'epk']],
    ['a box shorter than its tag', { box: new Uint8Array(15) }, ['schema', 'box']],
    ['a prev of 31 bytes', { seq: 2, prev: new Uint8Array(31) }, ['schema', 'prev']],
    ['a sender that is no peer ID', { from: new Uint8Array([1, 2, 3]) }, ['bad-peer', 'from']],
    ['a recipient with an RSA-style hashed ID', { to: new Uint8Array([0x12, 0x20, ...new Uint8Array(32)]) }, ['bad-peer', 'to']],
    ['a version 2', { v: 2 }, ['unknown-version', '']],
    ['another type', { t: 'letter' }, ['unknown-type', 't']]
  ])('refuses %s', async (_name, change, want) => {
    expect(reasonOf(() => decodeEnvelope(encodeCanonical({ ...fields, ...change })))).toEqual(want)
  })

  it('refuses an envelope over its size before decoding it', () => {
    expect(() => decodeEnvelope(new Uint8Array(ENVELOPE_MAX_BYTES + 1))).toThrow(FrameTooLargeError)
  })

  it('refuses bytes that are not canonical CBOR', () => {
    expect(reasonOf(() => decodeEnvelope(new Uint8Array([0xff, 0x00])))[0]).toBe('not-cbor')
    expect(reasonOf(() => decodeEnvelope(e1.subarray(0, e1.length - 1)))[0]).toBe('not-cbor')
  })
})

describe('a holder\'s deposit check', () => {
  it('takes envelope 1 at its time, and refuses it expired, from the future, or expiring before it was made', async () => {
    await expect(checkDeposit(e1, now)).resolves.toMatchObject({ envelope: { seq: 1 } })
    await expect(checkDeposit(e1, now + 7 * day)).rejects.toMatchObject({ reason: 'expired' })
    await expect(checkDeposit(e1, now - 6 * 60_000)).rejects.toMatchObject({ reason: 'from-future' })
    await expect(checkDeposit(await resigned({ expires: now }), now)).rejects.toMatchObject({ reason: 'expired', path: 'expires' })
  })

  it('maps each refusal to the answer the protocol names', () => {
    expect(refusalOf(new EnvelopeError('too-long'))).toBe('too-long')
    expect(refusalOf(new EnvelopeError('undecryptable'))).toBe('malformed')
    expect(refusalOf(new FrameTooLargeError(1, 0))).toBe('too-large')
    expect(refusalOf(new UnknownVersionError(2, [1]))).toBe('unknown-version')
    expect(refusalOf(new MalformedMessageError('schema', 'x'))).toBe('malformed')
  })

  it('checks times in a fixed order', () => {
    const e = decodeEnvelope(e1)
    expect(() => { checkEnvelopeTimes({ ...e, expires: e.at + 31 * day }, now) }).toThrow(/30 days/)
  })
})

describe('the sealed box', () => {
  it('opens only with the recipient\'s key and the same header', async () => {
    const r = await checkCollected(e1, bob)
    expect(() => openEnvelope(r.envelope, keys.carol)).toThrow(EnvelopeError)
    expect(() => openEnvelope({ ...r.envelope, seq: 2 }, keys.bob)).toThrow(/does not open/)
    expect(openEnvelope(r.envelope, keys.bob)).toEqual(mailboxBytes('payload'))
  })

  it('refuses a low-order ephemeral key instead of deriving a key from zero', () => {
    const aad = aadOf({ from: bob, to: bob, seq: 1, kind: 'message' })
    expect(() => open({ epk: new Uint8Array(32), box: new Uint8Array(32) }, keys.bob.raw, aad)).toThrow(EnvelopeError)
  })

  it('seals each envelope with a fresh key (two seals of one payload differ)', () => {
    const aad = aadOf({ from: bob, to: bob, seq: 1, kind: 'message' })
    const a = seal(new Uint8Array(10), keys.bob.publicKey.raw, aad)
    const b = seal(new Uint8Array(10), keys.bob.publicKey.raw, aad)
    expect(Buffer.from(a.epk).equals(b.epk)).toBe(false)
    expect(open(a, keys.bob.raw, aad)).toEqual(new Uint8Array(10))
  })

  it('encodes the largest payload, and refuses one byte more', async () => {
    const big = await encodeEnvelope({ to: bob, seq: 1, kind: 'act', at: now, expires: now + day, payload: new Uint8Array(PAYLOAD_MAX_BYTES) }, keys.alice)
    expect(big.length).toBeLessThanOrEqual(ENVELOPE_MAX_BYTES)
    await expect(encodeEnvelope({ to: bob, seq: 1, kind: 'act', at: now, expires: now + day, payload: new Uint8Array(PAYLOAD_MAX_BYTES + 1) }, keys.alice)).rejects.toThrow(RangeError)
  })

  it('refuses to seal an envelope a holder would refuse (seq 2 with no prev)', async () => {
    await expect(encodeEnvelope({ to: bob, seq: 2, kind: 'act', at: now, expires: now + day, payload: new Uint8Array(1) }, keys.alice)).rejects.toMatchObject({ reason: 'schema', path: 'prev' })
  })

  it('names an envelope by the SHA-256 of its bytes', () => {
    expect(Buffer.from(envelopeId(e1)).toString('hex')).toBe(Buffer.from(mailboxBytes('envelope-1-id')).toString('hex'))
  })
})

describe('stream messages', () => {
  it.each([
    ['a collect with a field', { v: 1, t: 'collect', all: true }, ['schema', 'all']],
    ['a delete of 257 IDs', { v: 1, t: 'delete', ids: Array.from({ length: 257 }, () => new Uint8Array(32)) }, ['schema', 'ids']],
    ['a delete with a short ID', { v: 1, t: 'delete', ids: [new Uint8Array(31)] }, ['schema', 'ids[0]']],
    ['a deposit of an empty envelope', { v: 1, t: 'deposit', envelope: new Uint8Array(0) }, ['schema', 'envelope']],
    ['an answer type as a request', { v: 1, t: 'end' }, ['unknown-type', 't']]
  ])('refuses the request %s', (_name, value, want) => {
    expect(reasonOf(() => decodeMailboxRequest(encodeCanonical(value)))).toEqual(want)
  })

  it.each([
    ['a refusal of an unknown reason', { v: 1, t: 'refused', reason: 'tired', message: '' }, ['schema', 'reason']],
    ['65 items in a frame', { v: 1, t: 'items', envelopes: Array.from({ length: 65 }, () => new Uint8Array(1)) }, ['schema', 'envelopes']],
    ['a deposited without ID', { v: 1, t: 'deposited' }, ['schema', 'id']]
  ])('refuses the answer %s', (_name, value, want) => {
    expect(reasonOf(() => decodeMailboxAnswer(encodeCanonical(value)))).toEqual(want)
  })

  it('splits many envelopes into frames within the limits, in order', () => {
    const envelopes = Array.from({ length: 150 }, (_, i) => new Uint8Array(4000).fill(i))
    const frames = itemsFrames(envelopes)
    const back = frames.flatMap(f => { const a = decodeMailboxAnswer(f); return a.t === 'items' ? [...a.envelopes] : [] })
    expect(back).toEqual(envelopes)
    expect(frames.length).toBeGreaterThan(2)
  })
})
