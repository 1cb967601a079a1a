import { describe, expect, it } from 'vitest'
import { CLOCK_SKEW, entryLife, MAX_PERIOD, maxLife, MIN_PERIOD, nextDelay, TOPIC_BUDGET, topicPeriod } from '../../../../src/net/lobby/v2/budget.js'
import { CENSUS_MAX_GROWTH, CensusEstimator, censusDraw } from '../../../../src/net/lobby/v2/census-estimate.js'
import { belongsTo, bucketFor, followTopics, publishTopics } from '../../../../src/net/lobby/v2/follow.js'

describe('the topic budget', () => {
  it('keeps the least period while the topic carries less than its budget', () => {
    expect(topicPeriod({ publishers: 1, meanBytes: 560 })).toBe(MIN_PERIOD)
    expect(topicPeriod({ publishers: 16, meanBytes: 560 })).toBe(MIN_PERIOD)
  })

  it('stretches the period so n publishers together send the budget, however many there are', () => {
    for (const n of [100, 300]) {
      const period = topicPeriod({ publishers: n, meanBytes: 560 })
      // First-copy bytes a second on the topic: n presences of 560 bytes each period.
      expect(n * 560 / (period / 1000)).toBeCloseTo(TOPIC_BUDGET, 0)
    }
  })

  it('stops stretching at the longest period: a crowded topic costs more rather than going stale for hours', () => {
    expect(topicPeriod({ publishers: 10_000, meanBytes: 560 })).toBe(MAX_PERIOD)
    expect(topicPeriod({ publishers: 10_000, meanBytes: 560 }, { maxPeriod: 60_000 })).toBe(60_000)
  })

  it('counts at least this node and ignores a nonsense size', () => {
    expect(topicPeriod({ publishers: 0, meanBytes: Number.NaN })).toBe(MIN_PERIOD)
    expect(() => topicPeriod({ publishers: 1, meanBytes: 1 }, { budget: 0 })).toThrow(/positive/)
  })

  it('jitters each delay within half a period on either side', () => {
    expect(nextDelay(30_000, () => 0)).toBe(15_000)
    expect(nextDelay(30_000, () => 0.999999)).toBe(45_000)
    expect(nextDelay(30_000, () => Number.NaN)).toBe(30_000)
  })

  it('lets an entry live three periods and accepts one announcing at most that with jitter and skew', () => {
    expect(entryLife(30_000)).toBe(90_000)
    expect(maxLife()).toBe(entryLife(MAX_PERIOD) + CLOCK_SKEW)
  })
})

describe('the census estimate', () => {
  // Drawn (draw 0 is below any p) unless a test says otherwise.
  const sample = (sender: string, period: number, p: number, state: 'open' | 'playing' | 'online' = 'open', sizes = [19], draw = 0) => ({ sender, period, p, draw, state, sizes })

  it('is this node alone before anything is heard, and sends with certainty then', () => {
    const c = new CensusEstimator()
    expect(c.estimate(100).total).toBe(1)
    expect(c.probability(100)).toBe(1)
  })

  it('weighs each sender by the inverse of the probability it used, up to a step from its current estimate', () => {
    const c = new CensusEstimator()
    // A first period puts the estimate at 64 (8 senders at p = 1/8).
    for (let i = 0; i < 8; i++) c.record(sample(`a${i}`, 98, 1 / 8), 99)
    expect(c.estimate(99).total).toBeCloseTo(64)
    for (let i = 0; i < 8; i++) c.record(sample(`b${i}`, 99, 0.01), 100)
    expect(c.estimate(100).total).toBeCloseTo((64 + 800) / 2)
    expect(c.probability(101)).toBeCloseTo(8 / ((64 + 800) / 2))
  })

  it('does not let one census with a tiny p make the count (a Sybil in bench:scale made it a million)', () => {
    const c = new CensusEstimator()
    for (let i = 0; i < 8; i++) c.record(sample(`a${i}`, 98, 1), 99)
    // Claimed p = 1e-6 but not drawn at it (draw 0.3): not counted at all.
    expect(c.record(sample('sybil', 99, 1e-6, 'open', [19], 0.3), 100)).toBe(false)
    // Drawn (a ground identity): it counts as at most CENSUS_MAX_GROWTH times the estimate, not a million.
    expect(c.record(sample('ground', 99, 1e-6, 'open', [19], 1e-7), 100)).toBe(true)
    expect(c.estimate(100).total).toBeCloseTo((8 + CENSUS_MAX_GROWTH * 8) / 2)
  })

  it('draws a node\'s census from its peer ID and the period, the same for every receiver and about p of the periods', () => {
    const peer = new Uint8Array([0, 36, 8, 1, 18, 32, ...Array.from({ length: 32 }, (_, i) => i)])
    expect(censusDraw(peer, 29453760)).toBe(censusDraw(peer, 29453760))
    expect(censusDraw(peer, 29453760)).not.toBe(censusDraw(peer, 29453761))
    let drawn = 0
    for (let period = 0; period < 4000; period++) if (censusDraw(peer, period) < 0.25) drawn++
    expect(drawn).toBeGreaterThan(800)
    expect(drawn).toBeLessThan(1200)
  })

  it('averages the last complete periods, by state and by size', () => {
    const c = new CensusEstimator()
    for (let i = 0; i < 10; i++) c.record(sample(`a${i}`, 98, 0.5, i < 4 ? 'playing' : 'open', [9, 19]), 99)
    for (let i = 0; i < 6; i++) c.record(sample(`b${i}`, 99, 0.5, 'online', []), 99)
    const e = c.estimate(100)
    expect(e.periods).toBe(2)
    expect(e.total).toBeCloseTo((20 + 12) / 2)
    expect(e.byState).toEqual({ open: 6, playing: 4, online: 6 })
    expect(e.bySize).toEqual({ 9: 10, 19: 10 })
  })

  it('counts a sender once a period and ignores periods outside the window and impossible probabilities', () => {
    const c = new CensusEstimator()
    expect(c.record(sample('a', 99, 0.5), 100)).toBe(true)
    expect(c.record(sample('a', 99, 0.5), 100)).toBe(false)
    expect(c.record(sample('b', 102, 0.5), 100)).toBe(false)
    expect(c.record(sample('c', 90, 0.5), 100)).toBe(false)
    expect(c.record(sample('d', 99, 0), 100)).toBe(false)
    expect(c.record(sample('e', 99, 1.5), 100)).toBe(false)
    expect(c.estimate(100).total).toBe(2)
  })

  it('converges on the true number when every node follows the rule', () => {
    // 5,000 nodes each sending with the probability the shared estimate gives, a deterministic
    // random source: after a few periods the estimate is near 5,000 and about 8 send a period.
    let seed = 42
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    const c = new CensusEstimator()
    let sent = 0
    for (let period = 1; period <= 12; period++) {
      const p = c.probability(period)
      sent = 0
      for (let i = 0; i < 5000; i++) {
        const draw = random()
        if (draw < p) { c.record(sample(`n${i}`, period, p, 'open', [19], draw), period); sent++ }
      }
    }
    expect(c.estimate(13).total).toBeGreaterThan(2500)
    expect(c.estimate(13).total).toBeLessThan(10_000)
    expect(sent).toBeLessThan(40)
  })
})

describe('the topics a player follows', () => {
  it('puts a newcomer with average players and a rated player in its rating bucket', () => {
    expect(bucketFor(19, undefined)).toBe(6)
    expect(bucketFor(19, { 19: { mu: 31.2, sigma: 2 } })).toBe(7)
    expect(bucketFor(9, { 19: { mu: 31.2, sigma: 2 } })).toBe(6)
  })

  it('publishes on its own bucket per size and listens to it and the buckets next to it', () => {
    const ratings = { 9: { mu: 12, sigma: 3 } }
    expect(publishTopics([9, 19], ratings)).toEqual([{ size: 9, bucket: 3 }, { size: 19, bucket: 6 }])
    expect(followTopics([9], ratings)).toEqual([{ size: 9, bucket: 3 }, { size: 9, bucket: 2 }, { size: 9, bucket: 4 }])
    // An uncertain rating listens wider: one standard deviation, at most three buckets a side.
    expect(followTopics([9], { 9: { mu: 12, sigma: 7 } }).map(t => t.bucket)).toEqual([3, 2, 4, 1, 5])
    expect(followTopics([9], undefined).map(t => t.bucket)).toEqual([6, 5, 7, 4, 8, 3, 9])
    expect(belongsTo({ size: 9, bucket: 3 }, [9, 19], ratings)).toBe(true)
    expect(belongsTo({ size: 9, bucket: 4 }, [9, 19], ratings)).toBe(false)
    expect(belongsTo({ size: 13, bucket: 3 }, [9, 19], ratings)).toBe(false)
  })
})
