// The lobby's message codec. Pure like src/wire (no libp2p, no clock of its own): the service
// passes in the signer's peer ID bytes and the time, so tests and vectors drive it directly.
import { equals } from 'multiformats/bytes'
import { asMap, bytes, decodeMessage, encodeMessage, field, noExtraKeys, oneOf, optional, uint } from '../../wire/index.js'
import { LOBBY_MAX_BYTES, LOBBY_SIZES, LOBBY_VERSION, MAX_TTL, RECORD_MAX_BYTES, SEEK_ID_BYTES } from './constants.js'
import { LobbyMessageError } from './errors.js'
import { displayName, peerBytes, rangeMap, ratingMap, ratingRange, ratingsMap, seekTerms, sizeSet, termsMap } from './fields.js'
import type { GameTerms } from '../../wire/game-start.js'
import type { Reach } from '../rung.js'
import type { CborMap } from '../../wire/index.js'

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
        ...(msg.range != null ? { range: rangeMap(msg.range) } : {}),
        expires: msg.expires,
        seq: msg.seq
      })
    case 'cancel':
      return encodeMessage(LOBBY_VERSION, 'cancel', { peer: msg.peer, id: msg.id, seq: msg.seq })
  }
}
