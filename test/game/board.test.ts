import { describe, expect, it } from 'vitest'
import { Board } from '../../src/game/board.js'
import { BLACK, WHITE } from '../../src/game/constants.js'

/** Builds a board from rows ('X' black, 'O' white, '.' empty). */
function boardFrom (rows: string[]): Board {
  const b = new Board(rows.length)
  rows.forEach((row, y) => [...row].forEach((ch, x) => {
    if (ch === 'X') b.setStone(b.point(x, y), BLACK)
    if (ch === 'O') b.setStone(b.point(x, y), WHITE)
  }))
  return b
}

describe('Board', () => {
  it('rejects sizes outside 2..25', () => {
    expect(() => new Board(1)).toThrow(/2 to 25/)
    expect(() => new Board(26)).toThrow(/2 to 25/)
    expect(() => new Board(9.5)).toThrow(/whole number/)
    expect(new Board(2).size).toBe(2)
  })

  it('captures a stone in atari and counts it', () => {
    const b = boardFrom([
      '.X...',
      'XO...',
      '.X...',
      '.....',
      '.....'
    ])
    const removed = b.place(BLACK, b.point(2, 1))
    expect(removed).toBe(1)
    expect(b.captures[BLACK]).toBe(1)
    expect(b.toRows()[1]).toBe('X.X..')
  })

  it('probes without changing the board, and reports suicide and ko', () => {
    const b = boardFrom([
      '.XO..',
      'XO.O.',
      '.XO..',
      '.....',
      '.....'
    ])
    const before = b.toRows()
    const ko = b.probe(BLACK, b.point(2, 1))
    expect(ko.suicide).toBe(false)
    expect(ko.removed).toBe(1)
    expect(ko.koPoint).toBe(b.point(1, 1))
    // White at the corner takes the black stone's last liberty: a capture, not suicide.
    expect(b.probe(WHITE, b.point(0, 0)).suicide).toBe(false)
    expect(b.toRows()).toEqual(before)
    const open = boardFrom(['.X...', 'X....', '.....', '.....', '.....'])
    expect(open.probe(WHITE, open.point(0, 0)).suicide).toBe(true)
  })

  it('keeps the hash equal to one built from scratch after captures', () => {
    const b = boardFrom(['.XO..', 'XO.O.', '.XO..', '.....', '.....'])
    b.place(BLACK, b.point(2, 1))
    const fresh = boardFrom(b.toRows())
    expect(b.hash).toBe(fresh.hash)
  })
})
