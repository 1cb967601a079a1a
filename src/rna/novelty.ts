// Near-duplicate detection for RNA: how new a game is among the games a node holds. Games that
// are rotations or reflections of each other are the same game; a game that shares a long
// opening with a known one is mostly not new.
import { NOVELTY_MAX_GAMES, NOVELTY_PREFIXES } from './quality-constants.js'
import { MAX_SIZE, MIN_SIZE } from '../game/constants.js'
import { onBoard, type Vertex } from '../game/vertex.js'

/** The dihedral group of the square: 4 rotations and 4 reflections. */
const SYMMETRIES = 8

/** A move as y·size + x under symmetry `s` (a pass is −1). */
function pointOf (s: number, m: Vertex | null, n: number): number {
  if (m == null) return -1
  const { x, y } = m
  switch (s) {
    case 0: return y * n + x
    case 1: return y * n + (n - 1 - x)
    case 2: return (n - 1 - y) * n + x
    case 3: return (n - 1 - y) * n + (n - 1 - x)
    case 4: return x * n + y
    case 5: return x * n + (n - 1 - y)
    case 6: return (n - 1 - x) * n + y
    default: return (n - 1 - x) * n + (n - 1 - y)
  }
}

/**
 * A game's moves in canonical form: each move as y·size + x (a pass as −1) under whichever of
 * the board's 8 symmetries makes the sequence lexicographically smallest. Throws a RangeError on
 * a size out of range or a move off the board.
 */
export function canonicalMoves (size: number, moves: ReadonlyArray<Vertex | null>): number[] {
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) throw new RangeError(`board size ${size} is not in ${MIN_SIZE}..${MAX_SIZE}`)
  let best: number[] = new Array(moves.length)
  for (let i = 0; i < moves.length; i++) {
    const m = moves[i]
    if (m != null && !onBoard(m, size)) throw new RangeError(`move ${i + 1} (${JSON.stringify(m)}) is off a ${size}x${size} board`)
    best[i] = pointOf(0, m, size)
  }
  for (let s = 1; s < SYMMETRIES; s++) {
    // Stops at the first move where this symmetry is larger: most are out within a move or two.
    let seq: number[] | undefined
    for (let i = 0; i < moves.length; i++) {
      const p = pointOf(s, moves[i], size)
      if (seq == null) {
        if (p > best[i]) break
        if (p < best[i]) seq = best.slice(0, i)
        else continue
      }
      seq.push(p)
    }
    if (seq != null) best = seq
  }
  return best
}

/** Multiplier of 32-bit FNV-1a. */
const FNV_PRIME = 0x01000193
/** Offset basis of 32-bit FNV-1a. */
const FNV_OFFSET = 0x811c9dc5
/** MurmurHash2's multiplier, for the second, independent half. */
const MURMUR_M = 0x5bd1e995
/** Mixed into a whole game's key: a game of exactly 8, 16, … moves would otherwise hold the same key twice (as prefix and as whole). */
const WHOLE_TAG = 0x9e3779b9

/** MurmurHash3's finalizer: spreads every input bit over the 32. */
function fmix (h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** 53 bits of the two halves: a safe integer, so keys are plain numbers (40% less memory than string keys, measured). */
const keyOf = (a: number, b: number): number => fmix(a) * 2 ** 21 + (fmix(b) >>> 11)

/**
 * Hash keys of a canonical sequence's prefixes at NOVELTY_PREFIXES lengths (up to its length)
 * and of the whole, in one pass: 32-bit FNV-1a beside a MurmurHash2-style mix of each move and its
 * turn, both seeded with the size, 53 bits kept. Not cryptographic: a collision only makes a game
 * look a little less novel than it is (~700,000 keys held: odds of any collision ~3 in 100,000).
 */
function hashKeys (size: number, seq: readonly number[]): { prefixes: Array<[number, number]>, whole: number } {
  let a = FNV_OFFSET ^ size
  let b = Math.imul(size, MURMUR_M)
  const prefixes: Array<[number, number]> = []
  let next = 0
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i] + 1 // 0..625: two bytes
    a = Math.imul(a ^ (v & 0xff), FNV_PRIME)
    a = Math.imul(a ^ (v >>> 8), FNV_PRIME)
    b = Math.imul(b ^ Math.imul(v + (i << 10), MURMUR_M), MURMUR_M)
    b ^= b >>> 13
    if (i + 1 === NOVELTY_PREFIXES[next]) {
      prefixes.push([i + 1, keyOf(a, b)])
      next++
    }
  }
  return { prefixes, whole: keyOf(a, b ^ WHOLE_TAG) }
}

/** What the index keeps of a game: its hash keys, so eviction can release them. */
interface Entry { readonly keys: readonly number[] }

/**
 * The games a node holds, for novelty: hash keys of each game's canonical prefixes and of the
 * whole game, reference-counted so a prefix stays known while any game holds it. Bounded: past
 * `maxGames` the oldest added is evicted. Fast enough to run on every arrival: measured once on
 * Node 20, a random 300-move 19x19 game takes ~15 µs to add and ~12 µs to score (most of it the
 * canonical form), against an index of 6,000 games.
 */
export class NoveltyIndex {
  private readonly maxGames: number
  private readonly games = new Map<string, Entry>()
  private readonly counts = new Map<number, number>()

  constructor (init: { maxGames?: number } = {}) {
    const maxGames = init.maxGames ?? NOVELTY_MAX_GAMES
    if (!Number.isInteger(maxGames) || maxGames < 1) throw new RangeError(`maxGames ${maxGames} is not a positive count`)
    this.maxGames = maxGames
  }

  /** Games held. */
  get size (): number {
    return this.games.size
  }

  /** True when a game with this id is held. */
  has (id: string): boolean {
    return this.games.has(id)
  }

  /** Adds a game, evicting the oldest when full; adding an id again changes nothing. */
  add (id: string, size: number, moves: ReadonlyArray<Vertex | null>): void {
    if (this.games.has(id)) return
    const { prefixes, whole } = hashKeys(size, canonicalMoves(size, moves))
    while (this.games.size >= this.maxGames) this.evictOldest()
    const keys = [...prefixes.map(([, k]) => k), whole]
    for (const k of keys) this.counts.set(k, (this.counts.get(k) ?? 0) + 1)
    this.games.set(id, { keys })
  }

  /**
   * How new a game is, in [0, 1]: 0 for an empty game or an exact duplicate (up to symmetry) of a
   * held game of the same size, else 1 − (longest prefix of 8, 16, 32, … moves shared with a held
   * game) / its length. `except` leaves one held game (the game itself) out of the comparison.
   */
  noveltyOf (size: number, moves: ReadonlyArray<Vertex | null>, options: { except?: string } = {}): number {
    const { prefixes, whole } = hashKeys(size, canonicalMoves(size, moves))
    if (moves.length === 0) return 0
    const own = options.except != null ? this.games.get(options.except)?.keys : undefined
    const known = (k: number): boolean => (this.counts.get(k) ?? 0) > (own?.includes(k) === true ? 1 : 0)
    if (known(whole)) return 0
    let shared = 0
    for (const [length, k] of prefixes) if (known(k)) shared = length
    // (length − shared) / length is exact for the round cases (2/10, 192/200); 1 − shared/length is not.
    return (moves.length - shared) / moves.length
  }

  private evictOldest (): void {
    // A Map iterates in insertion order: the first key is the oldest game.
    const [id, entry] = this.games.entries().next().value as [string, Entry]
    this.games.delete(id)
    for (const k of entry.keys) {
      const n = (this.counts.get(k) ?? 0) - 1
      if (n <= 0) this.counts.delete(k)
      else this.counts.set(k, n)
    }
  }
}
