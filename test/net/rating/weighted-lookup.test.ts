// Reputation-weighted DHT lookups (protocols/reputation.md, "The reputation-weighted DHT"), side by side with unweighted ones, in a network where
// 8 of 20 peers (low reputation) answer with stale or forged rating records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeRatingRecord, type SignedRatingRecord } from '../../../src/rating/rating-record.js'
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
    // Each subject publishes twice, as a node does after a game; then each liar serves, for every
    // subject, the older record (validly signed: a replay) or a forged copy of it (bad signature).
    const newest = new Map<string, SignedRatingRecord>()
    for (const s of subjects) {
      await until(() => s.node.ratings.ownRecord != null, 'a first record')
      const stale = s.node.ratings.ownRecord as SignedRatingRecord
      await until(async () => (await s.node.ratings.publish()).peers >= net.length - 1, 'the newest record stored on every peer')
      const fresh = s.node.ratings.ownRecord as SignedRatingRecord
      expect(fresh.seq).toBeGreaterThan(stale.seq)
      newest.set(s.node.peerId, fresh)
      const key = ratingKey(s.node.libp2p.peerId.toMultihash().bytes)
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
    for (const x of honest) {
      for (let k = 0; k < 4; k++) w.node.reputation.record({ kind: 'delivered', peer: x.node.peerId, rna: `rna-${k}`, origin: `origin-${k}`, quality: 1, at: now })
    }
    for (const x of liars) {
      for (let k = 0; k < 2; k++) w.node.reputation.record({ kind: 'invalid', peer: x.node.peerId, reason: 'bad-signature', at: now })
    }
    // Subject by subject, every reader in turn: no mode gets a quieter network than another. Right
    // is the newest record or a newer one (a subject may republish meanwhile); wrong is the replay.
    for (const s of subjects) {
      for (const [mode, list] of Object.entries(readers) as Array<[LookupMode, NetNode[]]>) {
        for (const r of list) {
          const started = performance.now()
          const { record, lookup } = await r.node.ratings.lookupRecord(s.node.libp2p.peerId, { mode, signal: AbortSignal.timeout(20_000) })
          outcomes.push({ mode, correct: (record?.seq ?? -1) >= newest.get(s.node.peerId)!.seq, answers: lookup.answers, settled: lookup.settled, ms: performance.now() - started })
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

  it('returns the valid newest record more often than the unweighted lookup that stops as early, and as often as the one that walks to the end', () => {
    expect(rate('weighted')).toBeGreaterThan(rate('first'))
    expect(rate('weighted')).toBeGreaterThanOrEqual(rate('full'))
  })

  it('returns it sooner than the unweighted lookup that walks to the end: after fewer answers, settled by a trusted peer', () => {
    expect(of('weighted').filter(o => o.settled).length).toBeGreaterThan(SUBJECTS / 2)
    const awaited = (mode: LookupMode): number => of(mode).reduce((sum, o) => sum + o.answers, 0)
    expect(awaited('weighted')).toBeLessThan(awaited('full'))
  })
})
