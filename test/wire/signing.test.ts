import { generateKeyPair } from '@libp2p/crypto/keys'
import { describe, expect, it } from 'vitest'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { InvalidSignatureError } from '../../src/wire/errors.js'
import { sign, signingBytes, verify } from '../../src/wire/signing.js'
import { toHex } from './helpers.js'
import type { CborMap } from '../../src/wire/schema.js'
import type { SigningKey, VerifyingKey } from '../../src/wire/signing.js'

const alice = await generateKeyPair('Ed25519')
const bob = await generateKeyPair('Ed25519')
// libp2p's own key objects fit the wire layer's structural key types.
const aliceSigns: SigningKey = alice
const aliceVerifies: VerifyingKey = alice.publicKey

const move = { v: 1, t: 'move', game: 'g1', n: 12, x: 3, y: 15 }

/** Sign, then send through canonical CBOR as a peer would receive it. */
async function signedOnWire (value: CborMap, domain = 'game/move'): Promise<CborMap> {
  const signed = await sign(aliceSigns, domain, value)
  return decodeCanonical(encodeCanonical(signed), { maxBytes: 1024 }) as CborMap
}

/** The reason verification failed, or 'ok'. */
async function outcome (key: VerifyingKey, domain: string, signed: CborMap): Promise<string> {
  try {
    await verify(key, domain, signed)
    return 'ok'
  } catch (err) {
    if (err instanceof InvalidSignatureError) return err.reason
    throw err
  }
}

describe('signingBytes', () => {
  it('is the domain line then the canonical CBOR without sig', () => {
    const bytes = signingBytes('game/move', { b: 1, sig: new Uint8Array(64), a: 2 })
    expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe('p2pgo:game/move')
    expect(toHex(bytes)).toBe(toHex(new TextEncoder().encode('p2pgo:game/move\n')) + 'a2616102616201')
  })

  it.each(['', 'Game/move', 'game move', 'game\nmove', 'x'.repeat(65), '/game'])('refuses the domain %j', domain => {
    expect(() => signingBytes(domain, {})).toThrow(TypeError)
  })
})

describe('sign and verify', () => {
  it('adds a 64-byte sig that verifies with the signer\'s public key', async () => {
    const signed = await sign(aliceSigns, 'game/move', move)
    expect(signed.sig).toBeInstanceOf(Uint8Array)
    expect(signed.sig.length).toBe(64)
    expect({ ...signed, sig: undefined }).toEqual({ ...move, sig: undefined })
    await expect(outcome(aliceVerifies, 'game/move', await signedOnWire(move))).resolves.toBe('ok')
  })

  it('replaces a sig already there rather than signing over it', async () => {
    const once = await sign(aliceSigns, 'game/move', move)
    const twice = await sign(aliceSigns, 'game/move', once)
    expect(twice.sig).toEqual(once.sig)
  })

  it.each<[string, (signed: Record<string, unknown>) => Record<string, unknown>, string, string]>([
    ['untouched', s => s, 'game/move', 'ok'],
    ['a field changed', s => ({ ...s, x: 4 }), 'game/move', 'wrong'],
    ['a field added', s => ({ ...s, extra: true }), 'game/move', 'wrong'],
    ['a field removed', ({ y: _y, ...s }) => s, 'game/move', 'wrong'],
    ['a bit of the sig flipped', s => ({ ...s, sig: flip(s.sig as Uint8Array, 0) }), 'game/move', 'wrong'],
    ['the last bit of the sig flipped', s => ({ ...s, sig: flip(s.sig as Uint8Array, 63) }), 'game/move', 'wrong'],
    ['the sig removed', ({ sig: _sig, ...s }) => s, 'game/move', 'missing'],
    ['a sig of 63 bytes', s => ({ ...s, sig: (s.sig as Uint8Array).subarray(0, 63) }), 'game/move', 'malformed'],
    ['a sig of 65 bytes', s => ({ ...s, sig: new Uint8Array(65) }), 'game/move', 'malformed'],
    ['a sig that is text', s => ({ ...s, sig: 'x'.repeat(64) }), 'game/move', 'malformed'],
    ['a sig of zeros', s => ({ ...s, sig: new Uint8Array(64) }), 'game/move', 'wrong'],
    // The same bytes under another domain: a move signature replayed as lobby presence.
    ['checked under another domain', s => s, 'lobby/presence', 'wrong']
  ])('a signed message %s verifies as %s', async (_name, tamper, domain, expected) => {
    const signed = await signedOnWire(move)
    await expect(outcome(aliceVerifies, domain, tamper({ ...signed }))).resolves.toBe(expected)
  })

  it('refuses a signature by another key', async () => {
    await expect(outcome(bob.publicKey, 'game/move', await signedOnWire(move))).resolves.toBe('wrong')
  })

  it('turns a key that throws into a wrong signature, and a false into one too', async () => {
    const throwing: VerifyingKey = { verify: () => { throw new Error('bad point') } }
    const no: VerifyingKey = { verify: async () => false }
    const signed = await signedOnWire(move)
    await expect(outcome(throwing, 'game/move', signed)).resolves.toBe('wrong')
    await expect(outcome(no, 'game/move', signed)).resolves.toBe('wrong')
  })

  it('refuses a key that does not make 64-byte signatures', async () => {
    const rsaLike: SigningKey = { sign: () => new Uint8Array(256) }
    await expect(sign(rsaLike, 'game/move', move)).rejects.toThrow(/64-byte/)
  })
})

function flip (bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice()
  copy[index] ^= 1
  return copy
}
