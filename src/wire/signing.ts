import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { Tokenizer, Type } from 'cborg'
import { encodeCanonical } from './cbor.js'
import { InvalidSignatureError } from './errors.js'
import type { CborMap } from './schema.js'

/** A private key that signs bytes; libp2p's Ed25519 `PrivateKey` is one. */
export interface SigningKey {
  sign (data: Uint8Array): Uint8Array | Promise<Uint8Array>
}

/** A public key that checks a signature; libp2p's Ed25519 `PublicKey` is one. */
export interface VerifyingKey {
  verify (data: Uint8Array, sig: Uint8Array): boolean | Promise<boolean>
}

/** The field that holds a signature in a signed message. */
export const SIG_FIELD = 'sig'

/** Length of an Ed25519 signature, the only kind p2pgo uses. */
export const SIGNATURE_BYTES = 64

/** What every signed byte string starts with, before the domain. */
export const DOMAIN_PREFIX = 'p2pgo:'

// Lower-case ASCII, digits and `/._-`: no newline, so the domain cannot run into the CBOR.
const domainPattern = /^[a-z0-9][a-z0-9/._-]{0,63}$/

const utf8 = new TextEncoder()

/**
 * The bytes a signature covers: `"p2pgo:" + domain + "\n"` in UTF-8, then the canonical CBOR
 * of `value` without its `sig` field. The domain (e.g. `game/move`) keeps a signature made for
 * one kind of message from being accepted as another.
 */
export function signingBytes (domain: string, value: CborMap): Uint8Array {
  if (!domainPattern.test(domain)) {
    throw new TypeError(`signing domain "${domain}" must be 1-64 characters of a-z, 0-9 and / . _ -`)
  }
  const { [SIG_FIELD]: _sig, ...unsigned } = value
  const head = utf8.encode(`${DOMAIN_PREFIX}${domain}\n`)
  const body = encodeCanonical(unsigned)
  const out = new Uint8Array(head.length + body.length)
  out.set(head, 0)
  out.set(body, head.length)
  return out
}

/**
 * `signingBytes(domain, value)` taken from `encoded`, the canonical CBOR of `value` (a map with
 * a `sig` field), by cutting the `sig` entry out instead of encoding the rest again: canonical
 * order does not depend on the entries around, so what is left is exactly the canonical CBOR of
 * the map without it. Undefined when the bytes are not such a map of at most 23 entries (an act
 * has at most 14); the caller then encodes.
 */
export function signingBytesOfEncoded (domain: string, encoded: Uint8Array): Uint8Array | undefined {
  if (!domainPattern.test(domain)) {
    throw new TypeError(`signing domain "${domain}" must be 1-64 characters of a-z, 0-9 and / . _ -`)
  }
  const tokens = new Tokenizer(encoded, {})
  const map = tokens.next()
  // Up to 23 entries a map's head is one byte (0xa0 + count), and one byte again with one entry fewer.
  if (!Type.equals(map.type, Type.map) || tokens.pos() !== 1 || map.value < 1 || map.value > 23) return undefined
  let cut: [number, number] | undefined
  for (let i = 0; i < map.value; i++) {
    const from = tokens.pos()
    const key = tokens.next()
    skipItem(tokens)
    if (Type.equals(key.type, Type.string) && key.value === SIG_FIELD) cut = [from, tokens.pos()]
  }
  if (cut == null || tokens.pos() !== encoded.length) return undefined
  const head = utf8.encode(`${DOMAIN_PREFIX}${domain}\n`)
  const out = new Uint8Array(head.length + encoded.length - (cut[1] - cut[0]))
  out.set(head, 0)
  out[head.length] = 0xa0 + map.value - 1
  out.set(encoded.subarray(1, cut[0]), head.length + 1)
  out.set(encoded.subarray(cut[1]), head.length + cut[0])
  return out
}

/** Reads past one whole item (containers with everything in them). */
function skipItem (tokens: Tokenizer): void {
  const token = tokens.next()
  const items = Type.equals(token.type, Type.array)
    ? token.value as number
    : Type.equals(token.type, Type.map)
      ? 2 * (token.value as number)
      : Type.equals(token.type, Type.tag) ? 1 : 0
  for (let i = 0; i < items; i++) skipItem(tokens)
}

/** The value with a `sig` field added: an Ed25519 signature over `signingBytes(domain, value)`. */
export async function sign<V extends CborMap> (key: SigningKey, domain: string, value: V): Promise<V & { sig: Uint8Array }> {
  const sig = await key.sign(signingBytes(domain, value))
  if (!(sig instanceof Uint8Array) || sig.length !== SIGNATURE_BYTES) {
    throw new TypeError(`expected a ${SIGNATURE_BYTES}-byte Ed25519 signature from the key`)
  }
  return { ...value, [SIG_FIELD]: sig }
}

/**
 * Checks the `sig` field of a decoded message against `key` (the sender's libp2p key) and the
 * domain. Throws InvalidSignatureError when it is missing, not 64 bytes, or wrong. `encoded`,
 * when the caller has it, is the canonical CBOR the message was decoded from (checked as such by
 * the decoder): the signed bytes are then cut from it rather than encoded again.
 */
export async function verify (key: VerifyingKey, domain: string, signed: CborMap, encoded?: Uint8Array): Promise<void> {
  if (!Object.hasOwn(signed, SIG_FIELD)) throw new InvalidSignatureError('missing')
  const sig = signed[SIG_FIELD]
  if (!(sig instanceof Uint8Array) || sig.length !== SIGNATURE_BYTES) throw new InvalidSignatureError('malformed')
  const data = (encoded != null ? signingBytesOfEncoded(domain, encoded) : undefined) ?? signingBytes(domain, signed)
  let ok: boolean
  try {
    ok = await key.verify(data, sig)
  } catch (err) {
    // A key that throws on odd input is still saying no; the caller needs one answer.
    throw new InvalidSignatureError('wrong', (err as Error).message)
  }
  if (ok !== true) throw new InvalidSignatureError('wrong')
}

/** Length of a raw Ed25519 public key. */
export const ED25519_PUBLIC_KEY_BYTES = 32

/**
 * An Ed25519 public key (its 32 raw bytes) that checks signatures with node:crypto, as libp2p's
 * Ed25519 key does in Node, with two differences for checking hundreds of signatures of one key
 * (a published game): the key is imported once, not for every signature, and each check runs on
 * libuv's thread pool, so several run at once on other cores while the caller goes on. The
 * answers are the same: the same OpenSSL call decides, on the same key, data and signature.
 */
export function ed25519VerifyingKey (raw: Uint8Array): VerifyingKey {
  if (!(raw instanceof Uint8Array) || raw.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new TypeError(`an Ed25519 public key is ${ED25519_PUBLIC_KEY_BYTES} bytes`)
  }
  let key: KeyObject | undefined
  return {
    verify: async (data, sig) => {
      // Imported on first use: a key OpenSSL refuses to import fails each check, as libp2p's does.
      key ??= createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') } })
      const k = key
      return await new Promise<boolean>((resolve, reject) => {
        cryptoVerify(null, data, k, sig, (err, ok) => { if (err != null) reject(err); else resolve(ok) })
      })
    }
  }
}
