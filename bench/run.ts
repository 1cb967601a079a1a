import { writeFileSync } from 'node:fs'
import { arch, cpus, platform } from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { p2pgo } from './adapters/p2pgo.js'
import { sabaki } from './adapters/sabaki.js'
import { tenuki } from './adapters/tenuki.js'
import { wgo } from './adapters/wgo.js'
import { randomSequences, superkoCases, withIllegalTries } from './random-sequences.js'
import { format, problemReport, ratioLine, speedups, table } from './report.js'
import type { Adapter, KoRule } from './adapters/adapter.js'
import type { Move, RandomGame, SuperkoCase } from './random-sequences.js'
import type { CellResult, Check, ColumnKey, SuperkoCheck } from './report.js'

/** Seed of the move sequences: fixed so every run, and every library, replays the same games. */
const SEED = 0x5eed
/** Games per board size: 19x19 games are ~4x longer, and the slowest library's superko is quadratic in game length. */
const GAMES: Readonly<Record<number, number>> = { 9: 50, 19: 15 }
const SIZES = [9, 19] as const
const KO_RULES: readonly KoRule[] = ['simple', 'superko']
const ADAPTERS: readonly Adapter[] = [p2pgo, sabaki, tenuki, wgo]
/** Timed rounds per cell: at least MIN_ROUNDS, then more until ROUND_BUDGET_MS has passed (at most MAX_ROUNDS). */
const MIN_ROUNDS = 3
const MAX_ROUNDS = 200
const ROUND_BUDGET_MS = 1500
/** Positions where a move repeats an earlier board without being a simple-ko retake, found in random 9x9 games. */
const SUPERKO_CASES = 24
const SUPERKO_CASE_SIZE = 9

/** One column of the table, with the games replayed in it. */
interface Column extends ColumnKey {
  readonly games: readonly RandomGame[]
  readonly moves: number
}

/** The benchmark's entry point: generates the games, checks every library on them, times them, prints and saves the table. */
export function main (): number {
  const started = performance.now()
  const machine = {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    platform: `${platform()} ${arch()}`
  }
  console.log(`machine: node ${machine.node}, ${machine.cpu} (${machine.cores} cores), ${machine.platform}`)

  const sequences = new Map<number, RandomGame[]>()
  for (const size of SIZES) sequences.set(size, randomSequences(size, GAMES[size], SEED))
  const columns: Column[] = []
  for (const size of SIZES) {
    const games = sequences.get(size) ?? []
    for (const ko of KO_RULES) columns.push({ size, ko, games, moves: count(games) })
  }
  for (const size of SIZES) console.log(describeGames(size, sequences.get(size) ?? []))
  const cases = superkoCases(SUPERKO_CASE_SIZE, SUPERKO_CASES, SEED)
  const superko: SuperkoCheck[] = []
  for (const adapter of ADAPTERS) {
    for (const ko of KO_RULES) if (adapter.supports(ko)) superko.push(checkSuperko(adapter, ko, cases))
  }

  const reference = new Map<Column, string[][]>()
  for (const c of columns) reference.set(c, c.games.map(g => p2pgo.replay(g.moves, c.size, c.ko, true).rows ?? []))

  const results: CellResult[] = []
  for (const adapter of ADAPTERS) {
    for (const c of columns) {
      const label = `${adapter.name} ${c.size}x${c.size} ${c.ko}`
      if (!adapter.supports(c.ko)) {
        results.push({ library: adapter.name, size: c.size, ko: c.ko, supported: false })
        continue
      }
      process.stderr.write(`${label}: checking...`)
      // The correctness pass doubles as the warm-up.
      const check = verify(adapter, c, reference.get(c) ?? [])
      process.stderr.write(' timing...')
      const timed = time(adapter, c)
      process.stderr.write(` ${format(timed.usPerMove)} µs/move (${timed.rounds} rounds)\n`)
      results.push({
        library: adapter.name,
        size: c.size,
        ko: c.ko,
        supported: true,
        usPerMove: timed.usPerMove,
        movesPerSecond: 1e6 / timed.usPerMove,
        rounds: timed.rounds,
        rejected: timed.rejected,
        check
      })
    }
  }

  console.log()
  const names = ADAPTERS.map(a => a.name)
  console.log(table(names, results, columns))
  console.log()
  const ratios = speedups(p2pgo.name, results, columns)
  console.log(ratioLine(p2pgo.name, ratios))
  console.log()
  const problems = problemReport(names, results, superko, { size: SUPERKO_CASE_SIZE, found: cases.length })
  for (const line of problems.lines) console.log(line)
  console.log()
  for (const adapter of ADAPTERS) {
    for (const ko of KO_RULES) console.log(`${adapter.name} (${ko}): ${adapter.describe(ko)}`)
  }

  const seconds = (performance.now() - started) / 1000
  console.log(`\ntotal time ${seconds.toFixed(1)} s`)
  const out = fileURLToPath(new URL('../../bench/results.json', import.meta.url))
  writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(),
    machine,
    seed: SEED,
    sequences: SIZES.map(size => summary(size, sequences.get(size) ?? [])),
    settings: { minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, roundBudgetMs: ROUND_BUDGET_MS, statistic: 'median of per-round µs/move' },
    configuration: Object.fromEntries(ADAPTERS.map(a => [a.name, Object.fromEntries(KO_RULES.map(ko => [ko, a.describe(ko)]))])),
    superkoCases: { size: SUPERKO_CASE_SIZE, found: cases.length, checks: superko },
    results,
    p2pgoSpeedup: ratios,
    problems: problems.count,
    seconds: Number(seconds.toFixed(1))
  }, null, 2) + '\n')
  console.log(`results written to ${out}`)
  return problems.count === 0 ? 0 : 1
}

/**
 * Replays every game with its illegal tries put back: every legal move must be accepted, every
 * illegal try refused, and the final board must equal p2pgo's.
 */
function verify (adapter: Adapter, c: Column, reference: readonly string[][]): Check {
  const check: Check = { refusedLegal: 0, acceptedIllegal: 0, boardMismatches: 0 }
  c.games.forEach((g, i) => {
    const { moves, tries } = withIllegalTries(g, c.ko)
    const r = adapter.replay(moves, c.size, c.ko, true)
    check.refusedLegal += Math.max(0, g.moves.length - r.applied)
    check.acceptedIllegal += Math.max(0, tries - r.rejected)
    if ((r.rows ?? []).join('\n') !== reference[i].join('\n')) check.boardMismatches++
  })
  return check
}

/** Plays up to each superko case, then the repeating move: refused under superko, played under simple ko. */
function checkSuperko (adapter: Adapter, ko: KoRule, cases: readonly SuperkoCase[]): SuperkoCheck {
  let wrong = 0
  for (const c of cases) {
    const r = adapter.replay([...c.moves, c.move], SUPERKO_CASE_SIZE, ko)
    const ok = ko === 'superko'
      ? r.applied === c.moves.length && r.rejected === 1
      : r.applied === c.moves.length + 1 && r.rejected === 0
    if (!ok) wrong++
  }
  return { library: adapter.name, ko, expected: ko === 'superko' ? 'refused' : 'accepted', cases: cases.length, wrong }
}

/** Median µs per move over timed rounds, each replaying every game of the column once. */
function time (adapter: Adapter, c: Column): { usPerMove: number, rounds: number, rejected: number } {
  const samples: number[] = []
  let rejected = 0
  const start = performance.now()
  while (samples.length < MIN_ROUNDS || (samples.length < MAX_ROUNDS && performance.now() - start < ROUND_BUDGET_MS)) {
    let applied = 0
    let refused = 0
    const t0 = performance.now()
    for (const g of c.games) {
      const r = adapter.replay(g.moves, c.size, c.ko)
      applied += r.applied
      refused += r.rejected
    }
    const t1 = performance.now()
    // Checking the count keeps the replay observable, and catches a library that drops moves without saying so.
    rejected += Math.max(refused, c.moves - applied)
    samples.push((t1 - t0) * 1000 / c.moves)
  }
  return { usPerMove: median(samples), rounds: samples.length, rejected }
}

function median (xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

function count (games: readonly RandomGame[]): number {
  let n = 0
  for (const g of games) n += g.moves.length
  return n
}

function passes (moves: readonly Move[]): number {
  let n = 0
  for (const m of moves) if (m === 'pass') n++
  return n
}

/** The shape of one size's games, for the header line and the JSON. */
interface SequenceSummary {
  readonly size: number
  readonly games: number
  readonly moves: number
  readonly passes: number
  readonly shortest: number
  readonly longest: number
  readonly cappedAt: number
  readonly illegalTries: Readonly<Record<string, number>>
}

function summary (size: number, games: readonly RandomGame[]): SequenceSummary {
  const lengths = games.map(g => g.moves.length)
  const tries: Record<string, number> = {}
  for (const g of games) for (const t of g.illegal) tries[t.reason] = (tries[t.reason] ?? 0) + 1
  return {
    size,
    games: games.length,
    moves: count(games),
    passes: games.reduce((n, g) => n + passes(g.moves), 0),
    shortest: Math.min(...lengths),
    longest: Math.max(...lengths),
    cappedAt: 3 * size * size,
    illegalTries: tries
  }
}

function describeGames (size: number, games: readonly RandomGame[]): string {
  const s = summary(size, games)
  const tries = Object.entries(s.illegalTries).map(([k, v]) => `${v} ${k}`).join(', ')
  return `${size}x${size}: ${s.games} games, ${s.moves} moves incl. ${s.passes} passes ` +
    `(${s.shortest}–${s.longest} per game, cap ${s.cappedAt}), seed 0x${SEED.toString(16)}; illegal tries checked: ${tries}`
}

if (process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main()
}
