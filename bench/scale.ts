// The scale harness: N full p2pgo nodes over P worker processes on 127.0.0.1, joined through a
// few bootstrap relays (in this process), measured as a network of idle lobby players, then
// while a tenth of them play. Reports per-node traffic, CPU and memory, how fast a new seek
// reaches the lobby views, quick match, DHT reads and how far a finished game's RNA spreads.
//
//   npm run bench:scale -- --nodes N [--processes P] [--minutes M] [--churn F] [--sybils S] [--json]
//
// --churn F: over the measured run a fraction F of the nodes leave (half gracefully, half as if
// killed) and as many fresh ones join through the relays; reported: games and rating records lost.
// --sybils S: S more identities, in a process of their own, that only take (bench/scale/sybil.ts);
// reported: whether an honest rating changed, and what they cost the honest nodes. Traffic stays
// on 127.0.0.1; every process is stopped (or killed) before the harness exits, and a watchdog
// bounds the whole run.
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
import { Fleet, churnPlan, runChurn, type ChurnCounts } from './scale/churn.js'
import { checkGames, checkRecords, compareRatings, ratingsOf, type Publication } from './scale/checks.js'
import { playTables } from './scale/tables.js'
import { sybilCost } from './scale/sybil-cost.js'

const usage = 'Usage: npm run bench:scale -- --nodes N [--processes P] [--minutes M] [--churn F] [--sybils S] [--json]'
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
  const churn = Number(values.churn ?? 0)
  const S = Number(values.sybils ?? 0)
  if (!(churn >= 0 && churn <= 0.9) || !Number.isInteger(S) || S < 0 || S > 1000) {
    console.error(`bench:scale: --churn must be a fraction from 0 to 0.9 (0.2: a fifth of the nodes leave and as many join), --sybils a whole number from 0 to 1000\n${usage}`)
    return 2
  }
  const say = (line: string): void => { if (values.json !== true) console.log(line) }
  const watchdog = setTimeout(() => { console.error(`bench:scale: gave up after ${minutes + 10} min`); process.exit(1) }, (minutes + 10) * 60_000)
  watchdog.unref()
  const relays = await startRelays(Math.max(2, Math.ceil(N / 150)))
  const workers = Array.from({ length: P }, (_, i) => new Worker(i))
  const sybilProcess = S > 0 ? new Worker(P, 'sybil.js') : undefined
  // Ctrl-C: the workers go with the harness.
  const onSignal = (): void => { for (const w of [...workers, ...(sybilProcess != null ? [sybilProcess] : [])]) w.child.kill('SIGKILL'); process.exit(130) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const began = Date.now()
    const shares = workers.map((_, i) => Math.floor(N * (i + 1) / P) - Math.floor(N * i / P))
    const firsts = shares.map((_, i) => Math.floor(N * i / P))
    const started = await Promise.all(workers.map(async (w, i) => w.ask({ t: 'start', count: shares[i], first: firsts[i], bootstrap: relays.addresses }, 'started')))
    const fleet = new Fleet()
    started.forEach((s, k) => { s.peers.forEach((peer, i) => fleet.seats.push({ w: workers[k], i, peer, up: true, joinedAt: 0 })) })
    say(`${N} nodes in ${P} processes started in ${((Date.now() - began) / 1000).toFixed(0)} s (${relays.nodes.length} bootstrap relays)`)
    const sample = async (): Promise<WorkerSample[]> => Promise.all(workers.map(async w => w.ask({ t: 'sample' }, 'sample')))

    // The lobby views fill (every node sees 95% of the others on average), for as long as a
    // phase lasts but at least 30 s: a network that cannot fill them is measured as it is.
    let views: number[] = []
    const fillBegan = Date.now()
    const fillLimit = Math.max(30_000, minutes * 30_000)
    for (let s = await sample(); ; s = await sample()) {
      views = s.flatMap(x => x.nodes.filter(n => n.up !== false).map(n => n.view))
      if (views.reduce((a, b) => a + b, 0) / N >= 0.95 * (N - 1) || Date.now() - fillBegan >= fillLimit) break
      await sleep(5000)
    }
    const viewFillMs = Date.now() - fillBegan
    const lonely = (await sample()).flatMap(x => x.nodes).filter(n => n.up !== false && n.view < (N - 1) / 2)
    for (const r of relays.nodes) say(`bootstrap relay: ${r.libp2p.getConnections().length} connections, ${r.libp2p.services.pubsub.getSubscribers(LOBBY_TOPIC).length} lobby subscribers, view ${r.lobby.presences().length}`)
    if (lonely.length > 0) say(`${lonely.length} nodes see fewer than half the others; their connections / lobby subscribers / lobby mesh: ${lonely.map(n => `${n.connections}/${n.lobbyPeers}/${n.lobbyMesh}`).join(' ')}`)
    say(`lobby views: mean ${(views.reduce((a, b) => a + b, 0) / N).toFixed(0)} of ${N - 1}, min ${Math.min(...views)} after ${(viewFillMs / 1000).toFixed(0)} s`)

    // Some rating records to read: a tenth of the nodes (at least 5) publish theirs.
    const publishers = Array.from({ length: Math.max(5, Math.floor(N / 10)) }, (_, k) => fleet.seats[Math.floor(k * N / Math.max(5, Math.floor(N / 10)))])
    const published: Publication[] = []
    await Promise.all(workers.map(async w => {
      const mine = publishers.filter(s => s.w === w)
      const r = await w.ask({ t: 'publish', nodes: mine.map(s => s.i) }, 'publish')
      mine.forEach((seat, k) => published.push({ seat, seq: r.seqs[k] }))
    }))
    const ratingsBefore = await ratingsOf(workers)

    // The Sybils arrive once the honest network has settled, and stay to the end.
    const sybils = sybilProcess != null ? (await sybilProcess.ask({ t: 'sybils', count: S, bootstrap: relays.addresses, victims: publishers.map(s => s.peer) }, 'sybils')).peers : []
    if (S > 0) say(`${S} Sybils started`)

    // Churn over both measured phases: leaves and joins spread evenly.
    const phaseMs = minutes * 30_000
    const matchers = [0, 1].map(k => fleet.seats[(N - 1 - k * 3) % N])
    let runOver = false
    const churned: Promise<ChurnCounts> = runChurn(fleet, workers, churnPlan(Math.round(churn * N), 2 * phaseMs), relays.addresses, N, () => new Set(matchers.map(s => s.peer)), () => runOver)

    // Idle: half the minutes. A new seek every 10 s from a random node; DHT reads of the records.
    const idleFrom = await sample()
    const sybilFrom = await sybilProcess?.ask({ t: 'sybil-sample' }, 'sybil-sample')
    const seeks: Array<{ seek: string, at: number, by: string }> = []
    const gets: number[] = []
    const hops: number[] = []
    let getFailures = 0
    const idleEnd = Date.now() + phaseMs
    for (let k = 0; Date.now() < idleEnd; k++) {
      const live = fleet.live()
      const by = live[(k * 7919 + 13) % live.length]
      // Its author may leave (churn) between the pick and the post: then no seek this round.
      const r = await by.w.ask({ t: 'seek', node: by.i }, 'seek').catch(() => undefined)
      if (r != null) seeks.push({ seek: r.seek, at: r.at, by: by.peer })
      // Three reads at once, from different nodes, of records live nodes published.
      const targets = published.filter(p => p.seat.up)
      await Promise.all([0, 1, 2].map(async g => {
        const reader = live[(k * 31 + g * 17 + 5) % live.length]
        const target = targets[(k + g) % Math.max(1, targets.length)]
        if (target == null || target.seat === reader || !reader.up) return
        const got = await reader.w.ask({ t: 'get', node: reader.i, peer: target.seat.peer }, 'get')
        if (got.ms != null) gets.push(got.ms); else getFailures++
        if (got.hops != null) hops.push(got.hops)
      }))
      await sleep(Math.max(0, Math.min(10_000, idleEnd - Date.now())))
    }
    const idleTo = await sample()
    const sybilTo = await sybilProcess?.ask({ t: 'sybil-sample' }, 'sybil-sample')
    const idle = ratesBetween(idleFrom, idleTo)
    // How long each seek took to reach 95% of the other nodes.
    const convergence: number[] = []
    for (const s of seeks) {
      // The nodes that should see it: up now, up when it was posted, not its author.
      const should = fleet.live().filter(x => x.joinedAt < s.at && x.peer !== s.by)
      const seen = await Promise.all(workers.map(async w => ({ w, at: (await w.ask({ t: 'seen', seek: s.seek }, 'seen')).at })))
      const delays = should.map(x => seen.find(v => v.w === x.w)?.at[x.i]).filter((t): t is number => t != null).map(t => t - s.at)
      convergence.push(delays.length >= 0.95 * should.length ? percentile(delays, 0.95) ?? Infinity : Infinity)
    }
    say(`idle: ${idle.bytesIn} B/s in, ${idle.bytesOut} B/s out per node (gossip ${idle.gossipIn}, DHT ${idle.dhtIn} in; first copies: lobby ${idle.lobbyFirstIn}, census ${idle.censusFirstIn}); CPU ${idle.cpuPct}% of a core per node`)

    // Playing: a tenth of the nodes in games (pairs across processes), two quick matches besides.
    const playFrom = await sample()
    const pairs = Math.max(1, Math.floor(N / 20))
    const busy = new Set(matchers.map(s => s.peer))
    const games = playTables(fleet, pairs, playFrom[0].at + phaseMs, busy)
    const matches = matchers.map(async m => m.w.ask({ t: 'match', node: m.i }, 'match'))
    const played = (await games).map(g => g.reply)
    const matched = await Promise.all(matches)
    const playEndAt = Date.now()
    await sleep(Math.max(0, phaseMs - (playEndAt - playFrom[0].at)))
    const playTo = await sample()
    const playing = ratesBetween(playFrom, playTo)
    say(`playing (${pairs} tables): ${playing.bytesIn} B/s in per node; ${played.filter(p => p.ms != null).length} of ${played.length} games finished`)
    runOver = true
    const churnCounts = await churned
    if (churn > 0) say(`churn: ${churnCounts.left} left (${churnCounts.leftAbruptly} as if killed), ${churnCounts.joined} joined${churnCounts.failures.length > 0 ? `; failures: ${churnCounts.failures.join('; ')}` : ''}`)

    // RNA: the first finished game, until every node holds it (at most 60 s).
    const first = played.find(p => p.game != null)
    let rnaAt: number[] = []
    let rnaCopies: number | null = null
    if (first?.game != null) {
      for (const until = Date.now() + 60_000; Date.now() < until; await sleep(2000)) {
        // Counted on the nodes up now (a node that left may have held it).
        const held = await Promise.all(workers.map(async w => ({ w, reply: await w.ask({ t: 'holds', rna: first.game as string }, 'holds') })))
        rnaAt = fleet.live().map(x => held.find(h => h.w === x.w)?.reply.at[x.i]).filter((t): t is number => t != null)
        // Copies: every RNA message the nodes up now received, per node and per distinct RNA any node holds.
        const copies = fleet.live().reduce((a, x) => a + (held.find(h => h.w === x.w)?.reply.copies[x.i] ?? 0), 0)
        const distinct = new Set(held.flatMap(h => h.reply.games)).size
        rnaCopies = distinct === 0 ? null : copies / fleet.live().length / distinct
        if (rnaAt.length >= fleet.live().length) break
      }
    }
    const rnaFrom = Math.min(...rnaAt)
    const rnaDelays = rnaAt.map(t => t - rnaFrom)
    const end = await sample()
    const live = fleet.live().length
    // The checks: games both players saw end co-signed, records found, ratings no game explains.
    const gameCheck = await checkGames(await games)
    const ratingsAfter = await ratingsOf(workers)
    const recordCheck = await checkRecords(fleet, published, ratingsAfter)
    const playedPeers = new Set((await games).flatMap(g => [g.by.peer, g.to.peer]).concat(matchers.map(s => s.peer), matched.flatMap(m => m.opponent ?? [])))
    const ratingCheck = compareRatings(ratingsBefore, ratingsAfter, playedPeers, new Set(sybils))
    for (const w of [...gameCheck.why, ...recordCheck.why]) say(`lost: ${w}`)
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
      rssPerNodeMB: Math.round(end.reduce((a, s) => a + s.rssBytes, 0) / live / 1e5) / 10,
      eventLoopLagMsP99: Math.round(Math.max(...end.map(s => s.lagMs))),
      viewFillMs,
      viewsMin: Math.min(...views),
      viewsMean: Math.round(views.reduce((a, b) => a + b, 0) / Math.max(1, views.length)),
      lobbyConvergenceMsP95: round(percentile(convergence, 0.95)),
      seeksPosted: seeks.length,
      matchFirstCandidateMsP95: round(percentile(matched.flatMap(m => m.firstCandidateMs ?? []), 0.95)),
      matchGameMsP95: round(percentile(matched.flatMap(m => m.gameMs ?? []), 0.95)),
      matchFailures: matched.filter(m => m.gameMs == null).map(m => m.error),
      playFailures: played.filter(p => p.ms == null).map(p => p.error),
      dhtGetMsP50: round(percentile(gets, 0.5)),
      dhtGetMsP95: round(percentile(gets, 0.95)),
      dhtGetFailures: getFailures,
      dhtHopsP50: round(percentile(hops, 0.5)),
      rna95Ms: rnaAt.length >= 0.95 * live ? round(percentile(rnaDelays, 0.95)) : null,
      rna100Ms: rnaAt.length >= live ? round(Math.max(...rnaDelays)) : null,
      rnaHolders: rnaAt.length,
      rnaCopiesPerNode: rnaCopies == null ? null : Math.round(rnaCopies * 10) / 10,
      churn,
      sybils: S,
      lost: { games: gameCheck.lost, records: recordCheck.lost + recordCheck.wrong },
      checked: { games: gameCheck.checked, records: recordCheck.checked },
      gamesPlayed: played.length,
      gamesUnstarted: gameCheck.unstarted,
      recordsWrong: recordCheck.wrong,
      lostWhy: [...gameCheck.why, ...recordCheck.why],
      nodesUpAtEnd: live,
      churned: { left: churnCounts.left, leftAbruptly: churnCounts.leftAbruptly, joined: churnCounts.joined, failures: churnCounts.failures },
      ratingsChanged: { own: ratingCheck.changedOwn, ownChecked: ratingCheck.checkedOwn, shown: ratingCheck.changedShown, shownChecked: ratingCheck.checkedShown },
      onlineEstimate: { mean: ratingCheck.onlineMean, max: ratingCheck.onlineMax },
      sybilCost: sybilCost(S, idle, sybilFrom, sybilTo, idleFrom, idleTo, ratingCheck)
    }
    if (values.json === true) console.log(JSON.stringify(result))
    else console.log(result)
    return 0
  } finally {
    await Promise.all([...workers, ...(sybilProcess != null ? [sybilProcess] : [])].map(async w => w.stop()))
    await Promise.all(relays.nodes.map(async r => r.stop().catch(() => {})))
    clearTimeout(watchdog)
  }
}

runAsProgram(import.meta.url, main)
