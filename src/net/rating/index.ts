/**
 * @packageDocumentation
 *
 * The player's rating on the network: applies co-signed results to its own TrueSkill book,
 * publishes its signed rating record in the DHT (after each game and every REPUBLISH_INTERVAL),
 * stores the co-signed results there, fetches and verifies others' records, and audits them
 * (protocols/rating.md). The maths is src/rating/'s. `RecordStore` is where the node keeps the
 * DHT records of others: never an older one over a newer, within quotas (protocols/rating.md, "Storage").
 *
 * @example
 *
 * ```ts
 * const records = new DhtRecords()
 * const config = libp2pDefaults({ ...init, dhtRecords: { validators: records.validators(), selectors: records.selectors() } })
 * const node = await createLibp2p({ ...config, services: { ...config.services, games: games(), reputation: reputation({ book }), ratings: ratings({ records, ownRecord: true }) } })
 * const record = await node.services.ratings.fetchRecord(peer, { signal: AbortSignal.timeout(30_000) })
 * ```
 */
import { RatingService } from './rating-service.js'
import type { DhtRecords } from './dht-records.js'
import type { AuditReport } from '../../rating/audit.js'
import type { RatingParams } from '../../rating/params.js'
import type { RatedSize } from '../../rating/rating-record.js'
import type { FixedRating } from '../../rating/trueskill.js'
import type { GameService } from '../game/game-service.js'
import type { PeerDirectory } from '../peers/peer-directory.js'
import type { ReputationService } from '../reputation/reputation-service.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { ComponentLogger, PeerId, PrivateKey } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'

export { RatingService } from './rating-service.js'
export { cosignedResultOf } from './stored-result.js'
export { RecordNotFoundError } from './errors.js'
export { DhtRecords } from './dht-records.js'
export { RecordStore, type RecordStoreStats } from './record-store.js'
export { RecordRefusedError } from './errors.js'

export interface RatingInit {
  /** The validators and selectors of p2pgo's DHT namespaces; the node gives the same to kad-dht. */
  readonly records: DhtRecords
  /** Whether this node keeps and publishes a rating of its own (a player); a bootstrap relay only answers queries. */
  readonly ownRecord: boolean
  /** The clock, ms since the epoch: record times and expiry. Default `Date.now`. */
  readonly now?: () => number
  /** The TrueSkill environment (every node of a network must use the same). */
  readonly params?: RatingParams
}

export interface RatingComponents {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly datastore: Datastore
  readonly logger: ComponentLogger
  readonly connectionManager: ConnectionManager
  readonly dht: KadDHT
  /** Finished games are the results the book applies. */
  readonly games: GameService
  /** Trust orders whose DHT answers count first. */
  readonly reputation: ReputationService
  /** Delivery over relays, reported in the record; optional. */
  readonly peers?: PeerDirectory
  /** Reservations this node serves as a relay, reported in the record; optional. */
  readonly relay?: CircuitRelayService
}

export interface RatingServiceEvents {
  /** The player's rating on a size changed through a co-signed result. */
  rating: CustomEvent<{ size: RatedSize, before: FixedRating, after: FixedRating, result: CID, gameId: CID }>
  /** The own record went out: its sequence number and how many DHT peers took it. */
  published: CustomEvent<{ seq: number, peers: number, ms: number }>
  /** Another peer's record was audited here. */
  audit: CustomEvent<{ peer: string, report: AuditReport, fraud: boolean }>
}

/** Ratings as a libp2p service: add `ratings: ratings({ records, ownRecord: true })` after `games` and `reputation`. */
export function ratings (init: RatingInit): (components: RatingComponents) => RatingService {
  return (components) => new RatingService(components, init)
}
