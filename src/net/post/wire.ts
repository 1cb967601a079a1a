// The post protocol's bytes (protocols/post.md), pure: a message's payload, the signed item a
// node hands a peer that is online, and the answer. Decoders check size, CBOR, version and type,
// shape, then the signature, then who it is from and for; each refusal says why in words.
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { decodeMessage, encodeMessage } from '../../wire/envelope.js'
import { FrameTooLargeError, InvalidSignatureError, MalformedMessageError, UnknownVersionError } from '../../wire/errors.js'
import { arrayOf, bytes, field, noExtraKeys, oneOf, text, uint } from '../../wire/schema.js'
import { sign, verify, SIGNATURE_BYTES } from '../../wire/signing.js'
import { ANSWER_MAX_BYTES, DIRECT_MAX_BYTES, POST_DOMAIN, POST_VERSION, REFUSAL_MAX_BYTES, TEXT_MAX_BYTES, TEXT_MAX_CHARS } from './constants.js'
import { PostRefusedError, type PostRefusal } from './errors.js'
import type { SigningKey } from '../../wire/signing.js'

/** What travels as post: an offline challenge's messages, or a short message. */
export type PostKind = 'challenge' | 'message'

/** A direct item before signing. */
export interface PostItem {
  /** Sender and recipient peer IDs as multihash bytes. */
  readonly from: Uint8Array
  readonly to: Uint8Array
  readonly kind: PostKind
  /** When it was made, and when it lapses (ms since the epoch, the sender's clock). */
  readonly at: number
  readonly expires: number
  readonly payload: Uint8Array
}

/** The answer to a direct item. */
export type PostAnswer = { readonly t: 'ok' } | { readonly t: 'refused', readonly reason: string, readonly message: string }

const controls = /[\u0000-\u001f\u007f-\u009f]/
const utf8 = new TextEncoder()

/** A message's text as a person may send it: 1 to 500 characters, no control characters. Throws RangeError in words. */
export function checkText (s: string): string {
  const chars = [...s].length
  if (chars === 0) throw new RangeError('a message needs some text')
  if (chars > TEXT_MAX_CHARS || utf8.encode(s).length > TEXT_MAX_BYTES) throw new RangeError(`a message is at most ${TEXT_MAX_CHARS} characters (${TEXT_MAX_BYTES} bytes); this one has ${chars} characters`)
  if (controls.test(s)) throw new RangeError('a message is one line of text: no line breaks or control characters')
  return s
}

/** Most reply addresses a payload carries, and the longest one in bytes. */
export const REPLY_MAX = 4
export const REPLY_MAX_BYTES = 300

/** What a post item carries: a message's text or a challenge message, and where to answer the sender. */
export type PostPayload =
  | { readonly kind: 'message', readonly text: string, readonly reply: readonly Uint8Array[] }
  | { readonly kind: 'challenge', readonly msg: Uint8Array, readonly reply: readonly Uint8Array[] }

/**
 * A payload: `{v: 1, t: "message", text, reply}` or `{v: 1, t: "challenge", msg, reply}`;
 * `reply` is the sender's circuit addresses (multiaddr bytes), so a recipient that never met it
 * can answer through its relays.
 */
export function encodePayload (p: PostPayload): Uint8Array {
  const reply = p.reply.slice(0, REPLY_MAX).filter(r => r.length <= REPLY_MAX_BYTES)
  if (p.kind === 'message') return encodeMessage(POST_VERSION, 'message', { text: checkText(p.text), reply })
  return encodeMessage(POST_VERSION, 'challenge', { msg: p.msg, reply })
}

/** A payload of `kind`, checked; PostRefusedError when it is not one (a message's text too long, say). */
export function decodePayload (kind: PostKind, payload: Uint8Array): PostPayload {
  return refuseBadBytes(() => {
    const { t, fields } = decodeMessage(payload, { maxBytes: DIRECT_MAX_BYTES, versions: [POST_VERSION], types: [kind] })
    noExtraKeys(fields, ['v', 't', t === 'message' ? 'text' : 'msg', 'reply'], '')
    const reply = field(fields, 'reply', arrayOf(bytes({ min: 1, max: REPLY_MAX_BYTES }), REPLY_MAX), '')
    if (t === 'challenge') return { kind: t, msg: field(fields, 'msg', bytes({ min: 1, max: DIRECT_MAX_BYTES }), ''), reply }
    const s = field(fields, 'text', text(TEXT_MAX_BYTES), '')
    try {
      return { kind: 'message', text: checkText(s), reply }
    } catch (err) {
      throw new MalformedMessageError('schema', 'text', (err as Error).message)
    }
  })
}

/** A signed direct item, as canonical CBOR. */
export async function encodeDirect (item: PostItem, key: SigningKey): Promise<Uint8Array> {
  const value = { v: POST_VERSION, t: 'item', from: item.from, to: item.to, kind: item.kind, at: item.at, expires: item.expires, payload: item.payload }
  const signed = await sign(key, POST_DOMAIN, value)
  return encodeMessage(POST_VERSION, 'item', { ...signed, sig: new Uint8Array(signed.sig) })
}

/**
 * Checks a direct item in order: size, CBOR, version, type and shape, that `from` is the peer on
 * the other end of the connection and `to` is this node, the signature, then the times.
 */
export async function checkDirect (bytesIn: Uint8Array, expect: { me: Uint8Array, remote: Uint8Array, now: number }): Promise<PostItem> {
  const { fields } = refuseBadBytes(() => decodeMessage(bytesIn, { maxBytes: DIRECT_MAX_BYTES, versions: [POST_VERSION], types: ['item'] }))
  const item = refuseBadBytes(() => {
    noExtraKeys(fields, ['v', 't', 'from', 'to', 'kind', 'at', 'expires', 'payload', 'sig'], '')
    return {
      from: field(fields, 'from', bytes({ min: 2, max: 64 }), ''),
      to: field(fields, 'to', bytes({ min: 2, max: 64 }), ''),
      kind: field(fields, 'kind', oneOf('challenge', 'message'), ''),
      at: field(fields, 'at', uint(), ''),
      expires: field(fields, 'expires', uint(), ''),
      payload: field(fields, 'payload', bytes({ max: DIRECT_MAX_BYTES }), ''),
      sig: field(fields, 'sig', bytes(SIGNATURE_BYTES), '')
    }
  })
  if (!same(item.to, expect.me)) throw new PostRefusedError('wrong-recipient', 'the item is addressed to another peer')
  if (!same(item.from, expect.remote)) throw new PostRefusedError('wrong-sender', 'the item names a sender other than the peer that sent it')
  const key = (() => {
    try {
      return peerIdFromMultihash(Digest.decode(item.from)).publicKey
    } catch {
      return undefined
    }
  })()
  if (key == null) throw new PostRefusedError('bad-signature', 'the sender\'s peer ID holds no key to check the signature with')
  try {
    await verify(key, POST_DOMAIN, fields)
  } catch (err) {
    if (err instanceof InvalidSignatureError) throw new PostRefusedError('bad-signature', 'the item\'s signature does not check with its sender\'s key')
    throw err
  }
  if (item.expires <= expect.now || item.expires <= item.at) throw new PostRefusedError('expired', 'the item has expired')
  const { sig: _sig, ...rest } = item
  return rest
}

/** An answer frame body. */
export function encodeAnswer (answer: PostAnswer): Uint8Array {
  if (answer.t === 'ok') return encodeMessage(POST_VERSION, 'ok')
  return encodeMessage(POST_VERSION, 'refused', { reason: answer.reason.slice(0, 64), message: clipBytes(answer.message, REFUSAL_MAX_BYTES) })
}

export function decodeAnswer (body: Uint8Array): PostAnswer {
  const { t, fields } = decodeMessage(body, { maxBytes: ANSWER_MAX_BYTES, versions: [POST_VERSION], types: ['ok', 'refused'] })
  if (t === 'ok') return { t }
  return { t, reason: field(fields, 'reason', text(64), ''), message: field(fields, 'message', text(REFUSAL_MAX_BYTES), '') }
}

function clipBytes (s: string, max: number): string {
  let out = ''
  for (const ch of s.replace(new RegExp(controls.source, 'g'), ' ')) {
    if (utf8.encode(out + ch).length > max) break
    out += ch
  }
  return out
}

function same (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** Runs a decoder, turning the wire's errors into a refusal with its reason. */
function refuseBadBytes<T> (f: () => T): T {
  try {
    return f()
  } catch (err) {
    const reason: PostRefusal = err instanceof FrameTooLargeError ? 'too-large' : err instanceof UnknownVersionError ? 'unknown-version' : 'malformed'
    if (err instanceof FrameTooLargeError || err instanceof UnknownVersionError || err instanceof MalformedMessageError) throw new PostRefusedError(reason, `the item is ${reason === 'too-large' ? 'too large' : reason === 'unknown-version' ? 'of a version this node does not speak' : 'malformed'}: ${err.message}`)
    throw err
  }
}
