// The sealed box of an envelope (protocols/mailbox.md, "Sealing"): the payload encrypted to the
// recipient's libp2p key, so the holders that carry it cannot read it. X25519 between a fresh
// ephemeral key and the recipient's Ed25519 key in its Montgomery form, HKDF-SHA256, then
// ChaCha20-Poly1305 with the envelope's header as associated data. The curve maths is
// @noble/curves (node:crypto cannot turn an Ed25519 key into X25519); HKDF and the cipher are
// node:crypto's (OpenSSL, native). Pure: no network, no clock.
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { EnvelopeError } from './errors.js'
import { SEAL_TAG_BYTES } from './limits.js'

/** HKDF's `info`, and the start of the associated data: a key made for this use only. */
export const SEAL_INFO = 'p2pgo:mailbox/seal\n'

/** Raw key length of X25519 and Ed25519, and of the derived ChaCha20 key. */
export const KEY_BYTES = 32

/** One key per envelope (a fresh ephemeral key each time): a fixed nonce never repeats under a key. */
const NONCE = new Uint8Array(12)
const utf8 = new TextEncoder()

/** A sealed payload: the ephemeral public key and the ciphertext with its tag. */
export interface Sealed {
  readonly epk: Uint8Array
  readonly box: Uint8Array
}

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

/** The ChaCha20 key of one envelope: HKDF-SHA256 over the shared secret, salted with both public keys. */
function boxKey (shared: Uint8Array, epk: Uint8Array, recipientX: Uint8Array): Buffer {
  if (shared.every(b => b === 0)) throw new EnvelopeError('undecryptable', 'epk', 'the ephemeral key is of low order')
  return Buffer.from(hkdfSync('sha256', shared, concat(epk, recipientX), utf8.encode(SEAL_INFO), KEY_BYTES))
}

/** The recipient's X25519 public key from its raw Ed25519 public key (32 bytes). */
export function montgomeryOf (ed25519Public: Uint8Array): Uint8Array {
  return ed25519.utils.toMontgomery(ed25519Public)
}

/**
 * Seals `payload` to the holder of the Ed25519 key `recipient` (32 raw bytes), bound to `aad`.
 * `ephemeral` (32 bytes) is for test vectors only: left out, a fresh random key is made.
 */
export function seal (payload: Uint8Array, recipient: Uint8Array, aad: Uint8Array, ephemeral?: Uint8Array): Sealed {
  const secret = ephemeral ?? x25519.utils.randomSecretKey()
  const epk = x25519.getPublicKey(secret)
  const recipientX = montgomeryOf(recipient)
  const key = boxKey(x25519.getSharedSecret(secret, recipientX), epk, recipientX)
  const cipher = createCipheriv('chacha20-poly1305', key, NONCE, { authTagLength: SEAL_TAG_BYTES })
  cipher.setAAD(aad, { plaintextLength: payload.length })
  const body = Buffer.concat([cipher.update(payload), cipher.final()])
  return { epk, box: concat(body, cipher.getAuthTag()) }
}

/**
 * Opens a sealed box with the recipient's Ed25519 seed (the first 32 bytes of a libp2p Ed25519
 * private key's `raw`). EnvelopeError `undecryptable` when it is not for this key, was altered,
 * or was bound to other associated data.
 */
export function open (sealed: Sealed, ed25519Seed: Uint8Array, aad: Uint8Array): Uint8Array {
  if (sealed.box.length < SEAL_TAG_BYTES) throw new EnvelopeError('undecryptable', 'box', 'shorter than its tag')
  const secret = ed25519.utils.toMontgomerySecret(ed25519Seed.subarray(0, KEY_BYTES))
  const recipientX = x25519.getPublicKey(secret)
  let shared: Uint8Array
  try {
    shared = x25519.getSharedSecret(secret, sealed.epk)
  } catch (err) {
    throw new EnvelopeError('undecryptable', 'epk', (err as Error).message)
  }
  const key = boxKey(shared, sealed.epk, recipientX)
  const decipher = createDecipheriv('chacha20-poly1305', key, NONCE, { authTagLength: SEAL_TAG_BYTES })
  const cut = sealed.box.length - SEAL_TAG_BYTES
  decipher.setAuthTag(sealed.box.subarray(cut))
  decipher.setAAD(aad, { plaintextLength: cut })
  try {
    return new Uint8Array(Buffer.concat([decipher.update(sealed.box.subarray(0, cut)), decipher.final()]))
  } catch {
    throw new EnvelopeError('undecryptable', 'box', 'the tag does not check')
  }
}
