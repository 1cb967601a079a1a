import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf, cidOfCanonical, DAG_CBOR_CODE, hashBytes } from '../../src/wire/cid.js'

describe('cidOf', () => {
  it('is CIDv1, DAG-CBOR, sha2-256 over the canonical CBOR, computed synchronously', async () => {
    const value = { v: 1, t: 'hello', komi: 6.5 }
    const cid = cidOf(value)
    expect(cid).toBeInstanceOf(CID)
    expect(cid.version).toBe(1)
    expect(cid.code).toBe(DAG_CBOR_CODE)
    expect(cid.multihash.code).toBe(sha256.code)
    expect(cid.multihash.digest).toEqual((await sha256.digest(encodeCanonical(value))).digest)
    expect(cid.toString()).toMatch(/^bafyrei/)
    expect(cidOfCanonical(encodeCanonical(value)).equals(cid)).toBe(true)
  })

  it('does not depend on the order fields were written in', () => {
    expect(cidOf({ a: 1, bb: 2 }).equals(cidOf({ bb: 2, a: 1 }))).toBe(true)
    expect(cidOf({ a: 1 }).equals(cidOf({ a: 2 }))).toBe(false)
  })

  it('hashes the empty input to the known sha2-256', () => {
    expect(Buffer.from(hashBytes(new Uint8Array(0)).digest).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })
})
