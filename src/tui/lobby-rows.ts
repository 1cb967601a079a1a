// The lobby's player list as text rows: name, rating, reputation, how the player is
// reached. Pure; the screen puts the rows in a list and colours them.
import { viewOf } from '../rating/display.js'
import { shortPeer } from '../queries/reach-text.js'
import type { FixedRating } from '../rating/trueskill.js'
import type { Rung } from '../net/rung.js'

export { shortPeer }

/** A player as the lobby shows it. */
export interface LobbyPlayer {
  readonly peer: string
  readonly name: string
  /** The player's verified rating on the board size the lobby shows, when it has one. */
  readonly rating?: FixedRating
  /** This node's trust in the player, 0 to 1 (0.5 for a stranger). */
  readonly trust: number
  /** How this node is connected to it now, if it is. */
  readonly rung?: Rung
  readonly rttMs?: number
}

/** Column widths: they add up to 78 with the spaces between, so a row fits an 80-column terminal. */
export const COLUMNS = Object.freeze({ name: 16, rating: 20, reputation: 4, connection: 20, peer: 14 })

/** A rating as the lobby shows it: conservative value, ± sigma, rank, `?` while provisional. */
export function ratingCell (r: FixedRating | undefined): string {
  if (r == null) return 'unrated'
  const v = viewOf(r)
  return `${v.conservative.toFixed(1)} ±${v.sigma.toFixed(1)} ${v.rank}${v.provisional ? '?' : ''}`
}

/** The connection: its rung and round trip, or `not connected`. */
export function connectionCell (rung: Rung | undefined, rttMs: number | undefined): string {
  if (rung == null) return 'not connected'
  return rttMs == null ? rung : `${rung} ${Math.round(rttMs)} ms`
}

const fit = (text: string, width: number): string => {
  const chars = [...text]
  return chars.length <= width ? text.padEnd(width) : `${chars.slice(0, width - 1).join('')}…`
}

/** The header row. */
export function lobbyHeader (): string {
  return [fit('player', COLUMNS.name), fit('rating', COLUMNS.rating), fit('rep', COLUMNS.reputation), fit('connection', COLUMNS.connection), fit('peer', COLUMNS.peer)].join(' ').trimEnd()
}

/** One player's row; reputation shows as trust × 100 (50 for a stranger). */
export function lobbyRow (p: LobbyPlayer): string {
  return [
    fit(p.name === '' ? '(no name)' : p.name, COLUMNS.name),
    fit(ratingCell(p.rating), COLUMNS.rating),
    String(Math.round(Math.max(0, Math.min(1, p.trust)) * 100)).padStart(3).padEnd(COLUMNS.reputation),
    fit(connectionCell(p.rung, p.rttMs), COLUMNS.connection),
    fit(shortPeer(p.peer), COLUMNS.peer)
  ].join(' ').trimEnd()
}

/** Best first: rated before unrated, then by conservative rating, then by name. */
export function sortPlayers (players: readonly LobbyPlayer[]): LobbyPlayer[] {
  const key = (p: LobbyPlayer): number => (p.rating == null ? -Infinity : viewOf(p.rating).conservative)
  return [...players].sort((a, b) => key(b) - key(a) || a.name.localeCompare(b.name))
}
