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
 * domain. Throws InvalidSignatureError when it is missing, not 64 bytes, or wrong.
 */
export async function verify (key: VerifyingKey, domain: string, signed: CborMap): Promise<void> {
  if (!Object.hasOwn(signed, SIG_FIELD)) throw new InvalidSignatureError('missing')
  const sig = signed[SIG_FIELD]
  if (!(sig instanceof Uint8Array) || sig.length !== SIGNATURE_BYTES) throw new InvalidSignatureError('malformed')
  const data = signingBytes(domain, signed)
  let ok: boolean
  try {
    ok = await key.verify(data, sig)
  } catch (err) {
    // A key that throws on odd input is still saying no; the caller needs one answer.
    throw new InvalidSignatureError('wrong', (err as Error).message)
  }
  if (ok !== true) throw new InvalidSignatureError('wrong')
}
