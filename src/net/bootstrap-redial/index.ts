/**
 * @packageDocumentation
 *
 * Dials the bootstrap peers again: all of them while nothing is connected (a bootstrap peer
 * down at start, a lost network), and those not connected while the node holds fewer relay
 * reservations than its listen configuration asks for. libp2p's circuit relay transport
 * reserves only on relays it is connected to, and looks for others in the peer store and the
 * DHT; @libp2p/bootstrap dials once at start. A bootstrap relay that was down when the node
 * started (never identified as a relay), or that came back after it had been forgotten, would
 * otherwise never serve a node that has other connections again. Once connected, libp2p
 * reserves on it by itself.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, bootstrapRedial: bootstrapRedial({ peers: bootstrap, reservations: 2 }) } })
 * ```
 */
import { BootstrapRedial } from './bootstrap-redial.js'
import type { ComponentLogger } from '@libp2p/interface'
import type { AddressManager, ConnectionManager } from '@libp2p/interface-internal'

export { BootstrapRedial } from './bootstrap-redial.js'

export interface BootstrapRedialInit {
  /** Multiaddrs of the bootstrap peers, each ending in /p2p/ID. */
  readonly peers: readonly string[]
  /** Relay reservations the listen configuration asks for (one per `/p2p-circuit` entry). */
  readonly reservations: number
  /** How often to look, ms; each dial is bounded by it too. Default BOOTSTRAP_REDIAL_INTERVAL. */
  readonly interval?: number
}

export interface BootstrapRedialComponents {
  readonly logger: ComponentLogger
  readonly connectionManager: ConnectionManager
  /** This node's addresses: its circuit addresses name the relays that hold a reservation. */
  readonly addressManager: AddressManager
}

/** The redial as a libp2p service: add `bootstrapRedial: bootstrapRedial({ peers, reservations })`. */
export function bootstrapRedial (init: BootstrapRedialInit): (components: BootstrapRedialComponents) => BootstrapRedial {
  return (components) => new BootstrapRedial(components, init)
}
