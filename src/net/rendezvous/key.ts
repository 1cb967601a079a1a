// The rendezvous key: where p2pgo nodes meet in the Amino DHT (protocols/rendezvous.md, "Key").
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { KEY_PREFIX, NETWORK_NAME } from './constants.js'

/** Multicodec codes (multiformats' table): raw bytes, SHA2-256. */
const RAW = 0x55
const SHA2_256 = 0x12

/** The CID providers are published under: CIDv1, raw codec, SHA2-256 of "p2pgo rendezvous v1: <network>" in UTF-8. */
export function rendezvousKey (network: string = NETWORK_NAME): CID {
  const hash = createHash('sha256').update(`${KEY_PREFIX}${network}`, 'utf8').digest()
  return CID.createV1(RAW, createDigest(SHA2_256, new Uint8Array(hash)))
}
