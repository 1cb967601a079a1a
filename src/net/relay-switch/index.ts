/**
 * @packageDocumentation
 *
 * Upkeep of the circuit relay server a node runs. A relay reaches a client only over the
 * client's own connection, so once that is gone the reservation is forgotten at once (libp2p
 * would keep it for two hours and count it against the limit). With `relayServer: "auto"`, a
 * player's node relays for others only while it can be reached from the internet (a confirmed
 * public address, or a UPnP mapping): the hop protocol is added and removed as the node's reach
 * changes (the lobby's `reach` event), so a node behind NAT never advertises a relay nobody
 * could use, and identify tells peers when that changes. Every relay's hop protocol is served
 * through a byte bound: a HOP stream may deliver `HOP_MAX_BYTES` (4 KiB) before it carries a
 * circuit, then it is reset (the library would read a request of up to 4 MiB and hold it until
 * the hop timeout); and the circuit limit goes on the wire in seconds (src/net/adapters/circuit-relay-hop.ts).
 * The switch also keeps the relay's counts (`counts()`: reservations, open circuits, refused
 * reservations in the last ten minutes) and says when relaying starts and stops (`relaying`),
 * for the relay's load report (src/net/relay-load/).
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, relaySwitch: relaySwitch({ byReach: true }) } })
 * await node.services.relaySwitch.update('public') // relays now
 * ```
 */
import { RelaySwitch } from './relay-switch.js'
import type { LobbyService } from '../lobby/index.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { ComponentLogger, Libp2pEvents, TypedEventTarget } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

export { RelaySwitch, shouldRelay } from './relay-switch.js'
export { HOP_MAX_BYTES, REFUSAL_WINDOW } from './constants.js'
export { HopMessageTooLargeError } from './errors.js'
export { RefusalWindow } from './refusal-window.js'

export interface RelaySwitchInit {
  /** Offer the hop protocol only while reachable (`relayServer: "auto"`); always, when false (a bootstrap relay, `"on"`). */
  readonly byReach: boolean
  /** Time source for the refusal window (tests). */
  readonly now?: () => number
}

export interface RelaySwitchEvents {
  /** The node started (true) or stopped (false) offering the hop protocol. */
  relaying: CustomEvent<boolean>
}

/** What a relay holds now (`RelaySwitch.counts()`). */
export interface RelayCounts {
  /** Reservations held now. */
  readonly reservations: number
  /** The most the relay server holds (its reservation store's limit). */
  readonly maxReservations: number
  /** Circuits open through the relay now. */
  readonly circuits: number
  /** Reservation requests answered with anything but OK in the last REFUSAL_WINDOW. */
  readonly refused: number
}

export interface RelaySwitchComponents {
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly events: TypedEventTarget<Libp2pEvents>
  /**
   * The circuit relay server this service keeps. Typed optional only because libp2p infers
   * every service of a spread services map as optional; the node adds the switch only with it.
   */
  readonly relay?: CircuitRelayService
  /** Tells how this node is reached; needed when `byReach`. */
  readonly lobby?: LobbyService
}

/** Relay upkeep as a libp2p service: add `relaySwitch: relaySwitch({ byReach })` after `relay` and `lobby`. */
export function relaySwitch (init: RelaySwitchInit): (components: RelaySwitchComponents) => RelaySwitch {
  return (components) => new RelaySwitch(components, init)
}
