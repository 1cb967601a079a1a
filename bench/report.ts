import type { KoRule } from './adapters/adapter.js'

/** A column of the table: a board size under a ko rule. */
export interface ColumnKey {
  readonly size: number
  readonly ko: KoRule
}

/** What the correctness pass found for one library in one column. */
export interface Check {
  /** Legal moves of the sequences the library refused. */
  refusedLegal: number
  /** Illegal tries the library accepted (a game then diverges, so later counts are suspect too). */
  acceptedIllegal: number
  /** Games whose final board differs from p2pgo's. */
  boardMismatches: number
}

/** How one library handled the superko cases under one ko rule. */
export interface SuperkoCheck {
  readonly library: string
  readonly ko: KoRule
  /** Under superko each repeating move must be refused; under simple ko it is legal and must be played. */
  readonly expected: 'refused' | 'accepted'
  readonly cases: number
  readonly wrong: number
}

/** One cell of the table. */
export interface CellResult {
  readonly library: string
  readonly size: number
  readonly ko: KoRule
  readonly supported: boolean
  readonly usPerMove?: number
  readonly movesPerSecond?: number
  readonly rounds?: number
  /** Rejections over all timed rounds (must be zero). */
  readonly rejected?: number
  readonly check?: Check
}

/** How many superko cases were found, and on which board size. */
export interface SuperkoCaseSet {
  readonly size: number
  readonly found: number
}

/** How many times faster the library under test is than the fastest other one in a column. */
export interface Speedup {
  readonly size: number
  readonly ko: KoRule
  readonly fastestOther: string
  readonly ratio: number
}

/** Three significant figures or so: 0.193, 4.44, 24.4, 415. */
export function format (us: number): string {
  if (Number(us.toPrecision(3)) >= 100) return us.toFixed(0)
  return us.toPrecision(3)
}

function rate (perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M/s`
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k/s`
  return `${perSecond.toFixed(0)}/s`
}

function cell (r: CellResult | undefined): string {
  if (r == null || !r.supported || r.usPerMove == null || r.movesPerSecond == null) return 'n/a'
  return `${format(r.usPerMove)} µs  ${rate(r.movesPerSecond)}`
}

function find (results: readonly CellResult[], library: string, c: ColumnKey): CellResult | undefined {
  return results.find(r => r.library === library && r.size === c.size && r.ko === c.ko)
}

/** The µs/move and moves/s table: one row per library, one column per size and ko rule. */
export function table (libraries: readonly string[], results: readonly CellResult[], columns: readonly ColumnKey[]): string {
  const header = ['library', ...columns.map(c => `${c.size}x${c.size} ${c.ko}`)]
  const rows = libraries.map(name => [name, ...columns.map(c => cell(find(results, name, c)))])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (cells: string[]): string => cells.map((s, i) => i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i])).join(' | ')
  return [
    'µs per move (median of rounds) and moves per second, same sequences for every library',
    line(header),
    widths.map(w => '-'.repeat(w)).join('-|-'),
    ...rows.map(line)
  ].join('\n')
}

/** For each column, the fastest library other than `own` and how many times faster `own` is than it. */
export function speedups (own: string, results: readonly CellResult[], columns: readonly ColumnKey[]): Speedup[] {
  const out: Speedup[] = []
  for (const c of columns) {
    const mine = find(results, own, c)?.usPerMove
    let best: CellResult | undefined
    for (const r of results) {
      if (r.library === own || r.size !== c.size || r.ko !== c.ko || r.usPerMove == null) continue
      if (best?.usPerMove == null || r.usPerMove < best.usPerMove) best = r
    }
    if (mine != null && best?.usPerMove != null) out.push({ size: c.size, ko: c.ko, fastestOther: best.library, ratio: best.usPerMove / mine })
  }
  return out
}

/** The speed-ups as one line. */
export function ratioLine (own: string, ratios: readonly Speedup[]): string {
  const parts = ratios.map(r => `${r.size}x${r.size} ${r.ko}: ${r.ratio.toFixed(r.ratio >= 100 ? 0 : 1)}x faster than ${r.fastestOther}`)
  return `${own} vs the fastest other library per column: ${parts.join('; ')}`
}

/** Rejections and verification failures, one line per library; the count of problems found. */
export function problemReport (libraries: readonly string[], results: readonly CellResult[], superko: readonly SuperkoCheck[], cases: SuperkoCaseSet): { lines: string[], count: number } {
  const lines = ['rejected moves during timing (must be 0) and verification (legal moves refused / illegal tries accepted / final boards unlike p2pgo\'s):']
  let problems = 0
  for (const name of libraries) {
    const parts: string[] = []
    for (const r of results) {
      if (r.library !== name || !r.supported || r.check == null) continue
      const bad = (r.rejected ?? 0) + r.check.refusedLegal + r.check.acceptedIllegal + r.check.boardMismatches
      problems += bad
      parts.push(`${r.size}x${r.size} ${r.ko} ${r.rejected ?? 0} rejected, ${r.check.refusedLegal}/${r.check.acceptedIllegal}/${r.check.boardMismatches}${bad > 0 ? ' <-- INVESTIGATE' : ''}`)
    }
    lines.push(`  ${name}: ${parts.join('; ')}`)
  }
  lines.push(`superko cases (${cases.found} ${cases.size}x${cases.size} positions where a move repeats an earlier board but is no simple-ko retake; refused under superko, played under simple ko):`)
  if (cases.found === 0) {
    lines.push('  none found <-- INVESTIGATE')
    problems++
  }
  for (const name of libraries) {
    const parts = superko.filter(s => s.library === name).map(s => `${s.ko}: ${s.expected} ${s.cases - s.wrong}/${s.cases}${s.wrong > 0 ? ' <-- INVESTIGATE' : ''}`)
    for (const s of superko) if (s.library === name) problems += s.wrong
    lines.push(`  ${name}: ${parts.join('; ')}`)
  }
  lines.push(problems === 0 ? 'all libraries accepted every move, refused every illegal try and ended on the same boards' : `${problems} problems found`)
  return { lines, count: problems }
}
