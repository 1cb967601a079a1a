import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { encodeCanonical } from './cbor.js'
import type { MultihashDigest } from 'multiformats/cid'

/** The multicodec code of DAG-CBOR, which names the content of every p2pgo CID. */
export const DAG_CBOR_CODE = 0x71

/**
 * The sha2-256 multihash of some bytes, computed synchronously. multiformats' own `sha256`
 * is typed as possibly async (its browser build uses WebCrypto), so node:crypto is called here.
 */
export function hashBytes (bytes: Uint8Array): MultihashDigest<typeof sha256.code> {
  const hash = createHash('sha256').update(bytes).digest()
  return Digest.create(sha256.code, new Uint8Array(hash.buffer, hash.byteOffset, hash.byteLength))
}

/** The CID of bytes that are already canonical CBOR (e.g. a message as received). */
export function cidOfCanonical (bytes: Uint8Array): CID<unknown, typeof DAG_CBOR_CODE, typeof sha256.code, 1> {
  return CID.createV1(DAG_CBOR_CODE, hashBytes(bytes))
}

/** The CID of a value: CIDv1, DAG-CBOR codec, sha2-256 over its canonical CBOR. */
export function cidOf (value: unknown): CID<unknown, typeof DAG_CBOR_CODE, typeof sha256.code, 1> {
  return cidOfCanonical(encodeCanonical(value))
}
