// Presence records in the DHT (protocols/lobby.md, "Friends"): a friend's presence is not on our
// lobby topics unless its rating is near ours, so an open player also puts its signed lobby v2
// presence under `/p2pgo-presence/<peer>`; a player who stops being open puts its signed `leave`
// ("away"). The value is the lobby message's own signed bytes, checked by the lobby's codec. Pure
// apart from the signature check: the clock is passed in.
import { equals } from 'multiformats/bytes'
import { InvalidSignatureError, WireError } from '../../wire/index.js'
import { checkLobbyV2, decodeLobbyV2, type LeaveV2, type PresenceV2 } from '../lobby/v2/messages.js'
import { AWAY_LIFE, PRESENCE_LIFE, PRESENCE_MAX_SKEW, PRESENCE_NAMESPACE, PRESENCE_RECORD_MAX_BYTES } from './constants.js'
import { InvalidPresenceRecordError } from './errors.js'
import { InvalidRatingRecordError } from '../../rating/errors.js'
import type { RecordKind } from '../dht/record-kinds.js'

const prefix = new TextEncoder().encode(`/${PRESENCE_NAMESPACE}/`)

/** The DHT key of a peer's presence record: `/p2pgo-presence/` + its peer ID multihash bytes. */
export function presenceKey (peer: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + peer.length)
  out.set(prefix, 0)
  out.set(peer, prefix.length)
  return out
}

/** A checked presence record: the player is open to games (`presence`), or said it is not (`away`, a leave). */
export type PresenceRecord = { readonly kind: 'open', readonly message: PresenceV2 } | { readonly kind: 'away', readonly message: LeaveV2 }

/**
 * Checks a presence record stored under `key` at `now`: size (1 KiB), then the lobby v2 codec
 * (canonical CBOR, schema, the author's signature), then the key names the author, then time:
 * a presence must not have expired nor live more than PRESENCE_LIFE (+ skew) ahead; a leave's
 * `seq` (its signer's clock, in ms) must be within AWAY_LIFE before now and the skew after.
 * Throws InvalidPresenceRecordError with the reason.
 */
export async function checkPresenceRecord (key: Uint8Array, value: Uint8Array, now: number): Promise<PresenceRecord> {
  if (value.length > PRESENCE_RECORD_MAX_BYTES) throw new InvalidPresenceRecordError('too-large', `${value.length} bytes, the limit is ${PRESENCE_RECORD_MAX_BYTES}`)
  if (key.length <= prefix.length || !equals(key.subarray(0, prefix.length), prefix)) throw new InvalidPresenceRecordError('wrong-key', 'not a key of this namespace')
  const checked = await checkLobbyV2(value, now, { maxTtl: PRESENCE_LIFE + PRESENCE_MAX_SKEW })
  if ('error' in checked) {
    const err = checked.error
    if (err instanceof InvalidSignatureError) throw new InvalidPresenceRecordError('bad-signature', err.message)
    if (err instanceof WireError) throw new InvalidPresenceRecordError(err.reason === 'too-large' ? 'too-large' : 'malformed', err.message)
    if (err.reason === 'expired' || err.reason === 'expires-too-far') throw new InvalidPresenceRecordError(err.reason, err.message)
    throw new InvalidPresenceRecordError('malformed', err.message)
  }
  const msg = checked.message
  if (!equals(msg.peer, key.subarray(prefix.length))) throw new InvalidPresenceRecordError('wrong-key', 'the key names another peer than the author')
  if (msg.t === 'presence') return { kind: 'open', message: msg }
  if (msg.t !== 'leave') throw new InvalidPresenceRecordError('wrong-type', `a ${msg.t}`)
  if (msg.seq <= now - AWAY_LIFE) throw new InvalidPresenceRecordError('expired', `the leave was signed ${now - msg.seq} ms ago`)
  if (msg.seq > now + PRESENCE_MAX_SKEW) throw new InvalidPresenceRecordError('expires-too-far', `the leave is dated ${msg.seq - now} ms ahead`)
  return { kind: 'away', message: msg }
}

/** The seq of a record whose bytes decode, for the selector; -1 otherwise (values reach the selector validated). */
function seqOf (value: Uint8Array): number {
  try {
    // No signature check here: kad-dht validated the values first.
    const m = decodeLobbyV2(value)
    return 'seq' in m ? m.seq : -1
  } catch {
    return -1
  }
}

/** The index of the newest record (highest seq: an author's seq only rises, so a leave after a presence wins); the first on a tie. */
export function newestPresenceIndex (values: readonly Uint8Array[]): number {
  let best = 0
  let bestSeq = -Infinity
  values.forEach((v, i) => {
    const seq = seqOf(v)
    if (seq > bestSeq) { best = i; bestSeq = seq }
  })
  return best
}

/** Presence records as a DHT record kind: validated, the newest chosen, an older copy refused, kept while they would be read. */
export function presenceRecordKind (now: () => number = Date.now): RecordKind {
  return {
    namespace: PRESENCE_NAMESPACE,
    validate: async (key, value) => { await checkPresenceRecord(key, value, now()) },
    select: (_key, values) => newestPresenceIndex(values),
    refuseOlder: async (key, value, stored) => {
      if (await olderPresence(key, value, stored, now())) throw new InvalidRatingRecordError('stale', `presence seq ${presenceSeq(value) ?? '?'}, this node holds seq ${presenceSeq(stored) ?? '?'}`)
    },
    // A presence record counts for minutes, not days: it may go once it would no longer be read.
    keepUntil: value => presenceUntil(value) ?? now()
  }
}

/** The seq of a presence record's bytes (no check), or undefined when they do not decode. */
export function presenceSeq (value: Uint8Array): number | undefined {
  const seq = seqOf(value)
  return seq < 0 ? undefined : seq
}

/** When a presence record stops counting: a presence's `expires`, a leave's `seq` + AWAY_LIFE; undefined when it does not decode. */
export function presenceUntil (value: Uint8Array): number | undefined {
  try {
    const m = decodeLobbyV2(value)
    if (m.t === 'presence') return m.expires
    if (m.t === 'leave') return m.seq + AWAY_LIFE
  } catch {}
  return undefined
}

/**
 * Whether `value` (already validated) may not replace `stored` under `key` at `now`: a lower seq
 * than a stored copy that is still valid. Without it a replay of the author's older, unexpired
 * presence could overwrite its leave at the nodes that store it.
 */
export async function olderPresence (key: Uint8Array, value: Uint8Array, stored: Uint8Array, now: number): Promise<boolean> {
  try {
    await checkPresenceRecord(key, stored, now)
  } catch {
    return false
  }
  return (presenceSeq(value) ?? -1) < (presenceSeq(stored) ?? -1)
}
