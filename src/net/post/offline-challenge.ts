// An offline challenge from offer to co-signed start record (protocols/post.md, "Offline
// challenges"): the same messages and the same start record as the live challenge protocol
// (protocols/challenge.md), only carried one at a time, days apart. The author's `propose`
// waits in the mailbox; the recipient's `accept` carries its signature over the start record;
// the author's `confirm` its countersignature. Pure apart from signing.
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { otherSide } from '../../wire/game-messages.js'
import { gameIdOf } from '../../wire/game-start.js'
import { InvalidSignatureError } from '../../wire/errors.js'
import { signStart, startRecordOf, verifyStart } from '../challenge/start-record.js'
import { ACCEPT_SKEW } from './constants.js'
import { PostRefusedError } from './errors.js'
import type { StartedGame } from '../game/game-service.js'
import type { Accept, Confirm, Proposal } from '../challenge/messages.js'
import type { EngineInfo, RatingClaim, StartRecord } from '../../wire/game-start.js'
import type { Side } from '../../wire/game-messages.js'
import type { SigningKey } from '../../wire/signing.js'

/** What the accepter adds: its name, and its rating and engine when it declares them. */
export interface AccepterClaims {
  readonly name: string
  readonly rating?: RatingClaim
  readonly engine?: EngineInfo
}

const peerOf = (multihash: Uint8Array): ReturnType<typeof peerIdFromMultihash> => peerIdFromMultihash(Digest.decode(multihash))

function recordOf (proposal: Proposal, author: Uint8Array, accepter: Uint8Array, accept: Omit<Accept, 'sig'>): { record: StartRecord, authorSide: Side } {
  return startRecordOf(proposal, {
    author,
    accepter,
    accepterName: accept.name,
    ...(accept.rating != null ? { accepterRating: accept.rating } : {}),
    ...(accept.engine != null ? { accepterEngine: accept.engine } : {}),
    created: accept.created
  })
}

/** The recipient accepts: its accept message, signed over the start record it makes. Refuses an offer that has lapsed. */
export async function acceptOffer (proposal: Proposal, parties: { author: Uint8Array, accepter: Uint8Array }, claims: AccepterClaims, key: SigningKey, now: number): Promise<Accept> {
  if (proposal.expires <= now) throw new PostRefusedError('expired', 'the challenge has expired: it can no longer be accepted')
  const unsigned = {
    id: proposal.id,
    created: now,
    name: claims.name,
    // A rating only answers a rated offer, as in the live protocol.
    ...(claims.rating != null && proposal.rating != null ? { rating: claims.rating } : {}),
    ...(claims.engine != null ? { engine: claims.engine } : {})
  }
  const { record } = recordOf(proposal, parties.author, parties.accepter, unsigned)
  return { ...unsigned, sig: await signStart(key, record) }
}

/**
 * The author receives an accept of its `proposal` from `accepter`: checks it was made before the
 * offer lapsed and that its signature is over the start record, then countersigns. Returns the
 * confirm to send back and the game, from the author's side.
 */
export async function confirmAccept (proposal: Proposal, author: Uint8Array, accepter: Uint8Array, accept: Accept, key: SigningKey): Promise<{ confirm: Confirm, game: StartedGame }> {
  if (accept.created > proposal.expires + ACCEPT_SKEW) throw new PostRefusedError('expired', 'the challenge was accepted after it had expired')
  const { record, authorSide } = recordOf(proposal, author, accepter, accept)
  const opponent = peerOf(accepter)
  await checkSig(opponent.publicKey, record, accept.sig, 'accept')
  const sig = await signStart(key, record)
  const start = { ...record, sigs: authorSide === 'B' ? { B: sig, W: accept.sig } : { B: accept.sig, W: sig } }
  return { confirm: { id: proposal.id, sig }, game: { start, gameId: gameIdOf(start), opponent, me: authorSide } }
}

/** The accepter receives the author's confirm: checks its signature and returns the game, from the accepter's side. */
export async function completeAccept (proposal: Proposal, author: Uint8Array, accepter: Uint8Array, accept: Accept, confirm: Confirm): Promise<StartedGame> {
  const { record, authorSide } = recordOf(proposal, author, accepter, accept)
  const opponent = peerOf(author)
  await checkSig(opponent.publicKey, record, confirm.sig, 'confirm')
  const me = otherSide(authorSide)
  const start = { ...record, sigs: me === 'B' ? { B: accept.sig, W: confirm.sig } : { B: confirm.sig, W: accept.sig } }
  return { start, gameId: gameIdOf(start), opponent, me }
}

async function checkSig (key: Parameters<typeof verifyStart>[0] | undefined, record: StartRecord, sig: Uint8Array, what: string): Promise<void> {
  if (key == null) throw new PostRefusedError('bad-signature', `the ${what}'s sender has no key to check its signature with`)
  try {
    await verifyStart(key, record, sig)
  } catch (err) {
    if (err instanceof InvalidSignatureError) throw new PostRefusedError('bad-signature', `the ${what}'s signature over the start record does not check: it was not made for this challenge, or was altered`)
    throw err
  }
}
