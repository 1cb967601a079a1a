// The game screen's text: panel (players, clocks, captures, turn, moves, count, result) and the
// layout that keeps the board whole at any terminal size; vertexAt for mouse clicks.
import { describe, expect, it } from 'vitest'
import { Game } from '../../src/game/game.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { CHINESE } from '../../src/game/rules.js'
import { fromGtpVertex, type Vertex } from '../../src/game/vertex.js'
import { ASCII, UNICODE, boardLines, vertexAt } from '../../src/tui/board-view.js'
import { BOARD_ORIGIN, boardScreenLines, panelLines, type BoardScreenInput } from '../../src/tui/board-screen.js'
import { moveListLines, turnLine } from '../../src/tui/game-panel.js'
import { toFixed } from '../../src/rating/trueskill.js'

const v = (t: string, size = 9): Vertex => fromGtpVertex(t, size)!

function game (size: number, moves: string[], tc?: Game['settings']['timeControl']): Game {
  const g = new Game({ size, rules: CHINESE, komi: 7.5, ...(tc != null ? { timeControl: tc } : {}) })
  g.start(0)
  moves.forEach((m, i) => {
    const color = i % 2 === 0 ? BLACK : WHITE
    if (m === 'pass') g.pass(color, { at: (i + 1) * 1000 })
    else g.play(color, v(m, size), { at: (i + 1) * 1000 })
  })
  return g
}

const input = (g: Game, more: Partial<BoardScreenInput> = {}): BoardScreenInput => ({
  game: g, me: 'B', names: { B: 'ann', W: 'GNU Go' }, now: g.moves.length * 1000 + 500, cursor: { x: 4, y: 4 }, chat: [], ...more
})

describe('the game panel', () => {
  it('names both players, marks whose turn and who is you, and counts captures', () => {
    // Black captures the white stone at A1 (B1, A2 around it).
    const g = game(9, ['B1', 'A1', 'A2'])
    const lines = panelLines(input(g), UNICODE, 34, 21)
    expect(lines[0]).toBe('  ● ann (you)')
    expect(lines[1]).toBe('    no limit · 1 capture')
    expect(lines[2]).toBe('▶ ○ GNU Go')
    expect(lines[3]).toBe('    no limit · 0 captures')
    expect(lines).toContain('komi 7.5 · Chinese')
    expect(lines).toContain('White to move')
    expect(turnLine(input(g, { me: 'W' }))).toBe('Your move')
  })

  it('reads both clocks at the instant given, byo-yomi periods included', () => {
    const tc = { kind: 'byo-yomi', mainMs: 60_000, periodMs: 30_000, periods: 3 } as const
    const g = game(9, ['E5'], tc)
    // White's clock has run since Black's move at 1 s: at 71 s it is 10 s into its first period.
    const lines = panelLines(input(g, { now: 71_000 }), ASCII, 40, 21)
    expect(lines[1]).toBe('    0:59 + 3×0:30 · 0 captures')
    expect(lines[3]).toBe('    0:20 (3 left) · 0 captures')
    expect(lines[2].startsWith('> O GNU Go')).toBe(true)
  })

  it('lists the last moves, two to a line, passes by name', () => {
    const g = game(9, ['E5', 'D4', 'pass', 'C3', 'G7'])
    expect(moveListLines(g, 10, 30)).toEqual(['  1 B E5      2 W D4', '  3 B pass    4 W C3', '  5 B G7'])
    expect(moveListLines(g, 1, 30)).toEqual(['  5 B G7'])
    expect(moveListLines(g, 10, 12)).toHaveLength(5)
  })

  it('shows the count while counting and the result with the rating change after', () => {
    const g = game(9, ['E5', 'D4', 'pass', 'pass'])
    expect(g.phase).toBe('scoring')
    g.setMarking([v('D4')])
    const counting = panelLines(input(g), UNICODE, 34, 21)
    expect(counting).toContain('Counting: mark the dead stones, then accept')
    expect(counting).toContain('dead: 0 black, 1 white')
    expect(counting).toContain('count: B 81 W 7.5 → B+73.5')
    const over = panelLines(input(g, { result: 'B+73.5', cosigned: true, ratingChange: { before: toFixed(25, 25 / 3), after: toFixed(29.4, 7.2) } }), UNICODE, 60, 21)
    expect(over).toContain('Black wins by 73.5 points')
    expect(over).toContain('result signed by both players')
    expect(over.some(l => l.startsWith('rating: 0.0 (30k) → 7.8'))).toBe(true)
  })
})

describe('the game screen layout', () => {
  /** Every row, each with its number on both sides, and the letters above and below. */
  const whole = (lines: string[], size: number): boolean => {
    const letters = boardLines({ size, at: () => 0 }, UNICODE)[0].trim()
    return lines.filter(l => l.trim().startsWith(letters)).length === 2 &&
      Array.from({ length: size }, (_, i) => i + 1).every(n => lines.some(l => new RegExp(`^ +${n} [^A-Z]* ${n}( |$)`).test(l)))
  }

  it('puts the panel beside a 19x19 board in 80x21 and under it when narrow', () => {
    const g = game(19, ['Q16', 'D4'])
    const wide = boardScreenLines(input(g, { cursor: { x: 9, y: 9 } }), UNICODE, 80, 21)
    expect(wide).toHaveLength(21)
    expect(wide[0]).toMatch(/^ {4}A B C.* T {6}▶ ● ann \(you\)$/)
    expect(wide[1]).toMatch(/^ 19 · · ·.* 19 {7}no limit · 0 captures$/)
    expect(wide.every(l => [...l].length <= 80)).toBe(true)
    expect(whole(wide, 19)).toBe(true)
    const narrow = boardScreenLines(input(g, { cursor: { x: 9, y: 9 } }), UNICODE, 50, 30)
    expect(narrow[0].trim()).toBe('A B C D E F G H J K L M N O P Q R S T')
    expect(narrow[21].trim()).toBe('▶ ● ann (you)')
    expect(whole(narrow, 19)).toBe(true)
  })

  it('marks the last move and the cursor, and a click on a glyph or its separator finds the point', () => {
    const g = game(9, ['E5', 'D4'])
    const lines = boardScreenLines(input(g, { cursor: v('E5') }), UNICODE, 80, 21)
    expect(lines[5]).toMatch(/^ 5 · · · ·\[●\]/)
    expect(lines[6]).toMatch(/^ 4 · · ·\(○\)/)
    // E5's glyph sits at column 1 (origin) + 1 (row label) + 1 + 2·4 = 11, row 5 (letters first).
    expect(vertexAt(9, 11 - BOARD_ORIGIN.column, 5)).toEqual(v('E5'))
    expect(vertexAt(9, 10 - BOARD_ORIGIN.column, 5)).toEqual(v('E5'))
    expect(vertexAt(9, 0, 5)).toBeUndefined()
    expect(vertexAt(9, 5, 0)).toBeUndefined()
    expect(vertexAt(9, 5, 10)).toBeUndefined()
    expect(vertexAt(9, 30, 5)).toBeUndefined()
  })
})
