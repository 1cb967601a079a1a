// The messages of the stream `/p2pgo/mailbox/1.0.0` (protocols/mailbox.md, "Stream"): one request
// per stream (`deposit`, `collect` or `delete`), then the holder's answer frames. Pure like
// src/wire: the envelopes inside are carried as bytes and checked by envelope.ts.
import { arrayOf, bytes, decodeMessage, encodeMessage, field, noExtraKeys, oneOf, text, uint } from '../../../wire/index.js'
import { ID_BYTES } from './envelope.js'
import { REFUSALS, type Refusal } from './errors.js'
import { ANSWER_MAX_BYTES, DELETE_MAX, ENVELOPE_MAX_BYTES, ITEMS_MAX, MAILBOX_VERSION, REFUSED_MESSAGE_MAX_BYTES, REQUEST_MAX_BYTES } from './limits.js'

/** "Keep this envelope for its recipient": the sender's request. */
export interface DepositRequest { readonly t: 'deposit', readonly envelope: Uint8Array }
/** "Give me what you hold for me": the recipient's request (who it is, Noise proved). */
export interface CollectRequest { readonly t: 'collect' }
/** "I have these: drop them": the recipient's request, by envelope ID. */
export interface DeleteRequest { readonly t: 'delete', readonly ids: readonly Uint8Array[] }
export type MailboxRequest = DepositRequest | CollectRequest | DeleteRequest

/** The envelope is held (or was already): its ID. */
export interface Deposited { readonly t: 'deposited', readonly id: Uint8Array }
/** Up to 64 envelopes held for the asker, as their senders signed them. */
export interface Items { readonly t: 'items', readonly envelopes: readonly Uint8Array[] }
/** No more items on this stream. */
export interface End { readonly t: 'end' }
/** How many of the IDs were held and are now dropped. */
export interface Deleted { readonly t: 'deleted', readonly count: number }
/** The request was refused: a reason for machines, a sentence for people. */
export interface Refused { readonly t: 'refused', readonly reason: Refusal, readonly message: string }
export type MailboxAnswer = Deposited | Items | End | Deleted | Refused

const REQUEST_TYPES = ['deposit', 'collect', 'delete'] as const
const ANSWER_TYPES = ['deposited', 'items', 'end', 'deleted', 'refused'] as const

/** Decodes a request: size, canonical CBOR, version, type, schema (the envelope inside is the caller's to check). */
export function decodeMailboxRequest (data: Uint8Array): MailboxRequest {
  const m = decodeMessage(data, { maxBytes: REQUEST_MAX_BYTES, versions: [MAILBOX_VERSION], types: REQUEST_TYPES })
  const f = m.fields
  switch (m.t) {
    case 'deposit':
      noExtraKeys(f, ['v', 't', 'envelope'], '')
      return { t: 'deposit', envelope: field(f, 'envelope', bytes({ min: 1, max: ENVELOPE_MAX_BYTES }), '') }
    case 'collect':
      noExtraKeys(f, ['v', 't'], '')
      return { t: 'collect' }
    case 'delete':
      noExtraKeys(f, ['v', 't', 'ids'], '')
      return { t: 'delete', ids: field(f, 'ids', arrayOf(bytes(ID_BYTES), DELETE_MAX), '') }
  }
}

/** Encodes a request (checked as the holder will check it). */
export function encodeMailboxRequest (request: MailboxRequest): Uint8Array {
  const { t, ...fields } = request
  const data = encodeMessage(MAILBOX_VERSION, t, t === 'delete' ? { ids: [...request.ids] } : fields)
  decodeMailboxRequest(data)
  return data
}

/** Decodes an answer: size (256 KiB), canonical CBOR, version, type, schema. */
export function decodeMailboxAnswer (data: Uint8Array): MailboxAnswer {
  const m = decodeMessage(data, { maxBytes: ANSWER_MAX_BYTES, versions: [MAILBOX_VERSION], types: ANSWER_TYPES })
  const f = m.fields
  switch (m.t) {
    case 'deposited':
      noExtraKeys(f, ['v', 't', 'id'], '')
      return { t: 'deposited', id: field(f, 'id', bytes(ID_BYTES), '') }
    case 'items':
      noExtraKeys(f, ['v', 't', 'envelopes'], '')
      return { t: 'items', envelopes: field(f, 'envelopes', arrayOf(bytes({ min: 1, max: ENVELOPE_MAX_BYTES }), ITEMS_MAX), '') }
    case 'end':
      noExtraKeys(f, ['v', 't'], '')
      return { t: 'end' }
    case 'deleted':
      noExtraKeys(f, ['v', 't', 'count'], '')
      return { t: 'deleted', count: field(f, 'count', uint(DELETE_MAX), '') }
    case 'refused':
      noExtraKeys(f, ['v', 't', 'reason', 'message'], '')
      return { t: 'refused', reason: field(f, 'reason', oneOf(...REFUSALS), ''), message: field(f, 'message', text(REFUSED_MESSAGE_MAX_BYTES), '') }
  }
}

/** Encodes an answer (checked as the asker will check it). */
export function encodeMailboxAnswer (answer: MailboxAnswer): Uint8Array {
  const { t, ...fields } = answer
  const data = encodeMessage(MAILBOX_VERSION, t, answer.t === 'items' ? { envelopes: [...answer.envelopes] } : fields)
  decodeMailboxAnswer(data)
  return data
}

/** Envelopes in `items` frames, in order, as few as the limits allow (64 envelopes, 256 KiB each). */
export function itemsFrames (envelopes: readonly Uint8Array[]): Uint8Array[] {
  const frames: Uint8Array[] = []
  // The map's head, keys, version and type take under 32 bytes; each envelope adds a head of at most 3 bytes.
  const room = ANSWER_MAX_BYTES - 32
  let batch: Uint8Array[] = []
  let size = 0
  for (const e of envelopes) {
    if (batch.length === ITEMS_MAX || size + e.length + 3 > room) {
      frames.push(encodeMailboxAnswer({ t: 'items', envelopes: batch }))
      batch = []
      size = 0
    }
    batch.push(e)
    size += e.length + 3
  }
  if (batch.length > 0) frames.push(encodeMailboxAnswer({ t: 'items', envelopes: batch }))
  return frames
}
