// The key relays provide under in p2pgo's DHTs (protocols/relay-load.md, "Advertisement"), made
// as the rendezvous key is (src/net/rendezvous/key.ts) from another text.
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { NETWORK_NAME } from '../rendezvous/constants.js'
import { RELAY_KEY_PREFIX } from './constants.js'

/** Multicodec codes (multiformats' table): raw bytes, SHA2-256. */
const RAW = 0x55
const SHA2_256 = 0x12

/** CIDv1, raw codec, SHA2-256 of "p2pgo relays v1: <network>" in UTF-8. */
export function relayProviderKey (network: string = NETWORK_NAME): CID {
  const hash = createHash('sha256').update(`${RELAY_KEY_PREFIX}${network}`, 'utf8').digest()
  return CID.createV1(RAW, createDigest(SHA2_256, new Uint8Array(hash)))
}
