// The `live` entry of lobby version 2 (protocols/watch.md, "Live games in the lobby"): a player in
// a game announces it, instead of its presence, on its lobby topic, so others can list the game
// and watch it. Pure codec parts; messages.ts dispatches to them.
import { equals } from 'multiformats/bytes'
import { asMap, cid, field, noExtraKeys, oneOf, optional, text, uint } from '../../../wire/index.js'
import { LOBBY_SIZES } from '../constants.js'
import { rating, schema } from '../fields.js'
import { bucketFor } from './follow.js'
import type { CborMap, Check } from '../../../wire/index.js'
import type { LobbyRating, LobbySize } from '../messages.js'
import type { LobbyV2Topic } from './topics.js'
import type { CID } from 'multiformats/cid'

/** Most turns a live entry may say were played (a 19×19 game is far shorter). */
export const LIVE_MAX_PLY = 4000

/** A display name in a live entry: the start record's (at most 128 bytes of UTF-8). */
export const LIVE_NAME_MAX_BYTES = 128

/** A game in progress, as its live entry tells it: the start record's facts, and how far it is. */
export interface LiveFacts {
  readonly game: CID
  readonly size: LobbySize
  /** Peer IDs as multihash bytes, as the start record has them. */
  readonly black: Uint8Array
  readonly white: Uint8Array
  readonly names: { readonly B: string, readonly W: string }
  /** A rated game's claims, as in the start record. */
  readonly ratings?: { readonly B: LobbyRating, readonly W: LobbyRating }
  /** Turns played. */
  readonly ply: number
  /** Watchers the author counts (its seeds' and its own). */
  readonly watchers: number
}

/** "I am playing this game", signed by one of its players (domain lobby/live). */
export interface LiveV2 extends LiveFacts {
  readonly t: 'live'
  /** The author, one of the two players, as peer ID multihash bytes; its key signs. */
  readonly peer: Uint8Array
  readonly expires: number
  readonly seq: number
  readonly sig: Uint8Array
}

const liveName = (value: unknown, path: string): string => {
  const name = text(LIVE_NAME_MAX_BYTES)(value, path)
  if (name.length === 0) schema(path, 'expected a name of at least one character')
  return name
}

/** Decodes a live entry's fields (the envelope is checked); `peer` and `sig` with the callers' checks. */
export function decodeLive (f: CborMap, signerPeer: Check<Uint8Array>, signature: Check<Uint8Array>): LiveV2 {
  noExtraKeys(f, ['v', 't', 'peer', 'game', 'size', 'black', 'white', 'names', 'ratings', 'ply', 'watchers', 'expires', 'seq', 'sig'], '')
  const peer = field(f, 'peer', signerPeer, '')
  const black = field(f, 'black', signerPeer, '')
  const white = field(f, 'white', signerPeer, '')
  if (equals(black, white)) schema('white', 'a game\'s black and white are two players')
  if (!equals(peer, black) && !equals(peer, white)) schema('peer', 'the author of a live entry is one of the game\'s players')
  const names = field(f, 'names', asMap, '')
  noExtraKeys(names, ['B', 'W'], 'names')
  const ratings = optional(f, 'ratings', sideRatings, '')
  return {
    t: 'live',
    peer,
    game: field(f, 'game', cid, ''),
    size: field(f, 'size', oneOf(...LOBBY_SIZES), ''),
    black,
    white,
    names: { B: field(names, 'B', liveName, 'names'), W: field(names, 'W', liveName, 'names') },
    ...(ratings != null ? { ratings } : {}),
    ply: field(f, 'ply', uint(LIVE_MAX_PLY), ''),
    watchers: field(f, 'watchers', uint(), ''),
    expires: field(f, 'expires', uint(), ''),
    seq: field(f, 'seq', uint(), ''),
    sig: field(f, 'sig', signature, '')
  }
}

const sideRatings: Check<{ B: LobbyRating, W: LobbyRating }> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['B', 'W'], path)
  return { B: field(map, 'B', rating, path), W: field(map, 'W', rating, path) }
}

/** A live entry as the plain map that is signed (without `sig`). */
export function liveFields (msg: Omit<LiveV2, 'sig'>, head: Record<string, unknown>): Record<string, unknown> {
  return {
    ...head,
    game: msg.game,
    size: msg.size,
    black: msg.black,
    white: msg.white,
    names: { B: msg.names.B, W: msg.names.W },
    ...(msg.ratings != null ? { ratings: { B: { mu: msg.ratings.B.mu, sigma: msg.ratings.B.sigma }, W: { mu: msg.ratings.W.mu, sigma: msg.ratings.W.sigma } } } : {}),
    ply: msg.ply,
    watchers: msg.watchers,
    expires: msg.expires,
    seq: msg.seq
  }
}

/** The author's side in its game. */
export function authorSide (msg: Pick<LiveV2, 'peer' | 'black'>): 'B' | 'W' {
  return equals(msg.peer, msg.black) ? 'B' : 'W'
}

/**
 * The topic a live entry goes on: its size, at the bucket of the author's rating in the game (a
 * newcomer's bucket when the game is unrated), as a presence with that rating would.
 */
export function liveTopic (msg: Pick<LiveV2, 'peer' | 'black' | 'size' | 'ratings'>): LobbyV2Topic {
  const own = msg.ratings?.[authorSide(msg)]
  return { size: msg.size, bucket: bucketFor(msg.size, own != null ? { [msg.size]: own } : undefined) }
}

/** Whether a live entry belongs on a topic (the topic liveTopic names). */
export function liveFits (msg: Pick<LiveV2, 'peer' | 'black' | 'size' | 'ratings'>, topic: LobbyV2Topic): boolean {
  const t = liveTopic(msg)
  return t.size === topic.size && t.bucket === topic.bucket
}
