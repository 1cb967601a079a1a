// The key a replay checks acts with (node:crypto, imported once, on the thread pool) must answer
// exactly as libp2p's own Ed25519 key does, on good and on hostile input alike.
import { describe, expect, it } from 'vitest'
import { generateKeyPair, publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { verifierOfPeer } from '../../src/rna/rna.js'
import { InvalidSignatureError } from '../../src/wire/errors.js'
import { ed25519VerifyingKey, sign, signingBytes, signingBytesOfEncoded, verify, type VerifyingKey } from '../../src/wire/signing.js'
import { encodeCanonical } from '../../src/wire/cbor.js'
import type { CborMap } from '../../src/wire/schema.js'

const alice = await generateKeyPair('Ed25519')
const bob = await generateKeyPair('Ed25519')
const act = { v: 1, t: 'act', n: 7, x: 3, y: 15 }
const signed = await sign(alice, 'game/act', act)
/** The group order L: adding it to S gives the same point, a second form of the signature. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n

function withS (sig: Uint8Array, add: bigint): Uint8Array {
  let s = 0n
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i])
  s += add
  const out = new Uint8Array(sig) // a copy (on a Buffer, slice would share the bytes)
  for (let i = 32; i < 64; i++) { out[i] = Number(s & 0xffn); s >>= 8n }
  return out
}

async function outcome (key: VerifyingKey, domain: string, value: CborMap): Promise<string> {
  try {
    await verify(key, domain, value)
    return 'ok'
  } catch (err) {
    if (err instanceof InvalidSignatureError) return err.reason
    throw err
  }
}

const raw = (key: typeof alice): Uint8Array => key.publicKey.raw
const cases: Array<[string, Uint8Array, string, CborMap]> = [
  ['a good signature', raw(alice), 'game/act', signed],
  ['another key', raw(bob), 'game/act', signed],
  ['another domain', raw(alice), 'game/start', signed],
  ['a changed field', raw(alice), 'game/act', { ...signed, x: 4 }],
  ['a flipped signature bit', raw(alice), 'game/act', { ...signed, sig: signed.sig.map((b, i) => (i === 0 ? b ^ 1 : b)) }],
  ['S + L (a malleated signature)', raw(alice), 'game/act', { ...signed, sig: withS(signed.sig, L) }],
  ['an all-zero signature', raw(alice), 'game/act', { ...signed, sig: new Uint8Array(64) }],
  ['a short signature', raw(alice), 'game/act', { ...signed, sig: new Uint8Array(63) }],
  ['a small-order key (the identity point)', Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0)), 'game/act', signed],
  ['a key that is not a point', new Uint8Array(32).fill(0xff), 'game/act', signed]
]

describe('ed25519VerifyingKey', () => {
  it.each(cases)('answers as libp2p\'s key for %s', async (_name, key, domain, value) => {
    expect(await outcome(ed25519VerifyingKey(key), domain, value)).toBe(await outcome(publicKeyFromRaw(key), domain, value))
  })

  it('accepts the good signature and refuses the rest', async () => {
    const results = await Promise.all(cases.map(async ([, key, domain, value]) => outcome(ed25519VerifyingKey(key), domain, value)))
    expect(results[0]).toBe('ok')
    expect(results.slice(1).every(r => r !== 'ok')).toBe(true)
  })

  it('checks many signatures at once, each on its own', async () => {
    const key = ed25519VerifyingKey(raw(alice))
    const values = await Promise.all(Array.from({ length: 64 }, async (_, n) => sign(alice, 'game/act', { ...act, n })))
    const checked = await Promise.all(values.map(async (v, i) => outcome(key, 'game/act', i % 5 === 3 ? { ...v, n: v.n + 1 } : v)))
    expect(checked).toEqual(values.map((_, i) => (i % 5 === 3 ? 'wrong' : 'ok')))
  })

  it('is refused for a key that is not 32 bytes', () => {
    expect(() => ed25519VerifyingKey(new Uint8Array(31))).toThrow(TypeError)
  })
})

describe('verifierOfPeer', () => {
  it('checks an Ed25519 peer\'s signatures with the fast key', async () => {
    const key = verifierOfPeer(peerIdFromPrivateKey(alice).toMultihash().bytes)
    expect(await outcome(key, 'game/act', signed)).toBe('ok')
    expect(await outcome(key, 'game/act', { ...signed, n: 8 })).toBe('wrong')
  })
})

describe('signingBytesOfEncoded', () => {
  const sig = new Uint8Array(64).fill(7)
  it.each<[string, Record<string, unknown>]>([
    ['an act', { ...act, sig }],
    ['sig first and last in order', { a: 1, sig, zzzzzz: 'last', bb: [1, 2, { sig: 3 }] }],
    ['a nested sig left in place (a timeout claim\'s proof)', { n: 2, proof: [{ n: 1, sig, kind: 'move' }, { n: 1, sig }], sig }],
    ['23 entries', { ...Object.fromEntries(Array.from({ length: 22 }, (_, i) => [`k${i}`, i])), sig }]
  ])('cuts the signature out of %s exactly as encoding without it does', (_name, value) => {
    expect(signingBytesOfEncoded('game/act', encodeCanonical(value))).toEqual(signingBytes('game/act', value))
  })

  it.each<[string, unknown]>([
    ['a map without sig', { a: 1 }],
    ['sig only in a nested map', { a: { sig } }],
    ['not a map', [1, { sig }]],
    ['24 entries (a two-byte head)', { ...Object.fromEntries(Array.from({ length: 23 }, (_, i) => [`k${i}`, i])), sig }],
    ['an empty map', {}]
  ])('leaves %s to be encoded', (_name, value) => {
    expect(signingBytesOfEncoded('game/act', encodeCanonical(value))).toBeUndefined()
  })

  it('leaves trailing bytes to be encoded', () => {
    const bytes = encodeCanonical({ a: 1, sig })
    expect(signingBytesOfEncoded('game/act', Uint8Array.from([...bytes, 0]))).toBeUndefined()
  })
})
