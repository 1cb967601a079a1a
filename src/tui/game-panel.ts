// The text beside the board: both players with their clocks and captures, whose turn it
// is, the path to the opponent, the move list. Pure: it reads the game core at an instant the
// screen passes in, so the clocks count down by drawing again.
import { remaining } from '../game/clock.js'
import { BLACK, WHITE } from '../game/constants.js'
import { toGtpVertex } from '../game/vertex.js'
import { clockText } from './clock-text.js'
import { connectionCell } from './lobby-rows.js'
import type { Game } from '../game/game.js'
import type { Rung } from '../net/rung.js'
import type { Side } from '../wire/game-messages.js'
import type { Glyphs } from './board-view.js'
import { cut } from './text-fit.js'

/** What the panel shows of one game. */
export interface PanelInput {
  readonly game: Game
  readonly me: Side
  readonly names: { readonly B: string, readonly W: string }
  /** ms since the epoch: the instant the clocks are read at. */
  readonly now: number
  readonly rung?: Rung | null
  readonly rttMs?: number
  /** The result once the game is over. */
  readonly result?: string
}

/** Each player: stone, name, "(you)"; then clock and captures. Black first. */
export function playerLines (p: PanelInput, glyphs: Glyphs, width: number): string[] {
  const out: string[] = []
  for (const side of ['B', 'W'] as const) {
    const color = side === 'B' ? BLACK : WHITE
    const stone = side === 'B' ? glyphs.black : glyphs.white
    const toMove = p.game.phase === 'play' && p.game.toMove === color && p.result == null
    const who = `${toMove ? glyphs.turn : ' '} ${stone} ${p.names[side]}${p.me === side ? ' (you)' : ''}`
    out.push(cut(who, width))
    const clock = clockText(p.game.settings.timeControl, remaining(p.game.clock, color, p.now))
    const captured = p.game.captures[color]
    out.push(cut(`    ${clock} · ${captured} ${captured === 1 ? 'capture' : 'captures'}`, width))
  }
  return out
}

/** Whose turn, or what the game waits for, in words. */
export function turnLine (p: PanelInput): string {
  if (p.result != null) return 'Game over'
  const { game } = p
  if (game.phase === 'scoring') return 'Counting: mark the dead stones, then accept'
  if (game.phase === 'ended') return 'Game over'
  const mine = (game.toMove === BLACK ? 'B' : 'W') === p.me
  const last = game.moves.at(-1)
  const passed = last != null && last.vertex == null ? ' (your opponent passed)' : ''
  return mine ? `Your move${passed}` : `${game.toMove === BLACK ? 'Black' : 'White'} to move`
}

/** The path to the opponent: "connection: direct 12 ms". */
export function connectionLine (p: PanelInput): string {
  return `opponent: ${connectionCell(p.rung ?? undefined, p.rttMs)}`
}

/** The last `rows` moves, numbered from 1, two to a line when there is room ("12 B D4   13 W pass"). */
export function moveListLines (game: Game, rows: number, width: number): string[] {
  if (rows <= 0) return []
  const cells = game.moves.map((m, i) => {
    const where = m.vertex == null ? 'pass' : toGtpVertex(m.vertex, game.size)
    return `${String(i + 1).padStart(3)} ${m.color === BLACK ? 'B' : 'W'} ${where}`.padEnd(11)
  })
  const perLine = width >= 24 ? 2 : 1
  const lines: string[] = []
  for (let i = 0; i < cells.length; i += perLine) lines.push(cells.slice(i, i + perLine).join(' ').trimEnd())
  return lines.slice(-rows)
}
