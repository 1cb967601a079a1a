import { NotStartedError, setMaxListeners } from '@libp2p/interface'
import { TypedEventEmitter } from 'main-event'
import { InvalidSettingError } from '../../game/errors.js'
import { decodeCanonical } from '../../wire/cbor.js'
import { ANSWER_TIMEOUT_MS, CHALLENGE_MAX_BYTES, CHALLENGE_PROTOCOL, DEFAULT_NAME, FIRST_MESSAGE_TIMEOUT_MS, ID_BYTES, MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, OFFER_TTL_MS } from './constants.js'
import { ChallengeDeclinedError, ChallengeProtocolError, ChallengeTimeoutError } from './errors.js'
import { deadline, FramedStream } from './framed-stream.js'
import { checkName, clip } from './messages.js'
import { negotiate, ownEngine, ownRating, randomId } from './negotiation.js'
import { Penalties } from '../reputation/penalties.js'
import { localTerms } from './terms.js'
import { optional } from '../components.js'
import type { ChallengeComponents, ChallengeEvents, ChallengeInit, ChallengeTerms, CounterAnswer, Decision, ProposeOptions, StartedGame } from './index.js'
import type { ChallengeMessage, Proposal } from './messages.js'
import type { NegotiationContext, Outcome } from './negotiation.js'
import type { Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'

/** How long a last decline may take to leave before the stream is reset anyway. */
const CLOSE_TIMEOUT_MS = 2000

/** Agrees games with other peers over `/p2pgo/challenge/1.0.0` (protocols/challenge.md). */
export class ChallengeService extends TypedEventEmitter<ChallengeEvents> implements Startable {
  readonly protocol = CHALLENGE_PROTOCOL
  readonly [Symbol.toStringTag] = 'p2pgo/challenge'
  private readonly components: ChallengeComponents
  private readonly log: Logger
  private readonly decideIncoming: NonNullable<ChallengeInit['decide']>
  private readonly answerTimeoutMs: number
  private readonly offerTtlMs: number
  private readonly name: string
  private readonly rating: ChallengeInit['rating']
  private readonly engine: ChallengeInit['engine']
  private readonly now: () => number
  /** Aborted by stop(): every negotiation in flight ends with it. Present while started. */
  private running: AbortController | undefined
  private readonly open = new Set<FramedStream>()
  private readonly penalties: Penalties

  constructor (components: ChallengeComponents, init: ChallengeInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:challenge')
    this.decideIncoming = init.decide ?? (async () => ({ decline: 'busy' }))
    this.answerTimeoutMs = duration('answerTimeoutMs', init.answerTimeoutMs ?? ANSWER_TIMEOUT_MS)
    this.offerTtlMs = duration('offerTtlMs', init.offerTtlMs ?? OFFER_TTL_MS)
    this.name = localName(init.name ?? DEFAULT_NAME)
    this.rating = init.rating
    this.engine = init.engine
    this.now = init.now ?? Date.now
    this.penalties = new Penalties({ source: 'challenge', reputation: () => optional(() => this.components.reputation), now: this.now })
    this.handleStream = this.handleStream.bind(this)
  }

  /** Registers the protocol handler; calling it again does nothing. */
  async start (): Promise<void> {
    if (this.running != null) return
    const running = new AbortController()
    // Every negotiation listens on this one signal.
    setMaxListeners(Infinity, running.signal)
    this.running = running
    try {
      await this.components.registrar.handle(this.protocol, this.handleStream, {
        // Games may have to start over a relay: libp2p opens a stream on a limited (relayed) connection
        // only when both the handler and the opener pass runOnLimitedConnection (libp2p/dist/src/connection.js).
        runOnLimitedConnection: true,
        maxInboundStreams: MAX_INBOUND_STREAMS,
        maxOutboundStreams: MAX_OUTBOUND_STREAMS
      })
    } catch (err) {
      this.running = undefined
      throw err
    }
  }

  /** Removes the handler and ends every negotiation in flight; calling it again does nothing. */
  async stop (): Promise<void> {
    const running = this.running
    if (running == null) return
    this.running = undefined
    await this.components.registrar.unhandle(this.protocol)
    running.abort(new NotStartedError('the challenge service stopped'))
    for (const io of this.open) io.abort(new NotStartedError('the challenge service stopped'))
    this.open.clear()
  }

  /** Whether the handler is registered. */
  isStarted (): boolean {
    return this.running != null
  }

  /**
   * Challenges `peer` to a game on `offer`. Resolves with the game once both signatures are
   * in; rejects with ChallengeDeclinedError, ChallengeTimeoutError, ChallengeProtocolError,
   * InvalidSettingError (terms, name, rating claim or engine this node would not send), or the signal's reason.
   */
  /**
   * A stream to the peer on an open connection when there is one, relayed included: libp2p's
   * openStream never reuses a limited connection and would dial the peer again, through a relay
   * that may be the one it is already on, or fail where the open connection works.
   */
  private async openStream (peer: PeerId, signal: AbortSignal): Promise<Stream> {
    const open = this.components.connectionManager.getConnections(peer).filter(c => c.status === 'open')
    const best = open.find(c => c.limits == null) ?? open[0]
    if (best != null) return best.newStream(this.protocol, { runOnLimitedConnection: true, signal })
    return this.components.connectionManager.openStream(peer, this.protocol, { runOnLimitedConnection: true, signal })
  }

  async propose (peer: PeerId, offer: ChallengeTerms, options: ProposeOptions = {}): Promise<StartedGame> {
    const running = this.running
    if (running == null) throw new NotStartedError('the challenge service is not started')
    const terms = localTerms(offer.terms)
    const rating = ownRating(this.rating, terms.size)
    const engine = ownEngine(this.engine)
    const proposal: Proposal = {
      id: randomId(),
      terms,
      color: localColor(offer.color),
      name: localName(offer.name),
      expires: this.now() + duration('ttlMs', options.ttlMs ?? this.offerTtlMs),
      ...(rating != null ? { rating } : {}),
      ...(engine != null ? { engine } : {})
    }
    const signal = options.signal == null ? running.signal : AbortSignal.any([options.signal, running.signal])
    setMaxListeners(Infinity, signal)
    const stream = await this.openStream(peer, signal)
    const io = this.track(stream)
    const onCounter = options.onCounter ?? (async () => 'decline' as const)
    const ctx = this.context(io, peer, proposal.name, signal, async (counter, opts) => counterDecision(await onCounter(counter, opts), proposal.name))
    let outcome: Outcome
    try {
      await io.write({ t: 'propose', ...proposal }, signal)
      outcome = await negotiate(ctx, proposal, true)
      await this.finish(io, outcome)
    } catch (err) {
      await this.fail(io, peer, err, signal)
      // The caller's abort (or stop()) is the real reason, whatever it broke on the way.
      if (signal.aborted && !(err instanceof ChallengeTimeoutError)) throw signal.reason
      throw err
    } finally {
      this.open.delete(io)
    }
    if ('game' in outcome) return outcome.game
    const { by, reason, message } = outcome.declined
    if (reason === 'timeout') {
      throw new ChallengeTimeoutError(by === 'peer' ? 'the other player did not answer in time' : 'the counter-proposal was not answered in time')
    }
    throw new ChallengeDeclinedError(reason, by, message)
  }

  /** An incoming challenge: read the propose, negotiate, and never let an error escape into libp2p. */
  private async handleStream (stream: Stream, connection: Connection): Promise<void> {
    const running = this.running
    const peer = connection.remotePeer
    if (running == null) {
      stream.abort(new NotStartedError('the challenge service is not started'))
      return
    }
    const io = this.track(stream)
    try {
      const wait = deadline(running.signal, FIRST_MESSAGE_TIMEOUT_MS)
      let first: ChallengeMessage | undefined
      try {
        first = await io.read(wait.signal)
      } catch (err) {
        if (wait.expired()) throw new ChallengeTimeoutError('no proposal arrived')
        throw err
      } finally {
        wait.clear()
      }
      if (first == null) {
        // Opened and closed without a word: nothing to answer, nothing wrong.
        await io.close(running.signal)
        return
      }
      if (first.t !== 'propose') throw new ChallengeProtocolError('unexpected', `a challenge stream must start with a propose, not ${first.t}`)
      this.log('challenge from %p', peer)
      const ctx = this.context(io, peer, this.name, running.signal, this.decideIncoming)
      const { t: _t, ...proposal } = first
      const outcome = await negotiate(ctx, proposal, false)
      await this.finish(io, outcome)
      if ('declined' in outcome) this.log('challenge from %p ended: declined by %s (%s)', peer, outcome.declined.by, outcome.declined.reason)
    } catch (err) {
      await this.fail(io, peer, err, running.signal)
    } finally {
      this.open.delete(io)
    }
  }

  private track (stream: Stream): FramedStream {
    const io = new FramedStream(stream)
    this.open.add(io)
    return io
  }

  private context (io: FramedStream, peer: PeerId, name: string, signal: AbortSignal, answer: NegotiationContext['answer']): NegotiationContext {
    return {
      io,
      me: this.components.peerId,
      key: this.components.privateKey,
      peer,
      now: this.now,
      answerTimeoutMs: this.answerTimeoutMs,
      offerTtlMs: this.offerTtlMs,
      name,
      ...(this.rating != null ? { rating: this.rating } : {}),
      ...(this.engine != null ? { engine: this.engine } : {}),
      signal,
      answer
    }
  }

  /** A negotiation that ended in order: close gracefully so the last message arrives, and announce a game. */
  private async finish (io: FramedStream, outcome: Outcome): Promise<void> {
    await this.closeSoon(io)
    if ('game' in outcome) {
      this.log('game %s with %p agreed; playing %s', outcome.game.gameId, outcome.game.opponent, outcome.game.me)
      this.safeDispatchEvent('game', { detail: outcome.game })
    }
  }

  /**
   * A negotiation that failed. The peer's offences are reported (`rejected`) unless it merely
   * left or speaks a newer version; a proposal this node cannot read is declined 'unsupported',
   * and one whose terms no game can start from 'invalid-terms', when its ID can be read, so an
   * honest but different peer learns why. Then the stream ends.
   */
  private async fail (io: FramedStream, peer: PeerId, err: unknown, signal: AbortSignal): Promise<void> {
    if (err instanceof ChallengeProtocolError) {
      this.log('challenge with %p failed: %s', peer, err.message)
      if (err.reason !== 'closed' && err.reason !== 'unknown-version') {
        this.safeDispatchEvent('rejected', { detail: { peer, reason: err.reason, message: err.message } })
        if (!err.blameless) this.penalties.penalize(peer, err.reason)
      }
      const answerable = err.reason === 'malformed' || err.reason === 'unknown-version' || err.reason === 'invalid-terms'
      const id = answerable ? unreadableProposalId(io.refused) : undefined
      if (id != null) {
        const courtesy = AbortSignal.timeout(CLOSE_TIMEOUT_MS)
        // Terms the game refuses are named as such, so the proposer knows what to change.
        const reason = err.reason === 'invalid-terms' ? 'invalid-terms' : 'unsupported'
        try {
          await io.write({ t: 'decline', id, reason, message: clip(err.message) }, courtesy)
          await io.close(courtesy)
          return
        } catch {
          // The decline was a courtesy; the abort below is what matters.
        }
      }
    } else if (err instanceof ChallengeTimeoutError || err instanceof ChallengeDeclinedError) {
      this.log('challenge with %p ended: %s', peer, err.message)
    } else if (signal.aborted) {
      this.log('challenge with %p given up: %s', peer, (signal.reason as Error)?.message)
    } else {
      this.log.error('challenge with %p failed: %e', peer, err)
      // This side's own failure (an answer function that threw) follows the decline it owed: let that arrive.
      await this.closeSoon(io)
      return
    }
    io.abort(err instanceof Error ? err : new Error(String(err)))
  }

  /** Closes the stream gracefully within a short time, so a last decline or confirm is delivered. */
  private async closeSoon (io: FramedStream): Promise<void> {
    await io.close(AbortSignal.timeout(CLOSE_TIMEOUT_MS))
  }
}

/** The ID of a proposal this node could not decode, when its CBOR at least says which it was. */
function unreadableProposalId (frame: Uint8Array | undefined): Uint8Array | undefined {
  if (frame == null) return undefined
  try {
    const map = decodeCanonical(frame, { maxBytes: CHALLENGE_MAX_BYTES }) as Record<string, unknown>
    if (map == null || typeof map !== 'object' || (map.t !== 'propose' && map.t !== 'counter')) return undefined
    const id = map.id
    return id instanceof Uint8Array && id.length === ID_BYTES ? id : undefined
  } catch {
    return undefined
  }
}

function localColor (color: ChallengeTerms['color']): ChallengeTerms['color'] {
  if (color !== 'black' && color !== 'white' && color !== 'random') throw new InvalidSettingError('color', `expected black, white or random, got ${String(color)}`)
  return color
}

/** A duration option: whole milliseconds, zero or more, that a message's `expires` can carry. */
function duration (setting: string, ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InvalidSettingError(setting, `${setting} must be a whole number of milliseconds, 0 or more, got ${String(ms)}`)
  return ms
}

function localName (name: string): string {
  try {
    return checkName(name, 'name')
  } catch (err) {
    throw new InvalidSettingError('name', (err as Error).message)
  }
}

/** The proposer's counter answer as a decision; its name stays the one it proposed under. */
function counterDecision (answer: CounterAnswer, name: string): Decision {
  if (answer === 'accept') return { accept: true, name }
  if (answer === 'decline') return { decline: 'declined' }
  return { counter: { ...answer.counter, name } }
}
