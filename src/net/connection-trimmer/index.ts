/**
 * @packageDocumentation
 *
 * Keeps a node's connections within its limits, closing the least valued peers first, so the
 * peers it trusts (reputation is a peer-store tag) are the ones it keeps. libp2p 3's own pruner
 * sorts by the same tags but then closes only connections without streams other than identify
 * and AutoNAT (libp2p/src/connection-manager/connection-pruner.ts): on a gossipsub network every
 * peer has a gossip stream open, so it closes nothing and, once full, libp2p refuses every new
 * inbound connection instead. The choice itself is the pure `chooseToTrim`.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, trimmer: connectionTrimmer({ limits: { low: 120, high: 160, graceMs: 30_000 } }) } })
 * node.services.trimmer.addEventListener('trimmed', evt => { console.log(evt.detail.peers) })
 * ```
 */
import { ConnectionTrimmer } from './connection-trimmer.js'
import type { ConnectionLimits } from './trim-choice.js'
import type { GameService } from '../game/game-service.js'
import type { ComponentLogger, Libp2pEvents, PeerStore, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

export { ConnectionTrimmer } from './connection-trimmer.js'
export { chooseToTrim, checkLimits, type ConnectionLimits, type TrimCandidate } from './trim-choice.js'

export interface ConnectionTrimmerInit {
  readonly limits: ConnectionLimits
  /** The clock, ms since the epoch: a connection's grace is judged by it. Default `Date.now`. */
  readonly now?: () => number
}

export interface ConnectionTrimmerComponents {
  readonly logger: ComponentLogger
  readonly events: TypedEventTarget<Libp2pEvents>
  readonly connectionManager: ConnectionManager
  readonly peerStore: PeerStore
  /** Opponents in a game in progress are never closed; optional. */
  readonly games?: GameService
}

export interface ConnectionTrimmerEvents {
  /** Connections to these peers were closed: there were too many. */
  trimmed: CustomEvent<{ peers: string[] }>
}

/** The trimmer as a libp2p service: add `trimmer: connectionTrimmer({ limits })`. */
export function connectionTrimmer (init: ConnectionTrimmerInit): (components: ConnectionTrimmerComponents) => ConnectionTrimmer {
  return (components) => new ConnectionTrimmer(components, init)
}
