// One challenge stream from either end: whoever made the latest proposal waits for an answer,
// the other side answers it, and the roles swap on every counter. Both ends run this same
// state machine; the service only says who made the first proposal and how this side answers.
import { InvalidSettingError } from '../../game/errors.js'
import { InvalidSignatureError, MalformedMessageError } from '../../wire/errors.js'
import { otherSide } from '../../wire/game-messages.js'
import { checkEngineInfo, checkRatingClaim, gameIdOf } from '../../wire/game-start.js'
import { CONFIRM_TIMEOUT_MS, CREATED_SKEW_MS, EXPIRY_GRACE_MS, ID_BYTES, MAX_PROPOSALS } from './constants.js'
import { ChallengeProtocolError, ChallengeTimeoutError } from './errors.js'
import { deadline } from './framed-stream.js'
import { raceSignal } from '../race-signal.js'
import { checkName, clip } from './messages.js'
import { signStart, startRecordOf, verifyStart } from './start-record.js'
import { localTerms } from './terms.js'
import type { ChallengeOffer, Decision, StartedGame } from './index.js'
import type { DeclineReason } from './errors.js'
import type { FramedStream } from './framed-stream.js'
import type { ChallengeColor, ChallengeMessage, Proposal } from './messages.js'
import type { Side } from '../../wire/game-messages.js'
import type { EngineInfo, GameTerms, RatingClaim, SignedStart, StartRecord } from '../../wire/game-start.js'
import type { SigningKey, VerifyingKey } from '../../wire/signing.js'
import type { PeerId } from '@libp2p/interface'

/** Everything one negotiation needs from the service. */
export interface NegotiationContext {
  readonly io: FramedStream
  readonly me: PeerId
  readonly key: SigningKey
  readonly peer: PeerId
  readonly now: () => number
  /** The longest this side takes to answer a proposal. */
  readonly answerTimeoutMs: number
  /** How long this side's counter-proposals stay open. */
  readonly offerTtlMs: number
  /** This side's name when an answer names none. */
  readonly name: string
  /** This side's rating claim for a board size, or undefined when it does not want the game rated. */
  readonly rating?: (size: number) => RatingClaim | undefined
  /** The engine this side plays with, or undefined when a person plays. */
  readonly engine?: () => EngineInfo | undefined
  /** Aborted when the caller gives up or the service stops. */
  readonly signal: AbortSignal
  /** This side's answer to the peer's proposal; its signal aborts when the offer lapses or the peer leaves. */
  readonly answer: (offer: ChallengeOffer, options: { signal: AbortSignal }) => Promise<Decision>
}

/** How a negotiation ended when it ended in order. */
export type Outcome =
  | { readonly game: StartedGame }
  | { readonly declined: { readonly by: 'peer' | 'self', readonly reason: DeclineReason, readonly message?: string } }

/** A decision checked and completed, ready to send. */
type Answer =
  | { readonly kind: 'accept', readonly name: string, readonly rating?: RatingClaim, readonly engine?: EngineInfo }
  | { readonly kind: 'decline', readonly reason: DeclineReason, readonly message?: string }
  | { readonly kind: 'counter', readonly terms: GameTerms, readonly color: ChallengeColor, readonly name: string, readonly rating?: RatingClaim, readonly engine?: EngineInfo }

const sameId = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** The key a peer ID embeds; p2pgo peers are Ed25519, so a peer without one cannot have signed. */
function keyOf (peer: PeerId): VerifyingKey {
  if (peer.publicKey == null) throw new ChallengeProtocolError('bad-signature', 'the peer ID holds no public key to check its signature with')
  return peer.publicKey
}

/** Checks an answer the application gave, so nothing the peer would refuse is ever sent. */
function checkDecision (decision: Decision, name: string): Answer {
  const checkedName = (n: string | undefined): string => {
    try {
      return checkName(n ?? name, 'name')
    } catch (err) {
      throw new InvalidSettingError('name', (err as Error).message)
    }
  }
  if ('accept' in decision) return { kind: 'accept', name: checkedName(decision.name) }
  if ('decline' in decision) {
    const reason = clip(decision.decline, 64)
    const message = decision.message == null ? '' : clip(decision.message)
    return { kind: 'decline', reason: reason === '' ? 'declined' : reason, ...(message !== '' ? { message } : {}) }
  }
  const terms = localTerms(decision.counter.terms)
  const color = decision.counter.color
  if (color !== 'black' && color !== 'white' && color !== 'random') throw new InvalidSettingError('color', `expected black, white or random, got ${String(color)}`)
  return { kind: 'counter', terms, color, name: checkedName(decision.counter.name) }
}

/**
 * This side's rating claim for `size`, checked as the peer will check it; undefined when the
 * node has none or wants the game unrated. A claim the peer would refuse is an InvalidSettingError.
 */
export function ownRating (rating: ((size: number) => RatingClaim | undefined) | undefined, size: number): RatingClaim | undefined {
  const claim = rating?.(size)
  if (claim == null) return undefined
  try {
    return checkRatingClaim(claim, 'rating')
  } catch (err) {
    if (err instanceof MalformedMessageError) throw new InvalidSettingError(err.path, err.message)
    throw err
  }
}

/**
 * The engine this side plays with, checked as the peer will check it; undefined when a person
 * plays. An identity the peer would refuse is an InvalidSettingError.
 */
export function ownEngine (engine: (() => EngineInfo | undefined) | undefined): EngineInfo | undefined {
  const info = engine?.()
  if (info == null) return undefined
  try {
    return checkEngineInfo(info, 'engine')
  } catch (err) {
    if (err instanceof MalformedMessageError) throw new InvalidSettingError(err.path, err.message)
    throw err
  }
}

/**
 * Adds this side's declarations to a checked answer. Rating: a counter always offers one, an
 * accept only answers one. Engine: every counter and accept says it, whatever the peer said.
 */
function withClaims (ctx: NegotiationContext, proposal: Proposal, answer: Answer): Answer {
  if (answer.kind === 'counter') return withEngine(withClaim(answer, ownRating(ctx.rating, answer.terms.size)), ownEngine(ctx.engine))
  // An unrated proposal stays unrated: a lone claim would make nothing and only leak the rating.
  if (answer.kind === 'accept') return withEngine(proposal.rating != null ? withClaim(answer, ownRating(ctx.rating, proposal.terms.size)) : answer, ownEngine(ctx.engine))
  return answer
}

function withClaim<A extends Answer> (answer: A, rating: RatingClaim | undefined): A {
  return rating != null ? { ...answer, rating } : answer
}

function withEngine<A extends Answer> (answer: A, engine: EngineInfo | undefined): A {
  return engine != null ? { ...answer, engine } : answer
}

/** Runs the negotiation from its first proposal to a co-signed start or a decline; the caller closes or aborts the stream. */
export async function negotiate (ctx: NegotiationContext, first: Proposal, firstIsMine: boolean): Promise<Outcome> {
  const ids: Uint8Array[] = [first.id]
  let proposal = first
  let mine = firstIsMine
  while (true) {
    if (mine) {
      const next = await awaitAnswer(ctx, proposal)
      if (!('counter' in next)) return next
      if (ids.length >= MAX_PROPOSALS) throw new ChallengeProtocolError('too-many-proposals', `more than ${MAX_PROPOSALS} proposals on one stream`)
      if (ids.some(id => sameId(id, next.counter.id))) throw new ChallengeProtocolError('unexpected', 'a counter-proposal reused an earlier proposal ID')
      ids.push(next.counter.id)
      proposal = next.counter
      mine = false
    } else {
      const next = await answerProposal(ctx, proposal, ids.length < MAX_PROPOSALS)
      if (!('counter' in next)) return next
      ids.push(next.counter.id)
      proposal = next.counter
      mine = true
    }
  }
}

/** This side made `proposal`: waits for the peer's accept, decline or counter. */
async function awaitAnswer (ctx: NegotiationContext, proposal: Proposal): Promise<Outcome | { counter: Proposal }> {
  // The peer owes a decline 'timeout' at expiry; the grace covers the network.
  const wait = deadline(ctx.signal, proposal.expires + EXPIRY_GRACE_MS - ctx.now())
  let message: ChallengeMessage | undefined
  try {
    message = await ctx.io.read(wait.signal)
  } catch (err) {
    if (wait.expired()) throw new ChallengeTimeoutError()
    throw err
  } finally {
    wait.clear()
  }
  if (message == null) throw new ChallengeProtocolError('closed', 'the other player left without answering')
  if (message.t === 'counter') {
    const { t: _t, ...counter } = message
    return { counter }
  }
  if (message.t !== 'accept' && message.t !== 'decline') {
    throw new ChallengeProtocolError('unexpected', `expected an answer to the proposal, got ${message.t}`)
  }
  if (!sameId(message.id, proposal.id)) throw new ChallengeProtocolError('unexpected', `the ${message.t} names another proposal`)
  if (message.t === 'decline') {
    return { declined: { by: 'peer', reason: message.reason, ...(message.message != null ? { message: message.message } : {}) } }
  }
  if (Math.abs(message.created - ctx.now()) > CREATED_SKEW_MS) {
    // One of the two clocks is wrong, and it may be this one: refused, but not held against the peer.
    throw new ChallengeProtocolError('unexpected', `the accept's creation time ${message.created} is far from this clock`, { blameless: true })
  }
  const { record, authorSide } = startRecordOf(proposal, {
    author: ctx.me.toMultihash().bytes,
    accepter: ctx.peer.toMultihash().bytes,
    accepterName: message.name,
    ...(message.rating != null ? { accepterRating: message.rating } : {}),
    ...(message.engine != null ? { accepterEngine: message.engine } : {}),
    created: message.created
  })
  await checkSignature(ctx.peer, record, message.sig)
  const mySig = await signStart(ctx.key, record)
  await ctx.io.write({ t: 'confirm', id: proposal.id, sig: mySig }, ctx.signal)
  const sigs = authorSide === 'B' ? { B: mySig, W: message.sig } : { B: message.sig, W: mySig }
  return { game: started(ctx, { ...record, sigs }, authorSide) }
}

/** The peer made `proposal`: asks this side, sends the answer, and on accept waits for the confirm. */
async function answerProposal (ctx: NegotiationContext, proposal: Proposal, mayCounter: boolean): Promise<Outcome | { counter: Proposal }> {
  const answer = await decide(ctx, proposal)
  if (answer.kind === 'decline' || (answer.kind === 'counter' && !mayCounter)) {
    const decline: { reason: DeclineReason, message?: string } = answer.kind === 'decline'
      ? { reason: answer.reason, ...(answer.message != null ? { message: answer.message } : {}) }
      : { reason: 'declined', message: 'no more counter-proposals on this stream' }
    await ctx.io.write({ t: 'decline', id: proposal.id, ...decline }, ctx.signal)
    return { declined: { by: 'self', ...decline } }
  }
  if (answer.kind === 'counter') {
    const counter: Proposal = {
      id: randomId(),
      terms: answer.terms,
      color: answer.color,
      name: answer.name,
      expires: ctx.now() + ctx.offerTtlMs,
      ...(answer.rating != null ? { rating: answer.rating } : {}),
      ...(answer.engine != null ? { engine: answer.engine } : {})
    }
    await ctx.io.write({ t: 'counter', ...counter }, ctx.signal)
    return { counter }
  }
  const created = ctx.now()
  const { record, authorSide } = startRecordOf(proposal, {
    author: ctx.peer.toMultihash().bytes,
    accepter: ctx.me.toMultihash().bytes,
    accepterName: answer.name,
    ...(answer.rating != null ? { accepterRating: answer.rating } : {}),
    ...(answer.engine != null ? { accepterEngine: answer.engine } : {}),
    created
  })
  const mySig = await signStart(ctx.key, record)
  const rating = answer.rating != null ? { rating: answer.rating } : {}
  const engine = answer.engine != null ? { engine: answer.engine } : {}
  await ctx.io.write({ t: 'accept', id: proposal.id, created, name: answer.name, ...rating, ...engine, sig: mySig }, ctx.signal)
  const wait = deadline(ctx.signal, CONFIRM_TIMEOUT_MS)
  let message: ChallengeMessage | undefined
  try {
    message = await ctx.io.read(wait.signal)
  } catch (err) {
    if (wait.expired()) throw new ChallengeTimeoutError('the other player did not confirm the accepted challenge in time')
    throw err
  } finally {
    wait.clear()
  }
  if (message == null) throw new ChallengeProtocolError('closed', 'the other player left before confirming')
  if (message.t !== 'confirm') throw new ChallengeProtocolError('unexpected', `expected a confirm, got ${message.t}`)
  if (!sameId(message.id, proposal.id)) throw new ChallengeProtocolError('unexpected', 'the confirm names another proposal')
  await checkSignature(ctx.peer, record, message.sig)
  const me = otherSide(authorSide)
  const sigs = me === 'B' ? { B: mySig, W: message.sig } : { B: message.sig, W: mySig }
  return { game: started(ctx, { ...record, sigs }, me) }
}

/**
 * This side's answer, within the answer time and the offer's expiry. The peer may not speak
 * while it waits: leaving withdraws the offer, a message is out of turn. A lapse becomes a
 * decline 'timeout'; an answer function that fails declines, then the failure is thrown.
 */
async function decide (ctx: NegotiationContext, proposal: Proposal): Promise<Answer> {
  const left = proposal.expires - ctx.now()
  if (left <= 0) return { kind: 'decline', reason: 'timeout', message: 'the offer had expired when it arrived' }
  const wait = deadline(ctx.signal, Math.min(ctx.answerTimeoutMs, left))
  const offer: ChallengeOffer = {
    from: ctx.peer,
    terms: proposal.terms,
    color: proposal.color,
    name: proposal.name,
    expires: proposal.expires,
    ...(proposal.rating != null ? { rating: proposal.rating } : {}),
    ...(proposal.engine != null ? { engine: proposal.engine } : {})
  }
  try {
    const peerSpoke = ctx.io.arrival().then(() => 'peer' as const, () => 'peer' as const)
    const decision = ctx.answer(offer, { signal: wait.signal })
    // The application's promise may reject after we stop listening: that must not go unhandled.
    decision.catch(() => {})
    const first = await raceSignal(Promise.race([decision, peerSpoke]), wait.signal)
    if (first === 'peer') {
      // Read it to learn which: the stream's end, a message out of turn, or bad bytes.
      const message = await ctx.io.read(ctx.signal)
      if (message == null) throw new ChallengeProtocolError('closed', 'the other player withdrew the offer')
      throw new ChallengeProtocolError('unexpected', `got ${message.t} while the offer was being considered`)
    }
    return withClaims(ctx, proposal, checkDecision(first, ctx.name))
  } catch (err) {
    if (wait.expired()) return { kind: 'decline', reason: 'timeout', message: 'no answer was given in time' }
    if (ctx.signal.aborted || err instanceof ChallengeProtocolError) throw err
    // A failing answer function is this side's fault: tell the peer no, then report it here.
    await ctx.io.write({ t: 'decline', id: proposal.id, reason: 'declined' }, ctx.signal).catch(() => {})
    throw err
  } finally {
    wait.clear()
  }
}

/** The peer's signature over the start record; a wrong one is the peer's offence. */
async function checkSignature (peer: PeerId, record: StartRecord, sig: Uint8Array): Promise<void> {
  try {
    await verifyStart(keyOf(peer), record, sig)
  } catch (err) {
    if (err instanceof InvalidSignatureError) throw new ChallengeProtocolError('bad-signature', `the other player's signature over the start record does not verify (${err.reason})`, { cause: err })
    throw err
  }
}

/** The game as the service reports it, from this side's point of view. */
function started (ctx: NegotiationContext, start: SignedStart, me: Side): StartedGame {
  return { start, gameId: gameIdOf(start), opponent: ctx.peer, me }
}

/** A fresh proposal ID: 128 random bits, the start record's nonce. */
export function randomId (): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(ID_BYTES))
}
