/**
 * @packageDocumentation
 *
 * Relays report their load and advertise themselves (protocols/relay-load.md). A node that
 * relays (a bootstrap relay always; a player with relayServer "auto" while its relay switch
 * offers the hop protocol) answers `/p2pgo/relay-load/1.0.0` with one small report (reservations
 * and their limit, open circuits, reservations refused in the last ten minutes) and provides
 * `relayProviderKey()` in both of p2pgo's DHTs; when it stops relaying, it does neither. A client
 * finds relays with `findRelays` and asks each with `fetchRelayLoad`: the numbers are the
 * relay's own claim, bounded by the decoder, and a client bounds their effect.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, relaySwitch: relaySwitch({ byReach: false }), relayLoad: relayLoad({}) } })
 * for await (const relay of findRelays(dualDhtOf(node.services), { signal: AbortSignal.timeout(30_000) })) {
 *   const connection = await node.dial(relay.multiaddrs)
 *   const load = await fetchRelayLoad(connection, { signal: AbortSignal.timeout(10_000) }) // { reservations, maxReservations, circuits, refused }
 * }
 * ```
 */
import { RelayLoadService } from './relay-load.js'
import type { RelaySwitch } from '../relay-switch/relay-switch.js'
import type { ComponentLogger } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import type { KadDHT } from '@libp2p/kad-dht'

export { RelayLoadService } from './relay-load.js'
export { fetchRelayLoad } from './fetch.js'
export { findRelays, type FoundRelay, type FindRelaysOptions } from './find.js'
export { relayProviderKey } from './key.js'
export { decodeRelayLoad, encodeRelayLoad, type RelayLoad } from './messages.js'
export { RelayLoadError, type RelayLoadReason } from './errors.js'
export {
  RELAY_LOAD_PROTOCOL, RELAY_LOAD_VERSION, RELAY_LOAD_MAX_BYTES, MAX_LOAD_NUMBER, RELAY_LOAD_TIMEOUT, RELAY_LOAD_RATE_LIMIT,
  RELAY_LOAD_RATE_WINDOW, RELAY_KEY_PREFIX, MAX_RELAYS_FOUND, ADVERTISE_INTERVAL
} from './constants.js'

export interface RelayLoadInit {
  /** The relay's circuit limit, reported as `maxCircuits` (a bootstrap relay's quota); none when absent. */
  readonly maxCircuits?: number
  /** The network's name in the provider key; the default network when absent. */
  readonly network?: string
  /** Time source (tests). */
  readonly now?: () => number
}

export interface RelayLoadComponents {
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  /** The WAN DHT, and the LAN one where it runs. */
  readonly dht: KadDHT
  readonly lanDht?: KadDHT
  /** The relay's upkeep: its counts, and when relaying starts and stops. Without it the node never relays, and the service does nothing. */
  readonly relaySwitch?: RelaySwitch
}

/** Whether the load protocol is served, and how many DHTs took the relay's provider record. */
export interface RelayLoadState {
  readonly serving: boolean
  readonly advertisedIn: number
}

/** The load report and advertisement as a libp2p service: `relayLoad: relayLoad(init)`, beside `relaySwitch`. */
export function relayLoad (init: RelayLoadInit = {}): (components: RelayLoadComponents) => RelayLoadService {
  return (components) => new RelayLoadService(components, init)
}
