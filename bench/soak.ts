// Soak of a small network: a real `p2pgo bootstrap` relay and four `p2pgo bot`s on 127.0.0.1 (two
// seeking, two accepting, GNU Go playing 9x9), playing game after game for M minutes, while one bot
// is killed hard (SIGKILL) every few minutes and started again on the same home a few seconds later
// (its game must resume). Every minute each node's resident memory and open file descriptors are
// read from /proc, and its home's datastore folder is measured. At the end each bot is stopped as
// soon as its last game is co-signed on both sides, and every game is accounted for from the bots'
// event streams and homes (`p2pgo games --json`): bench/soak/ledger.ts defines "no game lost".
//
// `npm run bench:soak` (or `node dist/bench/soak.js [--minutes 30] [--kill-every 3] [--move-delay
// 250] [--sample-seconds 60] [--engine CMD] [--seed N]`). Results in bench/soak-results.json
// under the run's length; the printed tables are the ones in README.
import '../src/polyfill.js'
import { existsSync, mkdtempSync } from 'node:fs'
import { arch, cpus, loadavg, platform, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runAsProgram } from './network/main.js'
import { bin } from './network/processes.js'
import { prng } from './network/prng.js'
import { CpuMeter, MachineMeter, cpuSeconds } from './relay-load/proc.js'
import { current, eventsOf, identify, kill, rejectionsOf, saveLogs, startBot, startRelay, stderrTail, stopGently, warningsOf, type BotSettings, type SoakNode } from './soak/fleet.js'
import { account, gameInProgress, stalls, type Kill } from './soak/ledger.js'
import { alive, childPids, readNode } from './soak/sample.js'
import { saveResults, summariseNodes, summaryText, type SoakResults } from './soak/summary.js'
import { drain, gamesOf, resumeUnfinished, sameExport } from './soak/wind-down.js'
import type { Sample } from './soak/curves.js'

const GNUGO = '/usr/games/gnugo'
const RESULTS = fileURLToPath(new URL('../../bench/soak-results.json', import.meta.url))
/** The bot killed again and again (an accepting bot: it is the one that proposes, mid-handshake too). */
const VICTIM = 'accept-2'
/** Down this long after a kill before it starts again on the same home. */
const RESTART_AFTER_MS = 3000
/** Games each bot is told to play: more than a soak can finish, so it never exits by itself. */
const ENDLESS = 100_000
/** Waiting for the last games to be co-signed at the end, then for unfinished ones to be played out. */
/** A game in which nobody announced anything for this long (before the end of play) is stalled. */
const STALL_LIMIT_S = 120
const DRAIN_LIMIT_MS = 5 * 60_000
const RESUME_LIMIT_MS = 5 * 60_000

interface Options {
  readonly minutes: number
  readonly killEveryMin: number
  readonly moveDelayMs: number
  readonly sampleSeconds: number
  readonly engine: string
  readonly seed: number
}

function options (argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      minutes: { type: 'string' },
      'kill-every': { type: 'string' },
      'move-delay': { type: 'string' },
      'sample-seconds': { type: 'string' },
      engine: { type: 'string' },
      seed: { type: 'string' }
    },
    strict: true
  })
  const num = (text: string | undefined, fallback: number, name: string, min: number): number => {
    if (text == null) return fallback
    const n = Number(text)
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${text}`)
    return n
  }
  const builtIn = `${process.execPath} ${bin} engine`
  return {
    minutes: num(values.minutes, 30, 'minutes', 1),
    killEveryMin: num(values['kill-every'], 3, 'kill-every', 0.5),
    moveDelayMs: Math.round(num(values['move-delay'], 250, 'move-delay', 0)),
    sampleSeconds: num(values['sample-seconds'], 60, 'sample-seconds', 5),
    engine: values.engine ?? (existsSync(GNUGO) ? `${GNUGO} --mode gtp --level 1` : builtIn),
    seed: Math.round(num(values.seed, 17, 'seed', 0))
  }
}

/**
 * Games a bot took on while it was being stopped at the end: first announced by the incarnation
 * started afterwards to play them out (the stopping one had closed its event stream already).
 */
function startedWhileStopping (bots: readonly SoakNode[], ended: number): string[] {
  const out = new Set<string>()
  for (const b of bots) {
    const announcedBefore = new Set<string>()
    b.incarnations.forEach(inc => {
      const ids = inc.proc.events.filter(e => e.event.type === 'game:started').map(e => String(e.event.gameId))
      if (inc.startedAt > ended) for (const id of ids) if (!announcedBefore.has(id)) out.add(id)
      for (const id of ids) announcedBefore.add(id)
    })
  }
  return [...out]
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

export async function main (argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const opts = options(argv)
  // Every node this starts gives the stack of each warning it prints (a listener leak says where).
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, '--trace-warnings'].filter(o => o != null && o !== '').join(' ')
  const random = prng(opts.seed)
  const dir = mkdtempSync(join(tmpdir(), 'p2pgo-soak-'))
  // The soak's clock starts when the bots start (the relay and the identities come first).
  let origin = performance.now()
  const now = (): number => Number(((performance.now() - origin) / 1000).toFixed(1))
  const machine = { node: process.version, cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)), platform: `${platform()} ${arch()}` }
  const node = (name: string, role: SoakNode['role']): SoakNode => ({ name, role, home: join(dir, name), peer: '', incarnations: [] })
  const relay = node('relay', 'relay')
  const bots = [node('seek-1', 'seek'), node('seek-2', 'seek'), node('accept-1', 'accept'), node(VICTIM, 'accept')]
  const victim = bots[3]
  const all = [relay, ...bots]
  const samples: Sample[] = []
  const kills: SoakResults['kills'] = []
  const unplannedExits: SoakResults['unplannedExits'] = []
  const errors: string[] = []
  const notes: string[] = []
  let drainForced: string[] = []
  let resumedAtEnd: SoakResults['resumedAtEnd'] = { bots: {}, timedOut: [] }
  const settings = {
    minutes: opts.minutes,
    bots: bots.map(b => `${b.name} (--${b.role})`),
    victim: VICTIM,
    killEveryMinutes: opts.killEveryMin,
    restartAfterMs: RESTART_AFTER_MS,
    moveDelayMs: opts.moveDelayMs,
    sampleSeconds: opts.sampleSeconds,
    engine: opts.engine.replace(bin, 'p2pgo').replace(process.execPath, ''),
    boardSize: 9,
    clock: 'none',
    seed: opts.seed,
    stallLimitSeconds: STALL_LIMIT_S,
    relayCommand: 'p2pgo bootstrap --home <tmp>/relay --listen /ip4/127.0.0.1/tcp/0 --stun-port 0 --local',
    botCommand: `p2pgo bot --home <tmp>/NAME --listen /ip4/127.0.0.1/tcp/0 --bootstrap RELAY --local (--seek|--accept) --engine ENGINE --games ${ENDLESS} --name NAME --move-delay MS --json-events`
  }
  console.log(`soak: ${opts.minutes} min, a relay and ${bots.length} bots (${settings.engine}, 9x9, move delay ${opts.moveDelayMs} ms); ${VICTIM} killed every ~${opts.killEveryMin} min; node ${machine.node}, ${machine.cpu} (${machine.cores} cores), load ${loadavg()[0].toFixed(2)}`)
  let interrupted = false
  const onSignal = (): void => { interrupted = true }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const meters = new Map<number, CpuMeter>()
  const machineCpu = new MachineMeter(machine.cores)
  const sample = (): void => {
    const nodes: Sample['nodes'] = {}
    for (const n of all) {
      const inc = current(n)
      const reading = inc != null ? readNode(inc.pid, n.home) : undefined
      if (inc == null || reading == null) { nodes[n.name] = null; continue }
      let meter = meters.get(inc.pid)
      if (meter == null) { meter = new CpuMeter(() => cpuSeconds(inc.pid)); meters.set(inc.pid, meter) }
      let cpuPct = NaN
      try { cpuPct = Number(meter.next().toFixed(1)) } catch { /* gone */ }
      nodes[n.name] = { ...reading, pid: inc.pid, incarnation: n.incarnations.length - 1, cpuPct }
    }
    samples.push({ t: now(), load1: Number(loadavg()[0].toFixed(2)), machinePct: Number(machineCpu.next().toFixed(1)), nodes })
  }
  const botSettings = (relayAddress: string): BotSettings => ({ engine: opts.engine, moveDelayMs: opts.moveDelayMs, relayAddress, games: ENDLESS })
  let ended = NaN
  try {
    await Promise.all(all.map(async n => { await identify(n) }))
    const address = await startRelay(relay, now)
    console.log(`relay ${address}`)
    const run = botSettings(address)
    origin = performance.now()
    for (const b of bots) { startBot(b, run, now); await sleep(500) }
    // Kill times: one every killEvery minutes, each at a random point of the middle of its slot.
    const killAt: number[] = []
    for (let k = opts.killEveryMin; k < opts.minutes - 0.25; k += opts.killEveryMin) killAt.push((k - opts.killEveryMin * (0.1 + 0.4 * random())) * 60)
    let nextSample = 0
    let nextReport = 60
    const endAt = opts.minutes * 60
    while (now() < endAt && !interrupted) {
      const t = now()
      if (t >= nextSample) { sample(); nextSample += opts.sampleSeconds }
      if (killAt.length > 0 && t >= killAt[0]) {
        killAt.shift()
        const inGame = gameInProgress(eventsOf(victim, origin), Infinity)
        const engines = current(victim) != null ? childPids(current(victim)!.pid) : []
        const killed = await kill(victim)
        if (killed != null) {
          const k: Kill = { t, bot: VICTIM, incarnation: victim.incarnations.length - 1, gameId: inGame?.id ?? null, ply: inGame?.ply ?? null }
          console.log(`  ${t.toFixed(0)} s: killed ${VICTIM} (pid ${killed.pid}) ${inGame != null ? `at ply ${inGame.ply} of ${inGame.id.slice(0, 16)}…` : 'between games'}`)
          await sleep(RESTART_AFTER_MS)
          kills.push({ ...k, downSeconds: Number((now() - t).toFixed(1)), enginesLeftBehind: engines.filter(alive).length })
          startBot(victim, run, now)
        }
      }
      if (current(relay) == null) throw new Error(`the relay exited (${relay.incarnations[0].exit}): ${stderrTail(relay.incarnations[0])}`)
      for (const b of bots) {
        const last = b.incarnations[b.incarnations.length - 1]
        if (last.ending !== 'exited') continue
        unplannedExits.push({ bot: b.name, t: last.endedAt ?? now(), exit: last.exit ?? '?', stderr: stderrTail(last) })
        console.log(`  ${now().toFixed(0)} s: ${b.name} EXITED by itself (${last.exit ?? '?'}): ${stderrTail(last, 3)}; starting it again`)
        startBot(b, run, now)
      }
      if (t >= nextReport) {
        const done = bots.reduce((a, b) => a + eventsOf(b, origin).filter(e => e.event.type === 'game:ended' && e.event.cosigned === true).length, 0) / 2
        const s = samples[samples.length - 1]
        console.log(`  ${t.toFixed(0)} s: ~${done} games co-signed; load ${s?.load1 ?? '-'}; RSS ${all.map(n => `${n.name} ${s?.nodes[n.name]?.rssMiB ?? '-'}`).join(', ')} MiB`)
        nextReport += 60
      }
      await sleep(200)
    }
    sample()
    ended = now()
    console.log(`${ended.toFixed(0)} s: stopping each bot once its last game is co-signed on both sides...`)
    drainForced = await drain(bots, origin, DRAIN_LIMIT_MS)
    resumedAtEnd = await resumeUnfinished(bots, run, now, RESUME_LIMIT_MS, errors)
  } catch (err) {
    errors.push((err as Error).message)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    for (const b of bots) await stopGently(b)
    await stopGently(relay)
  }
  if (interrupted) errors.push('interrupted')
  const homes = await Promise.all(bots.map(async b => await gamesOf(b, errors)))
  const accounts = bots.map((b, i) => ({ name: b.name, peer: b.peer, events: eventsOf(b, origin), home: homes[i] }))
  const ledger = account(accounts, kills)
  const stalled = stalls(accounts, Number.isFinite(ended) ? ended : now(), STALL_LIMIT_S)
  const stopping = startedWhileStopping(bots, ended)
  // The games a kill cut into: both homes must export the very same record.
  const interruptedExports: SoakResults['interruptedExports'] = []
  for (const i of ledger.interrupted) {
    const players = bots.filter((b, k) => homes[k]?.some(g => g.id === i.id) === true)
    interruptedExports.push({ id: i.id, ...await sameExport(players, i.id) })
  }
  const minutes = Number.isFinite(ended) ? ended / 60 : now() / 60
  const finishedBetween = (name: string, from: number, to: number): number => {
    const b = bots.find(x => x.name === name)
    return b == null ? 0 : new Set(eventsOf(b, origin).filter(e => e.event.type === 'game:ended' && e.event.cosigned === true && e.t >= from && e.t < to).map(e => e.event.gameId)).size
  }
  const nodes = summariseNodes(samples, minutes, all.map(n => ({ name: n.name, role: n.role, peer: n.peer, starts: n.incarnations.filter(i => i.startedAt < (Number.isFinite(ended) ? ended : Infinity)).length })), finishedBetween)
  const loads = samples.map(s => s.load1)
  const results: SoakResults = {
    date: new Date().toISOString(),
    machine,
    settings: { ...settings, notes },
    seconds: now(),
    load: {
      mean1: Number((loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(2)),
      max1: Math.max(...loads),
      machineCpuPctMean: Number((samples.slice(1).reduce((a, s) => a + s.machinePct, 0) / Math.max(1, samples.length - 1)).toFixed(1))
    },
    samples,
    nodes,
    kills,
    unplannedExits,
    drainForced,
    resumedAtEnd,
    games: ledger,
    startedWhileStopping: stopping,
    interruptedExports,
    stalls: stalled,
    warnings: Object.fromEntries(all.map(n => [n.name, warningsOf(n)]).filter(([, w]) => w.length > 0)),
    rejections: Object.fromEntries(bots.map(b => [b.name, rejectionsOf(b)])),
    errors,
    verdict: {
      noGameLost: ledger.lost.length === 0 && ledger.duplicated.length === 0 && interruptedExports.every(e => e.same),
      noStall: stalled.length === 0,
      everyPlyAnnounced: ledger.plyFaults.every(f => stopping.includes(f.id)),
      noGrowth: Object.values(nodes).every(n => n.flags.length === 0),
      noCrash: unplannedExits.length === 0 && relay.incarnations[0]?.ending !== 'exited'
    }
  }
  console.log()
  console.log(summaryText(results, opts.minutes))
  saveResults(RESULTS, opts.minutes, results)
  console.log(`\nresults written to ${RESULTS} ("${opts.minutes} min"); homes and logs (NAME.N.stderr, NAME.N.ndjson per start) kept in ${dir}`)
  const ok = errors.length === 0 && results.verdict.noGameLost && results.verdict.noStall && results.verdict.everyPlyAnnounced && results.verdict.noGrowth && results.verdict.noCrash
  for (const n of all) saveLogs(n, dir, origin)
  return ok ? 0 : 1
}

runAsProgram(import.meta.url, async () => await main())
