// The RNA envelope (protocols/rna.md): a kind's body as canonical CBOR bytes, its origin's peer
// ID, when it was published, and the origin's signature. The RNA ID is the CID of the body
// alone, so the same game published by both of its players is one RNA (and one gossip message).
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { decodeCanonical } from '../wire/cbor.js'
import { timeText } from '../wire/dates.js'
import { cidOfCanonical } from '../wire/cid.js'
import { decodeMessage, encodeMessage } from '../wire/envelope.js'
import { WireError } from '../wire/errors.js'
import { asMap, bytes, field, noExtraKeys, text, uint } from '../wire/schema.js'
import { ed25519VerifyingKey, sign, verify } from '../wire/signing.js'
import { MAX_CLOCK_SKEW, RNA_DOMAIN, RNA_MAX_BYTES, RNA_VERSION } from './constants.js'
import { InvalidRnaError } from './errors.js'
import type { CID } from 'multiformats/cid'
import type { PublicKey } from '@libp2p/interface'
import type { SigningKey, VerifyingKey } from '../wire/signing.js'

/** A signed RNA as it travels and is stored. */
export interface Rna {
  /** The kind's body, canonical CBOR (its `t` names the kind). */
  readonly body: Uint8Array
  /** The origin's peer ID, multihash bytes. */
  readonly origin: Uint8Array
  /** When the origin published it, ms since the epoch. */
  readonly at: number
  /** The origin's Ed25519 signature over everything else (domain `rna`). */
  readonly sig: Uint8Array
}

/** The RNA ID: CIDv1 (dag-cbor, sha2-256) of the body bytes. */
export function rnaIdOf (body: Uint8Array): CID {
  return cidOfCanonical(body)
}

/** The fields the origin signs. */
function unsigned (r: Omit<Rna, 'sig'>): Record<string, unknown> {
  return { v: RNA_VERSION, t: 'rna', body: r.body, origin: r.origin, at: r.at }
}

/** Signs a body as its origin. */
export async function signRna (key: SigningKey, origin: Uint8Array, body: Uint8Array, at: number): Promise<Rna> {
  const signed = await sign(key, RNA_DOMAIN, unsigned({ body, origin, at }))
  return { body, origin, at, sig: signed.sig }
}

/** Canonical CBOR of a signed RNA. */
export function encodeRna (r: Rna): Uint8Array {
  const { v: _v, t: _t, ...fields } = unsigned(r)
  return encodeMessage(RNA_VERSION, 'rna', { ...fields, sig: r.sig })
}

/**
 * Decodes an RNA envelope: size, canonical CBOR, schema. Throws InvalidRnaError ('too-large',
 * 'malformed'); the signature is `verifyRna`'s, the body its kind's.
 */
export function decodeRna (data: Uint8Array): Rna {
  if (data.length > RNA_MAX_BYTES) throw new InvalidRnaError('too-large', `${data.length} bytes, at most ${RNA_MAX_BYTES}`)
  try {
    const { fields: f } = decodeMessage(data, { maxBytes: RNA_MAX_BYTES, versions: [RNA_VERSION], types: ['rna'] as const })
    noExtraKeys(f, ['v', 't', 'body', 'origin', 'at', 'sig'], '')
    return {
      body: field(f, 'body', bytes({ min: 1, max: RNA_MAX_BYTES }), ''),
      origin: field(f, 'origin', bytes({ min: 2, max: 64 }), ''),
      at: field(f, 'at', uint(), ''),
      sig: field(f, 'sig', bytes(64), '')
    }
  } catch (err) {
    if (err instanceof WireError) throw new InvalidRnaError('malformed', err.message)
    throw err
  }
}

/** The kind named by a body's `t` (the body itself is decoded by its kind). */
export function kindOf (body: Uint8Array): string {
  try {
    return field(asMap(decodeCanonical(body, { maxBytes: RNA_MAX_BYTES }), 'body'), 't', text(64), 'body')
  } catch (err) {
    if (err instanceof WireError) throw new InvalidRnaError('malformed', err.message)
    throw err
  }
}

/** A peer's public key from its peer ID bytes. */
export function keyOfPeer (peer: Uint8Array): PublicKey {
  let key: PublicKey | undefined
  try {
    key = peerIdFromMultihash(Digest.decode(peer)).publicKey
  } catch (err) {
    throw new InvalidRnaError('malformed', `a peer ID is not valid: ${(err as Error).message}`)
  }
  if (key == null) throw new InvalidRnaError('malformed', 'a peer ID carries no public key')
  return key
}

/**
 * A peer's key for checking many signatures (a game's acts): an Ed25519 key checks them with
 * node:crypto off the main thread (`ed25519VerifyingKey`, same answers as libp2p's key), any
 * other kind of key with libp2p's own.
 */
export function verifierOfPeer (peer: Uint8Array): VerifyingKey {
  const key = keyOfPeer(peer)
  return key.type === 'Ed25519' ? ed25519VerifyingKey(key.raw) : key
}

/**
 * Checks the origin's signature and that the RNA is not dated ahead of `now` (more than the
 * allowed clock skew). Throws InvalidRnaError ('bad-signature', 'from-the-future', 'malformed').
 */
export async function verifyRna (r: Rna, now: number): Promise<void> {
  if (r.at > now + MAX_CLOCK_SKEW) throw new InvalidRnaError('from-the-future', `published at ${timeText(r.at)}`)
  try {
    await verify(verifierOfPeer(r.origin), RNA_DOMAIN, { ...unsigned(r), sig: r.sig })
  } catch (err) {
    if (err instanceof WireError) throw new InvalidRnaError('bad-signature', `origin: ${err.message}`)
    throw err
  }
}
