/**
 * @packageDocumentation
 *
 * The peers this node is connected to, as `p2pgo peers` and the terminal client show them: each
 * one's best path (rung), its round trip (the first ping when the connection opened, then
 * libp2p's connection monitor), its lobby name and reach; and how this node's game acts fared on
 * each rung (the delivery ledger).
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...config.services, games: games(), lobby: lobby(), peers: peers() } })
 * node.services.peers.addEventListener('peer:connected', evt => { console.log(evt.detail.peer, evt.detail.rung, evt.detail.rttMs) })
 * console.log(node.services.peers.peers(), node.services.peers.delivery.summary())
 * ```
 */
import { PeerDirectory } from './peer-directory.js'
import type { GameService } from '../game/game-service.js'
import type { LobbyService } from '../lobby/index.js'
import type { Reach, Rung } from '../rung.js'
import type { ComponentLogger, Libp2pEvents, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { Ping } from '@libp2p/ping'

export { PeerDirectory } from './peer-directory.js'

/** One open connection to a peer, as `p2pgo peers` shows it. */
export interface ConnectionView {
  readonly rung: Rung
  readonly address: string
  readonly direction: 'inbound' | 'outbound'
  /** Relayed connections carry the relay's limits. */
  readonly limited: boolean
  /** The last round trip measured on it (libp2p's connection monitor), ms. */
  readonly rttMs?: number
  /** When it opened, ISO 8601. */
  readonly since: string
}

/** A connected peer: its best path, how it says it is reached, and every connection. */
export interface PeerView {
  readonly peer: string
  /** Its name: from the lobby, or from the game in progress with it. */
  readonly name?: string
  readonly reach?: Reach
  /** The best rung among its open connections. */
  readonly rung: Rung
  readonly rttMs?: number
  readonly connections: readonly ConnectionView[]
}

export interface PeerDirectoryComponents {
  readonly logger: ComponentLogger
  readonly events: TypedEventTarget<Libp2pEvents>
  readonly connectionManager: ConnectionManager
  readonly ping: Ping
  /** Tells a connection's rung, and reports each act's delivery. */
  readonly games: GameService
  /** Names and reach of peers in the lobby; optional. */
  readonly lobby?: LobbyService
}

export interface PeerDirectoryEvents {
  /** A connection opened; `rttMs` when the first ping answered within PING_TIMEOUT_MS. */
  'peer:connected': CustomEvent<{ peer: string, rung: Rung, address: string, rttMs?: number }>
}

/** The connected-peers view as a libp2p service: add `peers: peers()` after `games` and `lobby`. */
export function peers (): (components: PeerDirectoryComponents) => PeerDirectory {
  return (components) => new PeerDirectory(components)
}
