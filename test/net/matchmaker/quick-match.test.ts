// Quick match on real nodes: a candidate is challenged as soon as one is known, not after the
// DHT walk over every rating bucket. The searcher's DHT provider lookups are recorded (the real
// lookups run, their answers untouched) with the moment the seeker receives the challenge, and the
// order of those events is asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matchAnswer } from '../../../src/queries/rating-queries.js'
import { ClientState } from '../../../src/tui/client-state.js'
import { bucketOf, bucketsAround, seekKey, windowOf } from '../../../src/rating/seek-keys.js'
import { MAX_WIDEN } from '../../../src/rating/constants.js'
import { startNetwork, stopAll, terms, type NetNode } from '../rating/harness.js'
import { until } from '../../helpers/game-nodes.js'
import type { KadDHT } from '@libp2p/kad-dht'
import type { CID } from 'multiformats/cid'

/** What happened, in order: a provider lookup of a bucket started or ended, or the seeker got the offer. */
type Step = { kind: 'lookup' | 'lookup-end', bucket: number } | { kind: 'offer' }

/** Records every provider lookup `x` starts (by rating bucket of 9x9 seek keys) into `steps`, passing the real lookup through. */
function recordLookups (x: NetNode, steps: Step[]): () => void {
  const now = Date.now()
  const windows = [windowOf(now), windowOf(now) - 1]
  const own = bucketOf(x.node.ratings.ratingOn(9))
  const bucketOfKey = (key: CID): number => {
    for (const b of bucketsAround(own, MAX_WIDEN + 2)) {
      if (windows.some(w => seekKey(9, b, w).equals(key))) return b
    }
    return Number.NaN
  }
  const services = x.node.libp2p.services as unknown as Record<string, KadDHT | undefined>
  const restore: Array<() => void> = []
  for (const name of ['dht', 'lanDht']) {
    const dht = services[name]
    if (dht == null) continue
    const real = dht.findProviders.bind(dht)
    dht.findProviders = async function * (key, options) {
      const bucket = bucketOfKey(key)
      steps.push({ kind: 'lookup', bucket })
      try {
        yield * real(key, options)
      } finally {
        steps.push({ kind: 'lookup-end', bucket })
      }
    }
    restore.push(() => { dht.findProviders = real })
  }
  return () => { for (const r of restore) r() }
}

describe('quick match on 6 real nodes', () => {
  let net: NetNode[]

  beforeAll(async () => {
    net = await startNetwork(6)
  }, 120_000)

  afterAll(async () => { await stopAll(net ?? []) })

  it('a seeker already in the lobby view is challenged before any DHT provider lookup has to end', async () => {
    const [, seeker, searcher] = net
    const steps: Step[] = []
    seeker.node.decide = async () => { steps.push({ kind: 'offer' }); return { accept: true } }
    // The searcher looks at 9x9 (a node listens to the lobby topics of the size it shows).
    searcher.node.lobby.follow([9])
    const seekId = seeker.node.lobby.postSeek({ terms, color: 'random' })
    await until(() => searcher.node.lobby.seeks().some(s => s.peer.equals(seeker.node.peerId)), 'the seek in the searcher\'s lobby view', 60_000)
    const restore = recordLookups(searcher, steps)
    try {
      const answer = await matchAnswer(searcher.node, { size: 9 }, AbortSignal.timeout(120_000))
      expect(answer.game?.peer).toBe(seeker.node.peerId.toString())
      expect(answer.candidates.map(c => c.peer)).toContain(seeker.node.peerId.toString())
      const offer = steps.findIndex(s => s.kind === 'offer')
      expect(offer).toBeGreaterThanOrEqual(0)
      // Nothing the walk over the buckets does had to finish before the challenge went out.
      expect(steps.slice(0, offer).filter(s => s.kind === 'lookup-end')).toEqual([])
    } finally {
      restore()
      seeker.node.lobby.cancelSeek(seekId)
      seeker.node.decide = async () => ({ accept: true })
    }
  }, 180_000)

  it('a seeker found in the DHT is challenged before the walk widens to other buckets', async () => {
    const [, , , seeker, searcher] = net
    const steps: Step[] = []
    seeker.node.decide = async () => { steps.push({ kind: 'offer' }); return { accept: true } }
    // Announced in the DHT only: the searcher's lobby view shows no seek of it.
    await seeker.node.matchmaker.seek(9, { signal: AbortSignal.timeout(60_000) })
    expect(searcher.node.lobby.seeks().some(s => s.peer.equals(seeker.node.peerId))).toBe(false)
    const own = bucketOf(searcher.node.ratings.ratingOn(9))
    expect(bucketOf(seeker.node.ratings.ratingOn(9))).toBe(own)
    const restore = recordLookups(searcher, steps)
    try {
      const answer = await matchAnswer(searcher.node, { size: 9 }, AbortSignal.timeout(120_000))
      expect(answer.game?.peer).toBe(seeker.node.peerId.toString())
      const offer = steps.findIndex(s => s.kind === 'offer')
      expect(offer).toBeGreaterThanOrEqual(0)
      const before = steps.slice(0, offer).filter(s => s.kind === 'lookup')
      // The seeker's own bucket was asked, and no other before the challenge went out.
      expect(before.map(s => s.bucket)).toContain(own)
      expect(before.filter(s => s.bucket !== own)).toEqual([])
    } finally {
      restore()
      await seeker.node.matchmaker.stopSeeking()
      seeker.node.decide = async () => ({ accept: true })
    }
  }, 180_000)
  it('the terminal client\'s quick match challenges a seeker in its lobby view before any DHT provider lookup has to end', async () => {
    // Two nodes in no game yet (the client would open one left unfinished).
    const [searcher, , , , , seeker] = net
    const steps: Step[] = []
    seeker.node.decide = async () => { steps.push({ kind: 'offer' }); return { accept: true } }
    const seekId = seeker.node.lobby.postSeek({ terms, color: 'random' })
    const state = new ClientState(searcher.node, 9)
    state.start()
    await until(() => state.entries().some(e => e.kind === 'seek' && e.seek.peer.equals(seeker.node.peerId)), 'the seek in the client\'s lobby', 60_000)
    const restore = recordLookups(searcher, steps)
    try {
      state.quickMatch()
      await until(() => state.session() != null, 'the matched game', 120_000)
      const offer = steps.findIndex(s => s.kind === 'offer')
      expect(offer).toBeGreaterThanOrEqual(0)
      expect(steps.slice(0, offer).filter(s => s.kind === 'lookup-end')).toEqual([])
    } finally {
      restore()
      state.stop()
      searcher.node.decide = async () => ({ accept: true })
      seeker.node.lobby.cancelSeek(seekId)
      seeker.node.decide = async () => ({ accept: true })
    }
  }, 180_000)
})
