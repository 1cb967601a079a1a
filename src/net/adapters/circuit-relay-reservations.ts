// The one place p2pgo reaches into @libp2p/circuit-relay-v2's (4.2.13) reservation store, the
// client side (node_modules/@libp2p/circuit-relay-v2/dist/src/transport/reservation-store.js),
// to steer which relays hold this node's slots (src/net/relay-choice/). Three things, public on
// the classes but not in any exported interface:
// - the transport (`CircuitRelayTransport`, found among the transport manager's transports by its
//   Symbol.toStringTag '@libp2p/circuit-relay-v2-transport') keeps its store as `reservationStore`;
// - the store's `addRelay(peerId, type)` is how every reservation starts: the transport's relay
//   discovery calls it with 'discovered' for each hop-capable peer it meets (topology onConnect,
//   the peer store, a random walk), the store itself for a refresh and for old relays at start,
//   the listener with 'configured' for a relay named in the listen set. All of them call it
//   through the instance, so wrapping it on the instance sees them all;
// - `reservations` (a PeerMap of { type, connection, ... }) and `pendingReservations` (an array
//   of free slot ids): what is held and how many slots are free.
// Nothing else is changed: a relay not admitted is declined before the library does anything,
// which it treats like any other failed discovery (it moves on to the next relay).
// test/net/relay-choice/reservations-adapter.test.ts fails, naming the version, when an upgrade
// renames any of them.
import type { PeerId, Transport } from '@libp2p/interface'
import type { TransportManager } from '@libp2p/interface-internal'

const NEEDED = 'p2pgo needs @libp2p/circuit-relay-v2 4.2 (transport.reservationStore with addRelay, reservations, pendingReservations)'

/** The transport's Symbol.toStringTag in 4.2.x. */
export const CIRCUIT_RELAY_TRANSPORT_TAG = '@libp2p/circuit-relay-v2-transport'

/** Declining a discovered relay the node has not chosen (another, chosen one is available). */
export class RelayNotChosenError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'RelayNotChosenError'
  }
}

/** What libp2p throws for reasons that say nothing about the relay: slots full, queue full, declined, or a relay reached through a relay. */
const NOT_THE_RELAYS_FAULT = new Set(['HadEnoughRelaysError', 'RelayQueueFullError', 'RelayNotChosenError', 'DoubleRelayError', 'ListenError', 'AbortError'])

/** Whether a failed reservation counts against the relay (it refused, could not be dialled, does not relay). */
export function countsAgainstRelay (err: unknown): boolean {
  return !NOT_THE_RELAYS_FAULT.has((err as { name?: string } | undefined)?.name ?? '')
}

export interface ReservationSteering {
  /** Whether libp2p may take a new discovered reservation on this relay now (refreshes and configured relays are never asked). */
  readonly admit: (peer: string) => boolean
  /** A reservation was taken (or refreshed) on this relay. */
  readonly onReserved?: (peer: string) => void
  /** A reservation attempt failed for a reason that counts against the relay (countsAgainstRelay). */
  readonly onFailed?: (peer: string, err: Error) => void
}

/** The steered store, as the relay choice uses it. */
export interface RelayReservations {
  /** Relays holding a discovered reservation for this node now (peer ID text). */
  held: () => string[]
  /** Slots not held by any relay now. */
  free: () => number
  /** Asks libp2p to reserve a slot on this relay now (it must be admitted); resolves when held, rejects as libp2p does. */
  reserve: (peer: PeerId) => Promise<void>
  /** Puts the store's own addRelay back. */
  release: () => void
}

interface ReservationEntry { readonly type: 'discovered' | 'configured' }
interface StoreInternals {
  addRelay?: (peer: PeerId, type: 'discovered' | 'configured') => Promise<unknown>
  reservations?: { has: (peer: PeerId) => boolean, entries: () => Iterable<[PeerId, ReservationEntry]> }
  pendingReservations?: unknown[]
}

/** The circuit relay transport's reservation store, or a clear error when this library version keeps none where 4.2 did. */
function storeOf (transport: Transport): StoreInternals {
  const store = (transport as unknown as { reservationStore?: StoreInternals }).reservationStore
  if (store == null || typeof store.addRelay !== 'function' || typeof store.reservations?.has !== 'function' || typeof store.reservations?.entries !== 'function' || !Array.isArray(store.pendingReservations)) {
    throw new Error(`this @libp2p/circuit-relay-v2 keeps its reservations elsewhere: ${NEEDED}`)
  }
  return store
}

/** The circuit relay transport among this node's transports, if it has one. */
export function circuitRelayTransportOf (transportManager: TransportManager): Transport | undefined {
  return transportManager.getTransports().find(t => (t as unknown as Record<symbol, unknown>)[Symbol.toStringTag] === CIRCUIT_RELAY_TRANSPORT_TAG)
}

/**
 * Wraps the store's `addRelay` on this instance: a new 'discovered' reservation is taken only on
 * a relay `steering.admit`s, and each attempt's outcome is reported. Throws naming the version
 * when the transport does not look like 4.2's.
 */
export function steerReservations (transport: Transport, steering: ReservationSteering): RelayReservations {
  const store = storeOf(transport)
  const own = store.addRelay as NonNullable<StoreInternals['addRelay']>
  const reservations = store.reservations as NonNullable<StoreInternals['reservations']>
  const steered = async (peerId: PeerId, type: 'discovered' | 'configured'): Promise<unknown> => {
    const peer = peerId.toString()
    if (type === 'discovered' && !reservations.has(peerId) && !steering.admit(peer)) {
      throw new RelayNotChosenError(`relay ${peer} was not chosen: the slot waits for a chosen relay`)
    }
    const attempt = own.call(store, peerId, type)
    attempt.then(() => { steering.onReserved?.(peer) }, (err: Error) => { if (countsAgainstRelay(err)) steering.onFailed?.(peer, err) })
    return await attempt
  }
  store.addRelay = steered
  return {
    held: () => [...reservations.entries()].filter(([, r]) => r.type === 'discovered').map(([id]) => id.toString()),
    free: () => (store.pendingReservations as unknown[]).length,
    reserve: async (peer) => { await steered(peer, 'discovered') },
    release: () => { if (store.addRelay === steered) store.addRelay = own }
  }
}
