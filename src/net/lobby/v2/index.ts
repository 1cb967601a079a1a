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
import { LobbyV2, type LobbyV2Components, type LobbyV2Init } from './lobby-v2.js'

export { LobbyV2, type LobbyV2Components, type LobbyV2Init, type LobbyCounts } from './lobby-v2.js'
export { LOBBY_V2_CENSUS_TOPIC, lobbyV2Topic, parseLobbyV2Topic, type LobbyV2Topic } from './topics.js'
export { LOBBY_SYNC_PROTOCOL } from './sync-messages.js'

/** Lobby version 2 as a libp2p service: `lobby: lobbyV2()` (a bootstrap relay: `lobbyV2({ hub: true })`). */
export function lobbyV2 (init: LobbyV2Init = {}): (components: LobbyV2Components) => LobbyV2 {
  return (components) => new LobbyV2(components, init)
}
