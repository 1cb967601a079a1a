// Rating numbers for `npm run bench`: DHT put and get of rating records (latency, hops, peers
// contacted) on networks of 20 and 50 full p2pgo nodes on 127.0.0.1, the time matchmaking takes
// to find a first candidate, and the cost of the pure rating functions (TrueSkill update, applying
// a co-signed result, auditing a record that cites 8 results). Reports; asserts nothing.
// `--dht-only` measures the DHT part alone (no matchmaking, no pure functions) and writes its
// results beside the full run's (ratings-dht-results.json), to compare lookups before and after.
import '../src/polyfill.js'
import { writeFileSync } from 'node:fs'
import { arch, cpus, platform } from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { defaultConfig } from '../src/config/config.js'
import { P2pgoNode } from '../src/net/node.js'
import { ratingKey } from '../src/net/rating/dht-records.js'
import { encodeRatingRecord, signRatingRecord, type SignedRatingRecord } from '../src/rating/rating-record.js'
import { auditRecord, type Fetched } from '../src/rating/audit.js'
import { applyResult, type RatingBook } from '../src/rating/rating-book.js'
import { cosignedResultId, verifyCosignedResult, type CosignedResult } from '../src/rating/cosigned-result.js'
import { rateGame, type FixedRating } from '../src/rating/trueskill.js'
import { ACT_DOMAIN, START_DOMAIN, actToSign, type Act, type Side, type UnsignedAct } from '../src/wire/game-messages.js'
import { gameIdOf, startToSign, type GameTerms, type SignedStart } from '../src/wire/game-start.js'
import { cidOf } from '../src/wire/cid.js'
import { sign } from '../src/wire/signing.js'
import { median, quantile } from './network/stats.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { QueryEvent } from '@libp2p/kad-dht'
import { prng } from './network/prng.js'
import { runAsProgram } from './network/main.js'

/** Network sizes measured. */
const SIZES = [20, 50] as const
/** Samples of each DHT measurement per network. */
const SAMPLES = 30
/** Matchmaking: seekers announced, and searches timed from other nodes (on each network). */
const SEEKERS = 5
const SEARCHES = 12
/** Nodes started at once: a whole 50-node network at once saturates the one thread (see startNetwork). */
const BATCH = 10
/** Seed of the sample choices, so every run picks the same pairs. */
const SEED = 0x7a7e
/** Microbenchmarks: timed rounds of this many calls each, after a warm-up. */
const MICRO_ROUNDS = 40
const MICRO_WARMUP = 50
/** Results a record cites per size at most (MAX_CITED): the largest audit of one size. */
const CITED = 8
/** The whole benchmark is stopped (and fails) after this. */
const WATCHDOG_MS = 480_000

/** kad-dht's routing table, which its public type does not show. */
interface RoutingTableView { readonly size: number, readonly kb: { toIterable: () => Iterable<{ peerId: PeerId }> } }
const routingTable = (node: P2pgoNode): RoutingTableView => (node.libp2p.services.dht as unknown as { routingTable: RoutingTableView }).routingTable

interface NetNode { readonly node: P2pgoNode, readonly key: PrivateKey, readonly published: Promise<void> }

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

async function until (check: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}


/** A full node on 127.0.0.1 as test/net/rating/harness.ts starts one (bench/ does not import test/). */
async function startNode (bootstrap: string[], name: string): Promise<NetNode> {
  const key = await generateKeyPair('Ed25519')
  const config = { ...defaultConfig({ userName: name }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, relayServer: 'off' as const }
  // No connection monitor: 50 nodes in one process hold ~1000 connections, whose pings every 10 s
  // would be most of the idle CPU and share the thread with every measurement.
  const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true, connectionMonitor: false })
  node.decide = async () => ({ accept: true })
  // The node publishes its record once on start; measurements wait for that to be out.
  const published = new Promise<void>(resolve => { node.ratings.addEventListener('published', () => { resolve() }, { once: true }) })
  await node.start()
  return { node, key, published }
}

/**
 * A bootstrap node and `n - 1` nodes joined through it, BATCH at a time, each batch dialling the
 * bootstrap node itself (with retries) and in the routing tables before the next starts. Started
 * all at once, 50 nodes in one process saturate the thread for tens of seconds: noise handshakes
 * then outlast the 10 s dial timeout, and @libp2p/bootstrap dials only once.
 */
async function startNetwork (n: number, live: NetNode[]): Promise<NetNode[]> {
  const first = await startNode([], 'boot')
  live.push(first)
  const address = first.node.libp2p.getMultiaddrs()[0].toString()
  const all = [first]
  for (let b = 1; b < n; b += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, n - b) }, async (_, i) => startNode([address], `p${b + i}`)))
    live.push(...batch)
    all.push(...batch)
    await Promise.all(batch.map(async x => {
      for (let attempt = 1; ; attempt++) {
        try {
          await x.node.libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(30_000) })
          return
        } catch (err) {
          if (attempt >= 3) throw err
        }
      }
    }))
    await until(() => batch.every(x => routingTable(x.node).size >= 3), 'a batch to join', 60_000)
    // Their first records out before the next batch adds to the load.
    await Promise.race([Promise.all(batch.map(async x => x.published)), sleep(60_000)])
  }
  await until(() => all.every(x => routingTable(x.node).size >= Math.min(3, n - 1)), 'routing tables', 60_000)
  return all
}

/** What one DHT query's events say about its route. */
interface Route {
  /** Depth of the peer that gave the value (get) or the deepest peer that stored it (put); 0: found locally. */
  readonly hops: number | undefined
  /** Queries sent (SEND_QUERY events) of the lookup itself: GET_VALUE for a get, FIND_NODE for a put. */
  readonly contacted: number
  /** PUT_VALUE requests sent (a put's stores, a get's corrections). */
  readonly puts: number
  /** Peers that answered a put, or gave a valid value to a get. */
  readonly answered: number
  readonly ms: number
}

/**
 * Follows a query's events: peers in the routing table when it starts are at depth 1; a peer
 * first named in the `closer` list of a response from a depth-d peer is at depth d + 1.
 */
class DepthTracker {
  private readonly depth = new Map<string, number>()
  constructor (node: P2pgoNode) {
    for (const p of routingTable(node).kb.toIterable()) this.depth.set(p.peerId.toString(), 1)
    this.depth.set(node.peerId, 0)
  }

  see (e: QueryEvent): void {
    if (e.name !== 'PEER_RESPONSE') return
    const d = this.depth.get(e.from.toString())
    for (const c of e.closer) {
      const id = c.id.toString()
      if (!this.depth.has(id) && d != null) this.depth.set(id, d + 1)
    }
  }

  of (peer: PeerId): number | undefined {
    return this.depth.get(peer.toString())
  }
}

/** A raw kad-dht get of a rating record, followed hop by hop. */
async function tracedGet (reader: P2pgoNode, publisher: P2pgoNode): Promise<Route> {
  const key = ratingKey(publisher.libp2p.peerId.toMultihash().bytes)
  const depth = new DepthTracker(reader)
  let contacted = 0
  let puts = 0
  let answered = 0
  let hops: number | undefined
  const t0 = performance.now()
  for await (const e of reader.libp2p.services.dht.get(key, { signal: AbortSignal.timeout(30_000) })) {
    depth.see(e)
    if (e.name === 'SEND_QUERY' && e.messageName === 'GET_VALUE') contacted++
    if (e.name === 'SEND_QUERY' && e.messageName === 'PUT_VALUE') puts++
    if (e.name === 'PEER_RESPONSE' && e.messageName === 'GET_VALUE' && e.record != null) answered++
    if (e.name === 'VALUE') hops = depth.of(e.from)
  }
  return { hops, contacted, puts, answered, ms: performance.now() - t0 }
}

/** A raw kad-dht put of the publisher's current record (the same bytes again), followed hop by hop. */
async function tracedPut (publisher: P2pgoNode): Promise<Route> {
  const record = publisher.ratings.ownRecord as SignedRatingRecord
  const key = ratingKey(publisher.libp2p.peerId.toMultihash().bytes)
  const depth = new DepthTracker(publisher)
  let contacted = 0
  let puts = 0
  let answered = 0
  let deepest: number | undefined
  const t0 = performance.now()
  for await (const e of publisher.libp2p.services.dht.put(key, encodeRatingRecord(record), { signal: AbortSignal.timeout(30_000) })) {
    depth.see(e)
    if (e.name === 'SEND_QUERY' && e.messageName === 'FIND_NODE') contacted++
    if (e.name === 'SEND_QUERY' && e.messageName === 'PUT_VALUE') puts++
    if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE') {
      answered++
      const d = depth.of(e.from)
      if (d != null) deepest = Math.max(deepest ?? 0, d)
    }
  }
  return { hops: deepest, contacted, puts, answered, ms: performance.now() - t0 }
}

interface Stat { readonly n: number, readonly median: number, readonly p95: number, readonly min: number, readonly max: number }

function stat (xs: readonly number[], digits = 1): Stat {
  const s = [...xs].filter(x => Number.isFinite(x)).sort((a, b) => a - b)
  const r = (x: number): number => Number(x.toFixed(digits))
  return { n: s.length, median: r(median(s)), p95: r(quantile(s, 0.95)), min: r(s[0] ?? NaN), max: r(s[s.length - 1] ?? NaN) }
}

interface DhtResult {
  readonly nodes: number
  readonly startSeconds: number
  /** Peers in each node's routing table when the measurements start. */
  readonly routingTable: Stat
  /** node.ratings.publish(): sign, then put to the closest peers. */
  readonly putMs: Stat
  /** Peers that stored each publish. */
  readonly putPeers: Stat
  /** A raw put of the same record, traced: deepest storing peer, FIND_NODE queries, PUT_VALUE requests. */
  readonly putHops: Stat
  readonly putContacted: Stat
  readonly putStores: Stat
  /** fetchRecord from random other nodes: get, best valid value, verify. */
  readonly getMs: Stat
  /** The same lookups walked to the end (mode 'full'), each right after its fetchRecord. */
  readonly fullGetMs: Stat
  readonly getFailures: number
  readonly getFailureReasons: readonly string[]
  /** A raw get of the same record, traced. */
  readonly getHops: Stat
  readonly getHopsHistogram: Record<string, number>
  readonly getContacted: Stat
  readonly getAnswered: Stat
  readonly getCorrections: Stat
  readonly rawGetMs: Stat
  /** Records put only as their node joined (the network still growing), fetched once each: found of tried. */
  readonly startupRecordsFound: number
  readonly startupRecordsTried: number
}

async function measureDht (n: number, random: () => number, live: NetNode[]): Promise<{ dht: DhtResult, net: NetNode[] }> {
  const t0 = performance.now()
  const net = await startNetwork(n, live)
  // Every node's own first publish (on start) out, then a moment for the network to settle.
  await Promise.race([Promise.all(net.map(async x => x.published)), sleep(60_000)])
  await sleep(3000)
  const startSeconds = (performance.now() - t0) / 1000
  const tableSizes = net.map(x => routingTable(x.node).size)
  process.stderr.write(`  ${n} nodes up and published in ${startSeconds.toFixed(1)} s\n`)
  const pick = (): NetNode => net[Math.floor(random() * net.length)]

  const putMs: number[] = []
  const putPeers: number[] = []
  const put: Route[] = []
  const republished = new Set<NetNode>()
  for (let i = 0; i < SAMPLES; i++) {
    const x = pick()
    republished.add(x)
    const s = performance.now()
    const r = await x.node.ratings.publish()
    putMs.push(performance.now() - s)
    putPeers.push(r.peers)
    put.push(await tracedPut(x.node))
  }
  process.stderr.write(`  ${SAMPLES} puts done\n`)

  // Gets of records put on the whole network (the ones just published).
  const fresh = [...republished]
  const getMs: number[] = []
  const fullGetMs: number[] = []
  const failures: string[] = []
  const get: Route[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const reader = pick()
    let publisher = fresh[Math.floor(random() * fresh.length)]
    while (publisher === reader) publisher = fresh[Math.floor(random() * fresh.length)]
    const s = performance.now()
    try {
      await reader.node.ratings.fetchRecord(publisher.node.peerId, { signal: AbortSignal.timeout(30_000) })
      getMs.push(performance.now() - s)
    } catch (err) {
      failures.push(`${(err as Error).name}: ${(err as Error).message}`)
    }
    // The same record, the lookup walked to its end (mode 'full': what every get did before
    // lookups stopped once their answers settle), timed right after, under the same load.
    const f = performance.now()
    try {
      const { record } = await reader.node.ratings.lookupRecord(publisher.node.libp2p.peerId, { mode: 'full', signal: AbortSignal.timeout(30_000) })
      if (record == null) throw new Error('no record')
      fullGetMs.push(performance.now() - f)
    } catch (err) {
      failures.push(`full get: ${(err as Error).name}: ${(err as Error).message}`)
    }
    try {
      get.push(await tracedGet(reader.node, publisher.node))
    } catch (err) {
      failures.push(`traced get: ${(err as Error).name}: ${(err as Error).message}`)
    }
  }
  process.stderr.write(`  ${SAMPLES} gets done\n`)
  // Records only ever put as their node joined, while the network was smaller: how many are found.
  const early = net.filter(x => !republished.has(x))
  let earlyFound = 0
  let earlyTried = 0
  for (let i = 0; i < Math.min(SAMPLES, early.length); i++) {
    const publisher = early[i]
    let reader = pick()
    while (reader === publisher) reader = pick()
    earlyTried++
    try {
      await reader.node.ratings.fetchRecord(publisher.node.peerId, { signal: AbortSignal.timeout(30_000) })
      earlyFound++
    } catch {}
  }
  const histogram: Record<string, number> = {}
  for (const g of get) histogram[String(g.hops ?? 'none')] = (histogram[String(g.hops ?? 'none')] ?? 0) + 1
  const nums = (xs: Array<number | undefined>): number[] => xs.filter((x): x is number => x != null)
  return {
    net,
    dht: {
      nodes: n,
      startSeconds: Number(startSeconds.toFixed(1)),
      routingTable: stat(tableSizes, 0),
      putMs: stat(putMs),
      putPeers: stat(putPeers, 0),
      putHops: stat(nums(put.map(p => p.hops)), 1),
      putContacted: stat(put.map(p => p.contacted), 1),
      putStores: stat(put.map(p => p.answered), 1),
      getMs: stat(getMs),
      fullGetMs: stat(fullGetMs),
      getFailures: failures.length,
      getFailureReasons: failures,
      getHops: stat(nums(get.map(g => g.hops)), 1),
      getHopsHistogram: histogram,
      getContacted: stat(get.map(g => g.contacted), 1),
      getAnswered: stat(get.map(g => g.answered), 1),
      getCorrections: stat(get.map(g => g.puts), 1),
      rawGetMs: stat(get.map(g => g.ms)),
      startupRecordsFound: earlyFound,
      startupRecordsTried: earlyTried
    }
  }
}

interface MatchResult {
  readonly nodes: number
  readonly seekers: number
  readonly searches: number
  readonly firstCandidateMs: Stat
  readonly ms: Stat
  readonly candidates: Stat
  readonly bucketsVisited: Stat
  readonly noCandidate: number
}

async function measureMatchmaking (net: NetNode[]): Promise<MatchResult> {
  const seekers = net.slice(1, 1 + SEEKERS)
  await Promise.all(seekers.map(async s => s.node.matchmaker.seek(9)))
  await sleep(1000)
  const others = net.filter(x => !seekers.includes(x))
  const first: number[] = []
  const total: number[] = []
  const found: number[] = []
  const buckets: number[] = []
  let none = 0
  for (let i = 0; i < SEARCHES; i++) {
    const searcher = others[(i * 3) % others.length]
    const search = await searcher.node.matchmaker.find(9, { wanted: 1, signal: AbortSignal.timeout(60_000) })
    if (search.firstCandidateMs != null) first.push(search.firstCandidateMs)
    else none++
    total.push(search.ms)
    found.push(search.candidates.length)
    buckets.push(search.buckets.length)
  }
  await Promise.all(seekers.map(async s => s.node.matchmaker.stopSeeking()))
  return { nodes: net.length, seekers: SEEKERS, searches: SEARCHES, firstCandidateMs: stat(first), ms: stat(total), candidates: stat(found, 1), bucketsVisited: stat(buckets, 1), noCandidate: none }
}

// ---- the pure rating functions ----

const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

/** A finished rated game between two keys, signed as the challenge and game protocols sign it: both sign the start record, each its result act. */
async function cosignedResult (black: PrivateKey, white: PrivateKey, ratings: { B: FixedRating, W: FixedRating }, result: string, created: number): Promise<CosignedResult> {
  const record = {
    terms,
    black: peerIdFromPrivateKey(black).toMultihash().bytes,
    white: peerIdFromPrivateKey(white).toMultihash().bytes,
    nonce: crypto.getRandomValues(new Uint8Array(16)),
    created,
    names: { B: 'black', W: 'white' },
    ratings
  }
  const body = startToSign(record)
  const start: SignedStart = { ...record, sigs: { B: (await sign(black, START_DOMAIN, body)).sig, W: (await sign(white, START_DOMAIN, body)).sig } }
  const game = gameIdOf(record)
  const final = cidOf({ game, result, turns: 0, last: null })
  const act = async (by: Side, key: PrivateKey): Promise<Act> => {
    const unsigned: UnsignedAct = { game, by, n: 1, prev: null, seen: 0, at: created + 1000, kind: 'result', result, final }
    return { ...unsigned, sig: (await sign(key, ACT_DOMAIN, actToSign(unsigned))).sig }
  }
  return { start, acts: { B: await act('B', black), W: await act('W', white) } }
}

interface MicroResult { readonly name: string, readonly usPerCall: number, readonly p95Us: number, readonly calls: number }

/** µs per call: the median over rounds of `perRound` calls each. */
async function micro (name: string, perRound: number, call: (i: number) => unknown): Promise<MicroResult> {
  for (let i = 0; i < MICRO_WARMUP; i++) await call(i)
  const rounds: number[] = []
  for (let r = 0; r < MICRO_ROUNDS; r++) {
    const t0 = performance.now()
    for (let i = 0; i < perRound; i++) await call(i)
    rounds.push((performance.now() - t0) * 1000 / perRound)
  }
  const s = [...rounds].sort((a, b) => a - b)
  return { name, usPerCall: Number(median(s).toFixed(2)), p95Us: Number(quantile(s, 0.95).toFixed(2)), calls: MICRO_ROUNDS * perRound }
}

async function measurePure (): Promise<{ micro: MicroResult[], auditOk: boolean }> {
  const me = await generateKeyPair('Ed25519')
  const meBytes = peerIdFromPrivateKey(me).toMultihash().bytes
  const opponents = await Promise.all(Array.from({ length: 4 }, async () => generateKeyPair('Ed25519')))
  // Eight rated games in a row, alternating colours and outcomes, each starting from the rating the last ended with.
  let book: RatingBook = {}
  const results: CosignedResult[] = []
  const opp: FixedRating = { mu: 27_000, sigma: 5_000 }
  for (let g = 0; g < CITED; g++) {
    const mine = book[9]?.rating ?? { mu: 25_000, sigma: 8_333 }
    const black = g % 2 === 0
    const r = await cosignedResult(black ? me : opponents[g % 4], black ? opponents[g % 4] : me, black ? { B: mine, W: opp } : { B: opp, W: mine }, g % 3 === 0 ? 'W+R' : 'B+R', 1_790_000_000_000 + g * 60_000)
    await verifyCosignedResult(r)
    const applied = applyResult(book, meBytes, r)
    if (!applied.applied) throw new Error(`game ${g} not applied: ${applied.reason} ${applied.detail}`)
    book = applied.book
    results.push(r)
  }
  const now = 1_790_001_000_000
  const record = await signRatingRecord(me, { peer: meBytes, seq: now, updated: now, expires: now + 86_400_000, sizes: book, relay: { delivered: 0, failed: 0, served: 0 } })
  const fetched = new Map<string, Fetched>(results.map(r => [cosignedResultId(r).toString(), r]))
  const check = await auditRecord(record, fetched)
  const a: FixedRating = { mu: 25_000, sigma: 8_333 }
  const b: FixedRating = { mu: 27_500, sigma: 6_000 }
  const first = results[0]
  const out: MicroResult[] = []
  out.push(await micro('rateGame (one TrueSkill 1v1 update)', 200, i => rateGame(a, b, i % 2 === 0 ? 'win' : 'loss', 7.5)))
  out.push(await micro('applyResult (change + CID + book)', 100, () => applyResult({}, meBytes, first)))
  out.push(await micro('verifyCosignedResult (4 Ed25519 signatures)', 20, async () => verifyCosignedResult(first)))
  out.push(await micro(`auditRecord (record citing ${CITED} results)`, 5, async () => auditRecord(record, fetched)))
  return { micro: out, auditOk: check.ok && check.checked === CITED }
}

// ---- report ----

const f = (x: number): string => !Number.isFinite(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)

function table (dht: readonly DhtResult[], matches: readonly MatchResult[], pure: readonly MicroResult[]): string {
  const rows: string[][] = []
  const row = (name: string, s: Stat, unit: string): void => { rows.push([name, f(s.median), f(s.p95), f(s.max), String(s.n), unit]) }
  for (const d of dht) {
    const tag = `${d.nodes} nodes:`
    row(`${tag} put, ratings.publish()`, d.putMs, 'ms')
    row(`${tag}   peers that stored it`, d.putPeers, 'peers')
    row(`${tag}   hops (deepest storing peer)`, d.putHops, 'hops')
    row(`${tag}   peers contacted (FIND_NODE)`, d.putContacted, 'peers')
    row(`${tag} get, ratings.fetchRecord()`, d.getMs, 'ms')
    row(`${tag}   the same, walked to the end (mode full)`, d.fullGetMs, 'ms')
    row(`${tag}   raw dht.get, traced`, d.rawGetMs, 'ms')
    row(`${tag}   hops (peer that gave the value)`, d.getHops, 'hops')
    row(`${tag}   peers contacted (GET_VALUE)`, d.getContacted, 'peers')
    row(`${tag}   peers that returned the record`, d.getAnswered, 'peers')
  }
  for (const match of matches) {
    row(`${match.nodes} nodes: match find(9, wanted 1), first candidate`, match.firstCandidateMs, 'ms')
    row(`${match.nodes} nodes:   whole search (ranked, records verified)`, match.ms, 'ms')
    row(`${match.nodes} nodes:   candidates returned`, match.candidates, '')
  }
  for (const m of pure) rows.push([m.name, f(m.usPerCall), f(m.p95Us), '', String(m.calls), 'µs'])
  const header = ['measurement', 'median', 'p95', 'max', 'n', 'unit']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (cells: string[]): string => cells.map((s, i) => i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i])).join(' | ')
  return [line(header), widths.map(w => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')
}

async function stopNodes (nodes: readonly NetNode[]): Promise<void> {
  await Promise.all(nodes.map(async x => x.node.stop().catch(() => {})))
}

export async function main (): Promise<number> {
  const started = performance.now()
  const machine = { node: process.version, cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, platform: `${platform()} ${arch()}` }
  console.log(`machine: node ${machine.node}, ${machine.cpu} (${machine.cores} cores), ${machine.platform}`)
  const live: NetNode[] = []
  const watchdog = setTimeout(() => {
    console.error(`ratings benchmark: still running after ${WATCHDOG_MS / 1000} s, giving up`)
    process.exit(1)
  }, WATCHDOG_MS)
  watchdog.unref()
  const errors: string[] = []
  const random = prng(SEED)
  const dht: DhtResult[] = []
  const match: MatchResult[] = []
  let pure: { micro: MicroResult[], auditOk: boolean } | undefined

  const dhtOnly = process.argv.includes('--dht-only')
  if (!dhtOnly) {
    process.stderr.write('pure rating functions...\n')
    try {
      pure = await measurePure()
    } catch (err) {
      errors.push(`pure functions: ${(err as Error).stack ?? String(err)}`)
    }
  }
  for (const n of SIZES) {
    process.stderr.write(`DHT on ${n} nodes...\n`)
    let net: NetNode[] = []
    try {
      const r = await measureDht(n, random, live)
      net = r.net
      dht.push(r.dht)
      if (dhtOnly) continue
      process.stderr.write(`matchmaking on ${n} nodes: ${SEEKERS} seekers, ${SEARCHES} searches...\n`)
      match.push(await measureMatchmaking(net))
    } catch (err) {
      errors.push(`${n} nodes: ${(err as Error).stack ?? String(err)}`)
    } finally {
      await stopNodes(live.splice(0))
    }
  }
  const { cleanup } = await import('node-datachannel')
  cleanup()

  console.log()
  console.log(table(dht, match, pure?.micro ?? []))
  console.log()
  console.log(`Full p2pgo nodes in one process on 127.0.0.1 (no added latency), joined through one bootstrap node; every node shares one thread, so the DHT numbers are dominated by CPU, not by the network. ${SAMPLES} samples of each DHT measurement, done one at a time between random nodes (seed 0x${SEED.toString(16)}).`)
  console.log('Hops: peers in the querying node\'s routing table at the start are depth 1; a peer first named by a depth-d peer is depth d + 1. put hops = the deepest of the peers that stored the record (raw put of the same record); get hops = the depth of the peer whose value won. At these sizes a routing table holds most of the network (k = 20 per bucket), so the first round already reaches the closest peers.')
  console.log('Gets fetch records just published (the put samples), so they sit where lookups go; records only put as their node joined, while the network was still growing, are counted apart.')
  console.log('libp2p\'s connection monitor (a ping on every connection every 10 s) is off: on one thread its ~1000 connections\' pings would be most of the load.')
  for (const d of dht) console.log(`  ${d.nodes} nodes: get hops histogram ${JSON.stringify(d.getHopsHistogram)}; corrections sent per get median ${d.getCorrections.median}; ${d.getFailures} failed fetches${d.getFailures > 0 ? `: ${d.getFailureReasons.join('; ')}` : ''}; records put only as their node joined: ${d.startupRecordsFound}/${d.startupRecordsTried} found; routing tables hold median ${d.routingTable.median} (min ${d.routingTable.min}) of ${d.nodes - 1} peers; network up in ${d.startSeconds} s`)
  for (const m of match) console.log(`Matchmaking on ${m.nodes} nodes: ${m.seekers} nodes seek on 9x9 (newcomers, one rating bucket); ${m.searches} searches from other nodes, wanted 1; ${m.noCandidate} found none; buckets visited median ${m.bucketsVisited.median}.`)
  console.log('firstCandidateMs: search start to the first provider record: kad-dht answers findProviders from its local provider store first (with 20 nodes every node is among the k = 20 closest to the seek key and holds the seekers\' provider records itself), then with the first peer\'s response. The whole search runs the provider lookups (two time windows) to the end, then fetches and verifies every candidate\'s rating record.')
  if (pure != null) console.log(`Pure functions: median µs per call over ${MICRO_ROUNDS} rounds; the audited record cites ${CITED} co-signed results with real Ed25519 signatures (audit ok: ${String(pure.auditOk)}).`)
  for (const e of errors) console.log(`FAILED ${e}`)
  const seconds = (performance.now() - started) / 1000
  console.log(`\ntotal time ${seconds.toFixed(1)} s`)
  const out = fileURLToPath(new URL(dhtOnly ? '../../bench/ratings-dht-results.json' : '../../bench/ratings-results.json', import.meta.url))
  writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(),
    machine,
    settings: { sizes: SIZES, samples: SAMPLES, seekers: SEEKERS, searches: SEARCHES, batch: BATCH, seed: SEED, microRounds: MICRO_ROUNDS, cited: CITED },
    dht,
    matchmaking: match,
    pure: pure ?? null,
    errors,
    seconds: Number(seconds.toFixed(1))
  }, null, 2) + '\n')
  console.log(`results written to ${out}`)
  clearTimeout(watchdog)
  if (dhtOnly) return errors.length === 0 && dht.length === SIZES.length ? 0 : 1
  return errors.length === 0 && dht.length === SIZES.length && match.length === SIZES.length && pure != null ? 0 : 1
}

runAsProgram(import.meta.url, main)
