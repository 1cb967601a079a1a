import { describe, expect, it } from 'vitest'
import { ASCII, UNICODE, boardLines, hoshiPoints, type BoardView, type PointValue } from '../../src/tui/board-view.js'
import { BLACK, EMPTY, WHITE } from '../../src/game/constants.js'
import { fromGtpVertex, type Vertex } from '../../src/game/vertex.js'

/** A view of `size` with stones given as GTP vertices. */
function view (size: number, stones: { B?: string[], W?: string[] } = {}, more: Partial<BoardView> = {}): BoardView {
  const at = new Map<string, PointValue>()
  for (const [list, color] of [[stones.B ?? [], BLACK], [stones.W ?? [], WHITE]] as const) {
    for (const t of list) {
      const v = fromGtpVertex(t, size)!
      at.set(`${v.x},${v.y}`, color)
    }
  }
  return { size, at: (v: Vertex) => at.get(`${v.x},${v.y}`) ?? EMPTY, ...more }
}
const gtp = (t: string, size: number): Vertex => fromGtpVertex(t, size)!

describe('boardLines', () => {
  it('draws an empty 9x9 with coordinates on all sides and its five star points', () => {
    expect(boardLines(view(9), ASCII)).toEqual([
      '  A B C D E F G H J  ',
      '9 . . . . . . . . . 9',
      '8 . . . . . . . . . 8',
      '7 . . + . . . + . . 7',
      '6 . . . . . . . . . 6',
      '5 . . . . + . . . . 5',
      '4 . . . . . . . . . 4',
      '3 . . + . . . + . . 3',
      '2 . . . . . . . . . 2',
      '1 . . . . . . . . . 1',
      '  A B C D E F G H J  '
    ])
  })

  it('puts stones where GTP says, the last move in parentheses, the ko point, and dead stones', () => {
    const lines = boardLines(view(9, { B: ['C3', 'D4'], W: ['E5', 'J9'] }, { lastMove: gtp('E5', 9), ko: gtp('A1', 9), dead: v => v.x === 8 && v.y === 0 }), ASCII)
    expect(lines[1]).toBe('9 . . . . . . . . o 9')
    expect(lines[5]).toBe('5 . . . .(O). . . . 5')
    expect(lines[6]).toBe('4 . . . X . . . . . 4')
    expect(lines[7]).toBe('3 . . X . . . + . . 3')
    expect(lines[9]).toBe('1 # . . . . . . . . 1')
  })

  it('draws the cursor in brackets, over the last move when they coincide, and at the edges', () => {
    expect(boardLines(view(9, {}, { cursor: gtp('A9', 9) }), ASCII)[1]).toBe('9[.]. . . . . . . . 9')
    expect(boardLines(view(9, {}, { cursor: gtp('J1', 9) }), ASCII)[9]).toBe('1 . . . . . . . .[.]1')
    expect(boardLines(view(9, { B: ['E5'] }, { cursor: gtp('E5', 9), lastMove: gtp('E5', 9) }), ASCII)[5]).toBe('5 . . . .[X]. . . . 5')
    expect(boardLines(view(9, { B: ['E5'] }, { cursor: gtp('D5', 9), lastMove: gtp('E5', 9) }), ASCII)[5]).toBe('5 . . .[.]X). . . . 5')
  })

  it('19x19: columns A to T without I, two-digit rows aligned, nine star points', () => {
    const lines = boardLines(view(19, { B: ['T19'], W: ['A1'] }), UNICODE)
    expect(lines[0]).toBe('   A B C D E F G H J K L M N O P Q R S T   ')
    expect(lines[1]).toBe(`19 ${'· '.repeat(18)}● 19`)
    expect(lines[19]).toBe(` 1 ○${' ·'.repeat(18)} 1 `)
    expect(lines[4]).toBe(`16 · · · + · · · · · + · · · · · + · · · 16`)
    expect(lines).toHaveLength(21)
    expect(new Set(lines.map(l => [...l].length)).size).toBe(1)
  })

  it('every line is the same width on every size, so the screen can centre it', () => {
    for (const size of [2, 5, 7, 9, 13, 19, 25]) {
      const widths = new Set(boardLines(view(size), UNICODE).map(l => [...l].length))
      expect(widths.size).toBe(1)
    }
  })

  it('refuses sizes it cannot label', () => {
    expect(() => boardLines(view(26))).toThrow(RangeError)
    expect(() => boardLines(view(1))).toThrow(RangeError)
  })
})

describe('hoshiPoints', () => {
  it.each([[19, 9], [13, 5], [9, 5], [8, 4], [7, 4], [5, 0]])('%ix%i has %i', (size, n) => {
    expect(hoshiPoints(size)).toHaveLength(n)
  })
})
