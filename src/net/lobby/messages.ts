// The lobby's message codec. Pure like src/wire (no libp2p, no clock of its own): the service
// passes in the signer's peer ID bytes and the time, so tests and vectors drive it directly.
import { equals } from 'multiformats/bytes'
import { checkAgreedTerms } from '../challenge/terms.js'
import { MalformedMessageError, asMap, at, bytes, decodeMessage, encodeMessage, field, int, noExtraKeys, oneOf, optional, text, uint } from '../../wire/index.js'
import { LOBBY_MAX_BYTES, LOBBY_SIZES, LOBBY_VERSION, MAX_ABS_MU, MAX_ABS_RANGE, MAX_SIGMA, MAX_TTL, NAME_MAX_CHARS, RECORD_MAX_BYTES, SEEK_ID_BYTES } from './constants.js'
import { LobbyMessageError } from './errors.js'
import type { GameTerms } from '../../wire/game-start.js'
import type { Reach } from '../rung.js'
import type { CborMap, Check } from '../../wire/index.js'

/** A board size a player can announce. */
export type LobbySize = typeof LOBBY_SIZES[number]

/** A TrueSkill rating as a player claims it (its signed record is src/rating/rating-record.ts). */
export interface LobbyRating {
  readonly mu: number
  readonly sigma: number
}

/** Ratings by board size; on the wire the keys are the text '9', '13', '19'. */
export type LobbyRatings = Readonly<Partial<Record<LobbySize, LobbyRating>>>

/** Whether a player is free for a game. */
export type PlayerStatus = 'idle' | 'playing'

/** The colour a seeker wants to play. */
export type SeekColor = 'black' | 'white' | 'random'

/** The opponent ratings a seeker wants; either end may be open. */
export interface RatingRange {
  readonly min?: number
  readonly max?: number
}

/** A player's announcement: who they are and what they play. */
export interface PresenceMessage {
  readonly t: 'presence'
  /** The peer this message speaks for, as peer ID multihash bytes; must be the gossip signer. */
  readonly peer: Uint8Array
  readonly name: string
  readonly sizes: readonly LobbySize[]
  readonly ratings?: LobbyRatings
  readonly status: PlayerStatus
  /** ms since the epoch. */
  readonly expires: number
  readonly seq: number
  /**
   * A libp2p signed peer record (routing record envelope) of `peer`: the addresses it can be
   * dialled on. The codec checks only its size; the service opens and certifies it.
   */
  readonly record?: Uint8Array
  /** How the player can be reached: its own public address, a UPnP mapping, or only relays. */
  readonly reach?: Reach
}

/** An open offer to play a game on these terms. */
export interface SeekMessage {
  readonly t: 'seek'
  readonly peer: Uint8Array
  readonly id: Uint8Array
  readonly terms: GameTerms
  readonly color: SeekColor
  readonly range?: RatingRange
  readonly expires: number
  readonly seq: number
}

/** Withdraws one of the sender's seeks. */
export interface CancelMessage {
  readonly t: 'cancel'
  readonly peer: Uint8Array
  readonly id: Uint8Array
  readonly seq: number
}

/** Any lobby message, checked. */
export type LobbyMessage = PresenceMessage | SeekMessage | CancelMessage

/** The lobby's message types. */
export const LOBBY_TYPES = ['presence', 'seek', 'cancel'] as const

/** A peer ID's multihash is 2 to 64 bytes (identity-hashed Ed25519 keys are 38), as in start records. */
const peerBytes = bytes({ min: 2, max: 64 })
/** NAME_MAX_CHARS code points of at most 4 UTF-8 bytes each. */
const NAME_MAX_BYTES = NAME_MAX_CHARS * 4

function schema (path: string, detail: string): never {
  throw new MalformedMessageError('schema', path, detail)
}

/** A display name: 1 to 32 characters, not only spaces, no control characters (names reach other players' terminals). */
const displayName: Check<string> = (value, path) => {
  const name = text(NAME_MAX_BYTES)(value, path)
  if ([...name].length > NAME_MAX_CHARS) schema(path, `a name has at most ${NAME_MAX_CHARS} characters`)
  if (name.trim() === '') schema(path, 'a name must not be empty')
  // \p{Cc} covers C0, DEL and C1: C1 holds CSI (0x9b), which some terminals obey as an escape.
  if (/\p{Cc}/u.test(name)) schema(path, 'a name must not contain control characters')
  return name
}

/** Board sizes: a non-empty subset of 9, 13, 19, sorted and without repeats (one encoding per set). */
const sizeSet: Check<LobbySize[]> = (value, path) => {
  if (!Array.isArray(value)) schema(path, 'expected an array of board sizes')
  if (value.length === 0 || value.length > LOBBY_SIZES.length) schema(path, `expected 1 to ${LOBBY_SIZES.length} board sizes`)
  const sizes = value.map((s, i) => oneOf(...LOBBY_SIZES)(s, at(path, i)))
  for (let i = 1; i < sizes.length; i++) {
    if (sizes[i] <= sizes[i - 1]) schema(at(path, i), 'board sizes must be in increasing order, each once')
  }
  return sizes
}

/** A finite number (whole or not) within ±`limit`. */
function finite (limit: number): Check<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
      schema(path, `expected a number from ${-limit} to ${limit}`)
    }
    return value
  }
}

const rating: Check<LobbyRating> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['mu', 'sigma'], path)
  const mu = field(map, 'mu', finite(MAX_ABS_MU), path)
  const sigma = field(map, 'sigma', finite(MAX_SIGMA), path)
  if (sigma <= 0) schema(at(path, 'sigma'), 'sigma must be above 0')
  return { mu, sigma }
}

/** Ratings by size; an empty map is refused, since "no ratings" is written by leaving the field out. */
const ratingMap: Check<LobbyRatings> = (value, path) => {
  const map = asMap(value, path)
  const keys = LOBBY_SIZES.map(String)
  noExtraKeys(map, keys, path)
  if (Object.keys(map).length === 0) schema(path, 'leave the field out instead of sending no ratings')
  const out: Partial<Record<LobbySize, LobbyRating>> = {}
  for (const size of LOBBY_SIZES) {
    const r = optional(map, String(size), rating, path)
    if (r != null) out[size] = r
  }
  return out
}

/** A rating range with at least one end, min ≤ max. */
const ratingRange: Check<RatingRange> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['min', 'max'], path)
  const min = optional(map, 'min', int(-MAX_ABS_RANGE, MAX_ABS_RANGE), path)
  const max = optional(map, 'max', int(-MAX_ABS_RANGE, MAX_ABS_RANGE), path)
  if (min == null && max == null) schema(path, 'leave the field out instead of sending an open range')
  if (min != null && max != null && min > max) schema(at(path, 'min'), 'min must not be above max')
  return { ...(min != null ? { min } : {}), ...(max != null ? { max } : {}) }
}

/**
 * Game terms as a challenge checks them (the wire's shape and the game core's bounds: a seek
 * nobody could start a game from is refused here, before anyone answers it), plus one rule
 * `checkTerms` leaves out: the time control carries only the fields its kind uses (`checkTerms`
 * drops `mainMs` from a `none` clock silently, and a signed message must not carry meaning no
 * one checked).
 */
function seekTerms (map: CborMap, path: string): GameTerms {
  const terms = checkAgreedTerms(map, path)
  const tc = asMap(map.tc, at(path, 'tc'))
  for (const key of Object.keys(tc)) {
    if (!Object.hasOwn(terms.tc, key)) schema(at(at(path, 'tc'), key), `the field is not used by a "${terms.tc.kind}" time control`)
  }
  return terms
}

function decodePresence (f: CborMap): PresenceMessage {
  noExtraKeys(f, ['v', 't', 'peer', 'name', 'sizes', 'ratings', 'status', 'expires', 'seq', 'record', 'reach'], '')
  const reach = optional(f, 'reach', oneOf('public', 'upnp', 'relayed'), '')
  const ratings = optional(f, 'ratings', ratingMap, '')
  const record = optional(f, 'record', bytes({ min: 1, max: RECORD_MAX_BYTES }), '')
  return {
    t: 'presence',
    peer: field(f, 'peer', peerBytes, ''),
    name: field(f, 'name', displayName, ''),
    sizes: field(f, 'sizes', sizeSet, ''),
    ...(ratings != null ? { ratings } : {}),
    status: field(f, 'status', oneOf('idle', 'playing'), ''),
    expires: field(f, 'expires', uint(), ''),
    seq: field(f, 'seq', uint(), ''),
    ...(record != null ? { record } : {}),
    ...(reach != null ? { reach } : {})
  }
}

function decodeSeek (f: CborMap): SeekMessage {
  noExtraKeys(f, ['v', 't', 'peer', 'id', 'terms', 'color', 'range', 'expires', 'seq'], '')
  const peer = field(f, 'peer', peerBytes, '')
  const id = field(f, 'id', bytes(SEEK_ID_BYTES), '')
  const terms = seekTerms(field(f, 'terms', asMap, ''), 'terms')
  const color = field(f, 'color', oneOf('black', 'white', 'random'), '')
  const range = optional(f, 'range', ratingRange, '')
  return {
    t: 'seek',
    peer,
    id,
    terms,
    color,
    ...(range != null ? { range } : {}),
    expires: field(f, 'expires', uint(), ''),
    seq: field(f, 'seq', uint(), '')
  }
}

function decodeCancel (f: CborMap): CancelMessage {
  noExtraKeys(f, ['v', 't', 'peer', 'id', 'seq'], '')
  return {
    t: 'cancel',
    peer: field(f, 'peer', peerBytes, ''),
    id: field(f, 'id', bytes(SEEK_ID_BYTES), ''),
    seq: field(f, 'seq', uint(), '')
  }
}

/**
 * Decodes a lobby message: size, canonical CBOR, envelope (version, then type), then the type's
 * schema with no extra keys. Throws a `WireError`; the time and signer checks are `checkLobbyMessage`.
 */
export function decodeLobbyMessage (data: Uint8Array): LobbyMessage {
  const m = decodeMessage(data, { maxBytes: LOBBY_MAX_BYTES, versions: [LOBBY_VERSION], types: LOBBY_TYPES })
  switch (m.t) {
    case 'presence': return decodePresence(m.fields)
    case 'seek': return decodeSeek(m.fields)
    case 'cancel': return decodeCancel(m.fields)
  }
}

/** What a receiver knows besides the bytes: who signed them (multihash bytes) and its clock. */
export interface CheckContext {
  readonly from: Uint8Array
  readonly now: number
}

/**
 * The lobby's own rules (step 8): the message speaks for its signer only, and anything that
 * expires does so in the future but at most MAX_TTL ahead, so no one pins an entry for long.
 */
export function checkLobbyMessage (msg: LobbyMessage, context: CheckContext): void {
  if (!equals(msg.peer, context.from)) throw new LobbyMessageError('wrong-peer')
  if (msg.t === 'cancel') return
  if (msg.expires <= context.now) throw new LobbyMessageError('expired', `${context.now - msg.expires} ms ago`)
  if (msg.expires > context.now + MAX_TTL) {
    throw new LobbyMessageError('expires-too-far', `${msg.expires - context.now} ms ahead, the limit is ${MAX_TTL} ms`)
  }
}

/** A time control as a plain map with only its defined fields (callers may hand in `maxMs: undefined`). */
function termsMap (terms: GameTerms): Record<string, unknown> {
  const tc = Object.fromEntries(Object.entries(terms.tc).filter(([, v]) => v !== undefined))
  return { size: terms.size, rules: terms.rules, komi: terms.komi, handicap: terms.handicap, placement: terms.placement, tc }
}

/** Ratings as a plain map with only the sizes that have one. */
function ratingsMap (ratings: LobbyRatings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(ratings).filter(([, r]) => r != null).map(([size, r]) => [size, { mu: r.mu, sigma: r.sigma }]))
}

/** Encodes a lobby message as canonical CBOR, leaving out optional fields that have no value. */
export function encodeLobbyMessage (msg: LobbyMessage): Uint8Array {
  switch (msg.t) {
    case 'presence':
      return encodeMessage(LOBBY_VERSION, 'presence', {
        peer: msg.peer,
        name: msg.name,
        sizes: [...msg.sizes],
        ...(msg.ratings != null ? { ratings: ratingsMap(msg.ratings) } : {}),
        status: msg.status,
        expires: msg.expires,
        seq: msg.seq,
        ...(msg.record != null ? { record: msg.record } : {}),
        ...(msg.reach != null ? { reach: msg.reach } : {})
      })
    case 'seek':
      return encodeMessage(LOBBY_VERSION, 'seek', {
        peer: msg.peer,
        id: msg.id,
        terms: termsMap(msg.terms),
        color: msg.color,
        ...(msg.range != null ? { range: { ...(msg.range.min != null ? { min: msg.range.min } : {}), ...(msg.range.max != null ? { max: msg.range.max } : {}) } } : {}),
        expires: msg.expires,
        seq: msg.seq
      })
    case 'cancel':
      return encodeMessage(LOBBY_VERSION, 'cancel', { peer: msg.peer, id: msg.id, seq: msg.seq })
  }
}
