// A series of numbers as one line of block characters (▁▂▃▄▅▆▇█), lowest to highest: the rating
// history in the reputation screen. Pure.

/** The eight bar heights, lowest first; `--ascii` gets characters any terminal has. */
export const SPARK_UNICODE = '▁▂▃▄▅▆▇█'
export const SPARK_ASCII = '_.-~=+*#'

/**
 * The last `width` values as bars scaled between their lowest and highest (a flat series sits in
 * the middle); empty for no values.
 */
export function sparkline (values: readonly number[], width: number, bars: string = SPARK_UNICODE): string {
  // slice(-0) would keep everything.
  const shown = width > 0 ? values.slice(-width) : []
  if (shown.length === 0) return ''
  const chars = [...bars]
  const low = Math.min(...shown)
  const high = Math.max(...shown)
  if (high - low < 1e-9) return chars[Math.floor((chars.length - 1) / 2)].repeat(shown.length)
  return shown.map(v => chars[Math.round((v - low) / (high - low) * (chars.length - 1))]).join('')
}
