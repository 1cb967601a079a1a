import { ChallengeService } from './challenge.js'
import type { DeclineReason } from './errors.js'
import type { ChallengeColor } from './messages.js'
import type { ReputationRecorder } from '../reputation/penalties.js'
import type { EngineInfo, GameTerms, RatingClaim } from '../../wire/game-start.js'
import type { AbortOptions, ComponentLogger, Connection, NewStreamOptions, PeerId, PrivateKey, Stream, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'

export { ChallengeService } from './challenge.js'
export { CHALLENGE_PROTOCOL, CHALLENGE_MAX_BYTES, MAX_PROPOSALS, ANSWER_TIMEOUT_MS, OFFER_TTL_MS } from './constants.js'
export { ChallengeDeclinedError, ChallengeTimeoutError, ChallengeProtocolError, type DeclineReason, type ChallengeProtocolReason } from './errors.js'
export { encodeChallengeMessage, decodeChallengeMessage, type ChallengeColor, type ChallengeMessage, type Proposal } from './messages.js'
export { authorSide, startRecordOf, type Parties } from './start-record.js'
export type { EngineInfo, RatingClaim } from '../../wire/game-start.js'

/** A game both players agreed to: defined beside the game service that plays it. */
import type { StartedGame } from '../game/game-service.js'
export type { StartedGame }

/** A proposal from the other side, as the application sees it. */
export interface ChallengeOffer {
  readonly from: PeerId
  readonly terms: GameTerms
  /** The colour the proposer will play ('random': settled from the nonce when accepted). */
  readonly color: ChallengeColor
  /** The proposer's display name: shown to a person, so treat it as untrusted text. */
  readonly name: string
  /** When the offer lapses, ms since the epoch on the proposer's clock. */
  readonly expires: number
  /** The proposer's claimed rating for `terms.size`, unchecked against anything; absent when it offers an unrated game. */
  readonly rating?: RatingClaim
  /** The engine the proposer says it plays with (unchecked, like the name); absent when a person proposes. */
  readonly engine?: EngineInfo
}

/** The answer to an incoming challenge. `name` is this node's display name, `Init.name` when absent. */
export type Decision =
  | { readonly accept: true, readonly name?: string }
  | { readonly decline: DeclineReason, readonly message?: string }
  | { readonly counter: { readonly terms: GameTerms, readonly color: ChallengeColor, readonly name?: string } }

/** The proposer's answer to a counter-proposal; the counter's colour is the proposer's own. */
export type CounterAnswer =
  | 'accept'
  | 'decline'
  | { readonly counter: { readonly terms: GameTerms, readonly color: ChallengeColor } }

/** What this node offers: the terms, the colour it plays, and its display name. */
export interface ChallengeTerms {
  readonly terms: GameTerms
  readonly color: ChallengeColor
  readonly name: string
}

/** Options of `propose`: the caller's signal, how counters are answered, how long the offer stays open. */
export interface ProposeOptions extends AbortOptions {
  /** Answers the other side's counter-proposals; declines them when absent. Its signal aborts when the counter lapses or the peer leaves. */
  onCounter?: (offer: ChallengeOffer, options: { signal: AbortSignal }) => Promise<CounterAnswer>
  /** How long the offer stays open, in ms; `OFFER_TTL_MS` when absent. */
  ttlMs?: number
}

/** Options of the service. */
export interface ChallengeInit {
  /** Answers incoming challenges; without it every challenge is declined 'busy'. Its signal aborts when the offer lapses or the peer leaves. */
  decide?: (offer: ChallengeOffer, options: { signal: AbortSignal }) => Promise<Decision>
  /** The longest an answer (decide, onCounter) may take before it becomes a decline 'timeout'; default 60 s. */
  answerTimeoutMs?: number
  /** How long this node's counter-proposals stay open; default 90 s. */
  offerTtlMs?: number
  /** This node's display name in accepts and counters; 'player' when absent. */
  name?: string
  /** The clock for expiry and the start record's `created`; injected so tests can move it. */
  now?: () => number
  /**
   * This node's current rating claim for a board size, or undefined when it does not want the
   * game rated (say, it is already in a rated game of that size). Proposals and counters carry
   * it; an accept carries it only when the proposal did, and then the game is rated. Without
   * it every game this node agrees is unrated.
   */
  rating?: (size: number) => RatingClaim | undefined
  /**
   * The engine this node plays with (a bot), or undefined when a person plays. Proposals,
   * counters and accepts carry it, and the start record names it on this node's side only:
   * each player declares its own engine, never the other's.
   */
  engine?: () => EngineInfo | undefined
}

// Method syntax on purpose: libp2p's own signatures take wider options, and methods compare bivariantly.
/** The slice of libp2p's registrar the service uses (the full interface is in @libp2p/interface-internal, not a dependency here). */
export interface ChallengeRegistrar {
  handle (protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
  unhandle (protocol: string, options?: AbortOptions): Promise<void>
}

/** The slice of libp2p's connection manager the service uses. */
export interface ChallengeConnectionManager {
  openStream (peer: PeerId, protocol: string, options?: NewStreamOptions): Promise<Stream>
  getConnections (peer?: PeerId): Connection[]
}

/** What libp2p gives the service. */
export interface ChallengeComponents {
  registrar: ChallengeRegistrar
  connectionManager: ChallengeConnectionManager
  peerId: PeerId
  privateKey: PrivateKey
  logger: ComponentLogger
  /** The node's reputation service: a peer whose messages are refused loses trust. Optional (a test node may have none). */
  reputation?: ReputationRecorder
}

/** What the service reports: games made, and peers that broke the protocol. */
export interface ChallengeEvents {
  /** A start record was co-signed, on whichever side proposed or accepted. */
  game: CustomEvent<StartedGame>
  /** A peer sent something malformed, out of turn, badly signed or with terms no game can start from; the stream was ended, nothing was made, and the peer lost reputation. */
  rejected: CustomEvent<{ peer: PeerId, reason: string, message: string }>
}

/**
 * The challenge protocol as a libp2p service: two peers agree on a game over one stream and
 * both end up with the same co-signed start record (protocols/challenge.md).
 *
 * @example
 * const node = await createLibp2p({ ...config, services: { ...config.services, challenge: challenge({ decide: async () => ({ accept: true }) }) } })
 * const game = await node.services.challenge.propose(peer, { terms, color: 'random', name: 'Ann' }, { signal })
 */
export function challenge (init: ChallengeInit = {}): (components: ChallengeComponents) => ChallengeService {
  return (components) => new ChallengeService(components, init)
}
