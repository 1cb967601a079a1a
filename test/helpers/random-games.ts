import { BLACK, EMPTY, WHITE } from '../../src/game/constants.js'
import type { Board } from '../../src/game/board.js'
import type { Color } from '../../src/game/color.js'
import type { Ruleset } from '../../src/game/rules.js'

/** A source of floats in [0, 1). */
export type Rng = () => number

/** mulberry32: every random game replays exactly from its seed. */
import { mulberry32 } from '../../src/prng.js'
export { mulberry32 }

/** A whole number in [0, n). */
export function randomInt (rng: Rng, n: number): number {
  return Math.floor(rng() * n)
}

/** One element, chosen uniformly. */
export function pick<T> (rng: Rng, items: readonly T[]): T {
  return items[randomInt(rng, items.length)]
}

/** Shuffles in place (Fisher-Yates) and returns the array. */
export function shuffle<T> (rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1)
    const t = items[i]
    items[i] = items[j]
    items[j] = t
  }
  return items
}

/** Every playable padded index of a board, top row first. */
export function allPoints (board: Board): number[] {
  const out: number[] = []
  for (let y = 0; y < board.size; y++) for (let x = 0; x < board.size; x++) out.push(board.point(x, y))
  return out
}

/**
 * True when every on-board neighbour of the empty point `p` is `color`. A random player that
 * never fills such points keeps its groups alive, so games grow dense and end, instead of
 * filling every eye and capturing itself off the board again and again.
 */
export function isOwnEye (board: Board, color: Color, p: number): boolean {
  if (board.cells[p] !== EMPTY) return false
  for (const n of [p - board.width, p - 1, p + 1, p + board.width]) {
    const c = board.cells[n]
    if (c !== color && board.isPoint(n)) return false
  }
  return true
}

/** What NaiveGo says of a move: null when legal, else why not. */
export type NaiveVerdict = null | 'occupied' | 'suicide' | 'repetition'

/**
 * Go rules straight from their definitions, with no cleverness: a board is a string, captures
 * are flood fills, and ko is decided by comparing whole boards with every earlier one.
 * Slow and obviously right, so the fast engine can be checked against it.
 *
 * simple ko: a move may not recreate the board as it was before the opponent's last move.
 * positional superko: a move may not recreate any earlier board.
 * situational superko: a move may not recreate an earlier board with the same player to move.
 */
export class NaiveGo {
  readonly size: number
  readonly rules: Ruleset
  /** 'X' black, 'O' white, '.' empty; row-major from the top. */
  cells: string
  readonly captures: [number, number, number] = [0, 0, 0]
  /** Every board so far with the player to move, oldest first. */
  readonly history: Array<{ cells: string, toMove: Color }> = []

  constructor (size: number, rules: Ruleset, rows?: readonly string[], toMove: Color = BLACK) {
    this.size = size
    this.rules = rules
    this.cells = rows == null ? '.'.repeat(size * size) : rows.join('')
    this.history.push({ cells: this.cells, toMove })
  }

  /** Rows from the top, as Board.toRows gives them. */
  rows (): string[] {
    const out: string[] = []
    for (let y = 0; y < this.size; y++) out.push(this.cells.slice(y * this.size, (y + 1) * this.size))
    return out
  }

  /** The verdict on `color` playing at (x, y), with the board and stones removed it would lead to. */
  judge (color: Color, x: number, y: number): { verdict: NaiveVerdict, cells: string, captured: number, lost: number } {
    const i = y * this.size + x
    if (this.cells[i] !== '.') return { verdict: 'occupied', cells: this.cells, captured: 0, lost: 0 }
    const me = color === BLACK ? 'X' : 'O'
    const them = color === BLACK ? 'O' : 'X'
    const b = this.cells.split('')
    b[i] = me
    let captured = 0
    for (const n of this.neighbours(i)) {
      if (b[n] === them) {
        const chain = this.chain(b, n)
        if (!this.breathes(b, chain)) {
          for (const s of chain) b[s] = '.'
          captured += chain.length
        }
      }
    }
    let lost = 0
    const own = this.chain(b, i)
    if (!this.breathes(b, own)) {
      if (!this.rules.multiStoneSuicide || own.length === 1) return { verdict: 'suicide', cells: this.cells, captured: 0, lost: 0 }
      for (const s of own) b[s] = '.'
      lost = own.length
    }
    const cells = b.join('')
    const toMove: Color = color === BLACK ? WHITE : BLACK
    const h = this.history
    let repeats = false
    if (this.rules.ko === 'simple') {
      repeats = h.length >= 2 && h[h.length - 2].cells === cells
    } else {
      repeats = h.some(e => e.cells === cells && (this.rules.ko === 'positional' || e.toMove === toMove))
    }
    return { verdict: repeats ? 'repetition' : null, cells, captured, lost }
  }

  /** Plays when legal and returns null; otherwise returns the verdict and changes nothing. */
  play (color: Color, x: number, y: number): NaiveVerdict {
    const j = this.judge(color, x, y)
    if (j.verdict != null) return j.verdict
    this.cells = j.cells
    this.captures[color] += j.captured
    // Suicided stones count as taken by the opponent, as in SGF and the AGA rules.
    this.captures[color === BLACK ? WHITE : BLACK] += j.lost
    this.history.push({ cells: this.cells, toMove: color === BLACK ? WHITE : BLACK })
    return null
  }

  /** `color` passes: the board stays, the turn changes. */
  pass (color: Color): void {
    this.history.push({ cells: this.cells, toMove: color === BLACK ? WHITE : BLACK })
  }

  /** How many times the current board has occurred with the current player to move. */
  occurrences (): number {
    const last = this.history[this.history.length - 1]
    return this.history.filter(e => e.cells === last.cells && e.toMove === last.toMove).length
  }

  /** Points of the stones whose chains have no liberty (possible only in a set-up position). */
  breathless (): number[] {
    const b = this.cells.split('')
    const out: number[] = []
    for (let i = 0; i < b.length; i++) {
      if (b[i] !== '.' && !this.breathes(b, this.chain(b, i))) out.push(i)
    }
    return out
  }

  private neighbours (i: number): number[] {
    const s = this.size
    const x = i % s
    const out: number[] = []
    if (x > 0) out.push(i - 1)
    if (x < s - 1) out.push(i + 1)
    if (i >= s) out.push(i - s)
    if (i < s * (s - 1)) out.push(i + s)
    return out
  }

  private chain (b: string[], i: number): number[] {
    const color = b[i]
    const seen = new Set([i])
    const stack = [i]
    while (stack.length > 0) {
      const p = stack.pop() as number
      for (const n of this.neighbours(p)) {
        if (b[n] === color && !seen.has(n)) {
          seen.add(n)
          stack.push(n)
        }
      }
    }
    return [...seen]
  }

  private breathes (b: string[], chain: number[]): boolean {
    return chain.some(p => this.neighbours(p).some(n => b[n] === '.'))
  }
}
