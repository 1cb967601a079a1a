// The scale harness: N full p2pgo nodes over P worker processes on 127.0.0.1, joined through a
// few bootstrap relays (in this process), measured as a network of idle lobby players, then
// while a tenth of them play. Reports per-node traffic, CPU and memory, how fast a new seek
// reaches the lobby views, quick match, DHT reads and how far a finished game's RNA spreads.
//
//   npm run bench:scale -- --nodes N [--processes P] [--minutes M] [--json]
//
// --churn and --sybils are not built yet (README, "Scale"). Traffic stays on 127.0.0.1; every
// worker is stopped (or killed) before the harness exits, and a watchdog bounds the whole run.
import '../src/polyfill.js'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { runAsProgram } from './network/main.js'
import { lobbyV2Topic } from '../src/net/lobby/v2/index.js'

/** The one lobby topic every node of the harness is on: 9x9, a newcomer's bucket (no node has a rating yet). */
const LOBBY_TOPIC = lobbyV2Topic(9, 6)
import { Worker } from './scale/fleet.js'
import { percentile, ratesBetween, type WorkerSample } from './scale/figures.js'
import { startRelays } from './scale/relays.js'

const usage = 'Usage: npm run bench:scale -- --nodes N [--processes P] [--minutes M] [--json]'
const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const round = (x: number | null): number | null => x == null ? null : Math.round(x)

async function main (): Promise<number> {
  const { values } = parseArgs({ options: { nodes: { type: 'string', default: '50' }, processes: { type: 'string' }, minutes: { type: 'string', default: '2' }, churn: { type: 'string' }, sybils: { type: 'string' }, json: { type: 'boolean' } } })
  const N = Number(values.nodes)
  const minutes = Number(values.minutes)
  const P = Number(values.processes ?? Math.max(1, Math.min(cpus().length, Math.ceil(N / 100))))
  if (!Number.isInteger(N) || N < 4 || !Number.isInteger(P) || P < 1 || P > N || !(minutes > 0)) {
    console.error(`bench:scale: --nodes must be a whole number from 4, --processes from 1 to the nodes, --minutes above 0\n${usage}`)
    return 2
  }
  if (Number(values.churn ?? 0) !== 0 || Number(values.sybils ?? 0) !== 0) {
    console.error('bench:scale: --churn and --sybils are not built yet (README, "Scale"): run without them')
    return 2
  }
  const say = (line: string): void => { if (values.json !== true) console.log(line) }
  const watchdog = setTimeout(() => { console.error(`bench:scale: gave up after ${minutes + 10} min`); process.exit(1) }, (minutes + 10) * 60_000)
  watchdog.unref()
  const relays = await startRelays(Math.max(2, Math.ceil(N / 150)))
  const workers = Array.from({ length: P }, (_, i) => new Worker(i))
  // Ctrl-C: the workers go with the harness.
  const onSignal = (): void => { for (const w of workers) w.child.kill('SIGKILL'); process.exit(130) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const began = Date.now()
    const shares = workers.map((_, i) => Math.floor(N * (i + 1) / P) - Math.floor(N * i / P))
    const firsts = shares.map((_, i) => Math.floor(N * i / P))
    const started = await Promise.all(workers.map(async (w, i) => w.ask({ t: 'start', count: shares[i], first: firsts[i], bootstrap: relays.addresses }, 'started')))
    const peers = started.flatMap(s => s.peers)
    /** Node index n → its worker and index there. */
    const where = (n: number): { w: Worker, i: number } => { let k = 0; while (k + 1 < P && firsts[k + 1] <= n) k++; return { w: workers[k], i: n - firsts[k] } }
    say(`${N} nodes in ${P} processes started in ${((Date.now() - began) / 1000).toFixed(0)} s (${relays.nodes.length} bootstrap relays)`)
    const sample = async (): Promise<WorkerSample[]> => Promise.all(workers.map(async w => w.ask({ t: 'sample' }, 'sample')))

    // The lobby views fill (every node sees 95% of the others on average), for as long as a
    // phase lasts but at least 30 s: a network that cannot fill them is measured as it is.
    let views: number[] = []
    const fillBegan = Date.now()
    const fillLimit = Math.max(30_000, minutes * 30_000)
    for (let s = await sample(); ; s = await sample()) {
      views = s.flatMap(x => x.nodes.map(n => n.view))
      if (views.reduce((a, b) => a + b, 0) / N >= 0.95 * (N - 1) || Date.now() - fillBegan >= fillLimit) break
      await sleep(5000)
    }
    const viewFillMs = Date.now() - fillBegan
    const lonely = (await sample()).flatMap(x => x.nodes).filter(n => n.view < (N - 1) / 2)
    for (const r of relays.nodes) say(`bootstrap relay: ${r.libp2p.getConnections().length} connections, ${r.libp2p.services.pubsub.getSubscribers(LOBBY_TOPIC).length} lobby subscribers, view ${r.lobby.presences().length}`)
    if (lonely.length > 0) say(`${lonely.length} nodes see fewer than half the others; their connections / lobby subscribers / lobby mesh: ${lonely.map(n => `${n.connections}/${n.lobbyPeers}/${n.lobbyMesh}`).join(' ')}`)
    say(`lobby views: mean ${(views.reduce((a, b) => a + b, 0) / N).toFixed(0)} of ${N - 1}, min ${Math.min(...views)} after ${(viewFillMs / 1000).toFixed(0)} s`)

    // Some rating records to read: a tenth of the nodes (at least 5) publish theirs.
    const published = Array.from({ length: Math.max(5, Math.floor(N / 10)) }, (_, k) => Math.floor(k * N / Math.max(5, Math.floor(N / 10))))
    await Promise.all(workers.map(async w => w.ask({ t: 'publish', nodes: published.filter(n => where(n).w === w).map(n => where(n).i) }, 'publish')))

    // Idle: half the minutes. A new seek every 10 s from a random node; DHT reads of the records.
    const phaseMs = minutes * 30_000
    const idleFrom = await sample()
    const seeks: Array<{ seek: string, at: number, by: number }> = []
    const gets: number[] = []
    let getFailures = 0
    const idleEnd = Date.now() + phaseMs
    for (let k = 0; Date.now() < idleEnd; k++) {
      const by = (k * 7919 + 13) % N
      const { w, i } = where(by)
      const r = await w.ask({ t: 'seek', node: i }, 'seek')
      seeks.push({ seek: r.seek, at: r.at, by })
      // Three reads at once, from different nodes, of records other nodes published.
      await Promise.all([0, 1, 2].map(async g => {
        const reader = (k * 31 + g * 17 + 5) % N
        const target = published[(k + g) % published.length]
        if (target === reader) return
        const at = where(reader)
        const got = await at.w.ask({ t: 'get', node: at.i, peer: peers[target] }, 'get')
        if (got.ms != null) gets.push(got.ms); else getFailures++
      }))
      await sleep(Math.max(0, Math.min(10_000, idleEnd - Date.now())))
    }
    const idleTo = await sample()
    const idle = ratesBetween(idleFrom, idleTo)
    // How long each seek took to reach 95% of the other nodes.
    const convergence: number[] = []
    for (const s of seeks) {
      const seen = (await Promise.all(workers.map(async w => w.ask({ t: 'seen', seek: s.seek }, 'seen')))).flatMap(r => r.at)
      const delays = seen.filter((t, n): t is number => t != null && n !== s.by).map(t => t - s.at)
      convergence.push(delays.length >= 0.95 * (N - 1) ? percentile(delays, 0.95) ?? Infinity : Infinity)
    }
    say(`idle: ${idle.bytesIn} B/s in, ${idle.bytesOut} B/s out per node (gossip ${idle.gossipIn}, DHT ${idle.dhtIn} in; first copies: lobby ${idle.lobbyFirstIn}, census ${idle.censusFirstIn}); CPU ${idle.cpuPct}% of a core per node`)

    // Playing: a tenth of the nodes in games (pairs across processes), two quick matches besides.
    const playFrom = await sample()
    const pairs = Math.max(1, Math.floor(N / 20))
    const games = Array.from({ length: pairs }, async (_, k) => {
      const a = (k * 2 * 7 + 1) % N
      const b = (a + Math.floor(N / 2)) % N
      const { w, i } = where(a)
      return w.ask({ t: 'play', node: i, opponent: peers[b] }, 'play')
    })
    const matches = [0, 1].map(async k => {
      const { w, i } = where((N - 1 - k * 3) % N)
      return w.ask({ t: 'match', node: i }, 'match')
    })
    const played = await Promise.all(games)
    const matched = await Promise.all(matches)
    const playEndAt = Date.now()
    await sleep(Math.max(0, phaseMs - (playEndAt - playFrom[0].at)))
    const playTo = await sample()
    const playing = ratesBetween(playFrom, playTo)
    say(`playing (${pairs} games): ${playing.bytesIn} B/s in per node; ${played.filter(p => p.ms != null).length} of ${pairs} games finished`)

    // RNA: the first finished game, until every node holds it (at most 60 s).
    const first = played.find(p => p.game != null)
    let rnaAt: number[] = []
    if (first?.game != null) {
      for (const until = Date.now() + 60_000; Date.now() < until; await sleep(2000)) {
        const held = (await Promise.all(workers.map(async w => w.ask({ t: 'holds', rna: first.game as string }, 'holds')))).flatMap(r => r.at)
        rnaAt = held.filter((t): t is number => t != null)
        if (rnaAt.length === N) break
      }
    }
    const rnaFrom = Math.min(...rnaAt)
    const rnaDelays = rnaAt.map(t => t - rnaFrom)
    const end = await sample()
    const result = {
      nodes: N,
      processes: P,
      minutes,
      idleBytesPerNodePerSec: idle.bytesIn,
      idleBytesOutPerNodePerSec: idle.bytesOut,
      idleGossipBytesPerNodePerSec: idle.gossipIn,
      idleLobbyFirstCopyBytesPerNodePerSec: idle.lobbyFirstIn,
      idleCensusFirstCopyBytesPerNodePerSec: idle.censusFirstIn,
      idleDhtBytesPerNodePerSec: idle.dhtIn,
      playBytesPerNodePerSec: playing.bytesIn,
      cpuPerNodePct: idle.cpuPct,
      rssPerNodeMB: Math.round(end.reduce((a, s) => a + s.rssBytes, 0) / N / 1e5) / 10,
      eventLoopLagMsP99: Math.round(Math.max(...end.map(s => s.lagMs))),
      viewFillMs,
      viewsMin: Math.min(...views),
      viewsMean: Math.round(views.reduce((a, b) => a + b, 0) / N),
      lobbyConvergenceMsP95: round(percentile(convergence, 0.95)),
      seeksPosted: seeks.length,
      matchFirstCandidateMsP95: round(percentile(matched.flatMap(m => m.firstCandidateMs ?? []), 0.95)),
      matchGameMsP95: round(percentile(matched.flatMap(m => m.gameMs ?? []), 0.95)),
      matchFailures: matched.filter(m => m.gameMs == null).map(m => m.error),
      playFailures: played.filter(p => p.ms == null).map(p => p.error),
      dhtGetMsP50: round(percentile(gets, 0.5)),
      dhtGetMsP95: round(percentile(gets, 0.95)),
      dhtGetFailures: getFailures,
      dhtHopsP50: null,
      rna95Ms: rnaAt.length >= 0.95 * N ? round(percentile(rnaDelays, 0.95)) : null,
      rna100Ms: rnaAt.length === N ? round(Math.max(...rnaDelays)) : null,
      rnaHolders: rnaAt.length,
      rnaCopiesPerNode: null,
      churn: 0,
      sybils: 0,
      lost: { games: played.filter(p => p.ms == null).length, records: getFailures }
    }
    if (values.json === true) console.log(JSON.stringify(result))
    else console.log(result)
    return 0
  } finally {
    await Promise.all(workers.map(async w => w.stop()))
    await Promise.all(relays.nodes.map(async r => r.stop().catch(() => {})))
    clearTimeout(watchdog)
  }
}

runAsProgram(import.meta.url, main)
