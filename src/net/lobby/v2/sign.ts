// Signatures of lobby version 2 messages (protocols/lobby.md, "Version 2"): each message is signed
// by its author (conventions' scheme, domain `lobby/<t>`), so any node may hand it on and the
// receiver checks it as if it came from its author. Keys come from the peer ID the message names.
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { ed25519VerifyingKey } from '../../../wire/signing.js'
import type { VerifyingKey } from '../../../wire/signing.js'
import type { PeerId, PublicKey } from '@libp2p/interface'

/** The signing domain of a lobby message type: `lobby/presence`, `lobby/seek`, ... */
export function lobbyV2Domain (t: string): string {
  return `lobby/${t}`
}

/** The peer ID that `peer` (multihash bytes) names; throws (with libp2p's reason) when it is not one. */
export function peerIdOfBytes (peer: Uint8Array): PeerId {
  return peerIdFromMultihash(Digest.decode(peer))
}

/** The public key a peer ID carries inline (Ed25519 and secp256k1 IDs do), or why there is none. */
export function publicKeyOfBytes (peer: Uint8Array): PublicKey | string {
  let id: PeerId
  try {
    id = peerIdOfBytes(peer)
  } catch (err) {
    return `not a peer ID (${(err as Error).message})`
  }
  return id.publicKey ?? 'a peer ID that does not carry its public key (an RSA peer ID is a hash)'
}

/** Verifiers kept by peer, so a player's republished messages do not import its key again each time. */
const verifiers = new Map<string, VerifyingKey>()
/** Players whose verifier is kept: a few hundred lobby entries and census senders, with room. */
const MAX_VERIFIERS = 4096

/**
 * A verifier for the key `peer` carries: an Ed25519 key checks with node:crypto off the main
 * thread (the RNA's `ed25519VerifyingKey`, same answers as libp2p's key), another kind with
 * libp2p's own. When `peer` carries no key, the reason why (text), for the schema step's refusal.
 */
export function verifierOfPeer (peer: Uint8Array): VerifyingKey | string {
  const id = Buffer.from(peer).toString('base64')
  const known = verifiers.get(id)
  if (known != null) return known
  const key = publicKeyOfBytes(peer)
  if (typeof key === 'string') return key
  const verifier = key.type === 'Ed25519' ? ed25519VerifyingKey(key.raw) : key
  // Bounded: past the limit the oldest half is forgotten (Map keeps insertion order).
  if (verifiers.size >= MAX_VERIFIERS) {
    for (const old of [...verifiers.keys()].slice(0, MAX_VERIFIERS / 2)) verifiers.delete(old)
  }
  verifiers.set(id, verifier)
  return verifier
}

/** The last peer record that checked out per author: a republished presence carries the same record, and the same bytes get the same verdict. */
const goodRecords = new Map<string, Uint8Array>()

/** Whether `record` is the one last found good for `peer`. */
export function knownGoodRecord (peer: Uint8Array, record: Uint8Array): boolean {
  const known = goodRecords.get(Buffer.from(peer).toString('base64'))
  return known != null && Buffer.from(known).equals(record)
}

/** Remembers `record` as good for `peer` (bounded like the verifiers). */
export function rememberGoodRecord (peer: Uint8Array, record: Uint8Array): void {
  if (goodRecords.size >= MAX_VERIFIERS) {
    for (const old of [...goodRecords.keys()].slice(0, MAX_VERIFIERS / 2)) goodRecords.delete(old)
  }
  goodRecords.set(Buffer.from(peer).toString('base64'), record.slice())
}
