/**
 * @packageDocumentation
 *
 * Matchmaking over the DHT: a seeking player is a provider under keys of (board size, rating
 * bucket, time window); a searcher takes the lobby's seekers first, walks the buckets nearest its
 * own rating, widening until it has enough candidates, fetches and verifies each candidate's rating
 * record, and ranks them with the pure ranking function (protocols/rating.md, src/rating/ranking.ts).
 * `candidates()` yields each as soon as it is checked (a quick match challenges the first at
 * once); `find()` collects them all, best first.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, matchmaker: matchmaker() } })
 * await node.services.matchmaker.seek(19)
 * const { candidates } = await node.services.matchmaker.find(19, { signal: AbortSignal.timeout(30_000) })
 * for await (const c of node.services.matchmaker.candidates(19, { signal })) {
 *   if (c.score > 0) { propose(c.peer); break } // ends the lookups still running
 * }
 * ```
 */
import { Matchmaker } from './matchmaker.js'
import type { LobbyService } from '../lobby/index.js'
import type { PeerDirectory } from '../peers/peer-directory.js'
import type { RatingService } from '../rating/rating-service.js'
import type { ReputationService } from '../reputation/reputation-service.js'
import type { ComponentLogger, PeerId } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'

export { Matchmaker, type LobbyCandidate, type MatchSearch, type FindOptions, type CandidateOptions } from './matchmaker.js'

export interface MatchmakerInit {
  /** The clock, ms since the epoch: seek windows are judged by it. Default `Date.now`. */
  readonly now?: () => number
}

export interface MatchmakerComponents {
  readonly peerId: PeerId
  readonly logger: ComponentLogger
  readonly dht: KadDHT
  /** This player's rating (the bucket it seeks in) and the candidates' verified records. */
  readonly ratings: RatingService
  /** Seekers the lobby knows of; optional. */
  readonly lobby?: LobbyService
  /** How this node reaches each candidate now; optional. */
  readonly peers?: PeerDirectory
  /** Discovery reputation, a ranking factor; optional (neutral). */
  readonly reputation?: ReputationService
}

/** The matchmaker as a libp2p service: add `matchmaker: matchmaker()` after `ratings`. */
export function matchmaker (init: MatchmakerInit = {}): (components: MatchmakerComponents) => Matchmaker {
  return (components) => new Matchmaker(components, init)
}
