// Near-duplicate detection for RNA: how new a game is among the games a node holds. Games that
// are rotations or reflections of each other are the same game; a game that shares a long
// opening with a known one is mostly not new.
import { NOVELTY_MAX_GAMES, NOVELTY_PREFIXES } from './quality-constants.js'
import type { Vertex } from '../game/vertex.js'

/** The 8 symmetries of a square board, as maps of a point. */
const SYMMETRIES: ReadonlyArray<(x: number, y: number, n: number) => [number, number]> = [
  (x, y) => [x, y],
  (x, y, n) => [n - 1 - x, y],
  (x, y, n) => [x, n - 1 - y],
  (x, y, n) => [n - 1 - x, n - 1 - y],
  (x, y) => [y, x],
  (x, y, n) => [n - 1 - y, x],
  (x, y, n) => [y, n - 1 - x],
  (x, y, n) => [n - 1 - y, n - 1 - x]
]

/**
 * A game's moves in canonical form: each move as y·size + x (a pass as −1) under whichever of
 * the 8 symmetries makes the sequence lexicographically smallest.
 */
export function canonicalMoves (size: number, moves: ReadonlyArray<Vertex | null>): number[] {
  let best: number[] | undefined
  for (const sym of SYMMETRIES) {
    const seq = moves.map(m => {
      if (m == null) return -1
      const [x, y] = sym(m.x, m.y, size)
      return y * size + x
    })
    if (best == null || less(seq, best)) best = seq
  }
  return best ?? []
}

function less (a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i]
  return a.length < b.length
}

/**
 * Hashes of a sequence's prefixes at the given lengths and of the whole: two 32-bit FNV-1a
 * hashes run side by side (with different offsets), 64 bits in all. A collision only makes a
 * game look a little less new.
 */
function prefixHashes (size: number, seq: readonly number[]): { prefixes: Map<number, string>, whole: string } {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ size
  const prefixes = new Map<number, string>()
  const lengths = new Set<number>(NOVELTY_PREFIXES)
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i] + 1
    a = Math.imul(a ^ (v & 0xff), 0x01000193) >>> 0
    a = Math.imul(a ^ (v >>> 8), 0x01000193) >>> 0
    b = Math.imul(b ^ (v >>> 8), 0x01000193) >>> 0
    b = Math.imul(b ^ (v & 0xff), 0x01000193) >>> 0
    if (lengths.has(i + 1)) prefixes.set(i + 1, `${size}:${i + 1}:${a.toString(36)}.${b.toString(36)}`)
  }
  return { prefixes, whole: `${size}:*${seq.length}:${a.toString(36)}.${b.toString(36)}` }
}

interface Entry { readonly hashes: readonly string[] }

/** The games a node knows, for novelty: bounded, oldest evicted first, shared prefixes counted. */
export class NoveltyIndex {
  private readonly maxGames: number
  private readonly games = new Map<string, Entry>()
  private readonly counts = new Map<string, number>()

  constructor (init: { maxGames?: number } = {}) {
    this.maxGames = init.maxGames ?? NOVELTY_MAX_GAMES
  }

  get size (): number {
    return this.games.size
  }

  has (id: string): boolean {
    return this.games.has(id)
  }

  /** Adds a game (again: nothing changes). */
  add (id: string, size: number, moves: ReadonlyArray<Vertex | null>): void {
    if (this.games.has(id)) return
    while (this.games.size >= this.maxGames) this.evict(this.games.keys().next().value as string)
    const { prefixes, whole } = prefixHashes(size, canonicalMoves(size, moves))
    const hashes = [...prefixes.values(), whole]
    for (const h of hashes) this.counts.set(h, (this.counts.get(h) ?? 0) + 1)
    this.games.set(id, { hashes })
  }

  /**
   * How new a game is, from 0 to 1: 0 for an exact duplicate (up to symmetry) or an empty game,
   * else 1 − (the longest prefix length shared with a known game of the same size) / its length.
   * `except` leaves one game (the game itself, when it is held) out of the comparison.
   */
  noveltyOf (size: number, moves: ReadonlyArray<Vertex | null>, options: { except?: string } = {}): number {
    if (moves.length === 0) return 0
    const { prefixes, whole } = prefixHashes(size, canonicalMoves(size, moves))
    const own = options.except != null ? this.games.get(options.except) : undefined
    const known = (h: string): boolean => (this.counts.get(h) ?? 0) - (own?.hashes.includes(h) === true ? 1 : 0) > 0
    if (known(whole)) return 0
    let shared = 0
    for (const [length, h] of prefixes) if (known(h)) shared = Math.max(shared, length)
    return 1 - shared / moves.length
  }

  private evict (id: string): void {
    const entry = this.games.get(id)
    if (entry == null) return
    this.games.delete(id)
    for (const h of entry.hashes) {
      const n = (this.counts.get(h) ?? 0) - 1
      if (n <= 0) this.counts.delete(h)
      else this.counts.set(h, n)
    }
  }
}
