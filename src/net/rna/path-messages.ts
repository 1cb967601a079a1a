// The propagation path protocol's messages (protocols/rna-path.md): one question,
// one answer.
import { decodeMessage, encodeMessage } from '../../wire/envelope.js'
import { arrayOf, asMap, bool, bytes, cid, field, noExtraKeys, oneOf, optional, uint } from '../../wire/schema.js'
import { MAX_PATH_DEPTH, PATH_MAX_BYTES } from './constants.js'
import type { CID } from 'multiformats/cid'

export const PATH_VERSION = 1

/** "From whom did you get this RNA, and when? And, up to `depth` hops, how did it reach you?" */
export interface WhereRequest { readonly t: 'where', readonly rna: CID, readonly depth: number }

/** A hop of a path on the wire: a peer ID multihash and when it had the RNA. */
export interface WireHop { readonly peer: Uint8Array, readonly at: number }

/**
 * The answer. `known` false: the answerer does not hold it. Otherwise `at` is when it had it,
 * `from` the peer that delivered it (absent: the answerer published it), and `path` (when asked
 * for depth) the way it came as the answerer knows it, origin first, the answerer last, with
 * `complete` telling whether it reaches back to the origin. `busy`: asked too often.
 */
export type WhereAnswer =
  | { readonly t: 'hop', readonly rna: CID, readonly known: false }
  | { readonly t: 'hop', readonly rna: CID, readonly known: true, readonly at: number, readonly from?: Uint8Array, readonly path?: readonly WireHop[], readonly complete?: boolean }
  | { readonly t: 'busy' }

export type PathMessage = WhereRequest | WhereAnswer

export function encodePathMessage (m: PathMessage): Uint8Array {
  const { t, ...fields } = m
  return encodeMessage(PATH_VERSION, t, fields)
}

const hop = (value: unknown, path: string): WireHop => {
  const m = asMap(value, path)
  noExtraKeys(m, ['peer', 'at'], path)
  return { peer: field(m, 'peer', bytes({ min: 2, max: 64 }), path), at: field(m, 'at', uint(), path) }
}

/** Decodes a path message: size, canonical CBOR, envelope, then its fields (throws WireError). */
export function decodePathMessage (data: Uint8Array): PathMessage {
  const { t, fields: f } = decodeMessage(data, { maxBytes: PATH_MAX_BYTES, versions: [PATH_VERSION], types: ['where', 'hop', 'busy'] as const })
  if (t === 'busy') {
    noExtraKeys(f, ['v', 't'], '')
    return { t }
  }
  if (t === 'where') {
    noExtraKeys(f, ['v', 't', 'rna', 'depth'], '')
    return { t, rna: field(f, 'rna', cid, ''), depth: field(f, 'depth', uint(MAX_PATH_DEPTH), '') }
  }
  noExtraKeys(f, ['v', 't', 'rna', 'known', 'at', 'from', 'path', 'complete'], '')
  const rna = field(f, 'rna', cid, '')
  if (field(f, 'known', oneOf(true, false), '') === false) {
    noExtraKeys(f, ['v', 't', 'rna', 'known'], '')
    return { t, rna, known: false }
  }
  const from = optional(f, 'from', bytes({ min: 2, max: 64 }), '')
  const path = optional(f, 'path', arrayOf(hop, MAX_PATH_DEPTH + 1), '')
  const complete = optional(f, 'complete', bool, '')
  return { t, rna, known: true, at: field(f, 'at', uint(), ''), ...(from != null ? { from } : {}), ...(path != null ? { path } : {}), ...(complete != null ? { complete } : {}) }
}
