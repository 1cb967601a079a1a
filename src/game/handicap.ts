import { InvalidSettingError } from './errors.js'
import type { Vertex } from './vertex.js'

/** The most fixed-handicap stones a board of `size` takes (GTP's table: none below 7, 4 on 7x7 and even sizes, else 9). */
export function maxFixedHandicap (size: number): number {
  if (size < 7) return 0
  if (size === 7 || size % 2 === 0) return 4
  return 9
}

/**
 * The standard handicap points for `stones` stones, in GTP's `fixed_handicap` placement
 * (star points on the 3-3 line below 13x13, the 4-4 line from 13x13 up).
 * Zero or one stone means no handicap stones (one is just Black moving first without komi).
 */
export function fixedHandicapPoints (size: number, stones: number): Vertex[] {
  if (!Number.isInteger(stones) || stones < 0) throw new InvalidSettingError('handicap', `handicap must be a whole number of stones, got ${stones}`)
  if (stones <= 1) return []
  const max = maxFixedHandicap(size)
  if (stones > max) throw new InvalidSettingError('handicap', `a ${size}x${size} board takes at most ${max} fixed handicap stones, got ${stones}`)
  const lo = size >= 13 ? 3 : 2
  const hi = size - 1 - lo
  const mid = (size - 1) / 2
  // GTP's order: lower-left and upper-right, then upper-left, lower-right; rows counted from the top here.
  const corners: Vertex[] = [{ x: lo, y: hi }, { x: hi, y: lo }, { x: lo, y: lo }, { x: hi, y: hi }]
  const center: Vertex = { x: mid, y: mid }
  const sidesLR: Vertex[] = [{ x: lo, y: mid }, { x: hi, y: mid }]
  const sidesTB: Vertex[] = [{ x: mid, y: hi }, { x: mid, y: lo }]
  switch (stones) {
    case 2: case 3: case 4:
      return corners.slice(0, stones)
    case 5:
      return [...corners, center]
    case 6:
      return [...corners, ...sidesLR]
    case 7:
      return [...corners, ...sidesLR, center]
    case 8:
      return [...corners, ...sidesLR, ...sidesTB]
    default:
      return [...corners, ...sidesLR, ...sidesTB, center]
  }
}
