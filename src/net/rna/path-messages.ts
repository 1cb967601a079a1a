// The propagation path protocol's two messages (protocols/rna-path.md): one question, one answer.
import { decodeMessage, encodeMessage } from '../../wire/envelope.js'
import { bytes, cid, field, noExtraKeys, oneOf, optional, uint } from '../../wire/schema.js'
import { PATH_MAX_BYTES } from './constants.js'
import type { CID } from 'multiformats/cid'

export const PATH_VERSION = 1

/** "From whom did you get this RNA, and when?" */
export interface WhereRequest { readonly t: 'where', readonly rna: CID }

/**
 * The answer. `known` false: the answerer does not hold it. Otherwise `at` is when it had it, and
 * `from` the peer that delivered it (absent: the answerer published it). `busy`: asked too often.
 */
export type WhereAnswer =
  | { readonly t: 'hop', readonly rna: CID, readonly known: false }
  | { readonly t: 'hop', readonly rna: CID, readonly known: true, readonly at: number, readonly from?: Uint8Array }
  | { readonly t: 'busy' }

export type PathMessage = WhereRequest | WhereAnswer

export function encodePathMessage (m: PathMessage): Uint8Array {
  const { t, ...fields } = m
  return encodeMessage(PATH_VERSION, t, fields)
}

/** Decodes a path message: size, canonical CBOR, envelope, then its fields (throws WireError). */
export function decodePathMessage (data: Uint8Array): PathMessage {
  const { t, fields: f } = decodeMessage(data, { maxBytes: PATH_MAX_BYTES, versions: [PATH_VERSION], types: ['where', 'hop', 'busy'] as const })
  if (t === 'busy') {
    noExtraKeys(f, ['v', 't'], '')
    return { t }
  }
  if (t === 'where') {
    noExtraKeys(f, ['v', 't', 'rna'], '')
    return { t, rna: field(f, 'rna', cid, '') }
  }
  noExtraKeys(f, ['v', 't', 'rna', 'known', 'at', 'from'], '')
  const rna = field(f, 'rna', cid, '')
  if (field(f, 'known', oneOf(true, false), '') === false) {
    noExtraKeys(f, ['v', 't', 'rna', 'known'], '')
    return { t, rna, known: false }
  }
  const from = optional(f, 'from', bytes({ min: 2, max: 64 }), '')
  return { t, rna, known: true, at: field(f, 'at', uint(), ''), ...(from != null ? { from } : {}) }
}
