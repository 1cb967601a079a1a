// The rating record a peer publishes about itself in the DHT (protocols/rating.md): its TrueSkill
// rating per board size, the co-signed results behind the latest changes, a little about how it
// relays, all signed with its libp2p key. A pure codec: size, CBOR, schema, then signature.
import { equals } from 'multiformats/bytes'
import { timeText } from '../wire/dates.js'
import { decodeMessage, encodeMessage } from '../wire/envelope.js'
import { WireError } from '../wire/errors.js'
import { arrayOf, asMap, bytes, cid, field, int, noExtraKeys, optional, uint } from '../wire/schema.js'
import { sign, verify } from '../wire/signing.js'
import { MAX_CITED, RATED_SIZES, RECORD_DOMAIN, RECORD_MAX_BYTES, MAX_CLOCK_SKEW } from './constants.js'
import { InvalidRatingRecordError } from './errors.js'
import { keyOfPlayer } from './cosigned-result.js'
import type { CID } from 'multiformats/cid'
import type { CborMap, Check } from '../wire/schema.js'
import type { SigningKey } from '../wire/signing.js'
import type { FixedRating } from './trueskill.js'

export const RECORD_VERSION = 1

/** A rated board size. */
export type RatedSize = typeof RATED_SIZES[number]

/** One rating change: the co-signed result it came from and the rating after it. */
export interface CitedChange {
  readonly result: CID
  readonly after: FixedRating
}

/** A peer's rating on one board size. */
export interface SizeRating {
  readonly rating: FixedRating
  /** Rated games counted in it. */
  readonly games: number
  /** The latest changes, oldest first, at most MAX_CITED; the last one's `after` is `rating`. */
  readonly cited: readonly CitedChange[]
}

/**
 * How the peer fares with relays, as it reports it (unverifiable, shown for information and used
 * as a hint in matchmaking): game acts it delivered and failed to deliver over relayed paths, and
 * relayed connections it served for others.
 */
export interface RelayPerformance {
  readonly delivered: number
  readonly failed: number
  readonly served: number
}

/** A rating record before signing. */
export interface RatingRecord {
  /** The subject's peer ID as multihash bytes: the key it is stored under and the key that signs it. */
  readonly peer: Uint8Array
  /** Higher wins; p2pgo uses max(previous + 1, now in ms), so a node that lost its state still moves forward. */
  readonly seq: number
  /** When it was signed, ms since the epoch. */
  readonly updated: number
  /** When it stops being valid, ms since the epoch (updated + 24 h). */
  readonly expires: number
  readonly sizes: Readonly<Partial<Record<RatedSize, SizeRating>>>
  readonly relay: RelayPerformance
}

export interface SignedRatingRecord extends RatingRecord {
  readonly sig: Uint8Array
}

function fields (r: RatingRecord): Record<string, unknown> {
  const sizes: Record<string, unknown> = {}
  for (const size of RATED_SIZES) {
    const s = r.sizes[size]
    if (s == null) continue
    sizes[String(size)] = {
      mu: s.rating.mu,
      sigma: s.rating.sigma,
      games: s.games,
      cited: s.cited.map(c => ({ result: c.result, mu: c.after.mu, sigma: c.after.sigma }))
    }
  }
  return { peer: r.peer, seq: r.seq, updated: r.updated, expires: r.expires, sizes, relay: { delivered: r.relay.delivered, failed: r.relay.failed, served: r.relay.served } }
}

/** Signs a record with the subject's key (domain rating/record). */
export async function signRatingRecord (key: SigningKey, r: RatingRecord): Promise<SignedRatingRecord> {
  const signed = await sign(key, RECORD_DOMAIN, { ...fields(r), v: RECORD_VERSION, t: 'rating' })
  return { ...r, sig: new Uint8Array(signed.sig) }
}

/** Canonical CBOR of a signed record: the DHT value. */
export function encodeRatingRecord (r: SignedRatingRecord): Uint8Array {
  return encodeMessage(RECORD_VERSION, 'rating', { ...fields(r), sig: r.sig })
}

const mu = int(-1_000_000, 1_000_000)
const sigma = int(1, 1_000_000)

const change: Check<CitedChange> = (value, path) => {
  const m = asMap(value, path)
  noExtraKeys(m, ['result', 'mu', 'sigma'], path)
  return { result: field(m, 'result', cid, path), after: { mu: field(m, 'mu', mu, path), sigma: field(m, 'sigma', sigma, path) } }
}

const sizeRating: Check<SizeRating> = (value, path) => {
  const m = asMap(value, path)
  noExtraKeys(m, ['mu', 'sigma', 'games', 'cited'], path)
  const cited = field(m, 'cited', arrayOf(change, MAX_CITED), path)
  const games = field(m, 'games', uint(1_000_000), path)
  if (cited.length > games) throw new InvalidRatingRecordError('malformed', `${path}: cites ${cited.length} changes for ${games} games`)
  return { rating: { mu: field(m, 'mu', mu, path), sigma: field(m, 'sigma', sigma, path) }, games, cited }
}

function checkSizes (map: CborMap, path: string): Partial<Record<RatedSize, SizeRating>> {
  noExtraKeys(map, RATED_SIZES.map(String), path)
  const out: Partial<Record<RatedSize, SizeRating>> = {}
  for (const size of RATED_SIZES) {
    const s = optional(map, String(size), sizeRating, path)
    if (s != null) out[size] = s
  }
  return out
}

/** Decodes a record (size, CBOR, schema); throws InvalidRatingRecordError ('too-large', 'malformed'). */
export function decodeRatingRecord (data: Uint8Array): SignedRatingRecord {
  if (data.length > RECORD_MAX_BYTES) throw new InvalidRatingRecordError('too-large', `${data.length} bytes, at most ${RECORD_MAX_BYTES}`)
  try {
    const { fields: f } = decodeMessage(data, { maxBytes: RECORD_MAX_BYTES, versions: [RECORD_VERSION], types: ['rating'] as const })
    noExtraKeys(f, ['v', 't', 'peer', 'seq', 'updated', 'expires', 'sizes', 'relay', 'sig'], '')
    const relay = field(f, 'relay', asMap, '')
    noExtraKeys(relay, ['delivered', 'failed', 'served'], 'relay')
    const updated = field(f, 'updated', uint(), '')
    const expires = field(f, 'expires', uint(), '')
    if (expires < updated) throw new InvalidRatingRecordError('malformed', 'expires before it was updated')
    return {
      peer: field(f, 'peer', bytes({ min: 2, max: 64 }), ''),
      seq: field(f, 'seq', uint(), ''),
      updated,
      expires,
      sizes: checkSizes(field(f, 'sizes', asMap, ''), 'sizes'),
      relay: { delivered: field(relay, 'delivered', uint(), 'relay'), failed: field(relay, 'failed', uint(), 'relay'), served: field(relay, 'served', uint(), 'relay') },
      sig: field(f, 'sig', bytes(64), '')
    }
  } catch (err) {
    if (err instanceof WireError) throw new InvalidRatingRecordError('malformed', err.message)
    throw err
  }
}

/**
 * Everything a DHT node checks before it stores or believes a record: it decodes, it is about the
 * peer it is stored under, the subject's key signed it, and it is neither expired nor dated in
 * the future. Returns the record; throws InvalidRatingRecordError with the reason.
 */
export async function checkRatingRecord (data: Uint8Array, subject: Uint8Array, now: number): Promise<SignedRatingRecord> {
  const r = decodeRatingRecord(data)
  if (!equals(r.peer, subject)) throw new InvalidRatingRecordError('wrong-key', 'the record names another peer than its key')
  try {
    await verify(keyOfPlayer(r.peer), RECORD_DOMAIN, { ...fields(r), v: RECORD_VERSION, t: 'rating', sig: r.sig })
  } catch (err) {
    if (err instanceof WireError) throw new InvalidRatingRecordError('bad-signature', err.message)
    throw err
  }
  if (r.expires <= now) throw new InvalidRatingRecordError('expired', `expired ${timeText(r.expires)}`)
  if (r.updated > now + MAX_CLOCK_SKEW) throw new InvalidRatingRecordError('from-the-future', `updated ${timeText(r.updated)}`)
  return r
}

/** The better of two valid records of one peer: higher `seq`, then later `updated`, then the bytes' order (deterministic). */
export function newerRecord (a: SignedRatingRecord, b: SignedRatingRecord): SignedRatingRecord {
  if (a.seq !== b.seq) return a.seq > b.seq ? a : b
  if (a.updated !== b.updated) return a.updated > b.updated ? a : b
  return a
}
