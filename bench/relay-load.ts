// Bootstrap relay load benchmark and soak: a real `p2pgo bootstrap` process on
// 127.0.0.1, and client peers in worker processes (bench/relay-load-worker.ts) that each hold a
// reservation on it and listen only on their circuit address, so every game between them runs
// through the relay. Pairs of them play real signed 9x9 games (random legal moves, a move every
// 1–2 s, 40 to 80 plies, then a resignation and the co-signed result), a fresh circuit per game. The
// relay's CPU and resident memory come from /proc, its state from /health and, as an operator
// would read it, `curl -s http://127.0.0.1:PORT/metrics`.
//
// `node dist/bench/relay-load.js` runs the load phase (a few minutes); `--soak` (with
// `--soak-minutes M`, default 10) keeps the games going for M minutes and reports the relay's
// memory curve. Results go to bench/relay-load-results.json under "load" or "soak".
import '../src/polyfill.js'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { arch, cpus, platform, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runAsProgram } from './network/main.js'
import { startP2pgo, stop, waitFor, type P2pgoProcess } from './network/processes.js'
import { CpuMeter, MachineMeter, cpuSeconds, rssMiB } from './relay-load/proc.js'
import { readSample, scrape } from './relay-load/scrape.js'
import { saveResults, summariseRun, summaryText, type CurlSample, type Phase, type SummaryLine, type Tick } from './relay-load/results.js'
import type { FromWorker, GameReport, ToWorker, WorkerSettings } from './relay-load/protocol.js'

/** The relay's limits for this test: every client is 127.0.0.1, so the per-IP cap (8) is raised. */
const RELAY_CONFIG = { relay: { maxReservationsPerIp: 1024, maxReservations: 1024 } }
/** How often the relay (and workers, and machine) are read: the CPU windows. */
const SAMPLE_MS = 5000
/** The relay alone, before any client: its idle memory after this long. */
const IDLE_MS = 10_000
/** After the reservations are up, before the games: the memory of N idle reservations. */
const RESERVED_SETTLE_MS = 10_000
/** After the clients left: the memory the relay keeps. */
const AFTER_SETTLE_MS = 15_000
/** `curl …/metrics` this often while the games run (load; the soak scrapes every minute). */
const CURL_EVERY_MS = { load: 30_000, soak: 60_000 }
/** Bounds on the phases that end by themselves. */
const READY_TIMEOUT_MS = 180_000
const WIND_DOWN_TIMEOUT_MS = 120_000
/** A relay that does not stop within this after SIGTERM is killed. */
const RELAY_STOP_GRACE_MS = 15_000

const WORKER = fileURLToPath(new URL('./relay-load-worker.js', import.meta.url))
const RESULTS = fileURLToPath(new URL('../../bench/relay-load-results.json', import.meta.url))

interface Options {
  readonly mode: 'load' | 'soak'
  readonly peers: number
  readonly workers: number
  readonly games: number
  readonly playSeconds: number
  readonly soakMinutes?: number
  readonly movesPerGame: number
}

function options (argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      soak: { type: 'boolean' },
      'soak-minutes': { type: 'string' },
      peers: { type: 'string' },
      workers: { type: 'string' },
      games: { type: 'string' },
      'load-seconds': { type: 'string' },
      'moves-per-game': { type: 'string' }
    },
    strict: true
  })
  const int = (text: string | undefined, fallback: number, name: string): number => {
    if (text == null) return fallback
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${text}`)
    return n
  }
  const soak = values.soak === true || values['soak-minutes'] != null
  const soakMinutes = soak ? int(values['soak-minutes'], 10, 'soak-minutes') : undefined
  const peers = int(values.peers, 200, 'peers')
  const games = int(values.games, 60, 'games')
  if (2 * games > peers) throw new Error(`--games ${games} needs at least ${2 * games} peers`)
  return {
    mode: soak ? 'soak' : 'load',
    peers,
    workers: int(values.workers, 4, 'workers'),
    games,
    playSeconds: soakMinutes != null ? soakMinutes * 60 : int(values['load-seconds'], 180, 'load-seconds'),
    ...(soakMinutes != null ? { soakMinutes } : {}),
    movesPerGame: int(values['moves-per-game'], 60, 'moves-per-game')
  }
}

/** A worker process and what it said. */
interface Worker {
  readonly index: number
  readonly child: ChildProcess
  readonly messages: FromWorker[]
  stderr: string
  latest?: Extract<FromWorker, { type: 'progress' }>
  cpu?: CpuMeter
}

/** Everything to clean up, whatever happens. */
interface Live {
  readonly dir: string
  relay?: P2pgoProcess
  readonly workers: Worker[]
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

function spawnWorker (live: Live, settings: WorkerSettings): Worker {
  const child = spawn(process.execPath, ['--max-old-space-size=2048', WORKER, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  const worker: Worker = { index: settings.index, child, messages: [], stderr: '' }
  child.on('message', (m: FromWorker) => {
    if (m.type === 'progress') worker.latest = m
    else worker.messages.push(m)
    if (m.type === 'error') process.stderr.write(`worker ${settings.index}: ${m.message}\n`)
  })
  // Kept short: the tail says why a worker died.
  const keep = (d: string): void => { worker.stderr = (worker.stderr + d).slice(-20_000) }
  child.stderr?.setEncoding('utf8').on('data', keep)
  child.stdout?.setEncoding('utf8').on('data', keep)
  if (child.pid != null) worker.cpu = new CpuMeter(() => cpuSeconds(child.pid ?? 0))
  live.workers.push(worker)
  return worker
}

/** The worker's next message of `type` (bounded); fails early when the worker exits. */
async function expect<T extends FromWorker['type']> (worker: Worker, type: T, ms: number): Promise<Extract<FromWorker, { type: T }>> {
  const found = await waitFor(() => {
    const i = worker.messages.findIndex(m => m.type === type || m.type === 'error')
    if (i >= 0) return worker.messages.splice(i, 1)[0]
    if (worker.child.exitCode != null || worker.child.signalCode != null) throw new Error(`worker ${worker.index} exited (${worker.child.exitCode ?? worker.child.signalCode}): ${worker.stderr.trim().slice(-2000)}`)
    return undefined
  }, `worker ${worker.index}'s ${type}`, ms, 50)
  if (found.type === 'error') throw new Error(`worker ${worker.index}: ${found.message}`)
  return found as Extract<FromWorker, { type: T }>
}

function tell (worker: Worker, message: ToWorker): void {
  if (worker.child.connected) worker.child.send(message)
}

/** Stops everything started here: workers asked, then killed; the relay SIGTERM, then SIGKILL. */
async function cleanup (live: Live, graceMs = RELAY_STOP_GRACE_MS): Promise<void> {
  for (const w of live.workers) tell(w, { type: 'exit' })
  await Promise.race([Promise.all(live.workers.map(async w => {
    if (w.child.exitCode != null || w.child.signalCode != null) return
    await new Promise(resolve => w.child.once('exit', resolve))
  })), sleep(12_000)])
  for (const w of live.workers) if (w.child.exitCode == null && w.child.signalCode == null) w.child.kill('SIGKILL')
  if (live.relay != null) await stop(live.relay, graceMs).catch(() => {})
  rmSync(live.dir, { recursive: true, force: true })
}

/** The relay's `summary` log lines so far (one a minute, with its own resident memory). */
function summaryLines (relay: P2pgoProcess, started: number): SummaryLine[] {
  const out: SummaryLine[] = []
  for (const line of relay.stderr().split('\n')) {
    if (!line.includes('"msg":"summary"')) continue
    try {
      const s = JSON.parse(line) as { t: string, rssBytes: number, peers: number, reservations: number, circuits: number }
      out.push({ t: Number(((Date.parse(s.t) - started) / 1000).toFixed(1)), rssMiB: Number((s.rssBytes / 2 ** 20).toFixed(1)), peers: s.peers, reservations: s.reservations, circuits: s.circuits })
    } catch { /* not a whole line */ }
  }
  return out
}

export async function main (argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const opts = options(argv)
  const startedAt = performance.now()
  const startedEpoch = Date.now()
  const elapsed = (): number => (performance.now() - startedAt) / 1000
  const machine = { node: process.version, cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)), platform: `${platform()} ${arch()}` }
  const settings = {
    peers: opts.peers,
    workers: opts.workers,
    games: opts.games,
    boardSize: 9,
    movesPerGame: opts.movesPerGame,
    pliesPerGame: [Math.round(opts.movesPerGame * 2 / 3), Math.round(opts.movesPerGame * 4 / 3)],
    moveDelayMs: [1000, 2000] as const,
    gapMs: [1000, 3000] as const,
    moveTimeoutMs: 15_000,
    playSeconds: opts.playSeconds,
    sampleMs: SAMPLE_MS,
    relayConfig: RELAY_CONFIG,
    relayCommand: 'p2pgo bootstrap --home <tmp>/relay --listen /ip4/127.0.0.1/tcp/0 --stun-port 0 --local --metrics 127.0.0.1:0',
    clientStack: 'tcp + circuit relay transport, noise, yamux, identify, ping, p2pgo game service (no DHT, gossipsub, AutoNAT, WebRTC); listening only on <relay>/p2p-circuit'
  }
  console.log(`relay ${opts.mode}: ${opts.peers} client peers in ${opts.workers} workers, ${opts.games} games at once, ${opts.playSeconds} s of play; node ${machine.node}, ${machine.cpu} (${machine.cores} cores)`)
  const live: Live = { dir: mkdtempSync(join(tmpdir(), 'p2pgo-bench-relay-')), workers: [] }
  const notes: string[] = [
    'bootstrap.json raises relay.maxReservationsPerIp from 8 to 1024 (and sets maxReservations 1024, the default): every client here is 127.0.0.1, and the default per-IP cap would refuse all but 8 of them',
    `clients and relay share one ${machine.cores}-core machine: the relay's CPU is measured while the workers (the ${opts.peers} clients) compete for the same cores; "other" CPU is whatever else ran on the machine meanwhile`,
    'client nodes run only what relayed play needs (see settings.clientStack); real players would add DHT and gossip traffic to the relay'
  ]
  const errors: string[] = []
  const watchdogMs = (opts.playSeconds + 15 * 60) * 1000
  const watchdog = setTimeout(() => {
    console.error(`relay benchmark: still running after ${watchdogMs / 1000} s, giving up`)
    void cleanup(live, 3000).finally(() => process.exit(1))
  }, watchdogMs)
  watchdog.unref()
  let interrupted = false
  const onSignal = (): void => {
    if (interrupted) return
    interrupted = true
    console.error('interrupted: stopping the workers and the relay')
    void cleanup(live, 5000).finally(() => process.exit(130))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  const ticks: Tick[] = []
  const curl: CurlSample[] = []
  const games: Array<GameReport & { worker: number }> = []
  const moveLatencyMs: number[] = []
  const reserveMs: number[] = []
  let phase: Phase = 'idle'
  let sampler: ReturnType<typeof setInterval> | undefined
  let clientsReady = 0
  let clientsFailed = 0
  let relayLost = 0
  let allHeldS = NaN
  let playFrom = NaN
  let playTo = NaN
  let rss = { idle: NaN, reserved: NaN, endOfPlay: NaN, after: NaN }
  let relay: P2pgoProcess | undefined
  try {
    // 1. The relay, alone.
    const home = join(live.dir, 'relay')
    mkdirSync(home, { recursive: true })
    writeFileSync(join(home, 'bootstrap.json'), JSON.stringify(RELAY_CONFIG))
    relay = startP2pgo(['bootstrap', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local', '--metrics', '127.0.0.1:0'])
    live.relay = relay
    const r = relay
    const started = await waitFor(() => r.stderr().split('\n').find(l => l.includes('"msg":"started"')), 'the relay\'s "started" log line', 30_000)
      .catch(err => { throw new Error(`${(err as Error).message}; relay stderr: ${r.stderr().trim()}`) })
    const port = (JSON.parse(started) as { metrics?: { port?: number } }).metrics?.port
    if (port == null) throw new Error(`the relay's started line names no metrics port: ${started}`)
    const relayAddr = (await waitFor(() => r.lines.find(l => l.line.includes('/p2p/')), 'the relay\'s address on stdout', 10_000)).line.trim()
    const relayPid = r.child.pid ?? 0
    const base = `http://127.0.0.1:${port}`
    console.log(`relay ${relayAddr}, pid ${relayPid}, metrics ${base}/metrics`)

    const relayCpu = new CpuMeter(() => cpuSeconds(relayPid))
    const machineCpu = new MachineMeter(machine.cores)
    const benchCpu = new CpuMeter(() => cpuSeconds(process.pid))
    const health = async (): Promise<{ reservations?: number, circuits?: number, peers?: number }> => {
      try {
        const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(4000) })
        const h = await res.json() as { reservations: number, circuits: number, peers: number }
        return { reservations: h.reservations, circuits: h.circuits, peers: h.peers }
      } catch {
        return {}
      }
    }
    const tick = async (): Promise<void> => {
      const at = elapsed()
      const p = phase
      const relayCpuPct = relayCpu.next()
      const machinePct = machineCpu.next()
      const benchCpuPct = benchCpu.next()
      let workersCpuPct = 0
      let workersRssMiB = 0
      for (const w of live.workers) {
        if (w.child.exitCode != null || w.child.signalCode != null) continue
        try { workersCpuPct += w.cpu?.next() ?? 0 } catch { /* gone */ }
        const m = rssMiB(w.child.pid ?? 0)
        if (Number.isFinite(m)) workersRssMiB += m
      }
      const moves = live.workers.reduce((a, w) => a + (w.latest?.moves ?? 0), 0)
      const activeGames = live.workers.reduce((a, w) => a + (w.latest?.active ?? 0), 0)
      const h = await health()
      ticks.push({ t: Number(at.toFixed(1)), phase: p, relayCpuPct: Number(relayCpuPct.toFixed(1)), relayRssMiB: Number(rssMiB(relayPid).toFixed(1)), workersCpuPct: Number(workersCpuPct.toFixed(1)), workersRssMiB: Number(workersRssMiB.toFixed(1)), machinePct: Number(machinePct.toFixed(1)), otherPct: Number(Math.max(0, machinePct - relayCpuPct - workersCpuPct - benchCpuPct).toFixed(1)), ...h, moves, activeGames })
    }
    sampler = setInterval(() => { tick().catch(err => { errors.push(`sampling: ${(err as Error).message}`) }) }, SAMPLE_MS)
    const curlNow = async (): Promise<void> => {
      try {
        const { text, tool } = await scrape(`${base}/metrics`)
        const s: CurlSample = { t: Number(elapsed().toFixed(1)), phase, tool, ...readSample(text) }
        curl.push(s)
        console.log(`  ${tool} /metrics at ${s.t} s (${phase}): reservations ${s.reservations ?? '-'}, circuits ${s.circuits ?? '-'}, peers ${s.peers ?? '-'}, hop received ${s.hopReceivedBytes ?? '-'} B, stop received ${s.stopReceivedBytes ?? '-'} B`)
      } catch (err) {
        errors.push(`scraping /metrics: ${(err as Error).message}`)
      }
    }
    await sleep(IDLE_MS)
    rss = { ...rss, idle: rssMiB(relayPid) }
    await curlNow()

    // 2. The clients: every one reserves a slot.
    phase = 'reserve'
    const reserveStart = performance.now()
    const perWorker = (total: number, i: number): number => Math.floor(total / opts.workers) + (i < total % opts.workers ? 1 : 0)
    for (let i = 0; i < opts.workers; i++) {
      spawnWorker(live, {
        index: i,
        relay: relayAddr,
        peers: perWorker(opts.peers, i),
        games: perWorker(opts.games, i),
        movesPerGame: opts.movesPerGame,
        moveDelayMs: settings.moveDelayMs,
        gapMs: settings.gapMs,
        moveTimeoutMs: settings.moveTimeoutMs,
        startBatch: 10,
        seed: 0x8e1a + i
      })
    }
    for (const w of live.workers) {
      const ready = await expect(w, 'ready', READY_TIMEOUT_MS)
      clientsReady += ready.peers - ready.failed
      clientsFailed += ready.failed
      reserveMs.push(...ready.reserveMs)
      for (const e of ready.errors.slice(0, 5)) errors.push(`worker ${w.index}: ${e}`)
    }
    // The relay counts a reservation a moment after the client sees its circuit address.
    const heldDeadline = performance.now() + 30_000
    let reservations = 0
    while (performance.now() < heldDeadline) {
      reservations = (await health()).reservations ?? 0
      if (reservations >= clientsReady) break
      await sleep(250)
    }
    allHeldS = (performance.now() - reserveStart) / 1000
    console.log(`${clientsReady} clients reserved (${clientsFailed} failed); the relay holds ${reservations} reservations, ${allHeldS.toFixed(1)} s after the first worker started`)
    if (reservations < clientsReady) errors.push(`the relay held ${reservations} reservations, ${clientsReady} clients reported theirs up`)
    await sleep(RESERVED_SETTLE_MS)
    rss = { ...rss, reserved: rssMiB(relayPid) }
    await curlNow()

    // 3. The games.
    phase = 'play'
    playFrom = elapsed()
    for (const w of live.workers) tell(w, { type: 'play' })
    console.log(`playing for ${opts.playSeconds} s...`)
    const playEnd = performance.now() + opts.playSeconds * 1000
    let nextCurl = performance.now() + 15_000
    let nextReport = performance.now() + 60_000
    while (performance.now() < playEnd && !interrupted) {
      await sleep(1000)
      for (const w of live.workers) if (w.child.exitCode != null || w.child.signalCode != null) throw new Error(`worker ${w.index} died while playing: ${w.stderr.trim().slice(-2000)}`)
      if (performance.now() >= nextCurl) {
        await curlNow()
        nextCurl += CURL_EVERY_MS[opts.mode]
      }
      if (performance.now() >= nextReport) {
        const t = ticks[ticks.length - 1]
        if (t != null) console.log(`  ${((performance.now() - startedAt) / 1000).toFixed(0)} s: ${t.activeGames} games in progress, ${t.moves} moves, relay CPU ${t.relayCpuPct}% RSS ${t.relayRssMiB} MiB, circuits ${t.circuits ?? '-'}`)
        nextReport += 60_000
      }
    }
    await curlNow()
    phase = 'wind-down'
    playTo = elapsed()
    for (const w of live.workers) tell(w, { type: 'wind-down' })
    for (const w of live.workers) {
      const result = await expect(w, 'result', WIND_DOWN_TIMEOUT_MS)
      if (w.latest != null) w.latest = { ...w.latest, active: 0 }
      games.push(...result.games.map(g => ({ ...g, worker: w.index })))
      moveLatencyMs.push(...result.moveLatencyMs)
      relayLost += result.relayLost
      for (const e of result.errors.slice(0, 5)) errors.push(`worker ${w.index}: ${e}`)
    }
    rss = { ...rss, endOfPlay: rssMiB(relayPid) }
    await curlNow()

    // 4. The clients leave; what does the relay keep?
    phase = 'after'
    for (const w of live.workers) tell(w, { type: 'exit' })
    await Promise.race([Promise.all(live.workers.map(async w => {
      if (w.child.exitCode == null && w.child.signalCode == null) await new Promise(resolve => w.child.once('exit', resolve))
    })), sleep(15_000)])
    await sleep(AFTER_SETTLE_MS)
    rss = { ...rss, after: rssMiB(relayPid) }
    await curlNow()
  } catch (err) {
    errors.push((err as Error).message)
  } finally {
    clearInterval(sampler)
    const lines = relay != null ? summaryLines(relay, startedEpoch) : []
    await cleanup(live)
    if (relay != null && relay.child.exitCode != null) {
      // The graceful stop as the daemon logged it (the clients were gone before SIGTERM).
      const stopped = relay.stderr().split('\n').find(l => l.includes('"msg":"stopped"'))
      const fields = stopped != null ? JSON.parse(stopped) as { waitedMs?: number, circuitsCut?: number } : undefined
      notes.push(`the relay exited ${relay.child.exitCode} on SIGTERM${fields != null ? ` (waited ${fields.waitedMs ?? '?'} ms, circuits cut ${fields.circuitsCut ?? '?'})` : ', with no "stopped" log line'}`)
    }
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    clearTimeout(watchdog)
    if (!Number.isFinite(playFrom)) playFrom = elapsed()
    if (!Number.isFinite(playTo)) playTo = elapsed()
    const results = summariseRun({
      mode: opts.mode,
      machine,
      settings,
      ticks,
      curl,
      summaryLines: lines,
      games,
      moveLatencyMs,
      reserveMs,
      clientsReady,
      clientsFailed,
      allHeldS,
      relayLost,
      playFrom,
      playTo,
      rssIdle: rss.idle,
      rssReserved: rss.reserved,
      rssEndOfPlay: rss.endOfPlay,
      rssAfter: rss.after,
      ...(opts.soakMinutes != null ? { soakMinutes: opts.soakMinutes } : {}),
      notes: [...notes, ...(curl.some(c => c.tool === 'fetch') ? ['curl is not installed here: /metrics was read with fetch instead'] : [])],
      errors,
      seconds: elapsed()
    })
    console.log()
    console.log(summaryText(results))
    saveResults(RESULTS, results)
    console.log(`\nresults written to ${RESULTS} ("${opts.mode}")`)
    process.exitCode = errors.length > 0 || results.games.cutOff > 0 || results.games.mismatched > 0 ? 1 : 0
  }
  return Number(process.exitCode ?? 0)
}

runAsProgram(import.meta.url, async () => await main())
