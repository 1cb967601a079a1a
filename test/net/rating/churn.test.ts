// Churn: 50 real nodes publish their rating records, a fifth of them leave and as many new ones
// join, the rest republish half a record lifetime later (a shared fake clock, injected as every
// node's `now`), and readers old and new fetch and verify every live publisher's record. Records
// nobody republished are refused once the clock passes their expiry, though peers still hold them.
import { afterAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { RecordNotFoundError } from '../../../src/net/rating/errors.js'
import { DhtRecords, ratingKey } from '../../../src/net/rating/dht-records.js'
import { storedValue } from '../../../src/net/rating/rating-dht.js'
import { InvalidRatingRecordError } from '../../../src/rating/errors.js'
import { decodeRatingRecord, encodeRatingRecord, type SignedRatingRecord } from '../../../src/rating/rating-record.js'
import { RECORD_TTL, REPUBLISH_INTERVAL } from '../../../src/rating/constants.js'
import { startNode, stopAll, until, type NetNode } from './harness.js'

const NODES = 50
/** A fifth of the network leaves, and as many new nodes join. */
const CHURN = NODES / 5
/** Live original publishers that do not republish: their records must lapse although they are up. */
const LAZY = 2
/** Readers: half of them new nodes, half original nodes that stayed. */
const READERS = 10
/**
 * Readers that fetch each live original publisher's record, and each new node's (round robin
 * over READERS). A get is a full Kademlia lookup, ~0.3 s of the one thread all 60 nodes share:
 * every reader fetching every record (~500 gets) would take minutes.
 */
const READS_PER_RECORD = 2
const READS_PER_NEW_RECORD = 2
/**
 * DHT operations running at once over the whole process. Every node shares one thread: with
 * dozens at once each one stretches past kad-dht's request timeouts (adaptive, from 5 s) and its
 * puts reach few peers, which separate machines would not do.
 */
const CONCURRENT = 4
/** A put that reached fewer peers than this (of the 20 closest) is done again where it matters. */
const WELL_STORED = 10
/** Nodes started at once. */
const BATCH = 10
const minute = 60_000

/** Runs `work` over `items`, at most `n` at a time. */
async function pool<T, R> (items: readonly T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i])
    }
  }))
  return out
}

type Outcome = { kind: 'found', seq: number } | { kind: 'not-found' } | { kind: 'invalid', reason: string } | { kind: 'error', message: string }

async function fetchFrom (reader: NetNode, publisher: string): Promise<Outcome> {
  try {
    const r = await reader.node.ratings.fetchRecord(publisher, { signal: AbortSignal.timeout(20_000) })
    return { kind: 'found', seq: r.seq }
  } catch (err) {
    if (err instanceof RecordNotFoundError) return { kind: 'not-found' }
    if (err instanceof InvalidRatingRecordError) return { kind: 'invalid', reason: err.reason }
    return { kind: 'error', message: `${(err as Error).name}: ${(err as Error).message}` }
  }
}

/**
 * Called as soon as startNode resolves, long before a put can complete. A node publishes its
 * record as it starts (RatingService.start): this records how many peers took that first one.
 */
function prepare (x: NetNode, published: Map<string, number>): NetNode {
  x.node.ratings.addEventListener('published', e => { if (!published.has(x.node.peerId)) published.set(x.node.peerId, e.detail.peers) })
  return x
}

/**
 * Nodes here run without libp2p's connection monitor: every node would ping each of its
 * connections every 10 s, and 60 nodes hold ~1000 connections (nearly a full mesh) on one
 * thread: most of the CPU of an idle network (about half a core, ~0.07 without), and a ping that
 * times out on the busy thread closes its connection. Separate machines would not share that load.
 */
const quiet = { monitor: false }

/**
 * Starts nodes that join through `bootstrap`, `BATCH` at a time, each batch in the routing tables
 * and its first records out before the next starts. The harness's startNetwork (all at once)
 * times out at this size: every node ends up connected to nearly every other, the one thread is
 * saturated for tens of seconds, noise handshakes with the bootstrap node outlast the 10 s dial
 * timeout, and @libp2p/bootstrap dials only once, so such a node never joins (here it is dialled
 * again).
 */
async function startBatched (count: number, bootstrap: string, name: string, now: () => number, sink: NetNode[], published: Map<string, number>): Promise<NetNode[]> {
  const out: NetNode[] = []
  for (let b = 0; b < count; b += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, count - b) }, async (_, i) => prepare(await startNode([bootstrap], `${name}${b + i + 1}`, now, quiet), published)))
    sink.push(...batch)
    out.push(...batch)
    await Promise.all(batch.map(async x => {
      for (let attempt = 1; ; attempt++) {
        try {
          await x.node.libp2p.dial(multiaddr(bootstrap), { signal: AbortSignal.timeout(30_000) })
          return
        } catch (err) {
          if (attempt >= 3) throw err
        }
      }
    }))
    await until(() => batch.every(x => x.node.libp2p.services.dht.routingTable.size >= 3), 'a batch of nodes to join', 60_000)
    // Each node's first publish (on start) out before the next batch adds to the load.
    await until(() => batch.every(x => published.has(x.node.peerId)), 'a batch of nodes to publish', 60_000)
  }
  return out
}

const pct = (a: number, b: number): string => `${(100 * a / Math.max(1, b)).toFixed(1)}%`

describe(`rating records under churn: ${NODES} nodes, ${CHURN} replaced`, () => {
  let offset = 0
  const now = (): number => Date.now() + offset
  /** Every node started, for afterAll. */
  const started: NetNode[] = []

  afterAll(async () => { await stopAll(started) }, 120_000)

  it('live publishers\' records stay retrievable after churn and republishing; records not republished lapse at expiry', async () => {
    const t0 = Date.now()
    const lap = (what: string): void => { console.log(`churn: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`) }
    const published = new Map<string, number>()
    const boot = prepare(await startNode([], 'boot', now, quiet), published)
    started.push(boot)
    const bootstrap = boot.node.libp2p.getMultiaddrs()[0].toString()
    const net = [boot, ...await startBatched(NODES - 1, bootstrap, 'p', now, started, published)]
    lap(`${NODES} nodes up`)

    // 1. Every node publishes its record: RatingService.start publishes it as the node joins (a
    // second round of publish() would cost ~25 s of the one thread here).
    const peersOf = (x: NetNode): number => published.get(x.node.peerId) ?? 0
    const firstPeers = net.map(peersOf).sort((a, b) => a - b)
    const leaving = net.filter((_, i) => i % 5 === 1)
    const staying = net.filter(x => !leaving.includes(x))
    // The lazy nodes stay up but never republish. Their one record must be stored where lookups
    // go: two of the last batch (which joined a whole network), published once more now that every
    // node is up: a first put made while ten nodes joined may have stored it on peers that are not
    // the closest, where a reader's walk does not look. (One CI run found 78/80: one publisher
    // missed by both its readers. Which one was not printed then; a miss now says.)
    const lazy = staying.slice(-BATCH).sort((a, b) => peersOf(b) - peersOf(a)).slice(0, LAZY)
    for (const x of lazy) expect((await x.node.ratings.publish()).peers).toBeGreaterThan(0)
    const firstRecord = new Map(net.map(x => [x.node.peerId, x.node.ratings.ownRecord as SignedRatingRecord]))
    lap(`${NODES} records published (peers per first put: min ${firstPeers[0]}, median ${firstPeers[NODES >> 1]}, max ${firstPeers[NODES - 1]}; ${firstPeers.filter(p => p === 0).length} reached none)`)

    // 2. Over the next half of a record's lifetime a fifth of the nodes (never the bootstrap node)
    // leave and as many new ones join, publishing their records as they start.
    expect(leaving).toHaveLength(CHURN)
    expect(leaving).not.toContain(boot)
    await stopAll(leaving)
    offset += REPUBLISH_INTERVAL
    const joiners = await startBatched(CHURN, bootstrap, 'new', now, started, published)
    lap(`${CHURN} left, ${CHURN} joined (peers per first put: ${joiners.map(peersOf).join(', ')})`)

    // 3. REPUBLISH_INTERVAL after the first records (the service's timer would fire now) the
    // original nodes that stayed republish; the LAZY ones do not. So do the new nodes whose first
    // put reached under WELL_STORED peers: ten joining at once on one thread time lookups out (a
    // single node joining a quiet network reaches 10-20).
    const republishers = [...staying.filter(x => !lazy.includes(x)), ...joiners.filter(x => peersOf(x) < WELL_STORED)]
    const second = await pool(republishers, CONCURRENT, async x => x.node.ratings.publish())
    expect(second.every(p => p.peers > 0)).toBe(true)
    const latest = new Map([...staying, ...joiners].map(x => [x.node.peerId, x.node.ratings.ownRecord as SignedRatingRecord]))
    lap(`${republishers.length} republished ${REPUBLISH_INTERVAL / 3_600_000} h later (peers per put: min ${Math.min(...second.map(p => p.peers))}, median ${second.map(p => p.peers).sort((a, b) => a - b)[second.length >> 1]})`)

    // 4. Retrieval: READERS nodes, old and new, fetch every live original publisher's record
    // (READS_PER_RECORD readers each, never the publisher itself), and the new nodes' records.
    const readers = [...joiners.slice(0, READERS / 2), ...staying.filter(x => x !== boot && !lazy.includes(x)).slice(0, READERS / 2)]
    let turn = 0
    const readersOf = (p: NetNode, count: number): NetNode[] => {
      const out: NetNode[] = []
      while (out.length < count) {
        const r = readers[turn++ % readers.length]
        if (r !== p && !out.includes(r)) out.push(r)
      }
      return out
    }
    const fetchAll = async (pairs: ReadonlyArray<{ r: NetNode, p: NetNode }>): Promise<Array<{ publisher: string, outcome: Outcome }>> =>
      pool(pairs, CONCURRENT, async ({ r, p }) => ({ publisher: p.node.peerId, outcome: await fetchFrom(r, p.node.peerId) }))
    const tally = (outcomes: Array<{ publisher: string, outcome: Outcome }>): { total: number, newest: number, older: number, failures: Array<{ publisher: string, outcome: Outcome }> } => {
      let newest = 0
      let older = 0
      const failures: Array<{ publisher: string, outcome: Outcome }> = []
      for (const o of outcomes) {
        // At least the record captured after republishing: a node whose first put reached nobody
        // retries on its own (RatingService), and may have published a newer one since.
        if (o.outcome.kind === 'found' && o.outcome.seq >= (latest.get(o.publisher)?.seq ?? Infinity)) newest++
        else if (o.outcome.kind === 'found') { older++; console.log(`churn: ${o.publisher} gave seq ${o.outcome.seq}, older than ${latest.get(o.publisher)?.seq ?? '?'}`) }
        else failures.push(o)
      }
      return { total: outcomes.length, newest, older, failures }
    }
    const originals = tally(await fetchAll(staying.flatMap(p => readersOf(p, READS_PER_RECORD).map(r => ({ r, p })))))
    const fresh = tally(await fetchAll(joiners.flatMap(p => readersOf(p, READS_PER_NEW_RECORD).map(r => ({ r, p })))))
    const found = originals.newest + fresh.newest
    const total = originals.total + fresh.total
    console.log(`churn: ${originals.newest}/${originals.total} records retrievable (${pct(originals.newest, originals.total)}): the ${staying.length} live original publishers (${LAZY} of them not republished), each fetched by ${READS_PER_RECORD} of ${readers.length} readers (${READERS / 2} of them new); found, verified and the newest`)
    console.log(`churn: ${fresh.newest}/${fresh.total} records of the ${CHURN} new nodes retrievable (${pct(fresh.newest, fresh.total)}), each fetched by ${READS_PER_NEW_RECORD} readers; all live publishers ${found}/${total} (${pct(found, total)})`)
    // A record not found: whether it was a lazy one, how far its puts went, and who holds it now.
    const holding = async (publisher: string): Promise<string> => {
      const p = [...staying, ...joiners].find(x => x.node.peerId === publisher) as NetNode
      const key = ratingKey(p.node.libp2p.peerId.toMultihash().bytes)
      let copies = 0
      let newest = 0
      for (const x of [...staying, ...joiners].filter(x => x !== p)) {
        const value = await storedValue(x.node.datastore, key)
        if (value == null) continue
        copies++
        if (decodeRatingRecord(value).seq >= (latest.get(publisher)?.seq ?? Infinity)) newest++
      }
      const again = republishers.indexOf(p)
      return `${lazy.includes(p) ? 'not republished' : `republished to ${again >= 0 ? second[again].peers : '-'} peers`}, first put ${peersOf(p)} peers; ${newest} live nodes hold the newest, ${copies} a copy`
    }
    for (const f of [...originals.failures, ...fresh.failures]) console.log(`churn: not retrieved: ${f.publisher}: ${JSON.stringify(f.outcome)} (${await holding(f.publisher)})`)
    if (originals.older + fresh.older > 0) console.log(`churn: ${originals.older + fresh.older} fetches returned a valid but older record`)
    lap('retrieval measured')
    expect(originals.newest / originals.total).toBeGreaterThanOrEqual(0.99)
    expect(found / total).toBeGreaterThanOrEqual(0.99)

    // Reported, not asserted: the departed nodes' records, never republished and still valid.
    const gone = await fetchAll(leaving.filter((_, i) => i % 2 === 0).flatMap(p => readersOf(p, 1).map(r => ({ r, p }))))
    console.log(`churn: records of the departed nodes (put as they joined, never republished, still valid): ${gone.filter(o => o.outcome.kind === 'found').length}/${gone.length} retrievable`)

    // 5. Past the first records' expiry: only republished records remain valid.
    offset = RECORD_TTL + minute
    const lapsedOnes = [...leaving, ...lazy]
    for (const x of lapsedOnes) expect(firstRecord.get(x.node.peerId)?.expires).toBeLessThan(now())
    const renewed = [...staying.filter(x => !lazy.includes(x)), ...joiners]
    for (const x of renewed) expect(latest.get(x.node.peerId)?.expires).toBeGreaterThan(now())
    const checker = joiners[joiners.length - 1]
    const lapsed = await fetchAll([...leaving.filter((_, i) => i % 4 === 0), ...lazy].map(p => ({ r: checker, p })))
    console.log(`churn: after expiry, records not republished: ${lapsed.filter(o => o.outcome.kind === 'found').length}/${lapsed.length} still accepted (${lapsed.length - LAZY} of departed nodes, ${LAZY} of live nodes that did not republish)`)
    for (const o of lapsed) expect(o.outcome.kind === 'not-found' || (o.outcome.kind === 'invalid' && o.outcome.reason === 'expired')).toBe(true)
    // Peers still serve the lapsed bytes (kad-dht keeps a stored record 48 h after receipt,
    // whatever it says): the reader's validator refuses every copy.
    let refused = 0
    for (const x of [leaving[1]]) {
      const key = ratingKey(x.node.libp2p.peerId.toMultihash().bytes)
      for await (const e of checker.node.libp2p.services.dht.get(key, { signal: AbortSignal.timeout(20_000) })) {
        if (e.name === 'QUERY_ERROR' && /invalid record/.test(e.error.message)) refused++
        expect(e.name).not.toBe('VALUE')
      }
    }
    for (const x of lapsedOnes) {
      const key = ratingKey(x.node.libp2p.peerId.toMultihash().bytes)
      await expect(new DhtRecords(now).checkRating(key, encodeRatingRecord(firstRecord.get(x.node.peerId) as SignedRatingRecord))).rejects.toMatchObject({ reason: 'expired' })
    }
    console.log(`churn: the lapsed record of a departed node: ${refused} copies still served by peers, every one refused by the reader (expired)`)
    expect(refused).toBeGreaterThan(0)
    const stillValid = tally(await fetchAll(renewed.filter((_, i) => i % 8 === 0).map(p => ({ r: checker === p ? readers[0] : checker, p }))))
    console.log(`churn: after expiry, republished records: ${stillValid.newest}/${stillValid.total} retrievable (${pct(stillValid.newest, stillValid.total)})`)
    for (const f of stillValid.failures) console.log(`churn: not retrieved after expiry: ${f.publisher}: ${JSON.stringify(f.outcome)}`)
    expect(stillValid.newest / stillValid.total).toBeGreaterThanOrEqual(0.99)
    lap('done')
  }, 240_000)
})
