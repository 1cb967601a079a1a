import { ZOBRIST_SEED } from './constants.js'

/**
 * Zobrist keys for one padded board width: two 32-bit halves per (point, colour),
 * plus a key for "white to move" (situational superko hashes the player too).
 * Hashes are combined into a 53-bit integer so they fit a JS number and a Set.
 */
export interface ZobristKeys {
  /** hi[p * 2 + colour - 1], lo[...]: the key of a stone of `colour` at padded index `p`. */
  readonly hi: Int32Array
  readonly lo: Int32Array
  readonly whiteToMoveHi: number
  readonly whiteToMoveLo: number
}

const cache = new Map<number, ZobristKeys>()

/** splitmix32: small, fast and well distributed; fixed seed so every peer hashes alike. */
function splitmix32 (seed: number): () => number {
  let s = seed | 0
  return () => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) | 0
  }
}

/** The keys for boards whose padded width is `width` (size + 2), built once and cached. */
export function zobristKeys (width: number): ZobristKeys {
  let keys = cache.get(width)
  if (keys == null) {
    const next = splitmix32(ZOBRIST_SEED ^ width)
    const n = width * width * 2
    const hi = new Int32Array(n)
    const lo = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      hi[i] = next()
      lo[i] = next()
    }
    keys = { hi, lo, whiteToMoveHi: next(), whiteToMoveLo: next() }
    cache.set(width, keys)
  }
  return keys
}

/** Folds two 32-bit halves into one non-negative 53-bit integer (exact as a JS number). */
export function hash53 (hi: number, lo: number): number {
  return (hi & 0x1fffff) * 4294967296 + (lo >>> 0)
}
