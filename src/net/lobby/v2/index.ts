/**
 * @packageDocumentation
 *
 * Lobby version 2 (protocols/lobby.md, "Version 2"): topics per board size and rating bucket,
 * republished within a byte budget, catch-up from a neighbour, a sampled census. Same public face
 * and events as version 1 (`../index.ts`), plus `follow(sizes)`, `online()` and `topics()`.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...config.services, lobby: lobbyV2() } })
 * node.services.lobby.setPresence({ name: 'Alice', sizes: [19], status: 'idle' })
 * node.services.lobby.online().total // about how many nodes are online
 * ```
 */
import { LobbyV2 } from './lobby-v2.js'
import type { CensusCounts } from './census-estimate.js'
import type { BudgetOptions } from './budget.js'
import type { LiveSource } from './live-publisher.js'
import type { LobbyComponents, LobbyInit } from '../index.js'
import type { PrivateKey } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export { LobbyV2 } from './lobby-v2.js'

/** Version 2's options beyond version 1's. */
export interface LobbyV2Init extends LobbyInit, BudgetOptions {
  /**
   * A hub (a bootstrap relay) follows every lobby topic one of its neighbours follows: players
   * behind NAT are connected to hubs, not to each other, so the hubs carry each topic's mesh.
   */
  readonly hub?: boolean
  /** Census period, ms (tests shorten it). */
  readonly censusPeriod?: number
  /** The games this node plays, announced as live entries (protocols/watch.md); none without it. */
  readonly live?: LiveSource
}

/** What version 2 needs beyond version 1's components: the key that signs, and streams for catch-up. */
export interface LobbyV2Components extends LobbyComponents {
  readonly privateKey?: PrivateKey
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
}

/** The counts of players online, as the census estimates them. */
export type LobbyCounts = CensusCounts

export { LOBBY_V2_CENSUS_TOPIC, lobbyV2Topic, parseLobbyV2Topic, type LobbyV2Topic } from './topics.js'
export { LOBBY_SYNC_PROTOCOL } from './sync-messages.js'
export type { LiveFacts, LiveSource } from './live-publisher.js'

/** Lobby version 2 as a libp2p service: `lobby: lobbyV2()` (a bootstrap relay: `lobbyV2({ hub: true })`). */
export function lobbyV2 (init: LobbyV2Init = {}): (components: LobbyV2Components) => LobbyV2 {
  return (components) => new LobbyV2(components, init)
}
