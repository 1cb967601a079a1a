// The games this player has in progress, as the lobby lists them above everything else: whose
// move, the clock of the player to move, and the kind (a correspondence game lasts weeks, and a
// player has many at once). The player's own moves first, the least time left first. Pure.
import { remaining } from '../game/clock.js'
import { colorOf } from '../session/sides.js'
import { clockText } from './clock-text.js'
import { gameStatus } from '../queries/game-status.js'
import type { Game } from '../game/game.js'
import type { Side } from '../wire/game-messages.js'
import type { SignedStart } from '../wire/game-start.js'

/** What a row needs of a game in progress (a GameSession has it). */
export interface GameInProgress {
  readonly gameId: { toString: () => string }
  readonly start: SignedStart
  readonly me: Side
  readonly game: Game
  readonly end?: unknown
}

/** One row of "Your games". */
export interface OngoingGame {
  readonly id: string
  readonly line: string
  /** The player is to move (or to answer the count). */
  readonly yourMove: boolean
  readonly correspondence: boolean
}

/** Whether a game is played by correspondence (days per move) rather than in one sitting. */
export function isCorrespondence (g: Pick<GameInProgress, 'start'>): boolean {
  return g.start.terms.tc.kind === 'correspondence'
}

/** The games not over yet, the player's own moves first, then the least time left. */
export function ongoingGames (games: readonly GameInProgress[], now: number): OngoingGame[] {
  const rows = games.filter(g => g.end == null).map(g => {
    const opponent = g.start.names[g.me === 'B' ? 'W' : 'B']
    const size = g.start.terms.size
    // Whose move and the time left, as `p2pgo games --json` says them (src/queries/game-status.ts).
    const status = gameStatus(g.game, g.me, false, now)
    const counting = g.game.phase === 'scoring'
    const yourMove = counting || status.myTurn
    const left = status.turn != null ? status.timeLeft[status.turn] ?? Infinity : Infinity
    const clock = status.turn != null && g.start.terms.tc.kind !== 'none' ? ` (${clockText(g.start.terms.tc, remaining(g.game.clock, colorOf(status.turn), now))} left)` : ''
    const turn = counting ? 'counting: mark the dead stones' : yourMove ? `your move${clock}` : `${opponent}'s move${clock}`
    const line = `vs ${opponent} · ${size}x${size} · ${status.kind} · move ${g.game.moves.length + 1} · ${turn}`
    return { id: g.gameId.toString(), line, yourMove, correspondence: status.kind === 'correspondence', left }
  })
  rows.sort((a, b) => Number(b.yourMove) - Number(a.yourMove) || a.left - b.left)
  return rows.map(({ left, ...row }) => row)
}

/** The heading: "Your games: 3 in progress, your move in 2". */
export function ongoingHeading (rows: readonly OngoingGame[]): string {
  const mine = rows.filter(r => r.yourMove).length
  return `Your games: ${rows.length} in progress, your move in ${mine}   (Enter opens one)`
}
