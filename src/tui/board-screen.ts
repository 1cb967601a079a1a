// The game screen as lines of text: the board on the left, the panel on the right
// (players, clocks, captures, turn, connection, moves, chat, the count or the result), or the
// panel under the board when the terminal is narrow. Pure, like the parts it puts together.
import { BLACK, WHITE } from '../game/constants.js'
import { boardLines, type Glyphs } from './board-view.js'
import { connectionLine, moveListLines, playerLines, turnLine, type PanelInput } from './game-panel.js'
import { resultText, ratingChangeText } from './result-text.js'
import type { Vertex } from '../game/vertex.js'
import type { FixedRating } from '../rating/trueskill.js'
import { cut, wrap } from './text-fit.js'

export interface BoardScreenInput extends PanelInput {
  readonly cursor: Vertex
  readonly chat: ReadonlyArray<{ readonly from: 'B' | 'W', readonly text: string }>
  readonly ratingChange?: { readonly before: FixedRating, readonly after: FixedRating }
  /** Whether the result is co-signed by both players yet. */
  readonly cosigned?: boolean
}

/** Columns between the board and the panel. */
const GAP = 3

/** Where the board sits in the screen's lines: its first column and row (for mouse clicks). */
export const BOARD_ORIGIN = Object.freeze({ column: 1, row: 0 })

/** The panel's lines: who plays, the clocks, whose turn, the count or result, the moves and the chat. */
export function panelLines (p: BoardScreenInput, glyphs: Glyphs, width: number, height: number): string[] {
  const { game } = p
  const head = [
    ...playerLines(p, glyphs, width),
    cut(`${game.settings.handicap > 0 ? `handicap ${game.settings.handicap}` : `komi ${game.settings.komi}`} · ${game.settings.rules.name}`, width),
    connectionLine(p),
    '',
    turnLine(p)
  ]
  if (p.result != null) {
    head.push(resultText(p.result))
    head.push(p.cosigned === true ? 'result signed by both players' : 'waiting for the opponent\'s signature')
    if (p.ratingChange != null) head.push(...wrap(`rating: ${ratingChangeText(p.ratingChange.before, p.ratingChange.after)}`, width, '  ').slice(0, 3))
    head.push('Esc: back to the lobby')
  } else if (game.phase === 'scoring') {
    const dead = game.marking.dead
    const board = game.position.board
    const count = (c: number): number => dead.filter(v => board.cells[board.point(v.x, v.y)] === c).length
    head.push(`dead: ${count(BLACK)} black, ${count(WHITE)} white`)
    const s = game.score()
    head.push(cut(`count: B ${s.black.total} W ${s.white.total} → ${s.margin === 0 ? 'draw' : s.margin > 0 ? `B+${s.margin}` : `W+${-s.margin}`}`, width))
    head.push('Enter toggles a group · a accept · r resume')
  }
  const chat = p.chat.slice(-3).map(c => cut(`${p.names[c.from]}: ${c.text}`, width))
  const chatBlock = chat.length > 0 ? ['', ...chat] : []
  const room = height - head.length - chatBlock.length - 1
  const moves = room > 0 ? moveListLines(game, room, width) : []
  const middle = moves.length > 0 ? ['', ...moves] : []
  return [...head, ...middle, ...chatBlock].slice(0, height)
}

/**
 * The whole game screen in `width` x `height`: board and panel side by side when they fit, the
 * panel below the board otherwise (cut to the height). The board is never cut while it fits.
 */
export function boardScreenLines (p: BoardScreenInput, glyphs: Glyphs, width: number, height: number): string[] {
  const dead = new Set(p.game.marking.dead.map(v => v.y * p.game.size + v.x))
  const board = p.game.position.board
  const last = [...p.game.moves].reverse().find(m => m.vertex != null)
  const ko = board.isPoint(p.game.position.koPoint) ? board.vertex(p.game.position.koPoint) : undefined
  const drawn = boardLines({
    size: p.game.size,
    at: v => board.cells[board.point(v.x, v.y)] as 0 | 1 | 2,
    ...(last?.vertex != null && p.game.moves.at(-1) === last ? { lastMove: last.vertex } : {}),
    ...(ko != null ? { ko } : {}),
    cursor: p.cursor,
    dead: v => dead.has(v.y * p.game.size + v.x)
  }, glyphs).map(line => ' '.repeat(BOARD_ORIGIN.column) + line)
  const boardWidth = Math.max(...drawn.map(l => [...l].length))
  if (width >= boardWidth + GAP + 24) {
    const panel = panelLines(p, glyphs, width - boardWidth - GAP, height)
    const rows = Math.max(drawn.length, panel.length)
    const out: string[] = []
    for (let i = 0; i < Math.min(rows, height); i++) {
      const left = drawn[i] ?? ''
      out.push(`${left}${' '.repeat(boardWidth - [...left].length + GAP)}${panel[i] ?? ''}`.trimEnd())
    }
    return out
  }
  const below = panelLines(p, glyphs, width, Math.max(0, height - drawn.length))
  return [...drawn, ...below].slice(0, height)
}
