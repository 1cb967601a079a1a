// Issue 6: reputation-weighted DHT lookups, side by side with unweighted ones, in a network where
// 8 of 20 peers (low reputation) answer with stale or forged rating records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeRatingRecord, signRatingRecord, type SignedRatingRecord } from '../../../src/rating/rating-record.js'
import { ratingKey } from '../../../src/net/rating/dht-records.js'
import { rawPut, startNetwork, startNode, stopAll, until, type NetNode } from './harness.js'
import type { LookupMode } from '../../../src/net/rating/weighted-lookup.js'

const LIARS = 8
const SUBJECTS = 10

interface Outcome { mode: LookupMode, correct: boolean, answers: number, settled: boolean, ms: number }

describe('reputation-weighted rating lookups against stale and forged answers', () => {
  let net: NetNode[]
  let readers: Record<LookupMode, NetNode[]>
  const outcomes: Outcome[] = []

  beforeAll(async () => {
    net = await startNetwork(20)
    const liars = net.slice(1, 1 + LIARS)
    const honest = net.filter(x => !liars.includes(x))
    const subjects = honest.slice(1, 1 + SUBJECTS)
    // Each subject publishes a newest record; then each liar stores, for every subject, an older
    // one (validly signed: a replay) or a forged one (bad signature) and serves that instead.
    const newest = new Map<string, SignedRatingRecord>()
    for (const s of subjects) {
      await until(() => s.node.ratings.ownRecord != null, 'a first record')
      const own = s.node.ratings.ownRecord as SignedRatingRecord
      const stale = await signRatingRecord(s.key, { ...own, seq: own.seq + 1 })
      const fresh = await signRatingRecord(s.key, { ...own, seq: own.seq + 2 })
      newest.set(s.node.peerId, fresh)
      const key = ratingKey(s.node.libp2p.peerId.toMultihash().bytes)
      await until(async () => await rawPut(s, key, encodeRatingRecord(fresh)) >= net.length - 1, 'the newest record stored on every peer')
      await Promise.all(liars.map(async (liar, i) => {
        const bytes = encodeRatingRecord(stale)
        if (i % 3 === 2) bytes[bytes.length - 1] ^= 1
        await rawPut(liar, key, bytes)
      }))
    }
    const boot = net[0].node.libp2p.getMultiaddrs()[0].toString()
    const join = async (name: string): Promise<NetNode> => startNode([boot], name)
    readers = { weighted: [await join('weighted')], first: await Promise.all([join('first-1'), join('first-2'), join('first-3')]), full: [await join('full')] }
    const all = Object.values(readers).flat()
    await until(() => all.every(r => r.node.libp2p.services.dht.routingTable.size >= 15), 'readers to know the network', 30_000)
    // What the weighted reader learned of these peers before: the honest ones delivered good RNA
    // (from four origins), the liars delivered invalid RNA twice.
    const w = readers.weighted[0]
    const now = Date.now()
    // Subjects are left neutral: a subject's own copy is stored by its own put, unchecked, so a
    // liar's replay can overwrite it there (noted as a known limit).
    for (const x of honest.filter(h => !subjects.includes(h))) {
      for (let k = 0; k < 4; k++) w.node.reputation.record({ kind: 'delivered', peer: x.node.peerId, rna: `rna-${k}`, origin: `origin-${k}`, quality: 1, at: now })
    }
    for (const x of liars) {
      for (let k = 0; k < 2; k++) w.node.reputation.record({ kind: 'invalid', peer: x.node.peerId, reason: 'bad-signature', at: now })
    }
    for (const [mode, list] of Object.entries(readers) as Array<[LookupMode, NetNode[]]>) {
      for (const r of list) {
        for (const s of subjects) {
          const started = performance.now()
          const { record, lookup } = await r.node.ratings.lookupRecord(s.node.libp2p.peerId, { mode, signal: AbortSignal.timeout(20_000) })
          outcomes.push({ mode, correct: record?.seq === newest.get(s.node.peerId)?.seq, answers: lookup.answers, settled: lookup.settled, ms: performance.now() - started })
        }
      }
    }
  }, 240_000)

  afterAll(async () => { await stopAll([...(net ?? []), ...Object.values(readers ?? {}).flat()]) })

  const of = (mode: LookupMode): Outcome[] => outcomes.filter(o => o.mode === mode)
  const rate = (mode: LookupMode): number => of(mode).filter(o => o.correct).length / of(mode).length
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

  it('measures the three side by side', () => {
    for (const mode of ['weighted', 'first', 'full'] as const) {
      const list = of(mode)
      console.log(`${mode}: ${list.filter(o => o.correct).length}/${list.length} valid newest record, median ${median(list.map(o => o.answers))} answers awaited, median ${median(list.map(o => o.ms)).toFixed(0)} ms`)
    }
    expect(of('weighted').length).toBe(SUBJECTS)
  })

  it('returns the valid newest record more often than the unweighted lookup that stops as early', () => {
    expect(rate('weighted')).toBeGreaterThan(rate('first'))
  })

  it('returns it sooner than the unweighted lookup that walks to the end: after fewer answers, settled by a trusted peer', () => {
    // Correctness against the full walk is reported, not asserted: both miss at times here (honest
    // peers end up holding replayed copies; under investigation, see the issue notes).
    expect(of('weighted').filter(o => o.settled).length).toBeGreaterThan(SUBJECTS / 2)
    const awaited = (mode: LookupMode): number => of(mode).reduce((sum, o) => sum + o.answers, 0)
    expect(awaited('weighted')).toBeLessThan(awaited('full'))
  })
})
