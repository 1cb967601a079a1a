// The envelope (protocols/mailbox.md, "Envelope"): what a sender leaves with a holder for a peer
// that is offline. Signed by the sender (domain mailbox/envelope); names both peers, a sequence
// number per (sender, recipient) and the hash of the previous envelope to that recipient, so the
// recipient detects a holder that drops, reorders or replays; the payload is sealed to the
// recipient (seal.ts). Pure: the clock is passed in.
import { createHash } from 'node:crypto'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { equals } from 'multiformats/bytes'
import { MalformedMessageError, WireError, bytes, int, decodeMessage, encodeCanonical, field, noExtraKeys, oneOf, optional, sign, uint, verify } from '../../../wire/index.js'
import { publicKeyOfBytes, verifierOfPeer } from '../../lobby/v2/sign.js'
import { EnvelopeError } from './errors.js'
import { ENVELOPE_DOMAIN, ENVELOPE_MAX_BYTES, KINDS, MAILBOX_VERSION, MAX_LIFETIME, MAX_SKEW, PAYLOAD_MAX_BYTES, SEAL_TAG_BYTES, type MailboxKind } from './limits.js'
import { KEY_BYTES, SEAL_INFO, open, seal } from './seal.js'
import type { CborMap, Check } from '../../../wire/index.js'
import type { PrivateKey } from '@libp2p/interface'

/** Length of an envelope ID and of `prev`: a SHA-256. */
export const ID_BYTES = 32

/** An envelope as decoded: its header in clear, its payload sealed. */
export interface Envelope {
  readonly t: 'envelope'
  /** The sender, as peer ID multihash bytes (an Ed25519 peer ID: it carries the key that signs). */
  readonly from: Uint8Array
  /** The recipient, as peer ID multihash bytes (an Ed25519 peer ID: the payload is sealed to its key). */
  readonly to: Uint8Array
  /** 1 for the sender's first envelope to this recipient, then one more each time. */
  readonly seq: number
  /** The ID of the sender's envelope to this recipient with `seq - 1`; absent exactly when `seq` is 1. */
  readonly prev?: Uint8Array
  readonly kind: MailboxKind
  /** When it was sealed, ms since the epoch (the sender's clock). */
  readonly at: number
  /** When holders drop it, ms since the epoch: at most 30 days after `at`. */
  readonly expires: number
  /** The sealed box's ephemeral X25519 public key. */
  readonly epk: Uint8Array
  /** The sealed payload with its 16-byte tag. */
  readonly box: Uint8Array
  readonly sig: Uint8Array
}

/** An envelope with the bytes it came as and its ID (the SHA-256 of those bytes). */
export interface Received {
  readonly envelope: Envelope
  readonly bytes: Uint8Array
  readonly id: Uint8Array
}

/** What a sender says before the envelope is sealed and signed. */
export interface EnvelopeDraft {
  readonly to: Uint8Array
  readonly seq: number
  readonly prev?: Uint8Array
  readonly kind: MailboxKind
  readonly at: number
  readonly expires: number
  readonly payload: Uint8Array
}

/** A peer ID that carries an Ed25519 key: signatures check with it, boxes seal to it. */
const ed25519Peer: Check<Uint8Array> = (value, path) => {
  const peer = bytes({ min: 2, max: 64 })(value, path)
  const key = publicKeyOfBytes(peer)
  if (typeof key === 'string') throw new EnvelopeError('bad-peer', path, key)
  if (key.type !== 'Ed25519') throw new EnvelopeError('bad-peer', path, `a ${key.type} key`)
  return peer
}

/** The SHA-256 of an envelope's bytes: its ID, and the next envelope's `prev`. */
export function envelopeId (data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

/** The associated data the box is bound to: a box cannot be moved under another sender, recipient, number or kind. */
export function aadOf (header: { from: Uint8Array, to: Uint8Array, seq: number, kind: MailboxKind }): Uint8Array {
  const head = new TextEncoder().encode(SEAL_INFO)
  const body = encodeCanonical({ from: header.from, to: header.to, seq: header.seq, kind: header.kind })
  const out = new Uint8Array(head.length + body.length)
  out.set(head)
  out.set(body, head.length)
  return out
}

function envelopeOf (f: CborMap): Envelope {
  noExtraKeys(f, ['v', 't', 'from', 'to', 'seq', 'prev', 'kind', 'at', 'expires', 'epk', 'box', 'sig'], '')
  const seq = field(f, 'seq', int(1, Number.MAX_SAFE_INTEGER), '')
  const prev = optional(f, 'prev', bytes(ID_BYTES), '')
  if (seq === 1 && prev != null) throw new MalformedMessageError('schema', 'prev', 'the first envelope (seq 1) has no previous one')
  if (seq > 1 && prev == null) throw new MalformedMessageError('schema', 'prev', 'the field is missing: every envelope after the first names the one before')
  const at = field(f, 'at', uint(), '')
  return {
    t: 'envelope',
    from: field(f, 'from', ed25519Peer, ''),
    to: field(f, 'to', ed25519Peer, ''),
    seq,
    ...(prev != null ? { prev } : {}),
    kind: field(f, 'kind', oneOf(...KINDS), ''),
    at,
    expires: field(f, 'expires', uint(), ''),
    epk: field(f, 'epk', bytes(KEY_BYTES), ''),
    box: field(f, 'box', bytes({ min: SEAL_TAG_BYTES, max: PAYLOAD_MAX_BYTES + SEAL_TAG_BYTES }), ''),
    sig: field(f, 'sig', bytes(64), '')
  }
}

/** Decodes an envelope without its signature or clock: size (17.4 KiB), canonical CBOR, version, type, schema. */
export function decodeEnvelope (data: Uint8Array): Envelope {
  return envelopeOf(decodeMessage(data, { maxBytes: ENVELOPE_MAX_BYTES, versions: [MAILBOX_VERSION], types: ['envelope'] as const }).fields)
}

/** The sender's signature (domain mailbox/envelope): EnvelopeError `bad-signature` at `sig`. */
export async function verifyEnvelope (envelope: Envelope, data?: Uint8Array): Promise<void> {
  const key = verifierOfPeer(envelope.from)
  if (typeof key === 'string') throw new EnvelopeError('bad-peer', 'from', key)
  const { t, ...fields } = envelope
  try {
    await verify(key, ENVELOPE_DOMAIN, { ...fields, v: MAILBOX_VERSION, t }, data)
  } catch (err) {
    if (err instanceof WireError) throw new EnvelopeError('bad-signature', 'sig', err.message)
    throw err
  }
}

/** The clock's checks, as a holder makes them at deposit: `too-long`, `from-future`, `expired`. */
export function checkEnvelopeTimes (envelope: Envelope, now: number): void {
  if (envelope.expires <= envelope.at) throw new EnvelopeError('expired', 'expires', 'it expires before it was made')
  if (envelope.expires - envelope.at > MAX_LIFETIME) throw new EnvelopeError('too-long', 'expires', `${envelope.expires - envelope.at} ms after it was made`)
  if (envelope.at - now > MAX_SKEW) throw new EnvelopeError('from-future', 'at', `${envelope.at - now} ms ahead`)
  if (envelope.expires <= now) throw new EnvelopeError('expired', 'expires', `${now - envelope.expires} ms ago`)
}

/**
 * Decodes and checks an envelope as a holder does at deposit, in the protocol's order:
 * decodeEnvelope, the signature, then the clock (checkEnvelopeTimes).
 */
export async function checkDeposit (data: Uint8Array, now: number): Promise<Received> {
  const envelope = decodeEnvelope(data)
  await verifyEnvelope(envelope, data)
  checkEnvelopeTimes(envelope, now)
  return { envelope, bytes: data, id: envelopeId(data) }
}

/**
 * Decodes and checks an envelope as its recipient does at collection: decodeEnvelope, the
 * signature, `wrong-recipient` (not for `me`); expiry is not checked (a holder that kept it too
 * long did no harm the chain cannot see).
 */
export async function checkCollected (data: Uint8Array, me: Uint8Array): Promise<Received> {
  const envelope = decodeEnvelope(data)
  await verifyEnvelope(envelope, data)
  if (!equals(envelope.to, me)) throw new EnvelopeError('wrong-recipient', 'to')
  return { envelope, bytes: data, id: envelopeId(data) }
}

/** Opens an envelope's payload with the recipient's libp2p Ed25519 key: EnvelopeError `undecryptable` when it does not open. */
export function openEnvelope (envelope: Envelope, privateKey: PrivateKey): Uint8Array {
  if (privateKey.type !== 'Ed25519') throw new TypeError('only an Ed25519 key opens a mailbox envelope')
  return open({ epk: envelope.epk, box: envelope.box }, privateKey.raw.subarray(0, KEY_BYTES), aadOf(envelope))
}

/**
 * Seals the payload to `draft.to`, signs with the sender's key and encodes; checked as a holder
 * will check it, the clock aside (a field it would refuse throws the WireError naming it).
 * `ephemeral` is for test vectors only.
 */
export async function encodeEnvelope (draft: EnvelopeDraft, privateKey: PrivateKey, ephemeral?: Uint8Array): Promise<Uint8Array> {
  if (draft.payload.length > PAYLOAD_MAX_BYTES) throw new RangeError(`a payload of ${draft.payload.length} bytes is over the limit of ${PAYLOAD_MAX_BYTES}`)
  const from = peerIdFromPrivateKey(privateKey).toMultihash().bytes
  const to = ed25519Peer(draft.to, 'to')
  const recipientKey = publicKeyOfBytes(to)
  if (typeof recipientKey === 'string') throw new EnvelopeError('bad-peer', 'to', recipientKey)
  const header = { from, to, seq: draft.seq, kind: draft.kind }
  const sealed = seal(draft.payload, recipientKey.raw, aadOf(header), ephemeral)
  const fields = {
    v: MAILBOX_VERSION,
    t: 'envelope',
    ...header,
    ...(draft.prev != null ? { prev: draft.prev } : {}),
    at: draft.at,
    expires: draft.expires,
    epk: sealed.epk,
    box: sealed.box
  }
  const data = encodeCanonical(await sign(privateKey, ENVELOPE_DOMAIN, fields))
  decodeEnvelope(data)
  return data
}
