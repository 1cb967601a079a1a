// The catch-up protocol of lobby version 2, `/p2pgo/lobby-sync/2.0.0` (protocols/lobby.md,
// "Version 2"): a node that joins a topic asks a neighbour for the entries it holds. The request
// is unsigned (it rides an authenticated stream); the answer hands on signed presences and seeks
// as their authors sent them, each checked again by the receiver. Pure: the stream is the service's.
import { MalformedMessageError, WireError, arrayOf, bytes, decodeMessage, encodeMessage, field, int, noExtraKeys, oneOf, optional } from '../../../wire/index.js'
import { LOBBY_SIZES, MAX_ABS_MU } from '../constants.js'
import { finite } from '../fields.js'
import { LOBBY_V2_MAX_BYTES, LOBBY_V2_VERSION, MAX_ABS_BUCKET, SYNC_ANSWER_MAX_BYTES, SYNC_MAX_LIVE, SYNC_MAX_PRESENCES, SYNC_MAX_SEEKS, SYNC_REQUEST_MAX_BYTES } from './limits.js'
import { checkLobbyV2 } from './messages.js'
import type { LobbyMessageError } from '../errors.js'
import type { LobbySize } from '../messages.js'
import type { LiveV2, PresenceV2, SeekV2 } from './messages.js'

/** The catch-up protocol's ID. */
export const LOBBY_SYNC_PROTOCOL = '/p2pgo/lobby-sync/2.0.0'

/** "Send me your entries of this topic", nearest to `mu` first when given. */
export interface SyncRequest {
  readonly t: 'sync-request'
  readonly size: LobbySize
  readonly bucket: number
  /** The asker's own mu, so the answer starts with the players nearest it. */
  readonly mu?: number
}

/** The entries, each the bytes of one signed presence, seek or live entry as its author sent it. */
export interface SyncAnswer {
  readonly t: 'sync-answer'
  readonly entries: readonly Uint8Array[]
}

/** One entry of an answer that passed checkLobbyV2, with the bytes to keep and hand on. */
export interface SyncEntry<M> {
  readonly bytes: Uint8Array
  readonly message: M
}

/** What the entries of a well-formed answer came to. */
export interface CheckedSyncAnswer {
  readonly presences: ReadonlyArray<SyncEntry<PresenceV2>>
  readonly seeks: ReadonlyArray<SyncEntry<SeekV2>>
  readonly live: ReadonlyArray<SyncEntry<LiveV2>>
  /** Entries refused on their own (by index in the answer): an expiry may lapse in flight, the rest is the answerer's fault. */
  readonly refused: ReadonlyArray<{ readonly index: number, readonly error: WireError | LobbyMessageError }>
}

/** The most entries an answer may hold. */
export const SYNC_MAX_ENTRIES = SYNC_MAX_PRESENCES + SYNC_MAX_SEEKS + SYNC_MAX_LIVE

const entryBytes = bytes({ min: 1, max: LOBBY_V2_MAX_BYTES })

/** Encodes a request as canonical CBOR; throws TypeError for values with no canonical form. */
export function encodeSyncRequest (req: Omit<SyncRequest, 't'>): Uint8Array {
  return encodeMessage(LOBBY_V2_VERSION, 'sync-request', { size: req.size, bucket: req.bucket, ...(req.mu != null ? { mu: req.mu } : {}) })
}

/** Decodes a request: size (256 bytes), canonical CBOR, version, type, schema. Throws a WireError. */
export function decodeSyncRequest (data: Uint8Array): SyncRequest {
  const m = decodeMessage(data, { maxBytes: SYNC_REQUEST_MAX_BYTES, versions: [LOBBY_V2_VERSION], types: ['sync-request'] })
  const f = m.fields
  noExtraKeys(f, ['v', 't', 'size', 'bucket', 'mu'], '')
  const mu = optional(f, 'mu', finite(MAX_ABS_MU), '')
  return {
    t: 'sync-request',
    size: field(f, 'size', oneOf(...LOBBY_SIZES), ''),
    bucket: field(f, 'bucket', int(-MAX_ABS_BUCKET, MAX_ABS_BUCKET), ''),
    ...(mu != null ? { mu } : {})
  }
}

// The answer's CBOR around its entries: a map head, "t": "sync-answer", "v": 2, "entries" and the
// array's head (at most 3 bytes for up to 1,000 entries); each entry adds its own head (3 bytes at most).
const ANSWER_OVERHEAD = 1 + 2 + 12 + 2 + 1 + 8 + 3
const ENTRY_OVERHEAD = 3

/**
 * Encodes an answer from `entries` in the order given (nearest rating first): an entry past
 * SYNC_MAX_PRESENCES presences, SYNC_MAX_SEEKS seeks or SYNC_MAX_LIVE live entries is left out, and the answer stops before
 * the entry that would take it past SYNC_ANSWER_MAX_BYTES. `included` counts the entries sent.
 */
export function encodeSyncAnswer (entries: ReadonlyArray<{ readonly t: 'presence' | 'seek' | 'live', readonly bytes: Uint8Array }>): { bytes: Uint8Array, included: number } {
  const out: Uint8Array[] = []
  const counts = { presence: 0, seek: 0, live: 0 }
  const caps = { presence: SYNC_MAX_PRESENCES, seek: SYNC_MAX_SEEKS, live: SYNC_MAX_LIVE }
  let size = ANSWER_OVERHEAD
  for (const entry of entries) {
    if (entry.bytes.length < 1 || entry.bytes.length > LOBBY_V2_MAX_BYTES) throw new RangeError(`a catch-up entry is 1 to ${LOBBY_V2_MAX_BYTES} bytes, got ${entry.bytes.length}`)
    if (counts[entry.t] >= caps[entry.t]) continue
    if (size + ENTRY_OVERHEAD + entry.bytes.length > SYNC_ANSWER_MAX_BYTES) break
    size += ENTRY_OVERHEAD + entry.bytes.length
    counts[entry.t]++
    out.push(entry.bytes)
  }
  return { bytes: encodeMessage(LOBBY_V2_VERSION, 'sync-answer', { entries: out }), included: out.length }
}

/**
 * Decodes an answer's frame (steps 1–6: size 512 KiB, canonical CBOR, version, type, at most 1,000
 * entries of 1 to 4,096 bytes). Throws a WireError. The entries are checked by checkSyncAnswer.
 */
export function decodeSyncAnswer (data: Uint8Array): SyncAnswer {
  const m = decodeMessage(data, { maxBytes: SYNC_ANSWER_MAX_BYTES, versions: [LOBBY_V2_VERSION], types: ['sync-answer'] })
  noExtraKeys(m.fields, ['v', 't', 'entries'], '')
  return { t: 'sync-answer', entries: field(m.fields, 'entries', arrayOf(entryBytes, SYNC_MAX_ENTRIES), '') }
}

/**
 * Decodes an answer and checks every entry with checkLobbyV2 as of `now` (no gossip sender: each
 * entry's own signature says who wrote it). An entry refused on its own is listed in `refused`
 * and the others kept; the answer as a whole is refused (`error`) when it does not decode, or
 * holds a valid message other than a presence, seek or live entry, or more than 200 presences, 600
 * seeks or 200 live entries.
 */
export async function checkSyncAnswer (data: Uint8Array, now: number, opts: { readonly maxTtl: number }): Promise<{ readonly answer: CheckedSyncAnswer } | { readonly error: WireError | LobbyMessageError }> {
  let answer: SyncAnswer
  try {
    answer = decodeSyncAnswer(data)
  } catch (err) {
    if (err instanceof WireError) return { error: err }
    throw err
  }
  // Checked together: each signature check runs on libuv's thread pool.
  const checked = await Promise.all(answer.entries.map(async entry => await checkLobbyV2(entry, now, { maxTtl: opts.maxTtl })))
  const presences: Array<SyncEntry<PresenceV2>> = []
  const seeks: Array<SyncEntry<SeekV2>> = []
  const live: Array<SyncEntry<LiveV2>> = []
  const refused: Array<{ index: number, error: WireError | LobbyMessageError }> = []
  for (const [index, c] of checked.entries()) {
    if ('error' in c) {
      refused.push({ index, error: c.error })
      continue
    }
    const bytes = answer.entries[index]
    const m = c.message
    if (m.t === 'presence') presences.push({ bytes, message: m })
    else if (m.t === 'seek') seeks.push({ bytes, message: m })
    else if (m.t === 'live') live.push({ bytes, message: m })
    else return { error: new MalformedMessageError('schema', `entries[${index}]`, `a catch-up answer holds presences, seeks and live entries only, got a ${m.t}`) }
    if (presences.length > SYNC_MAX_PRESENCES) return { error: new MalformedMessageError('schema', `entries[${index}]`, `more than ${SYNC_MAX_PRESENCES} presences`) }
    if (seeks.length > SYNC_MAX_SEEKS) return { error: new MalformedMessageError('schema', `entries[${index}]`, `more than ${SYNC_MAX_SEEKS} seeks`) }
    if (live.length > SYNC_MAX_LIVE) return { error: new MalformedMessageError('schema', `entries[${index}]`, `more than ${SYNC_MAX_LIVE} live entries`) }
  }
  return { answer: { presences, seeks, live, refused } }
}

