// The message codec of lobby version 2 (protocols/lobby.md, "Version 2"). Pure like src/wire: no
// libp2p node and no clock of its own; the service passes in the time, the gossip sender and the
// longest life it accepts. Every message is signed by its author, so it can be handed on by anyone.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { equals } from 'multiformats/bytes'
import { MalformedMessageError, WireError, asMap, bytes, decodeMessage, encodeCanonical, field, noExtraKeys, oneOf, optional, sign, uint, verify } from '../../../wire/index.js'
import { RECORD_MAX_BYTES, SEEK_ID_BYTES } from '../constants.js'
import { InvalidLobbyEntryError, LobbyMessageError } from '../errors.js'
import { displayName, rangeMap, ratingMap, ratingRange, ratingsMap, schema, seekTerms, sizeSet, sizeSetOf, termsMap } from '../fields.js'
import { recordProblem } from '../peer-record.js'
import { CENSUS_MAX_SKEW, CENSUS_PERIOD, LOBBY_V2_MAX_BYTES, LOBBY_V2_VERSION } from './limits.js'
import { knownGoodRecord, lobbyV2Domain, peerIdOfBytes, rememberGoodRecord, verifierOfPeer } from './sign.js'
import { decodeLive, liveFields, type LiveV2 } from './live.js'
import type { GameTerms } from '../../../wire/game-start.js'
import type { CborMap, Check } from '../../../wire/index.js'
import type { LobbyRatings, LobbySize, RatingRange, SeekColor } from '../messages.js'
import type { Reach } from '../../rung.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'

/**
 * "I am open to games now": who the player is and what they play. Unlike version 1 there is no
 * `status`: a player in a game (or who closed the lobby) sends a `leave` instead.
 */
export interface PresenceV2 {
  readonly t: 'presence'
  /** The author, as peer ID multihash bytes (as version 1); its key signs the message. */
  readonly peer: Uint8Array
  readonly name: string
  readonly sizes: readonly LobbySize[]
  readonly ratings?: LobbyRatings
  /** ms since the epoch. */
  readonly expires: number
  readonly seq: number
  /** A libp2p signed peer record of `peer`, checked by checkLobbyV2 (`bad-record`). */
  readonly record?: Uint8Array
  readonly reach?: Reach
  readonly sig: Uint8Array
}

/** An open offer to play a game on these terms (version 1's seek, signed). */
export interface SeekV2 {
  readonly t: 'seek'
  readonly peer: Uint8Array
  readonly id: Uint8Array
  readonly terms: GameTerms
  readonly color: SeekColor
  readonly range?: RatingRange
  readonly expires: number
  readonly seq: number
  readonly sig: Uint8Array
}

/** Withdraws one of the author's seeks. */
export interface CancelV2 {
  readonly t: 'cancel'
  readonly peer: Uint8Array
  readonly id: Uint8Array
  readonly seq: number
  readonly sig: Uint8Array
}

/** "I am no longer open to games": receivers drop the author's presence and seeks of lower `seq`. */
export interface LeaveV2 {
  readonly t: 'leave'
  readonly peer: Uint8Array
  readonly seq: number
  readonly sig: Uint8Array
}

/** What a census sender is doing: open to games, in a game, or only connected. */
export type CensusState = 'open' | 'playing' | 'online'

/** One sampled "I am here" for the count of players online (sent with probability `p` each period). */
export interface CensusV2 {
  readonly t: 'census'
  readonly peer: Uint8Array
  readonly state: CensusState
  /** The sizes the sender plays; may be empty (a node only connected). */
  readonly sizes: readonly LobbySize[]
  /** floor(ms / CENSUS_PERIOD) of the sender's clock. */
  readonly period: number
  /** The sampling probability the sender used, 0 < p ≤ 1: a receiver counts this sender as 1/p players. */
  readonly p: number
  readonly sig: Uint8Array
}

/** Any lobby version 2 message, checked (signature included). */
export type LobbyV2Message = PresenceV2 | SeekV2 | CancelV2 | LeaveV2 | CensusV2 | LiveV2
export type { LiveV2 } from './live.js'

/** A message before it is signed: what encodeLobbyV2 takes (a `sig` it is handed is replaced). */
export type UnsignedLobbyV2Message = LobbyV2Message extends infer M ? M extends LobbyV2Message ? Omit<M, 'sig'> : never : never

/** The message types of version 2. */
export const LOBBY_V2_TYPES = ['presence', 'seek', 'cancel', 'leave', 'census', 'live'] as const

/** A checked message, or the named error it was refused for. */
export type CheckedV2 = { readonly message: LobbyV2Message } | { readonly error: WireError | LobbyMessageError }

/** What a receiver knows besides the bytes. */
export interface CheckV2Options {
  /** The gossip message's sender, when the message came by gossip: the message must speak for it. */
  readonly from?: PeerId
  /** The furthest `expires` accepted, in ms after `now` (the topic's entry life plus clock skew). */
  readonly maxTtl: number
  /** The census period, ms: the protocol's CENSUS_PERIOD; tests shorten it on every node alike. */
  readonly censusPeriod?: number
}

/** The author: a peer ID whose key the message can be checked with (identity multihash of an Ed25519 or secp256k1 key). */
const signerPeer: Check<Uint8Array> = (value, path) => {
  const peer = bytes({ min: 2, max: 64 })(value, path)
  // The verifier is kept for the signature step: a known author's key is not parsed again.
  const verifier = verifierOfPeer(peer)
  if (typeof verifier === 'string') schema(path, `expected a peer ID that carries its public key, got ${verifier}`)
  return peer
}

const signature = bytes(64)
const seekId = bytes(SEEK_ID_BYTES)

/** A sampling probability: 0 < p ≤ 1. */
const probability: Check<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) schema(path, 'expected a sampling probability above 0 and at most 1')
  return value
}

function decodePresence (f: CborMap): PresenceV2 {
  noExtraKeys(f, ['v', 't', 'peer', 'name', 'sizes', 'ratings', 'expires', 'seq', 'record', 'reach', 'sig'], '')
  const ratings = optional(f, 'ratings', ratingMap, '')
  const record = optional(f, 'record', bytes({ min: 1, max: RECORD_MAX_BYTES }), '')
  const reach = optional(f, 'reach', oneOf('public', 'upnp', 'relayed'), '')
  return {
    t: 'presence',
    peer: field(f, 'peer', signerPeer, ''),
    name: field(f, 'name', displayName, ''),
    sizes: field(f, 'sizes', sizeSet, ''),
    ...(ratings != null ? { ratings } : {}),
    expires: field(f, 'expires', uint(), ''),
    seq: field(f, 'seq', uint(), ''),
    ...(record != null ? { record } : {}),
    ...(reach != null ? { reach } : {}),
    sig: field(f, 'sig', signature, '')
  }
}

function decodeSeek (f: CborMap): SeekV2 {
  noExtraKeys(f, ['v', 't', 'peer', 'id', 'terms', 'color', 'range', 'expires', 'seq', 'sig'], '')
  const peer = field(f, 'peer', signerPeer, '')
  const id = field(f, 'id', seekId, '')
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
    seq: field(f, 'seq', uint(), ''),
    sig: field(f, 'sig', signature, '')
  }
}

function decodeCancel (f: CborMap): CancelV2 {
  noExtraKeys(f, ['v', 't', 'peer', 'id', 'seq', 'sig'], '')
  return { t: 'cancel', peer: field(f, 'peer', signerPeer, ''), id: field(f, 'id', seekId, ''), seq: field(f, 'seq', uint(), ''), sig: field(f, 'sig', signature, '') }
}

function decodeLeave (f: CborMap): LeaveV2 {
  noExtraKeys(f, ['v', 't', 'peer', 'seq', 'sig'], '')
  return { t: 'leave', peer: field(f, 'peer', signerPeer, ''), seq: field(f, 'seq', uint(), ''), sig: field(f, 'sig', signature, '') }
}

function decodeCensus (f: CborMap): CensusV2 {
  noExtraKeys(f, ['v', 't', 'peer', 'state', 'sizes', 'period', 'p', 'sig'], '')
  return {
    t: 'census',
    peer: field(f, 'peer', signerPeer, ''),
    state: field(f, 'state', oneOf('open', 'playing', 'online'), ''),
    sizes: field(f, 'sizes', sizeSetOf(0), ''),
    period: field(f, 'period', uint(), ''),
    p: field(f, 'p', probability, ''),
    sig: field(f, 'sig', signature, '')
  }
}

/** Steps 1–6: size, canonical CBOR, version, type, the type's schema. Returns the message and the map it was decoded from. */
function decode (data: Uint8Array): { message: LobbyV2Message, fields: CborMap } {
  const m = decodeMessage(data, { maxBytes: LOBBY_V2_MAX_BYTES, versions: [LOBBY_V2_VERSION], types: LOBBY_V2_TYPES })
  switch (m.t) {
    case 'presence': return { message: decodePresence(m.fields), fields: m.fields }
    case 'seek': return { message: decodeSeek(m.fields), fields: m.fields }
    case 'cancel': return { message: decodeCancel(m.fields), fields: m.fields }
    case 'leave': return { message: decodeLeave(m.fields), fields: m.fields }
    case 'census': return { message: decodeCensus(m.fields), fields: m.fields }
    case 'live': return { message: decodeLive(m.fields, signerPeer, signature), fields: m.fields }
  }
}

/**
 * Decodes a version 2 message without checking its signature or times (steps 1–6 of the order of
 * checks). Throws a WireError. For tools and tests: a receiver uses checkLobbyV2.
 */
export function decodeLobbyV2 (data: Uint8Array): LobbyV2Message {
  return decode(data).message
}

/** Step 8 (semantics) for a message whose signature is checked; throws LobbyMessageError. */
function checkSemantics (msg: LobbyV2Message, now: number, opts: CheckV2Options): void {
  if (opts.from != null && !equals(msg.peer, opts.from.toMultihash().bytes)) throw new LobbyMessageError('wrong-peer')
  if (msg.t === 'presence' || msg.t === 'seek' || msg.t === 'live') {
    if (msg.expires <= now) throw new LobbyMessageError('expired', `${now - msg.expires} ms ago`)
    if (msg.expires > now + opts.maxTtl) {
      throw new LobbyMessageError('expires-too-far', `${msg.expires - now} ms ahead, the limit is ${opts.maxTtl} ms`)
    }
  }
  if (msg.t === 'census') {
    // The period as a time window: it must overlap [now - skew, now + skew] of the receiver's clock.
    const period = opts.censusPeriod ?? CENSUS_PERIOD
    const start = msg.period * period
    if (start + period <= now - CENSUS_MAX_SKEW) throw new LobbyMessageError('expired', `the census is of period ${msg.period}, which ended ${now - start - period} ms ago`)
    if (start > now + CENSUS_MAX_SKEW) throw new LobbyMessageError('expires-too-far', `the census is of period ${msg.period}, which starts ${start - now} ms ahead`)
  }
}

/**
 * Decodes and checks a version 2 message received at `now`, in the conventions' order: size
 * (4,096), canonical CBOR, version, type, schema, the author's signature, then the lobby's rules
 * (`wrong-peer` when `from` is given and is not the author; `expired`, `expires-too-far`; a census
 * period within the clock skew; `bad-record`). Returns the refusal rather than throwing it; a bug
 * of ours (any other error) is thrown.
 */
export async function checkLobbyV2 (data: Uint8Array, now: number, opts: CheckV2Options): Promise<CheckedV2> {
  let message: LobbyV2Message
  try {
    const decoded = decode(data)
    message = decoded.message
    // The schema step made sure the peer carries a key.
    const verifier = verifierOfPeer(message.peer)
    if (typeof verifier === 'string') throw new MalformedMessageError('schema', 'peer', verifier)
    await verify(verifier, lobbyV2Domain(message.t), decoded.fields, data)
    checkSemantics(message, now, opts)
  } catch (err) {
    if (err instanceof WireError || err instanceof LobbyMessageError) return { error: err }
    throw err
  }
  if (message.t === 'presence' && message.record != null && !knownGoodRecord(message.peer, message.record)) {
    const why = await recordProblem(message.record, peerIdOfBytes(message.peer))
    if (why != null) return { error: new LobbyMessageError('bad-record', why) }
    rememberGoodRecord(message.peer, message.record)
  }
  return { message }
}

/** The message as the plain map that is signed and sent (without `sig`), optional fields left out when absent. */
export function lobbyV2Fields (msg: UnsignedLobbyV2Message): Record<string, unknown> {
  const head = { v: LOBBY_V2_VERSION, t: msg.t, peer: msg.peer }
  switch (msg.t) {
    case 'presence':
      return {
        ...head,
        name: msg.name,
        sizes: [...msg.sizes],
        ...(msg.ratings != null ? { ratings: ratingsMap(msg.ratings) } : {}),
        expires: msg.expires,
        seq: msg.seq,
        ...(msg.record != null ? { record: msg.record } : {}),
        ...(msg.reach != null ? { reach: msg.reach } : {})
      }
    case 'seek':
      return {
        ...head,
        id: msg.id,
        terms: termsMap(msg.terms),
        color: msg.color,
        ...(msg.range != null ? { range: rangeMap(msg.range) } : {}),
        expires: msg.expires,
        seq: msg.seq
      }
    case 'cancel': return { ...head, id: msg.id, seq: msg.seq }
    case 'leave': return { ...head, seq: msg.seq }
    case 'census': return { ...head, state: msg.state, sizes: [...msg.sizes], period: msg.period, p: msg.p }
    case 'live': return liveFields(msg, head)
  }
}

/**
 * Signs `msg` with the author's key and encodes it, after the receivers' checks that do not
 * depend on a clock: what others would refuse is refused here with InvalidLobbyEntryError naming
 * the field (`peer` when the key is not the author's, `record` for a peer record that is not the
 * author's). The times (`expires`, `period`) are the caller's to set.
 */
export async function encodeLobbyV2 (msg: UnsignedLobbyV2Message, privateKey: PrivateKey): Promise<Uint8Array> {
  const author = peerIdFromPrivateKey(privateKey)
  if (!(msg.peer instanceof Uint8Array) || !equals(msg.peer, author.toMultihash().bytes)) {
    throw new InvalidLobbyEntryError(`the message speaks for another peer than the key that signs it (${author.toString()})`, 'peer')
  }
  let data: Uint8Array
  try {
    data = encodeCanonical(await sign(privateKey, lobbyV2Domain(msg.t), lobbyV2Fields(msg)))
    decode(data)
  } catch (err) {
    if (err instanceof WireError) throw new InvalidLobbyEntryError(err.message, err instanceof MalformedMessageError ? err.path : '')
    if (err instanceof TypeError) throw new InvalidLobbyEntryError(err.message, '')
    throw err
  }
  if (msg.t === 'presence' && msg.record != null) {
    const why = await recordProblem(msg.record, author)
    if (why != null) throw new InvalidLobbyEntryError(`the presence's peer record would be refused: ${why}`, 'record')
  }
  return data
}
