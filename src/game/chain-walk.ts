// Walks over a board's chain lists that build arrays: the stones of a chain and its distinct
// liberties. They allocate, so they serve analysis (bots, superko confirmation, setup), never the
// per-move path, which works on the board's incremental counts instead.
import { BLACK, EMPTY, WHITE } from './constants.js'

/** The points of the chain through `p`, following the circular `next` list (empty when `p` holds no stone). */
export function chainPoints (cells: Uint8Array, next: Int32Array, p: number): number[] {
  const out: number[] = []
  if (cells[p] !== BLACK && cells[p] !== WHITE) return out
  let s = p
  do {
    out.push(s)
    s = next[s]
  } while (s !== p)
  return out
}

/** The distinct empty neighbours of `stones` on a padded board of row length `width`, in the order first met. */
export function chainLiberties (cells: Uint8Array, width: number, stones: readonly number[]): number[] {
  const out: number[] = []
  const seen = new Set<number>()
  const w = width
  for (const s of stones) {
    for (const n of [s - w, s - 1, s + 1, s + w]) {
      if (cells[n] === EMPTY && !seen.has(n)) {
        seen.add(n)
        out.push(n)
      }
    }
  }
  return out
}
