// From an accepted proposal to the start record both players sign: who plays which colour and
// what exactly is signed. Pure functions of their inputs, so both sides, and the test vectors,
// compute the same record and the same game ID.
import { hashBytes } from '../../wire/cid.js'
import { START_DOMAIN } from '../../wire/game-messages.js'
import { startToSign } from '../../wire/game-start.js'
import { sign, verify } from '../../wire/signing.js'
import type { Side } from '../../wire/game-messages.js'
import type { EngineInfo, Engines, RatingClaim, StartRecord } from '../../wire/game-start.js'
import type { SigningKey, VerifyingKey } from '../../wire/signing.js'
import type { ChallengeColor, Proposal } from './messages.js'

/**
 * The side the proposal's author plays. 'black' and 'white' are as asked; 'random' is the low
 * bit of sha-256(nonce ‖ author ‖ accepter), peer IDs as multihash bytes, read as the low bit
 * of the digest's last byte: 1 makes the author Black. Anyone can recompute it from the record.
 * It is not a fair coin against a dishonest author, who knows both IDs and could try nonces
 * until it gets the colour it wants (protocols/challenge.md says why v1 accepts that).
 */
export function authorSide (color: ChallengeColor, nonce: Uint8Array, author: Uint8Array, accepter: Uint8Array): Side {
  if (color === 'black') return 'B'
  if (color === 'white') return 'W'
  const input = new Uint8Array(nonce.length + author.length + accepter.length)
  input.set(nonce, 0)
  input.set(author, nonce.length)
  input.set(accepter, nonce.length + author.length)
  const digest = hashBytes(input).digest
  return (digest[digest.length - 1] & 1) === 1 ? 'B' : 'W'
}

/** Who is in the game and under which names: the proposal's author and the one accepting it. */
export interface Parties {
  /** The proposal author's peer ID as multihash bytes. */
  readonly author: Uint8Array
  /** The accepter's peer ID as multihash bytes. */
  readonly accepter: Uint8Array
  readonly accepterName: string
  /** The accepter's rating for the size, from its accept: with the proposal's own, the game is rated. */
  readonly accepterRating?: RatingClaim
  /** The accepter's engine, from its accept; absent when a person accepted. */
  readonly accepterEngine?: EngineInfo
  /** The accepter's clock when it accepted, ms since the epoch. */
  readonly created: number
}

/**
 * The start record an accept of `proposal` makes, and the side its author plays. It carries
 * `ratings` only when both the proposal and the accept declared one: then the game is rated.
 * It carries `engines` when either declared one, each side only from its own player's message.
 */
export function startRecordOf (proposal: Proposal, parties: Parties): { record: StartRecord, authorSide: Side } {
  const side = authorSide(proposal.color, proposal.id, parties.author, parties.accepter)
  const authorIsBlack = side === 'B'
  const { rating } = proposal
  const { accepterRating } = parties
  const engines = enginesOf(authorIsBlack ? proposal.engine : parties.accepterEngine, authorIsBlack ? parties.accepterEngine : proposal.engine)
  const record: StartRecord = {
    terms: proposal.terms,
    black: authorIsBlack ? parties.author : parties.accepter,
    white: authorIsBlack ? parties.accepter : parties.author,
    nonce: proposal.id,
    created: parties.created,
    names: authorIsBlack ? { B: proposal.name, W: parties.accepterName } : { B: parties.accepterName, W: proposal.name },
    ...(rating != null && accepterRating != null
      ? { ratings: authorIsBlack ? { B: rating, W: accepterRating } : { B: accepterRating, W: rating } }
      : {}),
    ...(engines != null ? { engines } : {})
  }
  return { record, authorSide: side }
}

/** The engines by side, or undefined when both players are people: then the record has no `engines` key. */
function enginesOf (black: EngineInfo | undefined, white: EngineInfo | undefined): Engines | undefined {
  if (black == null && white == null) return undefined
  return { ...(black != null ? { B: black } : {}), ...(white != null ? { W: white } : {}) }
}

/** One player's signature over the start record, in the domain game/start. */
export async function signStart (key: SigningKey, record: StartRecord): Promise<Uint8Array> {
  const { sig } = await sign(key, START_DOMAIN, startToSign(record))
  // Node's Ed25519 gives a Buffer: a plain copy, so both sides hold records of one kind.
  return new Uint8Array(sig)
}

/** Checks one player's signature over the start record; throws InvalidSignatureError. */
export async function verifyStart (key: VerifyingKey, record: StartRecord, sig: Uint8Array): Promise<void> {
  await verify(key, START_DOMAIN, { ...startToSign(record), sig })
}
