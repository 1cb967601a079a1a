/**
 * @packageDocumentation
 *
 * Which relays hold this node's slots, chosen by measurement. libp2p's circuit relay transport
 * reserves on whichever hop-capable peer it meets first; this service measures the candidates
 * (the bootstrap relays, hop-capable peers in the peer store, relays the DHT advertises: at most
 * MAX_RELAY_CANDIDATES) by round trip (libp2p ping), the load each reports, the reservation
 * refusals this node met there, and its reputation; scores them (score.ts, pure); and steers the
 * transport (src/net/adapters/circuit-relay-reservations.ts): a discovered relay outside the
 * chosen set is declined while a chosen one is there to take the slot. Nothing is declined before
 * the first choice, nor when every chosen relay is gone or failed: choice never leaves a node
 * with fewer relays. Every RELAY_CHOICE_INTERVAL the candidates are measured again and a slot
 * moves to a clearly better relay (score.ts: both margins) — never while a game in progress has
 * its opponent connected through the old relay's circuit (the move waits for the next round). A
 * relay that dies is replaced by libp2p's own discovery and the bootstrap redial, as before.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, relayChoice: relayChoice({ bootstrap, slots: 2, trust }) } })
 * node.services.relayChoice.state() // [{ peer, rttMs, reservations, circuits, chosen }, ...]
 * ```
 */
import { RelayChoiceService } from './relay-choice.js'
import type { RelayLoadReport, RelayMove, RelayScoreParams } from './score.js'
import type { ComponentLogger, Connection, PeerId, PeerStore } from '@libp2p/interface'
import type { ConnectionManager, TransportManager } from '@libp2p/interface-internal'
import type { Ping } from '@libp2p/ping'
import type { Multiaddr } from '@multiformats/multiaddr'

export { RelayChoiceService } from './relay-choice.js'
export { chooseRelays, clearlyBetter, createRelayScoreParams, defaultRelayScoreParams, loadFraction, relayScore, validateRelayScoreParams } from './score.js'
export type { RelayChoice, RelayLoadReport, RelayMeasure, RelayMove, RelayScoreParams } from './score.js'
export { RELAY_CHOICE_INTERVAL, MAX_RELAY_CANDIDATES } from './constants.js'

/** A relay found through the DHT (its provider record). */
export interface FoundRelay { readonly id: PeerId, readonly multiaddrs: Multiaddr[] }

export interface RelayChoiceInit {
  /** Relay slots the listen set asks for (its `/p2p-circuit` entries); the service does nothing at 0. */
  readonly slots: number
  /** Bootstrap peers (multiaddrs ending in /p2p/ID): the first candidates. */
  readonly bootstrap?: readonly string[]
  /** A relay's own load report over a connection to it; load is unknown without it. */
  readonly load?: (connection: Connection, options: { signal: AbortSignal }) => Promise<RelayLoadReport>
  /** Relays advertised in the DHT; candidates come from the bootstrap list and the peer store only without it. */
  readonly findRelays?: (options: { signal: AbortSignal, max?: number }) => AsyncIterable<FoundRelay>
  /** This node's trust in a peer (its reputation), 0 to 1, 0.5 for a stranger; everyone a stranger without it. */
  readonly trust?: (peer: string) => number
  /** Whether a game in progress is played with this peer: a slot carrying its connection does not move. */
  readonly playing?: (peer: string) => boolean
  /** Between measurements, ms. Default RELAY_CHOICE_INTERVAL. */
  readonly interval?: number
  /** Before the first measurement, ms. Default RELAY_CHOICE_FIRST_DELAY. */
  readonly firstDelay?: number
  /** Score weights and move margins over the defaults (score.ts). */
  readonly params?: Partial<RelayScoreParams>
  /** The clock (refusals age out by it). Default `Date.now`. */
  readonly now?: () => number
}

export interface RelayChoiceComponents {
  readonly peerId: PeerId
  readonly logger: ComponentLogger
  readonly connectionManager: ConnectionManager
  readonly transportManager: TransportManager
  readonly peerStore: PeerStore
  readonly ping: Ping
}

/** One relay as `p2pgo doctor` shows it (load fields null when the relay reports none). */
export interface RelayState {
  readonly peer: string
  readonly rttMs: number | null
  readonly reservations: number | null
  readonly circuits: number | null
  /** The slots belong on it (held, or about to be). */
  readonly chosen: boolean
  /** It holds one of this node's slots now. */
  readonly held: boolean
  /** Its score at the last measurement (lower is better; null when it did not answer). */
  readonly score: number | null
  /** Reservation refusals this node met there recently. */
  readonly refusals: number
}

export interface RelayChoiceEvents {
  /** A round of measurement ended: where the slots belong now. */
  'relay-choice:evaluated': CustomEvent<{ chosen: string[], moves: RelayMove[], deferred: RelayMove[] }>
  /** A slot moved: the old relay was let go and the new one holds it. */
  'relay-choice:moved': CustomEvent<RelayMove>
  /** A move waits: a game's opponent is connected through the old relay. */
  'relay-choice:deferred': CustomEvent<RelayMove & { opponents: string[] }>
}

/** The relay choice as a libp2p service: add `relayChoice: relayChoice({ slots, bootstrap, trust, playing })`. */
export function relayChoice (init: RelayChoiceInit): (components: RelayChoiceComponents) => RelayChoiceService {
  return (components) => new RelayChoiceService(components, init)
}
