// The bound the docs cite: no peer, and no ring of colluding identities, scores above maxScore.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { day } from '../../src/units.js'
import { amountOf, createReputationParams, defaultReputationParams as P, isGain, maxScore, maxWindowGain, originOf, scoreOf, windowOf, type ReputationEvent } from '../../src/reputation/index.js'
import { anyEvent, DAY0, delivered, originated, PEER, quality, timeIn } from './helpers.js'

/** The most distinct origins a peer gained from in any one window (events after `now` count in now's). */
const originsPerWindow = (events: readonly ReputationEvent[], now: number): number => {
  const byWindow = new Map<number, Set<string>>()
  for (const e of events.filter(isGain)) {
    const w = windowOf(Math.min(e.at, now))
    byWindow.set(w, (byWindow.get(w) ?? new Set()).add(originOf(e)))
  }
  return Math.max(0, ...[...byWindow.values()].map(s => s.size))
}

describe('maxScore', () => {
  const r = 2 ** (-1 / 7)

  it.each([
    [0, 0],
    [1, 0.3 * (1 + 1 / (1 - r))],
    [2, 0.6 * (1 + 1 / (1 - r))],
    [3, 0.9 * (1 + 1 / (1 - r))],
    [4, 1 * (1 + 1 / (1 - r))],
    [10, 1 * (1 + 1 / (1 - r))],
    [Infinity, 1 * (1 + 1 / (1 - r))]
  ])('maxScore(%d) = %d', (k, bound) => {
    expect(maxScore(k)).toBeCloseTo(bound, 12)
  })

  it('is about 3.48 for one origin and 11.6 for four or more, with the defaults', () => {
    expect(maxScore(1)).toBeCloseTo(3.48, 2)
    expect(maxScore(4)).toBeCloseTo(11.6, 1)
  })

  it('is min(windowCap, perOriginCap × origins) per window', () => {
    expect(maxWindowGain(2)).toBeCloseTo(0.6, 12)
    expect(maxWindowGain(7)).toBe(1)
    expect(maxWindowGain(Infinity, createReputationParams({ perOriginCap: 0 }))).toBe(0)
  })

  it('refuses a negative or NaN number of origins', () => {
    expect(() => maxScore(-1)).toThrow(RangeError)
    expect(() => maxScore(Number.NaN)).toThrow(RangeError)
  })

  it('is tight: a peer filling every window at its last moment, scored just after, comes within 0.1% of it', () => {
    const origins = ['origin-1', 'origin-2', 'origin-3', 'origin-4']
    const now = DAY0 + 1
    const events: ReputationEvent[] = []
    // The current window, at now; then every earlier window at its last ms, for 400 days.
    for (const o of origins) for (let i = 0; i < 2; i++) events.push(delivered(1, now, o))
    for (let m = 1; m <= 400; m++) for (const o of origins) for (let i = 0; i < 2; i++) events.push(delivered(1, DAY0 - (m - 1) * day - 1, o))
    const s = scoreOf(events, now).score
    expect(s).toBeLessThanOrEqual(maxScore(4))
    expect(s).toBeGreaterThan(0.999 * maxScore(4))
    // The steady-state sum alone (G / (1 − r)) would not have been a bound.
    expect(s).toBeGreaterThan(1 / (1 - r))
  })

  it('(property) no sequence of events scores above maxScore of the origins it gains from per window, nor above maxScore(k) for k origins in all', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }).chain(k => fc.tuple(fc.constant(k), fc.array(anyEvent(k, 30), { maxLength: 300 }))),
      timeIn(40),
      ([k, events], now) => {
        const s = scoreOf(events, now).score
        expect(s).toBeLessThanOrEqual(maxScore(originsPerWindow(events, now)) + 1e-9)
        expect(s).toBeLessThanOrEqual(maxScore(k) + 1e-9)
      }
    ), { numRuns: 300 })
  })

  it('(property) holds for other parameters too', () => {
    const params = fc.record({
      window: fc.integer({ min: 60_000, max: 3 * day }),
      gainHalfLife: fc.integer({ min: 3_600_000, max: 30 * day }),
      perOriginCap: fc.double({ min: 0, max: 2, noNaN: true }),
      windowCap: fc.double({ min: 0, max: 5, noNaN: true }),
      originGain: fc.double({ min: 0, max: 1, noNaN: true }),
      highQualityBonus: fc.double({ min: 1, max: 5, noNaN: true })
    }).map(o => createReputationParams(o))
    fc.assert(fc.property(params, fc.integer({ min: 1, max: 5 }).chain(k => fc.tuple(fc.constant(k), fc.array(anyEvent(k, 10), { maxLength: 200 }))), timeIn(12), (p, [k, events], now) => {
      expect(scoreOf(events, now, p).score).toBeLessThanOrEqual(maxScore(k, p) * (1 + 1e-12) + 1e-9)
    }), { numRuns: 200 })
  })
})

describe('a flood from one origin', () => {
  it('10,000 deliveries of quality 1 from one origin in one day gain at most the per-origin cap', () => {
    const flood = Array.from({ length: 10_000 }, (_, i) => delivered(1, DAY0 + i * 8, 'spammer'))
    for (const now of [DAY0 + 80_000, DAY0 + day - 1, DAY0 + 30 * day]) {
      const b = scoreOf(flood, now)
      expect(b.score).toBeLessThanOrEqual(P.perOriginCap)
      expect(b.delivered.gain).toBeLessThanOrEqual(P.perOriginCap)
      expect(b.capped).toBeCloseTo(10_000 * 0.2 - P.perOriginCap, 6)
    }
  })

  it('(property) N valid events from one origin within one window keep at most perOriginCap, undecayed', () => {
    const oneWindow = fc.integer({ min: 0, max: day - 1 }).map(dt => DAY0 + dt)
    const event = fc.tuple(fc.boolean(), quality, oneWindow).map(([own, q, at]) => own ? originated(q, at) : delivered(q, at, PEER))
    fc.assert(fc.property(fc.array(event, { minLength: 1, maxLength: 2000 }), fc.integer({ min: 0, max: 60 * day }), (events, later) => {
      const now = DAY0 + day - 1 + later
      const b = scoreOf(events, now)
      const total = events.reduce((sum, e) => sum + amountOf(e), 0)
      expect(total - b.capped).toBeLessThanOrEqual(P.perOriginCap + 1e-9)
      expect(b.score).toBeLessThanOrEqual(P.perOriginCap + 1e-9)
    }), { numRuns: 100 })
  })
})

describe('a ring of colluding identities', () => {
  /** What an honest node sees of member `m` when every member sends `perDay` RNA a day for `days` days, each member forwarding everyone else's. */
  const ringEvents = (members: readonly string[], m: string, days: number, perDay: number, q: (d: number, o: number, n: number) => number, offset: (d: number, o: number, n: number) => number): ReputationEvent[] => {
    const events: ReputationEvent[] = []
    for (let d = 0; d < days; d++) {
      members.forEach((o, oi) => {
        for (let n = 0; n < perDay; n++) {
          const at = DAY0 + d * day + offset(d, oi, n)
          events.push(o === m ? originated(q(d, oi, n), at, m) : delivered(q(d, oi, n), at, o, m))
        }
      })
    }
    return events
  }

  it('k = 2 … 10 identities, forwarding each other\'s RNA every window for 60 days: each ≤ maxScore(k), all ≤ k × maxScore(k)', () => {
    for (let k = 2; k <= 10; k++) {
      const members = Array.from({ length: k }, (_, i) => `ring-${i}`)
      let total = 0
      for (const m of members) {
        const events = ringEvents(members, m, 60, 5, () => 1, (d, o, n) => (o * 5 + n) * 60_000)
        const s = scoreOf(events, DAY0 + 60 * day).score
        expect(s).toBeLessThanOrEqual(maxScore(k))
        // The ring does fill its windows: the bound is not vacuous.
        expect(s).toBeGreaterThan(0.8 * maxScore(k))
        total += s
      }
      expect(total).toBeLessThanOrEqual(k * maxScore(k))
    }
  })

  it('(property) whatever the qualities, times in the day and the moment the node looks', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 10 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer(),
      fc.integer({ min: 0, max: 62 * day }),
      (k, perDay, seed, look) => {
        const members = Array.from({ length: k }, (_, i) => `ring-${i}`)
        // A cheap deterministic hash, so each (day, origin, n) has its own quality and time.
        const h = (d: number, o: number, n: number): number => Math.abs(Math.imul(seed ^ (d * 7919 + o * 104_729 + n * 15_485_863), 2_654_435_761)) / 2 ** 31
        let total = 0
        for (const m of members) {
          const events = ringEvents(members, m, 60, perDay, (d, o, n) => Math.min(1, h(d, o, n)), (d, o, n) => Math.floor(h(n, d, o) * (day - 1)))
          const s = scoreOf(events, DAY0 + look).score
          expect(s).toBeLessThanOrEqual(maxScore(k) + 1e-9)
          total += s
        }
        expect(total).toBeLessThanOrEqual(k * maxScore(k) + 1e-9)
      }
    ), { numRuns: 30 })
  })

  it('the default bound in numbers: a ring of 4 is worth ≈ 11.6 per identity, ≈ 46 in all', () => {
    expect(maxScore(4)).toBeCloseTo(11.6, 1)
    expect(4 * maxScore(4)).toBeCloseTo(46.4, 0)
  })
})
