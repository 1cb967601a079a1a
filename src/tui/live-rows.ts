// The lobby's live games as text rows: who plays whom (with each player's rank when the game is
// rated), how far the game is, how many watch, and how old the news is. Pure.
import { viewOf } from '../rating/display.js'
import { toFixed } from '../rating/trueskill.js'
import type { LobbyLiveGame } from '../net/lobby/index.js'

/** A live game as the lobby shows it. */
export type LiveRow = Pick<LobbyLiveGame, 'names' | 'ratings' | 'ply' | 'watchers' | 'age'>

/** A player's name with the rank its claimed rating gives (`Alice (3k)`, `?` while provisional); the name alone when unrated. */
export const who = (name: string, r: { mu: number, sigma: number } | undefined): string => {
  if (r == null) return name
  const v = viewOf(toFixed(r.mu, r.sigma))
  return `${name} (${v.rank}${v.provisional ? '?' : ''})`
}

/** How long ago, coarsely: `12 s`, `3 min`. */
export function ageText (ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s < 60 ? `${s} s` : `${Math.round(s / 60)} min`
}

/** One live game: `Alice (3k) vs Bob (5k?) · move 12 · 3 watching · 20 s ago`. */
export function liveRow (g: LiveRow): string {
  return `${who(g.names.B, g.ratings?.B)} vs ${who(g.names.W, g.ratings?.W)} · move ${g.ply} · ${g.watchers} watching · ${ageText(g.age)} ago`
}
