/**
 * @packageDocumentation
 *
 * Training data ("RNA"): every finished game is published as mRNA on the RNA gossip topic,
 * signed and content-addressed; what gossip delivers is validated off gossipsub's path (then
 * accepted, rejected or ignored), kept when worth keeping, forwarded best first, and traced back
 * to its origin with the path protocol; what this node sees becomes discovery reputation.
 * protocols/rna.md and protocols/rna-path.md specify the wire.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, games: games(), reputation: reputation({ book }), rna: rna() } })
 * node.services.rna.addEventListener('rna:accepted', evt => { console.log(evt.detail.id, evt.detail.quality) })
 * const held = await node.services.rna.list()
 * ```
 */
import { RnaService } from './rna-service.js'
import type { PropagationPath } from './rna-store.js'
import type { Handling } from '../../rna/policy.js'
import type { GameService } from '../game/game-service.js'
import type { ReputationService } from '../reputation/reputation-service.js'
import type { GossipSub } from '@libp2p/gossipsub'
import type { ComponentLogger, PeerId, PrivateKey } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'

export { RnaService } from './rna-service.js'
export { RNA_TOPIC } from './constants.js'

export interface RnaInit {
  /** The clock, ms since the epoch: receipt times, expiry and quality decay. Default `Date.now`. */
  readonly now?: () => number
}

export interface RnaComponents {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly datastore: Datastore
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
  readonly pubsub: GossipSub
  /** Finished games are what this node publishes. */
  readonly games: GameService
  /** What this node sees of each peer becomes reputation; optional. */
  readonly reputation?: ReputationService
}

export interface RnaServiceEvents {
  /** A valid new RNA was accepted (stored, and forwarded unless ignored). */
  'rna:accepted': CustomEvent<{ id: string, origin: string, from: string, quality: number, handling: Handling }>
  /** A valid RNA was ignored: worthless (below the floor), known, expired, or of an unknown kind. */
  'rna:ignored': CustomEvent<{ id?: string, from: string, reason: string }>
  /** An RNA failed validation: its sender is penalized. */
  'rna:rejected': CustomEvent<{ peer: string, reason: string, message: string }>
  /** This node published a game's mRNA. */
  'rna:published': CustomEvent<{ id: string, gameId: string, quality: number }>
  /** An RNA's propagation path was traced. */
  'rna:path': CustomEvent<{ id: string, path: PropagationPath }>
}

/** RNA as a libp2p service: add `rna: rna()` after `games` and `reputation`. */
export function rna (init: RnaInit = {}): (components: RnaComponents) => RnaService {
  return (components) => new RnaService(components, init)
}
