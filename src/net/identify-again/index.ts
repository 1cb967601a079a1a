/**
 * @packageDocumentation
 *
 * Identifies a peer again when the first identify on its connection came too early or failed.
 * The DHT, gossipsub and every protocol topology learn what a peer speaks only from identify,
 * which libp2p runs once, as a connection opens, and tells only the topologies registered by
 * then. On a busy machine a node dialled its bootstrap peer and identified it while its DHT was
 * still starting, and kept an empty routing table for good: `p2pgo watch` and `p2pgo rating`
 * found nobody to ask while connected (CI, twice). So:
 * - once the node has started, every connection open then is identified again;
 * - a connection identify never finished on (no `peer:identify` for it; libp2p gives up after
 *   5 s) is identified again, a few times, with a longer limit.
 * Either way libp2p then tells the topologies as it would have at first.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, identifyAgain: identifyAgain() } })
 * node.services.identifyAgain.addEventListener('identified', evt => { console.log(evt.detail.peer, evt.detail.tries) })
 * ```
 */
import { IdentifyAgain } from './identify-again.js'
import type { ComponentLogger, Libp2pEvents, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { Identify } from '@libp2p/identify'

export { IdentifyAgain } from './identify-again.js'

export interface IdentifyAgainInit {
  /** How often to look, ms (default IDENTIFY_CHECK_INTERVAL). */
  readonly interval?: number
  /** Age before a connection is looked at, and the first wait between tries, ms (default IDENTIFY_GRACE). */
  readonly grace?: number
  /** Limit of each try, ms (default IDENTIFY_AGAIN_TIMEOUT). */
  readonly timeout?: number
}

export interface IdentifyAgainComponents {
  readonly logger: ComponentLogger
  readonly connectionManager: ConnectionManager
  readonly identify: Identify
  readonly events: TypedEventTarget<Libp2pEvents>
}

export interface IdentifyAgainEvents {
  /** A peer identify had never finished on, identified on try `tries` (1: the first of this service's). */
  identified: CustomEvent<{ peer: string, tries: number }>
  /** A connection given up on after every try; it stays open, unknown to the topologies. */
  'gave-up': CustomEvent<{ peer: string, error: string }>
}

/** The service: add `identifyAgain: identifyAgain()` beside libp2p's `identify`. */
export function identifyAgain (init: IdentifyAgainInit = {}): (components: IdentifyAgainComponents) => IdentifyAgain {
  return (components) => new IdentifyAgain(components, init)
}
