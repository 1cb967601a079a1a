// A co-signed result: the evidence behind every rating change. It holds the game's start record
// (signed by both players; it fixes the board, the komi and both ratings before the game) and
// both players' `result` acts (each signs the same result text and final summary). Nothing else
// is needed to recompute both players' ratings, so anyone can check a rating against it.
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { equals } from 'multiformats/bytes'
import { decodeMessage, encodeMessage } from '../wire/envelope.js'
import { cidOfCanonical } from '../wire/cid.js'
import { WireError } from '../wire/errors.js'
import { bytes, field, noExtraKeys } from '../wire/schema.js'
import { verify } from '../wire/signing.js'
import { ACT_DOMAIN, START_DOMAIN, actMessage, decodeGameMessage, encodeGameMessage, type Act, type Side } from '../wire/game-messages.js'
import { decodeStart, encodeStart, gameIdOf, startToSign, START_MAX_BYTES, type SignedStart } from '../wire/game-start.js'
import { RESULT_MAX_BYTES } from './constants.js'
import { InvalidRatingRecordError } from './errors.js'
import type { CID } from 'multiformats/cid'
import type { PublicKey } from '@libp2p/interface'

export const RESULT_VERSION = 1

/** A finished game's co-signed start record and both result acts. */
export interface CosignedResult {
  readonly start: SignedStart
  readonly acts: Readonly<Record<Side, Act>>
}

/** Who won, from the board's side: 'B', 'W', a draw (jigo), or no result (void). */
export type Winner = Side | 'draw' | 'void'

/** The winner a result text names (protocols/game.md: `B+3.5`, `W+R`, `0`, `Void`). */
export function winnerOf (result: string): Winner {
  if (result === '0' || result === 'Draw') return 'draw'
  if (result.startsWith('B+')) return 'B'
  if (result.startsWith('W+')) return 'W'
  return 'void'
}

/** Canonical CBOR of a co-signed result; its CID names it in the DHT and in rating records. */
export function encodeCosignedResult (r: CosignedResult): Uint8Array {
  return encodeMessage(RESULT_VERSION, 'result', {
    start: encodeStart(r.start),
    B: encodeGameMessage({ t: 'act', ...r.acts.B }),
    W: encodeGameMessage({ t: 'act', ...r.acts.W })
  })
}

/** The content ID of a co-signed result. */
export function cosignedResultId (r: CosignedResult): CID {
  return cidOfCanonical(encodeCosignedResult(r))
}

/**
 * Decodes a co-signed result: size, canonical CBOR, envelope, the start record and both acts
 * with the game protocol's own decoders. Throws InvalidRatingRecordError ('too-large',
 * 'malformed', 'not-a-result'); signatures are `verifyCosignedResult`'s.
 */
export function decodeCosignedResult (data: Uint8Array): CosignedResult {
  if (data.length > RESULT_MAX_BYTES) throw new InvalidRatingRecordError('too-large', `${data.length} bytes, at most ${RESULT_MAX_BYTES}`)
  try {
    const { fields: f } = decodeMessage(data, { maxBytes: RESULT_MAX_BYTES, versions: [RESULT_VERSION], types: ['result'] as const })
    noExtraKeys(f, ['v', 't', 'start', 'B', 'W'], '')
    const start = decodeStart(field(f, 'start', bytes({ max: START_MAX_BYTES }), ''))
    const act = (side: Side): Act => {
      const m = decodeGameMessage(field(f, side, bytes({ max: RESULT_MAX_BYTES }), ''))
      if (m.t !== 'act' || m.kind !== 'result' || m.by !== side) throw new InvalidRatingRecordError('not-a-result', `${side}'s entry is not ${side}'s result act`)
      const { t: _t, ...rest } = m
      return rest
    }
    return { start, acts: { B: act('B'), W: act('W') } }
  } catch (err) {
    if (err instanceof WireError) throw new InvalidRatingRecordError('malformed', err.message)
    throw err
  }
}

/** A player's public key from the peer ID bytes in a start record. */
export function keyOfPlayer (peer: Uint8Array): PublicKey {
  let key: PublicKey | undefined
  try {
    key = peerIdFromMultihash(Digest.decode(peer)).publicKey
  } catch (err) {
    throw new InvalidRatingRecordError('malformed', `a player's peer ID is not valid: ${(err as Error).message}`)
  }
  if (key == null) throw new InvalidRatingRecordError('malformed', 'a player\'s peer ID carries no public key')
  return key
}

/**
 * Checks that both players signed the start record and their own result act, that the acts
 * belong to this game, and that they state the same result and final summary. Throws
 * InvalidRatingRecordError ('not-cosigned', 'wrong-game', 'not-a-result').
 */
export async function verifyCosignedResult (r: CosignedResult): Promise<void> {
  const keys = { B: keyOfPlayer(r.start.black), W: keyOfPlayer(r.start.white) }
  const gameId = gameIdOf(r.start)
  for (const side of ['B', 'W'] as const) {
    try {
      await verify(keys[side], START_DOMAIN, { ...startToSign(r.start), sig: r.start.sigs[side] })
      await verify(keys[side], ACT_DOMAIN, actMessage(r.acts[side]))
    } catch (err) {
      if (err instanceof WireError) throw new InvalidRatingRecordError('not-cosigned', `${side}: ${err.message}`)
      throw err
    }
    if (!r.acts[side].game.equals(gameId)) throw new InvalidRatingRecordError('wrong-game', `${side}'s result act names game ${r.acts[side].game.toString()}`)
  }
  const { B, W } = r.acts
  if (B.result !== W.result || B.final == null || W.final == null || !B.final.equals(W.final)) {
    throw new InvalidRatingRecordError('not-a-result', `the players signed different ends (${B.result ?? '?'} / ${W.result ?? '?'})`)
  }
}

/** The side a peer (ID multihash bytes) played, if it played. */
export function sideOf (r: CosignedResult, peer: Uint8Array): Side | undefined {
  if (equals(r.start.black, peer)) return 'B'
  if (equals(r.start.white, peer)) return 'W'
  return undefined
}
