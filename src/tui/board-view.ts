// The board as lines of text, for the terminal client. Pure: the screen draws these
// lines and knows nothing of Go; the game core knows nothing of the screen.
import { BLACK, EMPTY, WHITE } from '../game/constants.js'
import { fixedHandicapPoints } from '../game/handicap.js'
import type { Vertex } from '../game/vertex.js'

/** What one board point holds, as the core reports it. */
export type PointValue = typeof EMPTY | typeof BLACK | typeof WHITE

/** Everything the board drawing shows. */
export interface BoardView {
  readonly size: number
  /** The stone at a point (x from the left, y from the top). */
  readonly at: (v: Vertex) => PointValue
  readonly lastMove?: Vertex
  /** The point the player to move may not take back at once. */
  readonly ko?: Vertex
  /** The player's cursor. */
  readonly cursor?: Vertex
  /** Stones marked dead while counting. */
  readonly dead?: (v: Vertex) => boolean
}

/** Glyphs of one drawing style; every one is a single terminal column wide. */
export interface Glyphs {
  readonly black: string
  readonly white: string
  readonly deadBlack: string
  readonly deadWhite: string
  readonly empty: string
  readonly hoshi: string
  readonly ko: string
  /** Marks the player to move beside the board. */
  readonly turn: string
}

export const UNICODE: Glyphs = Object.freeze({ black: '●', white: '○', deadBlack: '⊗', deadWhite: '⊘', empty: '·', hoshi: '+', ko: '□', turn: '▶' })
/** For terminals without Unicode (`--ascii`): GNU Go's own letters. */
export const ASCII: Glyphs = Object.freeze({ black: 'X', white: 'O', deadBlack: 'x', deadWhite: 'o', empty: '.', hoshi: '+', ko: '#', turn: '>' })

/** Column letters: A to T without I, as on every Go board. */
const LETTERS = 'ABCDEFGHJKLMNOPQRSTUVWXYZ'

/** The star points: 9 on 15x15 and up, 5 on odd boards from 9x9, the 4 corner points on others from 7x7, none below. */
export function hoshiPoints (size: number): Vertex[] {
  if (size >= 15 && size % 2 === 1) return fixedHandicapPoints(size, 9)
  if (size >= 9 && size % 2 === 1) return fixedHandicapPoints(size, 5)
  if (size >= 7) return fixedHandicapPoints(size, 4)
  return []
}

const same = (a: Vertex | undefined, x: number, y: number): boolean => a != null && a.x === x && a.y === y

/**
 * The board with coordinates on all four sides, one line per row, top row first. Each point is
 * two columns: a separator and its glyph. The cursor sits in brackets and the last move in
 * parentheses, drawn in the separators so the grid never shifts; where the two touch, the
 * cursor's bracket wins.
 */
export function boardLines (view: BoardView, glyphs: Glyphs = UNICODE): string[] {
  const { size } = view
  if (!Number.isInteger(size) || size < 2 || size > LETTERS.length) throw new RangeError(`cannot draw a ${size}x${size} board`)
  const hoshi = new Set(hoshiPoints(size).map(v => v.y * size + v.x))
  const numberWidth = String(size).length
  // Padded to the rows' width (labels on both sides), so every line is as wide as every other.
  const letters = ' '.repeat(numberWidth) + [...LETTERS.slice(0, size)].map(l => ` ${l}`).join('') + ' '.repeat(1 + numberWidth)
  // The separator before column x (x = size: after the last column).
  const separator = (x: number, y: number): string =>
    same(view.cursor, x - 1, y) ? ']' : same(view.cursor, x, y) ? '[' : same(view.lastMove, x - 1, y) ? ')' : same(view.lastMove, x, y) ? '(' : ' '
  const lines = [letters]
  for (let y = 0; y < size; y++) {
    const label = String(size - y).padStart(numberWidth)
    let row = label
    for (let x = 0; x < size; x++) row += separator(x, y) + glyphOf(view, glyphs, { x, y }, hoshi.has(y * size + x))
    lines.push(`${row}${separator(size, y)}${label.trimStart().padEnd(numberWidth)}`)
  }
  lines.push(letters)
  return lines
}

function glyphOf (view: BoardView, g: Glyphs, v: Vertex, hoshi: boolean): string {
  const stone = view.at(v)
  const dead = view.dead?.(v) === true
  if (stone === BLACK) return dead ? g.deadBlack : g.black
  if (stone === WHITE) return dead ? g.deadWhite : g.white
  if (same(view.ko, v.x, v.y)) return g.ko
  return hoshi ? g.hoshi : g.empty
}

/**
 * The point under a screen cell of the drawing `boardLines` makes (column and row inside it), or
 * undefined for the coordinates around the board. A separator cell counts for the point to its right.
 */
export function vertexAt (size: number, column: number, row: number): Vertex | undefined {
  const numberWidth = String(size).length
  const y = row - 1
  const x = Math.floor((column - numberWidth) / 2)
  if (y < 0 || y >= size || column < numberWidth || x < 0 || x >= size) return undefined
  return { x, y }
}
