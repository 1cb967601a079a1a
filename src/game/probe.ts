/**
 * What a stone at a point would do, found by `Board.probe` without touching the board.
 * One object is reused by each board: read it before the next probe.
 */
export interface Probe {
  /** The point is already taken. */
  occupied: boolean
  /** The stone (and the chain it joins) would have no liberty and capture nothing. */
  suicide: boolean
  /** Stones that would be removed: the opponent's captured, or the player's own on suicide. */
  removed: number
  /** Roots of the chains that would be removed (up to four). */
  readonly removedRoots: Int32Array
  removedRootCount: number
  /** Zobrist halves of the board after the move. */
  hashHi: number
  hashLo: number
  /** The point that would become a simple-ko point after the move, or -1. */
  koPoint: number
}

/** A fresh probe result, before any probe. */
export function emptyProbe (): Probe {
  return {
    occupied: false,
    suicide: false,
    removed: 0,
    removedRoots: new Int32Array(4),
    removedRootCount: 0,
    hashHi: 0,
    hashLo: 0,
    koPoint: -1
  }
}
