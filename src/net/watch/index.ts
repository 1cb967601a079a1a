/**
 * @packageDocumentation
 *
 * Watching live games (protocols/watch.md): each player feeds its acts to one seed, which
 * gossips them on the game's topic; every watcher checks every act as the opponent does, catches
 * up from any holder, and chats with the other watchers; the players never see that chat.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, games: games(), watch: watch() } })
 * const watching = await node.services.watch.watch(gameId, { holders: [black, white] })
 * watching.addEventListener('watch:move', evt => { console.log(evt.detail.ply, evt.detail.move) })
 * ```
 */
import { WatchService } from './watch-service.js'
import type { GameService } from '../game/game-service.js'
import type { ReputationService } from '../reputation/reputation-service.js'
import type { GossipSub } from '@libp2p/gossipsub'
import type { ComponentLogger, ContentRouting, PeerId, PrivateKey } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'

export { WatchService } from './watch-service.js'
export { Watching, type WatchingEvents } from './watching.js'
export { WatchRefusedError } from './ask.js'

export interface WatchInit {
  /** The clock, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
  /** The name spectator chat carries. */
  readonly name?: () => string
  /**
   * A hub (a bootstrap relay) watches every game a neighbour watches, so that watchers behind
   * NAT, connected to relays and not to each other, still form a mesh on the game's topic.
   */
  readonly hub?: boolean
}

export interface WatchComponents {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
  readonly contentRouting: ContentRouting
  /** The node's datastore: games watched to their end are kept in it (under /p2pgo/watched). */
  readonly datastore: Datastore
  readonly pubsub: GossipSub
  /** The games this node plays are what it serves. */
  readonly games: GameService
  /** Misbehaviour costs reputation, and a distrusted peer is no seed; optional. */
  readonly reputation?: ReputationService
}

/** Watching as a libp2p service: `watch: watch()` after `games`. */
export function watch (init: WatchInit = {}): (components: WatchComponents) => WatchService {
  return (components) => new WatchService(components, init)
}
