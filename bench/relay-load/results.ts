// The relay load benchmark's results: what is kept in bench/relay-load-results.json, how the raw
// samples and game reports are summarised, and the plain-text summary printed at the end.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mean, trend, type Point } from './curve.js'
import { rounded, summarize, type Summary } from '../network/stats.js'
import type { MetricsSample } from './scrape.js'
import type { GameReport } from './protocol.js'

/** One reading every SAMPLE_MS: the relay from /proc and /health, the workers, the machine. */
export interface Tick {
  /** Seconds since the benchmark started. */
  readonly t: number
  readonly phase: Phase
  /** Relay CPU over the window that ended here, % of one core. */
  readonly relayCpuPct: number
  readonly relayRssMiB: number
  /** All workers together, % of one core; their resident memory summed. */
  readonly workersCpuPct: number
  readonly workersRssMiB: number
  /** The whole machine, % of one core (100 × cores when every core is busy). */
  readonly machinePct: number
  /** The machine less the relay, the workers and the benchmark itself: other processes. */
  readonly otherPct: number
  /** /health's answer, when it answered. */
  readonly reservations?: number
  readonly circuits?: number
  readonly peers?: number
  /** Moves applied so far (cumulative) and games in progress, summed over the workers' last reports. */
  readonly moves: number
  readonly activeGames: number
}

export type Phase = 'idle' | 'reserve' | 'play' | 'wind-down' | 'after'

/** One `curl -s …/metrics` during the run. */
export interface CurlSample extends MetricsSample {
  readonly t: number
  readonly phase: Phase
  readonly tool: 'curl' | 'fetch'
}

/** One of the relay's own `summary` log lines (every minute). */
export interface SummaryLine {
  readonly t: number
  readonly rssMiB: number
  readonly peers: number
  readonly reservations: number
  readonly circuits: number
}

export interface CutOff {
  readonly worker: number
  readonly pair: number
  /** Seconds since the play phase began. */
  readonly at: number
  readonly reason: string
}

/** Everything one run found (the `load` or the `soak` entry of the results file). */
export interface RunResults {
  readonly date: string
  readonly mode: 'load' | 'soak'
  readonly machine: Record<string, unknown>
  readonly settings: Record<string, unknown>
  readonly reservations: {
    /** Highest /health `reservations` seen, and p2pgo_relay_reservations in the scrapes. */
    readonly healthPeak: number
    readonly metricPeak: number
    readonly clientsReady: number
    readonly clientsFailed: number
    /** Client start → circuit address up, ms. */
    readonly reserveMs: Summary
    /** First worker spawned → every reservation held, s. */
    readonly allHeldS: number
  }
  readonly games: {
    readonly played: number
    readonly complete: number
    readonly cutOff: number
    readonly cutOffs: readonly CutOff[]
    /** Games without a cut-off whose two sides disagree (never expected). */
    readonly mismatched: number
    readonly concurrentPeak: number
    /** Mean and minimum of games in progress over the play phase's middle (after the ramp, before wind-down). */
    readonly concurrentMean: number
    readonly concurrentMin: number
    readonly circuitsPeak: number
    readonly moves: number
    readonly movesPerSecond: { readonly mean: number, readonly peak5s: number }
    readonly moveLatencyMs: Summary
    readonly dialMs: Summary
    readonly pliesPerGame: Summary
    /** Clients that lost their own connection to the relay while playing. */
    readonly relayConnectionsLost: number
  }
  readonly relay: {
    readonly cpuPct: { readonly playMean: number, readonly playPeak5s: number, readonly reservePeak5s: number }
    readonly rssMiB: { readonly idle: number, readonly reservedIdle: number, readonly playPeak: number, readonly endOfPlay: number, readonly afterClientsLeft: number }
    readonly bytesPerMove?: number
  }
  readonly workers: { readonly cpuPctMean: number, readonly rssMiBPeak: number }
  readonly machineCpuPctMean: number
  readonly otherCpuPctMean: number
  readonly curl: readonly CurlSample[]
  readonly ticks: readonly Tick[]
  readonly summaryLines: readonly SummaryLine[]
  readonly soak?: {
    readonly minutes: number
    /** RSS every 10 s over the play phase: minutes since it began, MiB. */
    readonly curve: ReadonlyArray<{ readonly min: number, readonly rssMiB: number }>
    readonly secondHalfSlopeMiBPerMin: number
    readonly lastMinuteOverMinute2: number
  }
  readonly notes: readonly string[]
  readonly errors: readonly string[]
  readonly seconds: number
}

const r1 = (x: number): number => Number(x.toFixed(1))
const r3 = (x: number): number => Number(x.toFixed(3))
const max = (xs: readonly number[]): number => xs.length === 0 ? NaN : Math.max(...xs)

/** The raw material a run collects, summarised into its results. */
export interface Raw {
  readonly mode: 'load' | 'soak'
  readonly machine: Record<string, unknown>
  readonly settings: Record<string, unknown>
  readonly ticks: readonly Tick[]
  readonly curl: readonly CurlSample[]
  readonly summaryLines: readonly SummaryLine[]
  readonly games: ReadonlyArray<GameReport & { readonly worker: number }>
  readonly moveLatencyMs: readonly number[]
  readonly reserveMs: readonly number[]
  readonly clientsReady: number
  readonly clientsFailed: number
  readonly allHeldS: number
  readonly relayLost: number
  /** Seconds since the benchmark started, when the play phase began and ended (wind-down sent). */
  readonly playFrom: number
  readonly playTo: number
  readonly rssIdle: number
  readonly rssReserved: number
  readonly rssEndOfPlay: number
  readonly rssAfter: number
  readonly soakMinutes?: number
  readonly notes: readonly string[]
  readonly errors: readonly string[]
  readonly seconds: number
}

export function summariseRun (raw: Raw): RunResults {
  const play = raw.ticks.filter(t => t.phase === 'play')
  // Steady state: past the first moves' spread and before the wind-down (the first and last 20 s).
  const steady = play.filter(t => t.t >= raw.playFrom + 20 && t.t <= raw.playTo - 5)
  const playSeconds = raw.playTo - raw.playFrom
  const cutOffs: CutOff[] = raw.games.filter(g => g.cutOff != null).map(g => ({ worker: g.worker, pair: g.pair, at: r1(g.startedAt / 1000), reason: g.cutOff ?? '' }))
  const perWindow: number[] = []
  for (let i = 1; i < play.length; i++) perWindow.push((play[i].moves - play[i - 1].moves) / ((play[i].t - play[i - 1].t) || 1))
  const playScrapes = raw.curl.filter(c => c.phase === 'play')
  const firstScrape = playScrapes[0]
  const lastScrape = playScrapes[playScrapes.length - 1]
  const movesAt = (t: number): number => raw.ticks.reduce((m, k) => k.t <= t ? k.moves : m, 0)
  let bytesPerMove: number | undefined
  if (firstScrape != null && lastScrape != null && lastScrape !== firstScrape) {
    const bytes = (s: MetricsSample): number => (s.hopReceivedBytes ?? 0) + (s.stopReceivedBytes ?? 0)
    const moves = movesAt(lastScrape.t) - movesAt(firstScrape.t)
    if (moves > 0) bytesPerMove = Math.round((bytes(lastScrape) - bytes(firstScrape)) / moves)
  }
  const results: RunResults = {
    date: new Date().toISOString(),
    mode: raw.mode,
    machine: raw.machine,
    settings: raw.settings,
    reservations: {
      healthPeak: max(raw.ticks.map(t => t.reservations ?? 0)),
      metricPeak: max(raw.curl.map(c => c.reservations ?? 0)),
      clientsReady: raw.clientsReady,
      clientsFailed: raw.clientsFailed,
      reserveMs: rounded(summarize(raw.reserveMs), 1),
      allHeldS: r1(raw.allHeldS)
    },
    games: {
      played: raw.games.length,
      complete: raw.games.filter(g => g.cutOff == null && g.cosigned && g.sameRecord).length,
      cutOff: cutOffs.length,
      cutOffs,
      mismatched: raw.games.filter(g => g.cutOff == null && !(g.cosigned && g.sameRecord)).length,
      concurrentPeak: max(play.map(t => t.activeGames)),
      concurrentMean: r1(mean(steady.map(t => t.activeGames))),
      concurrentMin: steady.length === 0 ? NaN : Math.min(...steady.map(t => t.activeGames)),
      circuitsPeak: Math.max(max(raw.ticks.map(t => t.circuits ?? 0)), max(raw.curl.map(c => c.circuits ?? 0))),
      moves: raw.moveLatencyMs.length,
      movesPerSecond: { mean: r3(raw.moveLatencyMs.length / playSeconds), peak5s: r3(max(perWindow)) },
      moveLatencyMs: rounded(summarize(raw.moveLatencyMs), 1),
      dialMs: rounded(summarize(raw.games.map(g => g.dialMs).filter((x): x is number => x != null)), 1),
      pliesPerGame: rounded(summarize(raw.games.map(g => g.plies)), 1),
      relayConnectionsLost: raw.relayLost
    },
    relay: {
      cpuPct: {
        playMean: r1(mean(steady.map(t => t.relayCpuPct))),
        playPeak5s: r1(max(play.map(t => t.relayCpuPct))),
        reservePeak5s: r1(max(raw.ticks.filter(t => t.phase === 'reserve').map(t => t.relayCpuPct)))
      },
      rssMiB: {
        idle: r1(raw.rssIdle),
        reservedIdle: r1(raw.rssReserved),
        playPeak: r1(max(play.map(t => t.relayRssMiB))),
        endOfPlay: r1(raw.rssEndOfPlay),
        afterClientsLeft: r1(raw.rssAfter)
      },
      ...(bytesPerMove != null ? { bytesPerMove } : {})
    },
    workers: { cpuPctMean: r1(mean(steady.map(t => t.workersCpuPct))), rssMiBPeak: r1(max(raw.ticks.map(t => t.workersRssMiB))) },
    machineCpuPctMean: r1(mean(steady.map(t => t.machinePct))),
    otherCpuPctMean: r1(mean(steady.map(t => t.otherPct))),
    curl: raw.curl,
    ticks: raw.ticks,
    summaryLines: raw.summaryLines,
    notes: raw.notes,
    errors: raw.errors,
    seconds: r1(raw.seconds)
  }
  if (raw.soakMinutes == null) return results
  // The curve at 10 s steps (every other 5 s tick), from the play phase's start.
  const curve = play.filter((_, i) => i % 2 === 1).map(t => ({ min: r3((t.t - raw.playFrom) / 60), rssMiB: r1(t.relayRssMiB) }))
  const points: Point[] = curve.map(c => ({ min: c.min, value: c.rssMiB }))
  const { secondHalfSlopePerMin, lastMinuteOverMinute2 } = trend(points, raw.soakMinutes)
  return { ...results, soak: { minutes: raw.soakMinutes, curve, secondHalfSlopeMiBPerMin: r3(secondHalfSlopePerMin), lastMinuteOverMinute2: r3(lastMinuteOverMinute2) } }
}

/** Writes `results` under its mode's key in the results file, keeping the other mode's entry. */
export function saveResults (path: string, results: RunResults): void {
  let all: Record<string, unknown> = {}
  if (existsSync(path)) {
    try { all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> } catch { all = {} }
  }
  all[results.mode] = results
  writeFileSync(path, JSON.stringify(all, null, 2) + '\n')
}

const f = (x: number | undefined, digits = 1): string => x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits)

/** The readable summary. */
export function summaryText (r: RunResults): string {
  const g = r.games
  const lines = [
    `relay under load (${r.mode}): ${String(r.settings.peers)} client peers in ${String(r.settings.workers)} worker processes, ${String(r.settings.games)} pairs playing 9x9 games through the relay`,
    '',
    `reservations held:         ${r.reservations.healthPeak} (/health), ${r.reservations.metricPeak} (p2pgo_relay_reservations); ${r.reservations.clientsReady} clients up, ${r.reservations.clientsFailed} failed`,
    `  client start → reserved: median ${f(r.reservations.reserveMs.median)} ms, max ${f(r.reservations.reserveMs.max)} ms; all held ${f(r.reservations.allHeldS)} s after the first worker started`,
    `games played:              ${g.played} (${g.complete} complete and identical on both sides), cut off: ${g.cutOff}, mismatched: ${g.mismatched}`,
    `relayed games at once:     peak ${g.concurrentPeak}, mean ${f(g.concurrentMean)}, min ${f(g.concurrentMin, 0)} (steady state); circuits peak ${g.circuitsPeak} (p2pgo_relay_circuits)`,
    `moves relayed:             ${g.moves}, ${f(g.movesPerSecond.mean, 2)}/s mean, ${f(g.movesPerSecond.peak5s, 2)}/s peak 5 s window`,
    `  move latency (perform → applied by the opponent): median ${f(g.moveLatencyMs.median)} ms, p99 ${f(g.moveLatencyMs.p99)} ms, max ${f(g.moveLatencyMs.max)} ms`,
    `  circuit dial: median ${f(g.dialMs.median)} ms, p99 ${f(g.dialMs.p99)} ms; client connections to the relay lost while playing: ${g.relayConnectionsLost}`,
    `relay CPU (% of one core): play mean ${f(r.relay.cpuPct.playMean)}, peak 5 s ${f(r.relay.cpuPct.playPeak5s)}; reservation ramp peak ${f(r.relay.cpuPct.reservePeak5s)}`,
    `relay RSS (MiB):           idle ${f(r.relay.rssMiB.idle)}, ${r.reservations.healthPeak} reservations idle ${f(r.relay.rssMiB.reservedIdle)}, play peak ${f(r.relay.rssMiB.playPeak)}, end of play ${f(r.relay.rssMiB.endOfPlay)}, after clients left ${f(r.relay.rssMiB.afterClientsLeft)}`,
    `relayed bytes per move:    ${r.relay.bytesPerMove ?? 'n/a'} (hop + stop received, both directions, incl. acks and keep-alives)`,
    `workers: CPU mean ${f(r.workers.cpuPctMean)}% of one core, RSS peak ${f(r.workers.rssMiBPeak)} MiB; machine busy mean ${f(r.machineCpuPctMean)}% (of ${String(r.machine.cores)} × 100), of which other processes ${f(r.otherCpuPctMean)}%`,
    '',
    'metrics endpoint, sampled with ' + (r.curl[0]?.tool ?? 'curl') + ':',
    '     t  phase      reservations circuits peers  hop recv B  stop recv B refusals',
    ...r.curl.map(c => `${f(c.t, 0).padStart(6)}  ${c.phase.padEnd(10)} ${String(c.reservations ?? '-').padStart(12)} ${String(c.circuits ?? '-').padStart(8)} ${String(c.peers ?? '-').padStart(5)} ${String(c.hopReceivedBytes ?? '-').padStart(11)} ${String(c.stopReceivedBytes ?? '-').padStart(12)} ${String(c.refusals ?? '-').padStart(8)}`)
  ]
  for (const c of g.cutOffs) lines.push(`CUT OFF: worker ${c.worker} pair ${c.pair} (game started ${c.at} s): ${c.reason}`)
  if (r.soak != null) {
    lines.push('', `soak: ${r.soak.minutes} min; relay RSS by minute (MiB):`)
    for (let m = 0; m < r.soak.minutes; m++) {
      const pts = r.soak.curve.filter(c => c.min >= m && c.min < m + 1).map(c => c.rssMiB)
      if (pts.length > 0) lines.push(`  minute ${String(m + 1).padStart(2)}: mean ${f(mean(pts))}, min ${f(Math.min(...pts))}, max ${f(Math.max(...pts))}`)
    }
    lines.push(`  least-squares slope over the second half: ${f(r.soak.secondHalfSlopeMiBPerMin, 3)} MiB/min; last minute mean / minute 2 mean: ${f(r.soak.lastMinuteOverMinute2, 3)}`)
    if (r.summaryLines.length > 0) lines.push(`  the relay's own summary lines (rss MiB): ${r.summaryLines.map(s => f(s.rssMiB)).join(', ')}`)
  }
  for (const n of r.notes) lines.push(`note: ${n}`)
  for (const e of r.errors) lines.push(`ERROR: ${e}`)
  return lines.join('\n')
}
