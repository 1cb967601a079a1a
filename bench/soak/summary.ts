// The soak's results: what bench/soak-results.json keeps, how the curves are judged, and the
// plain-text summary printed at the end (tables ready for README).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { grows, measureTable, points, sparkline, trendOf, type Measure, type Sample, type Trend } from './curves.js'
import type { Kill, Ledger, Stall } from './ledger.js'
import type { Resumed } from './wind-down.js'

/** Growth after warm-up that is flagged: the second half's slope, over that half, above both bounds. */
export const GROWTH_BOUNDS: Record<Exclude<Measure, 'children'>, { relative: number, absolute: number }> = {
  // V8 sizes its heap in steps of several MiB; 10% of a ~200 MiB node is ~20 MiB.
  rssMiB: { relative: 0.1, absolute: 15 },
  // Connections come and go with games: a few descriptors either way is noise.
  fds: { relative: 0.1, absolute: 5 },
  // Games and their training data are kept by design: growth is judged per game, not flagged here.
  datastoreMiB: { relative: Infinity, absolute: Infinity }
}

export interface NodeSummary {
  readonly role: string
  readonly peer: string
  readonly starts: number
  /** Whether RSS and fds restarted during the run (hard kills): their trend is then not a leak test. */
  readonly restarted: boolean
  readonly trends: Record<Measure, Trend>
  /** Datastore growth per game this node played over the second half, KiB (bots only). */
  readonly datastoreKiBPerGame?: number
  readonly flags: string[]
}

export interface SoakResults {
  readonly date: string
  readonly machine: Record<string, unknown>
  readonly settings: Record<string, unknown>
  readonly seconds: number
  readonly load: { readonly mean1: number, readonly max1: number, readonly machineCpuPctMean: number }
  readonly samples: Sample[]
  readonly nodes: Record<string, NodeSummary>
  readonly kills: Array<Kill & { downSeconds: number, enginesLeftBehind: number }>
  readonly unplannedExits: Array<{ bot: string, t: number, exit: number | string, stderr: string }>
  readonly drainForced: string[]
  readonly resumedAtEnd: Resumed
  readonly games: Ledger
  /** Games a bot agreed to while it was being stopped at the end (see bench/soak.ts). */
  readonly startedWhileStopping: string[]
  /** For each game a kill interrupted: whether both homes export the same SGF, byte for byte. */
  readonly interruptedExports: Array<{ id: string, same: boolean, why?: string }>
  /** Games in which nobody announced anything for minutes while both players ran (bench/soak/ledger.ts). */
  readonly stalls: Stall[]
  /** Warnings each node printed on stderr (with their stacks), and the peers' messages each bot refused. */
  readonly warnings: Record<string, Array<{ warning: string, stack: string[], incarnations: number }>>
  readonly rejections: Record<string, Record<string, number>>
  readonly errors: string[]
  readonly verdict: { readonly noGameLost: boolean, readonly noStall: boolean, readonly everyPlyAnnounced: boolean, readonly noGrowth: boolean, readonly noCrash: boolean }
}

/** Summarises each node's curves; `gamesIn` gives games a node played between two times (s). */
export function summariseNodes (samples: readonly Sample[], minutes: number, nodes: ReadonlyArray<{ name: string, role: string, peer: string, starts: number }>, gamesIn: (name: string, from: number, to: number) => number): Record<string, NodeSummary> {
  const out: Record<string, NodeSummary> = {}
  for (const n of nodes) {
    const measures: Measure[] = ['rssMiB', 'fds', 'datastoreMiB', 'children']
    const trends = Object.fromEntries(measures.map(m => [m, trendOf(points(samples, n.name, m), minutes)])) as Record<Measure, Trend>
    const restarted = n.starts > 1
    const flags: string[] = []
    if (!restarted) {
      for (const m of ['rssMiB', 'fds'] as const) {
        const b = GROWTH_BOUNDS[m]
        if (grows(trends[m], b.relative, b.absolute)) flags.push(`${m} grows after warm-up: ${trends[m].secondHalfSlopePerMin}/min`)
      }
    }
    // One engine per game; a sample may catch the last game's engine quitting as the next one starts.
    if (n.role !== 'relay' && (trends.children.max > 2 || trends.children.secondHalfRise > 1)) flags.push(`up to ${trends.children.max} child processes at once (one engine per game is expected)`)
    let datastoreKiBPerGame: number | undefined
    if (n.role !== 'relay') {
      const half = minutes * 30
      const games = gamesIn(n.name, half, minutes * 60)
      const rise = trends.datastoreMiB.secondHalfRise
      if (games > 0 && Number.isFinite(rise)) datastoreKiBPerGame = Number((rise * 1024 / games).toFixed(1))
    }
    out[n.name] = { role: n.role, peer: n.peer, starts: n.starts, restarted, trends, ...(datastoreKiBPerGame != null ? { datastoreKiBPerGame } : {}), flags }
  }
  return out
}

const f1 = (v: number): string => Number.isFinite(v) ? v.toFixed(1) : '-'
const f0 = (v: number): string => Number.isFinite(v) ? v.toFixed(0) : '-'
const f2 = (v: number): string => Number.isFinite(v) ? v.toFixed(2) : '-'

/** The printed summary: verdicts, the per-node trend table, sparklines, and per-5-minute tables. */
export function summaryText (r: SoakResults, minutes: number): string {
  const names = Object.keys(r.nodes)
  const g = r.games
  const lines: string[] = []
  lines.push(`soak: ${minutes} min, ${names.length} nodes, ${r.kills.length} hard kills of ${String(r.settings.victim)}; load average mean ${f2(r.load.mean1)} (max ${f2(r.load.max1)}), machine CPU mean ${f0(r.load.machineCpuPctMean)}% of one core`)
  lines.push(`games: ${g.started} started, ${g.finished} finished with the same co-signed result in both homes, ${g.lost.length} lost, ${g.duplicated.length} duplicated, ${g.plyFaults.length} with plies missing or repeated; ${g.moves} moves; results ${JSON.stringify(g.results)}`)
  lines.push(`kills: ${r.kills.length}, ${g.interrupted.length} mid-game, of which ${g.interrupted.filter(i => i.finished).length} finished after the restart (${r.interruptedExports.filter(e => e.same).length} with byte-identical SGF exports from both homes); engines left running by a killed bot: ${r.kills.reduce((a, k) => a + k.enginesLeftBehind, 0)}`)
  if (r.drainForced.length > 0) lines.push(`stopped mid-game at the end: ${r.drainForced.join(', ')}`)
  if (Object.keys(r.resumedAtEnd.bots).length > 0) lines.push(`resumed at the end to play out unfinished games: ${JSON.stringify(r.resumedAtEnd.bots)}${r.resumedAtEnd.timedOut.length > 0 ? `; not finished in time: ${r.resumedAtEnd.timedOut.join(', ')}` : ''}`)
  for (const l of g.lost) lines.push(`  LOST ${l.id}: ${l.why}`)
  for (const s of r.stalls) lines.push(`  STALLED ${s.id}: nothing announced for ${s.seconds.toFixed(0)} s from ${s.from.toFixed(0)} s, after ${s.after}`)
  for (const e of r.interruptedExports) if (!e.same) lines.push(`  EXPORTS ${e.id}: ${e.why ?? ''}`)
  for (const d of g.duplicated) lines.push(`  DUPLICATED ${d.id}: ${d.why}`)
  for (const p of g.plyFaults.slice(0, 10)) lines.push(`  PLIES ${p.bot} ${p.id}: missing ${JSON.stringify(p.missing.slice(0, 10))}, repeated ${JSON.stringify(p.repeated.slice(0, 10))}${r.startedWhileStopping.includes(p.id) ? ' (a game agreed while the bot was being stopped: its event stream was closed)' : ''}`)
  if (r.startedWhileStopping.length > 0) lines.push(`games a bot agreed to after SIGTERM, while stopping (resumed and finished by the next start): ${r.startedWhileStopping.length}`)
  for (const u of r.unplannedExits) lines.push(`  UNPLANNED EXIT ${u.bot} at ${u.t} s (${u.exit}): ${u.stderr.split('\n').slice(-3).join(' / ')}`)
  for (const [n, ws] of Object.entries(r.warnings)) for (const w of ws) lines.push(`  WARNING ${n} (${w.incarnations} of its starts): ${w.warning}${w.stack.length > 0 ? ` at ${w.stack.slice(0, 4).join(' < ')}` : ''}`)
  lines.push(`messages refused (rejected events, source:reason): ${JSON.stringify(r.rejections)}`)
  lines.push('')
  lines.push('second half (after warm-up): least-squares slope per minute, and first-half → second-half means')
  lines.push('| node | starts | RSS MiB/min | RSS MiB | fds/min | fds | datastore MiB/min | datastore MiB | KiB per game |')
  lines.push('|---|---:|---:|---|---:|---|---:|---|---:|')
  for (const n of names) {
    const s = r.nodes[n]
    const t = s.trends
    lines.push(`| ${n} | ${s.starts} | ${f2(t.rssMiB.secondHalfSlopePerMin)} | ${f0(t.rssMiB.firstHalfMean)} → ${f0(t.rssMiB.secondHalfMean)} | ${f2(t.fds.secondHalfSlopePerMin)} | ${f0(t.fds.firstHalfMean)} → ${f0(t.fds.secondHalfMean)} | ${f2(t.datastoreMiB.secondHalfSlopePerMin)} | ${f1(t.datastoreMiB.first)} → ${f1(t.datastoreMiB.last)} | ${s.datastoreKiBPerGame != null ? f0(s.datastoreKiBPerGame) : '-'} |`)
  }
  for (const n of names) for (const flag of r.nodes[n].flags) lines.push(`  ${n}: ${flag} <-- INVESTIGATE`)
  lines.push('')
  lines.push('curves, one character per sample (lowest to highest of each line):')
  for (const n of names) {
    for (const [m, unit] of [['rssMiB', 'MiB RSS'], ['fds', 'fds'], ['datastoreMiB', 'MiB datastore']] as const) {
      const values = r.samples.map(s => s.nodes[n]?.[m] ?? NaN)
      const t = r.nodes[n].trends[m]
      lines.push(`  ${n.padEnd(9)} ${unit.padEnd(13)} ${sparkline(values)}  ${m === 'fds' ? f0(t.min) : f1(t.min)}–${m === 'fds' ? f0(t.max) : f1(t.max)}`)
    }
  }
  const every = minutes >= 20 ? 5 : 1
  for (const [m, title, fmt] of [['rssMiB', 'RSS, MiB', f0], ['fds', 'open file descriptors', f0], ['datastoreMiB', 'datastore folder, MiB', f1]] as const) {
    lines.push('')
    lines.push(`${title}, every ${every} min (* = restarted since the previous column):`)
    lines.push(measureTable(r.samples, names, m, every, fmt))
  }
  lines.push('')
  lines.push(`verdict: ${r.verdict.noGameLost ? 'no game lost' : 'GAMES LOST'}; ${r.verdict.noStall ? 'no game stalled' : 'GAMES STALLED'}; ${r.verdict.everyPlyAnnounced ? 'every ply announced once' : 'PLIES MISSING OR REPEATED'}; ${r.verdict.noGrowth ? 'no growth after warm-up' : 'GROWTH AFTER WARM-UP'}; ${r.verdict.noCrash ? 'no unplanned exit' : 'UNPLANNED EXITS'}${r.errors.length > 0 ? `; ${r.errors.length} errors:` : ''}`)
  for (const e of r.errors.slice(0, 20)) lines.push(`  ${e}`)
  return lines.join('\n')
}

/** Keeps the run under its length ("30 min"), beside other lengths already in the file. */
export function saveResults (file: string, minutes: number, r: SoakResults): void {
  let all: Record<string, unknown> = {}
  if (existsSync(file)) {
    try { all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> } catch { all = {} }
  }
  all[`${minutes} min`] = r
  writeFileSync(file, JSON.stringify(all, null, 1) + '\n')
}
