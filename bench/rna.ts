// RNA benchmark: how fast a new game's mRNA reaches 95% and 100% of 30 and 100 real
// nodes, how many copies each node receives under p2pgo's gossipsub compared with flooding every
// message to every neighbour (measured on the same topologies in the same run), and what
// validating one RNA costs on 9x9 and 19x19.
//
// Every node is a full p2pgo node on 127.0.0.1 in this one process (2 cores here: the times
// include that contention). Topologies are random and connected: a random tree plus extra links,
// held exactly as drawn by connection gaters.
import '../src/polyfill.js'
import { writeFileSync } from 'node:fs'
import { arch, cpus, platform } from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { RNA_TOPIC } from '../src/net/rna/constants.js'
import { sparseNetwork, playLongGame, type NetNode } from '../test/net/rna/harness.js'
import { GossipCounter } from './network/gossip-counter.js'
import { prng } from './network/prng.js'
import { runAsProgram } from './network/main.js'
import { validationCost } from './rna-validate.js'
import { median, ms, rounded, summarize, type Summary } from './network/stats.js'
import type { GossipsubOpts } from '@libp2p/gossipsub'

const SIZES = [30, 100]
/** Extra links beyond the spanning tree: n/2 gives a mean degree of 3 (a sparse network), 4n about 10 (room for gossipsub's mesh to be smaller than the neighbourhood). */
const TOPOLOGIES = [
  { name: 'sparse', extra: (n: number) => Math.floor(n / 2) },
  { name: 'dense', extra: (n: number) => 4 * n }
] as const
/**
 * Flooding: every neighbour in the mesh and no IDONTWANT, so every node sends each new message to
 * every neighbour but the one it came from: the baseline gossipsub exists to beat.
 */
const FLOOD: Partial<GossipsubOpts> = { D: 1000, Dlo: 1000, Dhi: 2000, idontwantMinDataSize: Number.MAX_SAFE_INTEGER }
const MODES: ReadonlyArray<{ name: 'gossipsub' | 'flood', gossip: Partial<GossipsubOpts> }> = [{ name: 'gossipsub', gossip: {} }, { name: 'flood', gossip: FLOOD }]
/** New games spread per network, each between a different pair of neighbours. */
const TRIALS = 3
/** Turns of each game: a full-length 9x9 game (quality 0.52, forwarded through the queue, not with priority). */
const TURNS = 30
/** After the last node holds it: late copies (the forwarding queue holds one up to 3 s, IWANT answers) are still counted. */
const SETTLE_MS = 5000
const SPREAD_TIMEOUT_MS = 60_000
const SEED = 0x52a
const WATCHDOG_MS = 40 * 60_000

interface Trial {
  /** Game end at the origin → the RNA held by 95% / 100% of the nodes (the origin included). */
  readonly t95Ms: number
  readonly t100Ms: number | null
  /** Game end at the origin → its publish returned. */
  readonly publishMs: number
  readonly held: number
  /** RNA copies each node received (first copies and duplicates) while it spread. */
  readonly copiesPerNode: number
  readonly maxCopies: number
  /** Bytes of all gossipsub RPCs each node received meanwhile (lobby and control traffic included). */
  readonly rpcKbPerNode: number
  readonly rnaBytes: number
}

interface NetworkResult {
  readonly nodes: number
  readonly topology: string
  readonly mode: 'gossipsub' | 'flood'
  readonly edges: number
  readonly meanDegree: number
  readonly trials: Trial[]
  readonly t95Ms: Summary
  readonly t100Ms: Summary
  readonly copiesPerNode: number
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Times one new game's spread from its winner across the network. */
async function spread (nodes: NetNode[], counters: GossipCounter[], pair: [number, number], seed: number): Promise<Trial> {
  const [b, w] = pair
  const origin = nodes[w] // Black resigns: White wins and publishes.
  const accepted: Array<{ node: number, id: string, at: number }> = []
  const off = nodes.map((x, i) => {
    const on = (e: CustomEvent<{ id: string }>): void => { accepted.push({ node: i, id: e.detail.id, at: performance.now() }) }
    x.node.rna.addEventListener('rna:accepted', on)
    return () => { x.node.rna.removeEventListener('rna:accepted', on) }
  })
  let ended: number | undefined
  let published: { id: string, at: number } | undefined
  const onEnded = (): void => { ended ??= performance.now() }
  const onPublished = (e: CustomEvent<{ id: string }>): void => { published = { id: e.detail.id, at: performance.now() } }
  origin.node.addEventListener('game:ended', onEnded)
  origin.node.rna.addEventListener('rna:published', onPublished)
  const before = counters.map(c => ({ copies: c.copies, bytes: c.rpcBytes }))
  try {
    await playLongGame(nodes[b], origin, TURNS, seed, 'black')
    const deadline = performance.now() + SPREAD_TIMEOUT_MS
    const holders = (): number => published == null ? 0 : 1 + new Set(accepted.filter(a => a.id === published!.id && a.node !== w).map(a => a.node)).size
    while (holders() < nodes.length && performance.now() < deadline) await sleep(20)
    if (published == null || ended == null) throw new Error('the origin did not publish the game')
    await sleep(SETTLE_MS)
    const id = published.id
    const times = [published.at, ...nodes.map((_, i) => accepted.find(a => a.id === id && a.node === i && i !== w)?.at).filter((t): t is number => t != null)]
      .map(t => t - ended!).sort((x, y) => x - y)
    const copies = counters.map((c, i) => c.copies - before[i].copies)
    const stored = await origin.node.rna.get(id)
    return {
      t95Ms: times[Math.ceil(0.95 * nodes.length) - 1] ?? NaN,
      t100Ms: times.length === nodes.length ? times[times.length - 1] : null,
      publishMs: published.at - ended,
      held: times.length,
      copiesPerNode: copies.reduce((x, y) => x + y, 0) / nodes.length,
      maxCopies: Math.max(...copies),
      rpcKbPerNode: counters.reduce((s, c, i) => s + c.rpcBytes - before[i].bytes, 0) / nodes.length / 1024,
      rnaBytes: stored?.bytes.length ?? NaN
    }
  } finally {
    off.forEach(f => { f() })
    origin.node.removeEventListener('game:ended', onEnded)
    origin.node.rna.removeEventListener('rna:published', onPublished)
  }
}

async function network (n: number, topology: typeof TOPOLOGIES[number], mode: typeof MODES[number], seed: number): Promise<NetworkResult> {
  const counters = Array.from({ length: n }, () => new GossipCounter())
  const started = performance.now()
  const { nodes, edges } = await sparseNetwork(n, seed, { extra: topology.extra(n), gossip: i => ({ ...counters[i].options(RNA_TOPIC), ...mode.gossip }) })
  const meanDegree = 2 * edges.length / n
  console.log(`  ${n} nodes, ${topology.name} (${edges.length} links, mean degree ${meanDegree.toFixed(1)}), ${mode.name}: up in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  try {
    // Two heartbeats so the meshes have formed (gossipsub grafts on its 1 s heartbeat).
    await sleep(2500)
    const random = prng(seed)
    const trials: Trial[] = []
    for (let t = 0; t < TRIALS; t++) {
      const pair = edges[Math.floor(random() * edges.length)]
      const trial = await spread(nodes, counters, pair, seed * 100 + t)
      trials.push(trial)
      console.log(`    game ${t + 1}: 95% ${ms(trial.t95Ms)} ms, 100% ${trial.t100Ms == null ? `not reached (${trial.held}/${n})` : `${ms(trial.t100Ms)} ms`}, ${trial.copiesPerNode.toFixed(2)} copies per node (max ${trial.maxCopies}), ${trial.rnaBytes} bytes each`)
    }
    return {
      nodes: n,
      topology: topology.name,
      mode: mode.name,
      edges: edges.length,
      meanDegree: Number(meanDegree.toFixed(2)),
      trials: trials.map(x => ({ ...x, t95Ms: Number(x.t95Ms.toFixed(1)), t100Ms: x.t100Ms == null ? null : Number(x.t100Ms.toFixed(1)), publishMs: Number(x.publishMs.toFixed(1)), copiesPerNode: Number(x.copiesPerNode.toFixed(3)), rpcKbPerNode: Number(x.rpcKbPerNode.toFixed(1)) })),
      t95Ms: rounded(summarize(trials.map(x => x.t95Ms)), 1),
      t100Ms: rounded(summarize(trials.map(x => x.t100Ms ?? NaN).filter(Number.isFinite)), 1),
      copiesPerNode: Number(median(trials.map(x => x.copiesPerNode)).toFixed(3))
    }
  } finally {
    await Promise.all(nodes.map(async x => x.node.stop().catch(() => {})))
  }
}

export async function main (): Promise<number> {
  const watchdog = setTimeout(() => {
    console.error(`RNA benchmark: still running after ${WATCHDOG_MS / 60_000} min, giving up`)
    process.exit(1)
  }, WATCHDOG_MS)
  watchdog.unref()
  const started = performance.now()
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', platform: platform(), arch: arch(), node: process.version }
  console.log('RNA validation cost per RNA')
  const validation = await validationCost()
  console.log('RNA spread: game end at the origin → held by 95% / 100% of the nodes')
  const networks: NetworkResult[] = []
  const errors: string[] = []
  for (const n of SIZES) {
    for (const topology of TOPOLOGIES) {
      for (const mode of MODES) {
        try {
          networks.push(await network(n, topology, mode, SEED + n))
        } catch (err) {
          errors.push(`${n} nodes, ${topology.name}, ${mode.name}: ${(err as Error).message}`)
          console.error(`  failed: ${errors[errors.length - 1]}`)
        }
      }
    }
  }
  console.log('\n| nodes | topology | mode | 95% held (median ms) | 100% held (median ms) | copies per node | vs flooding |')
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const r of networks) {
    const flood = networks.find(x => x.nodes === r.nodes && x.topology === r.topology && x.mode === 'flood')
    const ratio = flood == null ? 'n/a' : `${(r.copiesPerNode / flood.copiesPerNode).toFixed(2)}×`
    console.log(`| ${r.nodes} | ${r.topology} (degree ${r.meanDegree.toFixed(1)}) | ${r.mode} | ${ms(r.t95Ms.median)} | ${ms(r.t100Ms.median)} | ${r.copiesPerNode.toFixed(2)} | ${ratio} |`)
  }
  const seconds = (performance.now() - started) / 1000
  console.log(`\ntotal time ${seconds.toFixed(1)} s`)
  const out = fileURLToPath(new URL('../../bench/rna-results.json', import.meta.url))
  writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(),
    machine,
    settings: { sizes: SIZES, topologies: TOPOLOGIES.map(t => ({ name: t.name, extra: t.name === 'sparse' ? 'n/2' : '4n' })), flood: FLOOD, trials: TRIALS, turns: TURNS, settleMs: SETTLE_MS, seed: SEED },
    validation,
    networks,
    errors,
    seconds: Number(seconds.toFixed(1))
  }, null, 2) + '\n')
  console.log(`results written to ${out}`)
  clearTimeout(watchdog)
  return errors.length === 0 ? 0 : 1
}

runAsProgram(import.meta.url, main)
