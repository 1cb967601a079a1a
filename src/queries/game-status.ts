// Where a stored game stands for `p2pgo games --json`: its kind, whose move it is, and the time
// each side has left. Pure: the replayed game and the moment are passed in.
import { remaining } from '../game/clock.js'
import { colorOf } from '../session/sides.js'
import type { Game } from '../game/game.js'
import type { Side } from '../wire/game-messages.js'

/** The fields `p2pgo games --json` adds per game (a public contract: only ever add). */
export interface GameStatus {
  /** "correspondence" for days-per-move time, else "live". */
  kind: 'live' | 'correspondence'
  /** The side to move, or null when nobody is (the game is over, or being scored). */
  turn: 'B' | 'W' | null
  /** Whether it is this player's move. */
  myTurn: boolean
  /**
   * Ms each side has left, null with no time limit. A correspondence clock runs on wall time, so
   * the side to move is counted up to `now`; a live clock runs only while both play, so it is
   * read as it stood at the last act.
   */
  timeLeft: { B: number | null, W: number | null }
}

export function gameStatus (game: Game, me: Side, over: boolean, now: number): GameStatus {
  const tc = game.clock.tc
  const kind = tc.kind === 'correspondence' ? 'correspondence' : 'live'
  const moving = !over && (game.phase === 'play' || game.phase === 'handicap')
  const turn: Side | null = moving ? (game.toMove === colorOf('B') ? 'B' : 'W') : null
  const at = kind === 'correspondence' && moving ? now : game.clock.runningSince ?? now
  const left = (s: Side): number | null => {
    if (tc.kind === 'none') return null
    const r = remaining(game.clock, colorOf(s), Math.max(at, game.clock.runningSince ?? 0)).totalMs
    return Number.isFinite(r) ? Math.max(0, Math.round(r)) : null
  }
  return { kind, turn, myTurn: turn === me, timeLeft: { B: left('B'), W: left('W') } }
}
