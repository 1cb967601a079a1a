import { BLACK, BORDER, EMPTY, MAX_SIZE, MIN_SIZE, WHITE } from './constants.js'
import { InvalidSettingError } from './errors.js'
import { hash53, zobristKeys, type ZobristKeys } from './zobrist.js'
import type { Color } from './color.js'
import type { Vertex } from './vertex.js'

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

/**
 * A Go board: stones, chains and liberties, kept incrementally for speed.
 *
 * Points are indexes into a board padded with a BORDER ring (`width = size + 2`),
 * so neighbours are `p ± 1` and `p ± width` with no bounds checks. Each chain keeps
 * a circular list of its stones, a pseudo-liberty count (empty neighbours counted per
 * adjacent stone, zero exactly when the chain has no liberty) and the XOR of its
 * stones' Zobrist keys, so a capture updates the position hash in O(1).
 *
 * The board knows nothing of ko rules, turns or history: `Position` adds those.
 */
export class Board {
  readonly size: number
  readonly width: number
  /** EMPTY, BLACK, WHITE or BORDER per padded point. */
  readonly cells: Uint8Array
  /** Stones captured by each colour: captures[BLACK], captures[WHITE]. */
  readonly captures: [number, number, number]
  /** Zobrist halves of the current stones. */
  hashHi = 0
  hashLo = 0

  private readonly root: Int32Array
  private readonly next: Int32Array
  private readonly libs: Int32Array
  private readonly stones: Int32Array
  private readonly chainHi: Int32Array
  private readonly chainLo: Int32Array
  private readonly keys: ZobristKeys
  private readonly probeResult: Probe

  constructor (size: number) {
    if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
      throw new InvalidSettingError('size', `board size must be a whole number from ${MIN_SIZE} to ${MAX_SIZE}, got ${size}`)
    }
    this.size = size
    this.width = size + 2
    const n = this.width * this.width
    this.cells = new Uint8Array(n).fill(BORDER)
    for (let y = 0; y < size; y++) {
      this.cells.fill(EMPTY, (y + 1) * this.width + 1, (y + 1) * this.width + 1 + size)
    }
    this.captures = [0, 0, 0]
    this.root = new Int32Array(n)
    this.next = new Int32Array(n)
    this.libs = new Int32Array(n)
    this.stones = new Int32Array(n)
    this.chainHi = new Int32Array(n)
    this.chainLo = new Int32Array(n)
    this.keys = zobristKeys(this.width)
    this.probeResult = {
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

  /** The result of the most recent `probe` call. */
  get lastProbe (): Probe {
    return this.probeResult
  }

  /** The padded index of a vertex (no check: use `onBoard` first for untrusted input). */
  point (x: number, y: number): number {
    return (y + 1) * this.width + x + 1
  }

  /** The vertex of a padded index. */
  vertex (p: number): Vertex {
    return { x: (p % this.width) - 1, y: Math.floor(p / this.width) - 1 }
  }

  /** True when `p` is a playable point of this board. */
  isPoint (p: number): boolean {
    return Number.isInteger(p) && p >= 0 && p < this.cells.length && this.cells[p] !== BORDER
  }

  /** The 53-bit hash of the stones on the board. */
  get hash (): number {
    return hash53(this.hashHi, this.hashLo)
  }

  /**
   * Works out what `color` playing at `p` would do, without changing anything.
   * The result object is shared: read it before the next call.
   */
  probe (color: Color, p: number): Probe {
    const r = this.probeResult
    const cells = this.cells
    r.removedRootCount = 0
    r.removed = 0
    r.koPoint = -1
    r.suicide = false
    if (cells[p] !== EMPTY) {
      r.occupied = true
      return r
    }
    r.occupied = false
    const enemy = 3 - color
    const w = this.width
    let hi = this.hashHi ^ this.keys.hi[p * 2 + color - 1]
    let lo = this.hashLo ^ this.keys.lo[p * 2 + color - 1]
    let breathes = false
    let friends = 0
    let capturedPoint = -1
    // Friendly chains seen, to undo the stone's own key and add theirs on suicide.
    let f0 = -1; let f1 = -1; let f2 = -1; let f3 = -1
    for (let i = 0; i < 4; i++) {
      const n = i === 0 ? p - w : i === 1 ? p - 1 : i === 2 ? p + 1 : p + w
      const c = cells[n]
      if (c === EMPTY) {
        breathes = true
        continue
      }
      if (c === BORDER) continue
      const g = this.root[n]
      const edges = this.edgesTo(g, p)
      if (c === color) {
        friends++
        if (this.libs[g] > edges) breathes = true
        if (g !== f0 && g !== f1 && g !== f2) {
          if (f0 < 0) f0 = g; else if (f1 < 0) f1 = g; else if (f2 < 0) f2 = g; else f3 = g
        }
      } else if (c === enemy && this.libs[g] === edges) {
        let seen = false
        for (let k = 0; k < r.removedRootCount; k++) if (r.removedRoots[k] === g) seen = true
        if (!seen) {
          r.removedRoots[r.removedRootCount++] = g
          r.removed += this.stones[g]
          hi ^= this.chainHi[g]
          lo ^= this.chainLo[g]
          capturedPoint = n
        }
      }
    }
    if (r.removedRootCount > 0) {
      breathes = true
      // A lone stone that captured one stone and has no other liberty: the captured point is a ko.
      if (r.removed === 1 && friends === 0 && this.countEmptyNeighbours(p) === 0) r.koPoint = capturedPoint
    }
    if (!breathes) {
      r.suicide = true
      hi = this.hashHi
      lo = this.hashLo
      const fs = [f0, f1, f2, f3]
      for (let k = 0; k < 4; k++) {
        const g = fs[k]
        if (g < 0) continue
        r.removedRoots[r.removedRootCount++] = g
        r.removed += this.stones[g]
        hi ^= this.chainHi[g]
        lo ^= this.chainLo[g]
      }
      r.removed += 1 // the stone itself
    }
    r.hashHi = hi
    r.hashLo = lo
    return r
  }

  /**
   * Puts a stone of `color` on the empty point `p`, removes captured chains, and, when the
   * stone leaves its own chain without liberties (suicide, where the rules allow it),
   * removes that chain too. Legality is the caller's business: see `Position`.
   * Returns the number of stones removed; their points are in `removedPoints`.
   */
  place (color: Color, p: number, removedPoints?: number[]): number {
    this.link(color, p)
    const cells = this.cells
    const w = this.width
    const enemy = 3 - color
    let removed = 0
    for (let i = 0; i < 4; i++) {
      const n = i === 0 ? p - w : i === 1 ? p - 1 : i === 2 ? p + 1 : p + w
      if (cells[n] === enemy && this.libs[this.root[n]] === 0) removed += this.remove(this.root[n], removedPoints)
    }
    this.captures[color] += removed
    if (this.libs[this.root[p]] === 0) {
      const lost = this.remove(this.root[p], removedPoints)
      this.captures[enemy] += lost
      removed += lost
    }
    return removed
  }

  /** Sets a point to a colour or EMPTY outside play (SGF AB/AW/AE, handicap), keeping chains consistent. */
  setStone (p: number, value: Color | typeof EMPTY): void {
    const c = this.cells[p]
    if (c === value) return
    if (c !== EMPTY) this.removeOne(p)
    // Setup may leave chains without liberties (SGF allows it); place() would capture, so only link.
    if (value !== EMPTY) this.link(value, p)
  }

  /** The points of the chain through `p` (empty when `p` holds no stone). */
  chain (p: number): number[] {
    const out: number[] = []
    if (this.cells[p] !== BLACK && this.cells[p] !== WHITE) return out
    let s = p
    do {
      out.push(s)
      s = this.next[s]
    } while (s !== p)
    return out
  }

  /** The distinct liberties of the chain through `p`. */
  liberties (p: number): number[] {
    const out: number[] = []
    const seen = new Set<number>()
    const w = this.width
    for (const s of this.chain(p)) {
      for (const n of [s - w, s - 1, s + 1, s + w]) {
        if (this.cells[n] === EMPTY && !seen.has(n)) {
          seen.add(n)
          out.push(n)
        }
      }
    }
    return out
  }

  /** True when the chain through `p` has at least one liberty (O(1)). */
  hasLiberty (p: number): boolean {
    return this.libs[this.root[p]] > 0
  }

  /** The root point identifying the chain through `p`. */
  chainId (p: number): number {
    return this.root[p]
  }

  /** The number of stones in the chain through `p` (O(1)). */
  chainSize (p: number): number {
    return this.stones[this.root[p]]
  }

  /** An independent copy. */
  clone (): Board {
    const b = new Board(this.size)
    b.cells.set(this.cells)
    b.root.set(this.root)
    b.next.set(this.next)
    b.libs.set(this.libs)
    b.stones.set(this.stones)
    b.chainHi.set(this.chainHi)
    b.chainLo.set(this.chainLo)
    b.captures[1] = this.captures[1]
    b.captures[2] = this.captures[2]
    b.hashHi = this.hashHi
    b.hashLo = this.hashLo
    return b
  }

  /** Rows from the top, 'X' black, 'O' white, '.' empty. */
  toRows (): string[] {
    const rows: string[] = []
    for (let y = 0; y < this.size; y++) {
      let row = ''
      for (let x = 0; x < this.size; x++) {
        const c = this.cells[this.point(x, y)]
        row += c === BLACK ? 'X' : c === WHITE ? 'O' : '.'
      }
      rows.push(row)
    }
    return rows
  }

  /** The number of stones of `color` on the board. */
  count (color: Color): number {
    let n = 0
    for (let i = 0; i < this.cells.length; i++) if (this.cells[i] === color) n++
    return n
  }

  /** Puts a stone on empty `p`, takes the liberties it fills from its neighbours, and joins friendly chains. */
  private link (color: Color, p: number): void {
    const cells = this.cells
    const w = this.width
    let own = 0
    cells[p] = color
    this.root[p] = p
    this.next[p] = p
    this.stones[p] = 1
    this.chainHi[p] = this.keys.hi[p * 2 + color - 1]
    this.chainLo[p] = this.keys.lo[p * 2 + color - 1]
    this.hashHi ^= this.chainHi[p]
    this.hashLo ^= this.chainLo[p]
    for (let i = 0; i < 4; i++) {
      const n = i === 0 ? p - w : i === 1 ? p - 1 : i === 2 ? p + 1 : p + w
      const c = cells[n]
      if (c === EMPTY) own++
      else if (c !== BORDER) this.libs[this.root[n]]--
    }
    this.libs[p] = own
    let g = p
    for (let i = 0; i < 4; i++) {
      const n = i === 0 ? p - w : i === 1 ? p - 1 : i === 2 ? p + 1 : p + w
      if (cells[n] === color && this.root[n] !== g) g = this.merge(g, this.root[n])
    }
  }

  private countEmptyNeighbours (p: number): number {
    const c = this.cells
    const w = this.width
    return (c[p - w] === EMPTY ? 1 : 0) + (c[p - 1] === EMPTY ? 1 : 0) + (c[p + 1] === EMPTY ? 1 : 0) + (c[p + w] === EMPTY ? 1 : 0)
  }

  /** How many of p's neighbours belong to chain g: placing at p takes that many pseudo-liberties from it. */
  private edgesTo (g: number, p: number): number {
    const c = this.cells
    const r = this.root
    const w = this.width
    let e = 0
    if (c[p - w] !== EMPTY && c[p - w] !== BORDER && r[p - w] === g) e++
    if (c[p - 1] !== EMPTY && c[p - 1] !== BORDER && r[p - 1] === g) e++
    if (c[p + 1] !== EMPTY && c[p + 1] !== BORDER && r[p + 1] === g) e++
    if (c[p + w] !== EMPTY && c[p + w] !== BORDER && r[p + w] === g) e++
    return e
  }

  /** Joins chains a and b (the smaller is relabelled); returns the surviving root. */
  private merge (a: number, b: number): number {
    if (this.stones[a] < this.stones[b]) {
      const t = a; a = b; b = t
    }
    let s = b
    do {
      this.root[s] = a
      s = this.next[s]
    } while (s !== b)
    const t = this.next[a]
    this.next[a] = this.next[b]
    this.next[b] = t
    this.stones[a] += this.stones[b]
    this.libs[a] += this.libs[b]
    this.chainHi[a] ^= this.chainHi[b]
    this.chainLo[a] ^= this.chainLo[b]
    return a
  }

  /** Takes chain g off the board, giving its points back as liberties to the chains around. */
  private remove (g: number, removedPoints?: number[]): number {
    const cells = this.cells
    const w = this.width
    const count = this.stones[g]
    this.hashHi ^= this.chainHi[g]
    this.hashLo ^= this.chainLo[g]
    let s = g
    do {
      cells[s] = EMPTY
      removedPoints?.push(s)
      s = this.next[s]
    } while (s !== g)
    s = g
    do {
      for (let i = 0; i < 4; i++) {
        const n = i === 0 ? s - w : i === 1 ? s - 1 : i === 2 ? s + 1 : s + w
        const c = cells[n]
        if (c === BLACK || c === WHITE) this.libs[this.root[n]]++
      }
      s = this.next[s]
    } while (s !== g)
    return count
  }

  /** Takes one stone off (setup only): rebuilds the chains it belonged to from scratch. */
  private removeOne (p: number): void {
    const members = this.chain(p)
    const color = this.cells[p] as Color
    for (const s of members) {
      this.cells[s] = EMPTY
      this.hashHi ^= this.keys.hi[s * 2 + color - 1]
      this.hashLo ^= this.keys.lo[s * 2 + color - 1]
    }
    const w = this.width
    // Removing the stones returns liberties to neighbouring enemy chains.
    for (const s of members) {
      for (const n of [s - w, s - 1, s + 1, s + w]) {
        const c = this.cells[n]
        if (c === BLACK || c === WHITE) this.libs[this.root[n]]++
      }
    }
    for (const s of members) if (s !== p) this.setStone(s, color)
  }
}
