// The soak's curves: per node and per measure, the samples as (minute, value) points, the trend
// over the second half (after warm-up), a sparkline and the values every few minutes. Pure.
import { mean, slope, type Point } from '../relay-load/curve.js'
import type { NodeReading } from './sample.js'

export type Measure = 'rssMiB' | 'fds' | 'datastoreMiB' | 'children'

/** One minute's reading of every node (null: that node was down at that moment). */
export interface Sample {
  /** Seconds since the soak began. */
  readonly t: number
  /** The machine's 1-minute load average, and its CPU use since the previous sample (% of one core). */
  readonly load1: number
  readonly machinePct: number
  readonly nodes: Record<string, (NodeReading & { pid: number, incarnation: number, cpuPct: number }) | null>
}

export interface Trend {
  /** Least-squares slope over the samples of the second half, per minute. */
  readonly secondHalfSlopePerMin: number
  /** That slope times the second half's length: how much it would have grown in that half. */
  readonly secondHalfRise: number
  readonly firstHalfMean: number
  readonly secondHalfMean: number
  readonly first: number
  readonly last: number
  readonly min: number
  readonly max: number
}

export function points (samples: readonly Sample[], node: string, measure: Measure): Point[] {
  const out: Point[] = []
  for (const s of samples) {
    const r = s.nodes[node]
    if (r != null) out.push({ min: s.t / 60, value: r[measure] })
  }
  return out
}

/** The trend of one series over a run of `minutes`; the first half is warm-up. */
export function trendOf (series: readonly Point[], minutes: number): Trend {
  const half = minutes / 2
  const second = series.filter(p => p.min >= half)
  const k = slope(second)
  const values = series.map(p => p.value)
  const r = (x: number, d = 3): number => Number.isFinite(x) ? Number(x.toFixed(d)) : NaN
  return {
    secondHalfSlopePerMin: r(k),
    secondHalfRise: r(k * half, 2),
    firstHalfMean: r(mean(series.filter(p => p.min < half).map(p => p.value)), 2),
    secondHalfMean: r(mean(second.map(p => p.value)), 2),
    first: values[0] ?? NaN,
    last: values[values.length - 1] ?? NaN,
    min: values.length > 0 ? Math.min(...values) : NaN,
    max: values.length > 0 ? Math.max(...values) : NaN
  }
}

/**
 * Whether a series kept growing after warm-up: its second-half slope would add more than
 * `relative` of its second-half mean, and more than `absolute`, over that half.
 */
export function grows (t: Trend, relative: number, absolute: number): boolean {
  return t.secondHalfRise > Math.max(absolute, relative * t.secondHalfMean)
}

const BARS = '▁▂▃▄▅▆▇█'

/** A one-line curve from the lowest to the highest value (the caller prints the range beside it). */
export function sparkline (values: readonly number[]): string {
  const finite = values.filter(Number.isFinite)
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  return values.map(v => {
    if (!Number.isFinite(v)) return ' '
    if (hi === lo) return BARS[3]
    return BARS[Math.min(BARS.length - 1, Math.floor((v - lo) / (hi - lo) * BARS.length))]
  }).join('')
}

/** The sample nearest each minute mark (0, every, 2·every, … up to the last), for a compact table. */
export function everyMinutes (samples: readonly Sample[], every: number): Sample[] {
  if (samples.length === 0) return []
  const lastMin = samples[samples.length - 1].t / 60
  const out: Sample[] = []
  for (let m = 0; m <= lastMin + 0.5; m += every) {
    let best = samples[0]
    for (const s of samples) if (Math.abs(s.t / 60 - m) < Math.abs(best.t / 60 - m)) best = s
    if (!out.includes(best)) out.push(best)
  }
  if (!out.includes(samples[samples.length - 1])) out.push(samples[samples.length - 1])
  return out
}

/** A markdown table of one measure: a row per node, a column per chosen sample; `*` marks a restart since the previous column. */
export function measureTable (samples: readonly Sample[], nodes: readonly string[], measure: Measure, every: number, format: (v: number) => string): string {
  const cols = everyMinutes(samples, every)
  const header = `| node | ${cols.map(s => `${Math.round(s.t / 60)} min`).join(' | ')} |`
  const rule = `|---|${cols.map(() => '---:').join('|')}|`
  const rows = nodes.map(name => {
    let lastInc: number | undefined
    const cells = cols.map(s => {
      const r = s.nodes[name]
      if (r == null) return '(down)'
      const mark = lastInc != null && r.incarnation !== lastInc ? '*' : ''
      lastInc = r.incarnation
      return `${format(r[measure])}${mark}`
    })
    return `| ${name} | ${cells.join(' | ')} |`
  })
  return [header, rule, ...rows].join('\n')
}
