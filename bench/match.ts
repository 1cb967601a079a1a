// Quick match speed for `npm run bench:match`: N full p2pgo nodes on 127.0.0.1 (as the ratings
// benchmark starts them), a few of them seeking a 9x9 game, and M quick matches from other nodes,
// each run as `p2pgo match` runs it (matchAnswer: search, then challenge the best candidates until
// one accepts). Times, per attempt: the first candidate (as the search reports it), the challenge
// arriving at the seeker, the game agreed; and where the time went (DHT provider lookups before the
// challenge, rating record fetches). Two rounds: seekers announced in the DHT only, then also in the
// lobby. Reports; asserts nothing.
//
//   npm run bench:match -- [--nodes 20] [--attempts 12] [--seekers 2] [--json]
import '../src/polyfill.js'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { defaultConfig } from '../src/config/config.js'
import { P2pgoNode } from '../src/net/node.js'
import { matchAnswer } from '../src/queries/rating-queries.js'
import { quantile } from './network/stats.js'
import { runAsProgram } from './network/main.js'
import type { GameTerms } from '../src/wire/game-start.js'
import type { KadDHT } from '@libp2p/kad-dht'

/** Nodes started at once (bench/ratings.ts: a whole network at once saturates the thread). */
const BATCH = 10
/** One attempt is given up after this. */
const ATTEMPT_MS = 60_000
/** The whole benchmark is stopped after this. */
const WATCHDOG_MS = 900_000

const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

async function until (check: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

const routingTableSize = (node: P2pgoNode): number => (node.libp2p.services.dht as unknown as { routingTable: { size: number } }).routingTable.size

/** What the searcher does while an attempt runs: provider lookups (started, before the challenge, ms in those that ended), record fetches (ms), the challenge's arrival (ms since the attempt began). */
interface Probe { lookups: number, lookupsBeforeOffer: number, lookupMs: number, fetches: number[], offerMs?: number }

/** A full node on 127.0.0.1, accepting every challenge and noting when one arrives. */
async function startNode (bootstrap: string[], name: string, offers: Map<string, () => void>): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: name }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true, connectionMonitor: false })
  node.decide = async () => { offers.get(node.peerId.toString())?.(); return { accept: true } }
  await node.start()
  return node
}

async function startNetwork (n: number, live: P2pgoNode[], offers: Map<string, () => void>): Promise<P2pgoNode[]> {
  const first = await startNode([], 'boot', offers)
  live.push(first)
  const address = first.libp2p.getMultiaddrs()[0].toString()
  for (let b = 1; b < n; b += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, n - b) }, async (_, i) => startNode([address], `p${b + i}`, offers)))
    live.push(...batch)
    await Promise.all(batch.map(async x => x.libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(30_000) }).catch(() => {})))
    await until(() => batch.every(x => routingTableSize(x) >= 3), 'a batch to join', 90_000)
  }
  await until(() => live.every(x => routingTableSize(x) >= Math.min(3, n - 1)), 'routing tables', 90_000)
  return live
}

/** Watches a searcher's provider lookups and record fetches (the real ones, passed through). */
function watch (node: P2pgoNode, probe: Probe): () => void {
  const restore: Array<() => void> = []
  const services = node.libp2p.services as unknown as Record<string, KadDHT | undefined>
  for (const name of ['dht', 'lanDht']) {
    const dht = services[name]
    if (dht == null) continue
    const real = dht.findProviders.bind(dht)
    dht.findProviders = async function * (key, options) {
      probe.lookups++
      if (probe.offerMs == null) probe.lookupsBeforeOffer++
      const t = performance.now()
      try { yield * real(key, options) } finally { probe.lookupMs += performance.now() - t }
    }
    restore.push(() => { dht.findProviders = real })
  }
  const ratings = node.ratings
  const fetch = ratings.fetchRecord.bind(ratings)
  ratings.fetchRecord = async (peer, options) => {
    const t = performance.now()
    try { return await fetch(peer, options) } finally { probe.fetches.push(Math.round(performance.now() - t)) }
  }
  restore.push(() => { ratings.fetchRecord = fetch })
  return () => { for (const r of restore) r() }
}

interface Attempt { firstCandidateMs?: number, offerMs?: number, gameMs?: number, searchMs: number, lookupsBeforeOffer: number, lookups: number, lookupMs: number, fetchMs: number[] }

async function attempt (searcher: P2pgoNode, seekers: readonly P2pgoNode[], offers: Map<string, () => void>): Promise<Attempt> {
  const began = performance.now()
  const probe: Probe = { lookups: 0, lookupsBeforeOffer: 0, lookupMs: 0, fetches: [] }
  for (const s of seekers) offers.set(s.peerId.toString(), () => { probe.offerMs ??= performance.now() - began })
  const restore = watch(searcher, probe)
  try {
    const answer = await matchAnswer(searcher, { size: 9 }, AbortSignal.timeout(ATTEMPT_MS))
    const gameMs = answer.game != null ? performance.now() - began : undefined
    return {
      ...(answer.firstCandidateMs != null ? { firstCandidateMs: answer.firstCandidateMs } : {}),
      ...(probe.offerMs != null ? { offerMs: probe.offerMs } : {}),
      ...(gameMs != null ? { gameMs } : {}),
      searchMs: answer.ms,
      lookupsBeforeOffer: probe.lookupsBeforeOffer,
      lookups: probe.lookups,
      lookupMs: Math.round(probe.lookupMs),
      fetchMs: probe.fetches
    }
  } catch (err) {
    process.stderr.write(`  attempt failed: ${(err as Error).message}\n`)
    return { searchMs: performance.now() - began, lookupsBeforeOffer: probe.lookupsBeforeOffer, lookups: probe.lookups, lookupMs: Math.round(probe.lookupMs), fetchMs: probe.fetches }
  } finally {
    restore()
    offers.clear()
  }
}

interface Stat { readonly p50: number, readonly p95: number, readonly n: number }
const stat = (xs: ReadonlyArray<number | undefined>): Stat => {
  const s = xs.filter((x): x is number => x != null).sort((a, b) => a - b)
  return { p50: Math.round(quantile(s, 0.5)), p95: Math.round(quantile(s, 0.95)), n: s.length }
}

interface RoundResult {
  readonly round: 'dht' | 'lobby'
  readonly attempts: number
  readonly firstCandidateMs: Stat
  readonly challengeMs: Stat
  readonly gameMs: Stat
  readonly lookupsBeforeChallenge: Stat
  readonly recordFetchMs: Stat
  readonly noGame: number
}

async function round (name: 'dht' | 'lobby', net: readonly P2pgoNode[], seekers: readonly P2pgoNode[], attempts: number, offers: Map<string, () => void>): Promise<RoundResult> {
  const searchers = net.filter(x => !seekers.includes(x) && x !== net[0])
  const all: Attempt[] = []
  for (let i = 0; i < attempts; i++) {
    const a = await attempt(searchers[(i * 3) % searchers.length], seekers, offers)
    process.stderr.write(`  ${name} #${i + 1}: first candidate ${a.firstCandidateMs?.toFixed(0) ?? '-'} ms, challenge ${a.offerMs?.toFixed(0) ?? '-'} ms, game ${a.gameMs?.toFixed(0) ?? '-'} ms; ${a.lookupsBeforeOffer}/${a.lookups} provider lookups before the challenge (${a.lookupMs} ms in those that ended); record fetches ${a.fetchMs.join(', ')} ms\n`)
    all.push(a)
  }
  return {
    round: name,
    attempts,
    firstCandidateMs: stat(all.map(a => a.firstCandidateMs)),
    challengeMs: stat(all.map(a => a.offerMs)),
    gameMs: stat(all.map(a => a.gameMs)),
    lookupsBeforeChallenge: stat(all.map(a => a.lookupsBeforeOffer)),
    recordFetchMs: stat(all.flatMap(a => a.fetchMs)),
    noGame: all.filter(a => a.gameMs == null).length
  }
}

async function main (): Promise<number> {
  const { values } = parseArgs({ options: { nodes: { type: 'string', default: '20' }, attempts: { type: 'string', default: '12' }, seekers: { type: 'string', default: '2' }, json: { type: 'boolean' } } })
  const n = Number(values.nodes)
  const attempts = Number(values.attempts)
  const seekerCount = Number(values.seekers)
  if (!Number.isInteger(n) || n < 4) throw new Error(`--nodes must be a whole number of at least 4, got ${values.nodes}`)
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`--attempts must be a whole number of at least 1, got ${values.attempts}`)
  if (!Number.isInteger(seekerCount) || seekerCount < 1 || seekerCount > n - 2) throw new Error(`--seekers must be between 1 and ${n - 2}, got ${values.seekers}`)
  const watchdog = setTimeout(() => { console.error(`the benchmark took over ${WATCHDOG_MS / 1000} s: stopped`); process.exit(1) }, WATCHDOG_MS)
  watchdog.unref()
  const live: P2pgoNode[] = []
  const offers = new Map<string, () => void>()
  try {
    process.stderr.write(`starting ${n} nodes...\n`)
    const net = await startNetwork(n, live, offers)
    const seekers = net.slice(1, 1 + seekerCount)
    // Seekers in the DHT only (as `p2pgo bot --mode seek` announces, before its lobby seek is seen).
    await Promise.all(seekers.map(async s => s.matchmaker.seek(9, { signal: AbortSignal.timeout(60_000) })))
    await sleep(1000)
    const results = [await round('dht', net, seekers, attempts, offers)]
    // And in the lobby as well: every searcher's view holds their seeks.
    for (const s of seekers) s.lobby.postSeek({ terms, color: 'random' })
    await until(() => net.every(x => seekers.every(s => s === x || x.lobby.seeks().some(k => k.peer.equals(s.peerId)))), 'the seeks in every lobby view', 60_000)
    results.push(await round('lobby', net, seekers, attempts, offers))
    const out = { nodes: n, seekers: seekerCount, rounds: results }
    if (values.json === true) console.log(JSON.stringify(out))
    else {
      for (const r of results) {
        console.log(`${n} nodes, ${seekerCount} seekers ${r.round === 'dht' ? 'in the DHT only' : 'in the DHT and the lobby'}, ${r.attempts} quick matches:`)
        console.log(`  first candidate  p50 ${r.firstCandidateMs.p50} ms  p95 ${r.firstCandidateMs.p95} ms`)
        console.log(`  challenge sent   p50 ${r.challengeMs.p50} ms  p95 ${r.challengeMs.p95} ms`)
        console.log(`  game agreed      p50 ${r.gameMs.p50} ms  p95 ${r.gameMs.p95} ms  (${r.noGame} without a game)`)
        console.log(`  provider lookups before the challenge p50 ${r.lookupsBeforeChallenge.p50}; record fetch p50 ${r.recordFetchMs.p50} ms p95 ${r.recordFetchMs.p95} ms`)
      }
    }
    return results.every(r => r.noGame === 0) ? 0 : 1
  } finally {
    await Promise.all(live.map(async x => x.stop().catch(() => {})))
  }
}

runAsProgram(import.meta.url, main)
