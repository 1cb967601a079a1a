// The messages of the stream `/p2pgo/watch/1.0.0` (protocols/watch.md, "Stream"): one request,
// then answer frames. Pure like src/wire: the start record and the acts inside are the game
// protocol's bytes, decoded with its own decoders and checked against the game asked for.
import { MalformedMessageError, WireError, arrayOf, asMap, bool, bytes, cid, decodeMessage, encodeMessage, field, noExtraKeys, oneOf, text, uint, verify } from '../../../wire/index.js'
import { START_DOMAIN } from '../../../wire/game-messages.js'
import { decodeStart, gameIdOf, startToSign, type SignedStart } from '../../../wire/game-start.js'
import { displayLine } from '../../lobby/fields.js'
import { verifierOfPeer } from '../../lobby/v2/sign.js'
import { decodeActAt, verifyActAt, type Players, type WatchedAct } from './acts.js'
import { WatchMessageError, inside } from './errors.js'
import { ACT_MAX_BYTES, ANSWER_MAX_ACTS, ANSWER_MAX_BYTES, HAVE_MAX, REFUSED_MESSAGE_MAX_BYTES, REQUEST_MAX_BYTES, START_RECORD_MAX_BYTES, WATCH_VERSION } from './limits.js'
import type { CID } from 'multiformats/cid'
import type { CborMap, Check } from '../../../wire/index.js'

/** "Send me game `game` after the acts I have; `follow`: and keep sending (as my seed)." */
export interface WatchRequest {
  readonly t: 'watch'
  readonly game: CID
  /** Acts of each player the asker has applied. */
  readonly have: { readonly B: number, readonly W: number }
  readonly follow: boolean
}

/** The game's start record, first in every answer. */
export interface WatchStart {
  readonly t: 'watch-start'
  /** The record, decoded; its signatures are checked by checkWatchAnswer. */
  readonly start: SignedStart
  /** The record exactly as the players signed it (as stored and served again). */
  readonly record: Uint8Array
  /** True: new acts follow on this stream (the asker is a seed). */
  readonly following: boolean
  /** Distinct peers that asked the answerer for the game in the last 5 minutes. */
  readonly watchers: number
}

/**
 * Acts in causal order. A prefix is taken act by act: `acts` are those before the first that
 * failed, and `refused` says why that one failed (its path names it: `acts[3].game`). An answer
 * with `refused` ends the exchange and costs the answerer (`watch:broken-answer`).
 */
export interface WatchActs {
  readonly t: 'watch-acts'
  readonly acts: readonly WatchedAct[]
  readonly refused?: WireError
}

/** Nothing more on this stream. */
export interface WatchEnd { readonly t: 'watch-end' }

/** Why the answerer will not serve the game. */
export type WatchRefusedReason = 'unknown-game' | 'rate' | 'busy'

export interface WatchRefused {
  readonly t: 'watch-refused'
  readonly reason: WatchRefusedReason
  /** A sentence for people. */
  readonly message: string
}

export type WatchAnswer = WatchStart | WatchActs | WatchEnd | WatchRefused

/** What an asker knows when it reads an answer. */
export interface AnswerContext {
  /** The game asked for: the start record's CID, and every act's `game`. */
  readonly game: CID
  /** The players (from the start record), once known: then every act's signature is checked too. */
  readonly players?: Players
}

const ANSWER_TYPES = ['watch-start', 'watch-acts', 'watch-end', 'watch-refused'] as const

/** Encodes a request (checked as the answerer will check it). */
export function encodeWatchRequest (request: Omit<WatchRequest, 't'>): Uint8Array {
  const data = encodeMessage(WATCH_VERSION, 'watch', { game: request.game, have: { B: request.have.B, W: request.have.W }, follow: request.follow })
  decodeWatchRequest(data)
  return data
}

/** Decodes a request: size (256 bytes), canonical CBOR, version, type, schema. */
export function decodeWatchRequest (data: Uint8Array): WatchRequest {
  const m = decodeMessage(data, { maxBytes: REQUEST_MAX_BYTES, versions: [WATCH_VERSION], types: ['watch'] as const })
  const f = m.fields
  noExtraKeys(f, ['v', 't', 'game', 'have', 'follow'], '')
  const have = field(f, 'have', asMap, '')
  noExtraKeys(have, ['B', 'W'], 'have')
  return {
    t: 'watch',
    game: field(f, 'game', cid, ''),
    have: { B: field(have, 'B', uint(HAVE_MAX), 'have'), W: field(have, 'W', uint(HAVE_MAX), 'have') },
    follow: field(f, 'follow', bool, '')
  }
}

/** Encodes `watch-start` around the start record's bytes as stored (`encodeStart`). */
export function encodeWatchStart (answer: { record: Uint8Array, following: boolean, watchers: number }): Uint8Array {
  return encodeMessage(WATCH_VERSION, 'watch-start', { start: answer.record, following: answer.following, watchers: answer.watchers })
}

/** Encodes one `watch-acts` frame: 1 to 64 acts as their authors sent them, at most 256 KiB in all. */
export function encodeWatchActs (acts: readonly Uint8Array[]): Uint8Array {
  if (acts.length < 1 || acts.length > ANSWER_MAX_ACTS) throw new RangeError(`a watch-acts frame holds 1 to ${ANSWER_MAX_ACTS} acts, not ${acts.length}`)
  const data = encodeMessage(WATCH_VERSION, 'watch-acts', { acts: [...acts] })
  if (data.length > ANSWER_MAX_BYTES) throw new RangeError(`a watch-acts frame of ${data.length} bytes is over the limit of ${ANSWER_MAX_BYTES}`)
  return data
}

/** Every act in `watch-acts` frames, in order, as few as the limits allow (64 acts, 256 KiB each). */
export function encodeWatchActsFrames (acts: readonly Uint8Array[]): Uint8Array[] {
  const frames: Uint8Array[] = []
  // Map head, keys, version and type take under 32 bytes; each act adds its length head (at most 3 bytes under 64 KiB).
  const room = ANSWER_MAX_BYTES - 32
  let batch: Uint8Array[] = []
  let size = 0
  for (const act of acts) {
    if (batch.length === ANSWER_MAX_ACTS || size + act.length + 3 > room) {
      frames.push(encodeWatchActs(batch))
      batch = []
      size = 0
    }
    batch.push(act)
    size += act.length + 3
  }
  if (batch.length > 0) frames.push(encodeWatchActs(batch))
  return frames
}

/** Encodes `watch-end`. */
export function encodeWatchEnd (): Uint8Array {
  return encodeMessage(WATCH_VERSION, 'watch-end')
}

/** Encodes `watch-refused`. */
export function encodeWatchRefused (answer: { reason: WatchRefusedReason, message: string }): Uint8Array {
  const data = encodeMessage(WATCH_VERSION, 'watch-refused', { reason: answer.reason, message: answer.message })
  refusedOf(decodeMessage(data, { maxBytes: ANSWER_MAX_BYTES, versions: [WATCH_VERSION], types: ANSWER_TYPES }).fields)
  return data
}

/** A refusal's sentence: at most 500 bytes, empty or one line as a display name is (it reaches the asker's screen). */
const refusedLine = displayLine(REFUSED_MESSAGE_MAX_BYTES, 'refusal message')
const refusedMessage: Check<string> = (value, path) => {
  const message = text(REFUSED_MESSAGE_MAX_BYTES)(value, path)
  return message === '' ? message : refusedLine(message, path)
}

function refusedOf (f: CborMap): WatchRefused {
  noExtraKeys(f, ['v', 't', 'reason', 'message'], '')
  return { t: 'watch-refused', reason: field(f, 'reason', oneOf('unknown-game', 'rate', 'busy'), ''), message: field(f, 'message', refusedMessage, '') }
}

const actBytes = bytes({ min: 1, max: ACT_MAX_BYTES })

/**
 * Decodes an answer frame without its signatures: size (256 KiB), canonical CBOR, version, type,
 * schema; the start record (decodeStart, paths under `start`) must be of `game` (`wrong-game`),
 * and each act must decode as an act of `game` (a prefix: see WatchActs). Throws a WireError.
 */
export function decodeWatchAnswer (data: Uint8Array, context: AnswerContext): WatchAnswer {
  const m = decodeMessage(data, { maxBytes: ANSWER_MAX_BYTES, versions: [WATCH_VERSION], types: ANSWER_TYPES })
  const f = m.fields
  switch (m.t) {
    case 'watch-start': {
      noExtraKeys(f, ['v', 't', 'start', 'following', 'watchers'], '')
      const record = field(f, 'start', bytes({ min: 1, max: START_RECORD_MAX_BYTES }), '')
      const following = field(f, 'following', bool, '')
      const watchers = field(f, 'watchers', uint(), '')
      let start: SignedStart
      try {
        start = decodeStart(record)
      } catch (err) {
        if (err instanceof WireError) throw inside('start', err)
        throw err
      }
      const id = gameIdOf(start)
      if (!id.equals(context.game)) throw new WatchMessageError('wrong-game', 'start', `the record is of game ${id.toString()}`)
      return { t: 'watch-start', start, record, following, watchers }
    }
    case 'watch-acts': {
      noExtraKeys(f, ['v', 't', 'acts'], '')
      const items = field(f, 'acts', arrayOf(actBytes, ANSWER_MAX_ACTS), '')
      if (items.length === 0) throw new MalformedMessageError('schema', 'acts', `expected 1 to ${ANSWER_MAX_ACTS} acts, got none`)
      const acts: WatchedAct[] = []
      for (const [i, item] of items.entries()) {
        try {
          acts.push(decodeActAt(item, context.game, `acts[${i}]`))
        } catch (err) {
          if (err instanceof WireError) return { t: 'watch-acts', acts, refused: err }
          throw err
        }
      }
      return { t: 'watch-acts', acts }
    }
    case 'watch-end':
      noExtraKeys(f, ['v', 't'], '')
      return { t: 'watch-end' }
    case 'watch-refused':
      return refusedOf(f)
  }
}

/**
 * Decodes and checks an answer frame: decodeWatchAnswer, then the signatures. A start record
 * must carry both players' signatures (WatchMessageError `bad-signature` at `start.sigs.B` or
 * `start.sigs.W`); with `players` known, each act's signature is checked in order and the prefix
 * ends before the first that fails. Throws a WireError for a frame refused as a whole.
 */
export async function checkWatchAnswer (data: Uint8Array, context: AnswerContext): Promise<WatchAnswer> {
  const answer = decodeWatchAnswer(data, context)
  if (answer.t === 'watch-start') {
    await verifyStart(answer.start)
    return answer
  }
  if (answer.t !== 'watch-acts' || context.players == null) return answer
  const acts: WatchedAct[] = []
  for (const [i, watched] of answer.acts.entries()) {
    try {
      await verifyActAt(watched, context.players, `acts[${i}]`)
    } catch (err) {
      if (err instanceof WireError) return { t: 'watch-acts', acts, refused: err }
      throw err
    }
    acts.push(watched)
  }
  return answer.refused != null ? { t: 'watch-acts', acts, refused: answer.refused } : { t: 'watch-acts', acts }
}

/** Both players' signatures over the start record (domain game/start), each with its own player's key. */
async function verifyStart (start: SignedStart): Promise<void> {
  const signed = startToSign(start)
  for (const [side, peer] of [['B', start.black], ['W', start.white]] as const) {
    const path = `start.sigs.${side}`
    const key = verifierOfPeer(peer)
    if (typeof key === 'string') throw new WatchMessageError('bad-signature', path, `the player's peer ID has no key to check with: ${key}`)
    try {
      await verify(key, START_DOMAIN, { ...signed, sig: start.sigs[side] })
    } catch (err) {
      if (err instanceof WireError) throw new WatchMessageError('bad-signature', path, err.message)
      throw err
    }
  }
}
