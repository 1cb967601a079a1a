import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decode } from 'cborg'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf, cidOfCanonical } from '../../src/wire/cid.js'
import { decodeMessage, encodeMessage } from '../../src/wire/envelope.js'
import { MalformedMessageError } from '../../src/wire/errors.js'
import { decodeFrames, encodeFrame } from '../../src/wire/frame.js'
import { sign, signingBytes, verify } from '../../src/wire/signing.js'
import { hex, readVectors, toHex } from './helpers.js'
import type { CborMap } from '../../src/wire/schema.js'

const doc = await readFile(new URL('../../protocols/conventions.md', import.meta.url), 'utf8')
const vectors = readVectors(doc)

/** A vector by name: hex as bytes. */
function bytesOf (name: string): Uint8Array {
  const v = vectors.get(name)
  if (v?.kind !== 'hex') throw new Error(`no hex vector ${name} in protocols/conventions.md`)
  return hex(v.value)
}

/** A vector by name: its text. */
function textOf (name: string): string {
  const v = vectors.get(name)
  if (v?.kind !== 'text') throw new Error(`no text vector ${name} in protocols/conventions.md`)
  return v.value
}

const limits = { maxBytes: 1024 }
const hello = { v: 1, t: 'hello', name: 'Alice', komi: 6.5, size: 19, tags: ['go', 'p2p'] }

describe('protocols/conventions.md test vectors', () => {
  it('has the vectors these tests read', () => {
    expect([...vectors.keys()].sort()).toEqual([
      'frame', 'message', 'message-cid', 'message-float64', 'message-indefinite', 'message-key-order',
      'message-long-int', 'message-with-cid', 'signature', 'signed-bytes', 'signed-message',
      'signing-domain', 'signing-peer-id', 'signing-public-key', 'signing-seed'
    ])
  })

  it('message: the canonical encoding, decoded and re-encoded', () => {
    const bytes = bytesOf('message')
    const { v, t, ...fields } = hello
    expect(toHex(encodeMessage(v, t, fields))).toBe(toHex(bytes))
    expect(decodeMessage(bytes, { ...limits, versions: [1], types: ['hello'] })).toEqual({ v: 1, t: 'hello', fields: hello })
  })

  it('message-cid: CIDv1 dag-cbor sha2-256 of the message', () => {
    expect(cidOfCanonical(bytesOf('message')).toString()).toBe(textOf('message-cid'))
    expect(cidOf(hello).toString()).toBe(textOf('message-cid'))
  })

  it.each([...vectors.values()].filter(v => v.expect != null).map(v => [v.name, v.expect] as const))('%s is refused as %s', (name, reason) => {
    const bytes = bytesOf(name)
    // Each is the same message as `message`, encoded another way: a lenient decoder reads it.
    expect(bytes).not.toEqual(bytesOf('message'))
    expect(decode(bytes)).toEqual(hello)
    let caught: unknown
    try {
      decodeCanonical(bytes, limits)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(MalformedMessageError)
    expect(caught).toMatchObject({ reason })
  })

  it('frame: the varint length, then the message', async () => {
    expect(toHex(encodeFrame(bytesOf('message')))).toBe(toHex(bytesOf('frame')))
    const frames: Uint8Array[] = []
    for await (const frame of decodeFrames([bytesOf('frame')], limits)) frames.push(frame)
    expect(frames).toEqual([bytesOf('message')])
  })

  it('message-with-cid: a CID as tag 42', () => {
    const prev = CID.parse(textOf('message-cid'))
    expect(toHex(encodeMessage(1, 'ref', { prev }))).toBe(toHex(bytesOf('message-with-cid')))
    const decoded = decodeCanonical(bytesOf('message-with-cid'), limits) as { prev: CID }
    expect(decoded.prev.equals(prev)).toBe(true)
  })

  it('signed-message: the fixed key signs and verifies to the same bytes', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', bytesOf('signing-seed'))
    expect(toHex(key.publicKey.raw)).toBe(toHex(bytesOf('signing-public-key')))
    expect(peerIdFromPrivateKey(key).toString()).toBe(textOf('signing-peer-id'))

    const domain = textOf('signing-domain')
    const value = { v: 1, t: 'hello', name: 'Alice', komi: 6.5 }
    expect(toHex(signingBytes(domain, value))).toBe(toHex(bytesOf('signed-bytes')))
    const signed = await sign(key, domain, value)
    expect(toHex(signed.sig)).toBe(toHex(bytesOf('signature')))
    expect(toHex(encodeCanonical(signed))).toBe(toHex(bytesOf('signed-message')))

    const received = decodeCanonical(bytesOf('signed-message'), limits) as CborMap
    await expect(verify(key.publicKey, domain, received)).resolves.toBeUndefined()
    await expect(verify(key.publicKey, 'example/other', received)).rejects.toMatchObject({ reason: 'wrong' })
  })
})
