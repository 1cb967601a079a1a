import { decodeCanonical, encodeCanonical } from './cbor.js'
import { MalformedMessageError, UnknownVersionError } from './errors.js'
import { asMap, field, text, uint } from './schema.js'
import type { DecodeLimits } from './cbor.js'
import type { CborMap } from './schema.js'

/** What a protocol accepts: its size limit, the versions it speaks and its message types. */
export interface DecodeMessageOptions<T extends string = string> extends DecodeLimits {
  versions: readonly number[]
  types: readonly T[]
}

/** A message whose envelope is checked; its per-type fields are still the caller's to check. */
export interface Message<T extends string = string> {
  /** Protocol version. */
  v: number
  /** Message type. */
  t: T
  /** The whole message map, `v`, `t` and any `sig` included, exactly as signed. */
  fields: CborMap
}

/** Longest message type name, in bytes. */
export const MAX_TYPE_BYTES = 64

/** Encodes a message: its fields with `v` and `t` added, as canonical CBOR. */
export function encodeMessage (v: number, t: string, fields: Readonly<Record<string, unknown>> = {}): Uint8Array {
  return encodeCanonical({ ...fields, v, t })
}

/**
 * Decodes a message envelope in the order every protocol follows: size, strict and canonical
 * CBOR, a map, a known version, a known type. The version comes before the type because a
 * newer version may add types: the peer then learns the real reason.
 */
export function decodeMessage<T extends string> (bytes: Uint8Array, options: DecodeMessageOptions<T>): Message<T> {
  const map = asMap(decodeCanonical(bytes, options), '')
  const v = field(map, 'v', uint(), '')
  if (!options.versions.includes(v)) throw new UnknownVersionError(v, options.versions)
  const t = field(map, 't', text(MAX_TYPE_BYTES), '')
  if (!(options.types as readonly string[]).includes(t)) {
    throw new MalformedMessageError('unknown-type', 't', `"${t}" is not one of ${options.types.join(', ')}`)
  }
  return { v, t: t as T, fields: map }
}
