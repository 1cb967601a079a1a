/** Summary statistics of a sample set, in the unit of the samples. */
export interface Summary {
  readonly n: number
  readonly median: number
  readonly p99: number
  readonly min: number
  readonly max: number
  readonly mean: number
}

/** The q-quantile by the nearest-rank method (q = 0.99: the smallest sample at or above 99% of them). */
export function quantile (sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)))
  return sorted[rank - 1]
}

export function median (xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

export function summarize (xs: readonly number[]): Summary {
  const s = [...xs].sort((a, b) => a - b)
  return {
    n: s.length,
    median: median(s),
    p99: quantile(s, 0.99),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)
  }
}

/** Rounded for the JSON: three decimals is µs resolution on milliseconds. */
export function rounded (s: Summary, digits = 3): Summary {
  const r = (x: number): number => Number(x.toFixed(digits))
  return { n: s.n, median: r(s.median), p99: r(s.p99), min: r(s.min), max: r(s.max), mean: r(s.mean) }
}

/** Milliseconds for the table: 0.412, 3.14, 41.2, 1234. */
export function ms (x: number): string {
  if (!Number.isFinite(x)) return 'n/a'
  if (x >= 100) return x.toFixed(0)
  if (x >= 10) return x.toFixed(1)
  return x.toFixed(x >= 1 ? 2 : 3)
}
