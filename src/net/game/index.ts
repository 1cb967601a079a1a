import { GameService } from './game-service.js'
import type { NatTypeReader } from '../nat-type/index.js'
import type { ComponentLogger, ConnectionGater, Metrics, PeerId, PrivateKey } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar, TransportManager } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'
import type { Side } from '../../wire/game-messages.js'
import type { Reach, Rung } from '../rung.js'
import type { ReputationRecorder } from '../reputation/penalties.js'
import type { ReadDeadlines } from './game-protocol.js'
import type { GameMailbox } from './game-mail.js'
import type { TypedEventTarget, Libp2pEvents, PeerStore } from '@libp2p/interface'

export { GameService, type DeliveryStats, type StartedGame } from './game-service.js'
export { GAME_PROTOCOL } from './constants.js'
export { MissingPublicKeyError, NoSuchGameError } from './errors.js'
export type { GameMailbox } from './game-mail.js'

export interface GameServiceInit {
  /** Time source for clocks and latency; injected so tests can control it. */
  readonly now?: () => number
  /** First retry delay for unacknowledged acts and reconnection; doubles up to `maxRetryMs`. */
  readonly retryMs?: number
  readonly maxRetryMs?: number
  /** While a game runs over a relay, how often to try for a direct path (default 60 s). */
  readonly directRetryMs?: number
  /**
   * How long a player waits on a silent opponent before it may leave as abandoned, and on the
   * opponent's signature of an end before the game is closed without it (default 10 minutes;
   * protocols/game.md, "Abandonment").
   */
  readonly abandonAfterMs?: number
  /** How a peer says it is reached (from its lobby presence): tells a connection through its UPnP mapping. */
  readonly peerReach?: (peer: PeerId) => Reach | undefined
  /** Asks a peer how it is reached now (its presence is gone while it plays); `peerReach` then says it. */
  readonly learnReach?: (peer: PeerId) => Promise<unknown>
  /** How long a game stream may take to deliver its frames (READ_DEADLINES in game-protocol.ts); tests shorten them. */
  readonly readDeadlines?: ReadDeadlines
  /**
   * The node's mailbox (src/net/mailbox/), when it has one: acts for an opponent that cannot be
   * reached are left with its holders, and acts collected from this node's go into its games
   * (protocols/game.md, "Acts through the mailbox").
   */
  readonly mailbox?: () => GameMailbox | undefined
}

export interface GameServiceComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  /** Dials a path upgrade's candidate addresses each on its own (path-upgrade.ts says why not through the dial queue). */
  transportManager: TransportManager
  /** Which addresses may be dialled, when the node has a gater (tests wire topologies with one). */
  connectionGater?: ConnectionGater
  peerId: PeerId
  privateKey: PrivateKey
  datastore: Datastore
  logger: ComponentLogger
  /** Where the opponent's addresses (learned by identify) are looked up for a direct path. */
  peerStore: PeerStore
  /** libp2p's own events: a new (better) connection to an opponent moves the game to it. */
  events: TypedEventTarget<Libp2pEvents>
  /** This node's own addresses: whether it is reached through a UPnP mapping. Optional for tests. */
  addressManager?: AddressManager
  /** libp2p's metrics, when the node has them: act and acknowledgement counts, ack latency. */
  metrics?: Metrics
  /** The node's reputation service, when it has one: an opponent that forges or sends garbage loses trust. */
  reputation?: ReputationRecorder
  /** The node's NAT type, when it knows it: no hole punch is tried from behind a symmetric NAT. */
  natType?: NatTypeReader
}

export interface GameServiceEvents {
  'game:started': CustomEvent<{ gameId: CID, opponent: PeerId, color: Side, size: number, rung: Rung | null }>
  /** The game's acts now travel on another path (a direct connection appeared, or it fell back). */
  'game:path': CustomEvent<{ gameId: CID, from: Rung | null, to: Rung }>
  'game:move': CustomEvent<{ gameId: CID, by: Side, ply: number, move: string, mine: boolean }>
  'game:chat': CustomEvent<{ gameId: CID, from: Side, text: string }>
  'game:proposal': CustomEvent<{ gameId: CID, kind: 'mark' | 'undo-request' }>
  'game:ended': CustomEvent<{ gameId: CID, result: string, cosigned: boolean, rung: Rung | null }>
  /**
   * The game holds its player no longer though the opponent never signed its end: this player
   * claimed the flag ('flag') or left as abandoned ('abandoned'), or the signature did not come
   * within the limit ('unsigned'). Unrated unless the signature still comes (then `game:ended`
   * with `cosigned`). The game is not resumed after a restart.
   */
  'game:closed': CustomEvent<{ gameId: CID, result: string, reason: 'flag' | 'abandoned' | 'unsigned' }>
  /** This player has waited its limit on a silent opponent and may now leave the game (`GameSession.abandon()`). */
  'game:silent': CustomEvent<{ gameId: CID, since: number }>
  /** One try for a better path than the relay (or a punched hole) ended: how long it took and, when it worked, the new rung. */
  upgrade: CustomEvent<{ peer: PeerId, gameId: CID, from: Rung, ok: boolean, ms: number, rung?: Rung }>
  /** An act acknowledged (with its round trip), or the opponent unreachable; `method` is the rung the game was on. */
  delivery: CustomEvent<{ peer: PeerId, gameId: CID, method: Rung, ok: boolean, latencyMs?: number, error?: string }>
  /** A message refused; `via: 'mailbox'` when it came from the opponent's deposit rather than over a game stream. */
  rejected: CustomEvent<{ peer: PeerId, gameId?: CID, reason: string, message: string, via?: 'mailbox' }>
  /**
   * Acts (their numbers) and an ack (the count of the opponent's acts held) left with the
   * opponent's holders because it could not be reached; `held` names the holders that keep them.
   * `ok` false with `error` when none did (what was not left is tried again at the next chance).
   */
  'game:mail': CustomEvent<{ gameId: CID, opponent: PeerId, acts: number[], ack?: number, held: string[], ok: boolean, error?: string }>
}

/**
 * The game protocol as a libp2p service: carries each game's signed acts to the opponent,
 * acknowledges, retries, resumes after disconnects and restarts.
 *
 * @example
 * const node = await createLibp2p({ ...libp2pDefaults(init), services: { ...services, games: games() } })
 * const game = await node.services.games.startGame(started)
 * await node.services.games.perform(game.gameId, s => s.move({ x: 2, y: 2 }))
 */
export function games (init: GameServiceInit = {}): (components: GameServiceComponents) => GameService {
  return (components) => new GameService(components, init)
}
