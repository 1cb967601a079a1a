// The lobby's rows as the terminal client lists them: the player's own games in progress (any
// size: correspondence games last weeks, several at once), the players present on the size shown
// (best rated first, with the trust and connection this node has of each), then others' open
// seeks, then the games in progress its players announce (most watched first). Read from the
// node's public API at each draw; nothing kept.
import { toFixed } from '../rating/trueskill.js'
import { sortPlayers, type LobbyPlayer } from './lobby-rows.js'
import { ongoingGames, type OngoingGame } from './ongoing-games.js'
import type { P2pgoNode } from '../net/node.js'
import type { LobbyLiveGame, LobbySeek } from '../net/lobby/index.js'

/** Board sizes the lobby can show ratings for and offer games of. */
export type LobbySize = 9 | 13 | 19

/** A row of the lobby list: one of the player's games, a player, an open seek, or a game in progress to watch. */
export type LobbyEntry =
  | { readonly kind: 'game', readonly game: OngoingGame }
  | { readonly kind: 'player', readonly player: LobbyPlayer }
  | { readonly kind: 'seek', readonly seek: LobbySeek, readonly name: string }
  | { readonly kind: 'live', readonly live: LobbyLiveGame }

/** The lobby's rows for board `size`: the player's games, players (best rated first), then others' open seeks, then live games. */
export function lobbyEntries (node: P2pgoNode, size: LobbySize, now = Date.now()): LobbyEntry[] {
  const own = ongoingGames(node.games.games, now).map((game): LobbyEntry => ({ kind: 'game', game }))
  const peers = new Map(node.peers().map(p => [p.peer, p]))
  // The lobby shows the size on screen; entries of another size heard before stay in the view until they lapse.
  const players = node.lobby.presences().filter(p => p.sizes.includes(size)).map((p): LobbyPlayer => {
    const peer = p.peer.toString()
    const claimed = p.ratings?.[size]
    const view = peers.get(peer)
    return {
      peer,
      name: p.name,
      ...(claimed != null ? { rating: toFixed(claimed.mu, claimed.sigma) } : {}),
      trust: node.reputation.trust(peer),
      ...(view != null ? { rung: view.rung } : {}),
      ...(view?.rttMs != null ? { rttMs: view.rttMs } : {})
    }
  })
  const names = new Map(players.map(p => [p.peer, p.name]))
  const seeks = node.lobby.seeks().filter(seek => seek.terms.size === size).map((seek): LobbyEntry => ({ kind: 'seek', seek, name: names.get(seek.peer.toString()) ?? seek.peer.toString() }))
  const live = node.lobby.liveGames().filter(g => g.size === size).map((live): LobbyEntry => ({ kind: 'live', live }))
  return [...own, ...sortPlayers(players).map((player): LobbyEntry => ({ kind: 'player', player })), ...seeks, ...live]
}
