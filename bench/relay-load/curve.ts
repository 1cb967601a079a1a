// The arithmetic of the soak's memory curve: pure functions of (time, value) points.

export interface Point {
  /** Minutes since the phase began. */
  readonly min: number
  readonly value: number
}

export function mean (xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length
}

/** The least-squares slope of value over time (value units per minute); NaN under two distinct times. */
export function slope (points: readonly Point[]): number {
  const mx = mean(points.map(p => p.min))
  const my = mean(points.map(p => p.value))
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.min - mx) * (p.value - my)
    den += (p.min - mx) ** 2
  }
  return den === 0 ? NaN : num / den
}

/** The mean value over minutes [from, to). */
export function meanBetween (points: readonly Point[], from: number, to: number): number {
  return mean(points.filter(p => p.min >= from && p.min < to).map(p => p.value))
}

/**
 * The soak's memory trend: the slope over the second half of the run, and the last minute's mean
 * over the second minute's (the first is start-up and ramp; a ratio near 1 is a flat curve).
 */
export function trend (points: readonly Point[], minutes: number): { secondHalfSlopePerMin: number, lastMinuteOverMinute2: number } {
  const secondHalf = points.filter(p => p.min >= minutes / 2)
  return {
    secondHalfSlopePerMin: slope(secondHalf),
    lastMinuteOverMinute2: meanBetween(points, minutes - 1, minutes + 1e-9) / meanBetween(points, 1, 2)
  }
}
