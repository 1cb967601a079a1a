/**
 * @packageDocumentation
 *
 * Discovery reputation on a node: records what the node saw of each peer (RNA events, failed
 * rating audits), keeps the events on disk, and puts the score to work — as gossipsub's
 * application score, as a peer-store tag the connection trimmer keeps peers by, and as the trust
 * that orders matchmaking candidates, relays and DHT answers. The maths is src/reputation/'s;
 * protocols/reputation.md says what is counted.
 *
 * @example
 *
 * ```ts
 * const book = new ReputationBook()
 * const node = await createLibp2p({ ...config, services: { ...config.services, reputation: reputation({ book }) } })
 * node.services.reputation.record({ kind: 'invalid', peer, reason: 'bad-signature', at: Date.now() })
 * node.services.reputation.trust(peer) // below 0.5 now
 * ```
 */
import { ReputationService } from './reputation-service.js'
import type { ReputationBook } from '../../reputation/reputation-book.js'
import type { ReputationEvent } from '../../reputation/events.js'
import type { ComponentLogger, Libp2pEvents, PeerId, PeerStore, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'

export { ReputationService, appScore } from './reputation-service.js'
export { REPUTATION_TAG } from './constants.js'

export interface ReputationInit {
  /**
   * The book the scores live in. The node creates it before libp2p, because gossipsub's score
   * function and the dialler's address order read it from the moment libp2p is configured.
   */
  readonly book: ReputationBook
  /** The clock, ms since the epoch; decay and pruning are judged by it. Default `Date.now`. */
  readonly now?: () => number
  /** How often connected peers' tags follow their decayed trust, ms (default TAG_REFRESH, 10 minutes). */
  readonly tagRefresh?: number
}

export interface ReputationComponents {
  readonly peerId: PeerId
  readonly peerStore: PeerStore
  readonly datastore: Datastore
  readonly logger: ComponentLogger
  /** libp2p's events: a peer that connects is tagged with its trust. */
  readonly events: TypedEventTarget<Libp2pEvents>
  /** The peers connected now, whose tags follow their trust as it decays. */
  readonly connectionManager: ConnectionManager
}

export interface ReputationServiceEvents {
  /** A peer's reputation changed (an event was recorded about it). */
  reputation: CustomEvent<{ peer: string, event: ReputationEvent }>
}

/** Discovery reputation as a libp2p service: add `reputation: reputation({ book })` to the services. */
export function reputation (init: ReputationInit): (components: ReputationComponents) => ReputationService {
  return (components) => new ReputationService(components, init)
}
