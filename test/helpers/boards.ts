import { Board } from '../../src/game/board.js'
import { BLACK, WHITE } from '../../src/game/constants.js'

/** Builds a board from rows ('X' black, 'O' white, '.' empty), top row first. */
export function boardFrom (rows: readonly string[]): Board {
  const b = new Board(rows.length)
  rows.forEach((row, y) => [...row.replace(/\s/g, '')].forEach((ch, x) => {
    if (ch === 'X') b.setStone(b.point(x, y), BLACK)
    if (ch === 'O') b.setStone(b.point(x, y), WHITE)
  }))
  return b
}

/** The padded points of every stone marked with `mark` in rows of the same shape. */
export function pointsMarked (board: Board, rows: readonly string[], mark: string): Set<number> {
  const out = new Set<number>()
  rows.forEach((row, y) => [...row.replace(/\s/g, '')].forEach((ch, x) => {
    if (ch === mark) out.add(board.point(x, y))
  }))
  return out
}
