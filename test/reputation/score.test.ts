import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { day } from '../../src/units.js'
import {
  ageBreakdown, amountOf, createReputationParams, defaultReputationParams as P, EMPTY_BREAKDOWN, MixedPeersError,
  scoreOf, trustOf, type ReputationEvent
} from '../../src/reputation/index.js'
import { anyEvent, auditFailed, DAY0, delivered, invalid, originated, penaltyAt, PEER, spam, T0, timeIn } from './helpers.js'

describe('what each event is worth', () => {
  // amount before caps; score and capped of that one event alone, at its own time.
  it.each<[string, ReputationEvent, number, number, number]>([
    ['a delivery at quality 0.5 gains 0.1 (0.1 × relay boost 2 × 0.5)', delivered(0.5), 0.1, 0.1, 0],
    ['a delivery at quality 1 gains 0.2', delivered(1), 0.2, 0.2, 0],
    ['a delivery at quality 0 gains nothing', delivered(0), 0, 0, 0],
    ['an origin at quality 0.5 gains 0.2 × 0.5', originated(0.5), 0.1, 0.1, 0],
    ['an origin at exactly 0.7 gains no bonus', originated(0.7), 0.14, 0.14, 0],
    ['an origin just above 0.7 gains twice as much', originated(0.71), 0.284, 0.284, 0],
    ['an origin at quality 1 would gain 0.4: the per-origin cap keeps 0.3', originated(1), 0.4, 0.3, 0.1],
    ['an invalid RNA costs 0.5', invalid(), -0.5, -0.5, 0],
    ['a worthless RNA costs its origin 0.05', spam(), -0.05, -0.05, 0],
    ['a failed audit costs 1', auditFailed(), -1, -1, 0]
  ])('%s', (_name, event, amount, score, capped) => {
    expect(amountOf(event)).toBeCloseTo(amount, 12)
    const b = scoreOf([event], event.at)
    expect(b.score).toBeCloseTo(score, 12)
    expect(b.capped).toBeCloseTo(capped, 12)
  })

  it('the relay boost and the bonus are parameters', () => {
    const p = createReputationParams({ relayBoost: 3, highQualityBonus: 1.5, perOriginCap: 10, windowCap: 10 })
    expect(amountOf(delivered(0.5), p)).toBeCloseTo(0.15, 12)
    expect(amountOf(originated(0.8), p)).toBeCloseTo(0.2 * 0.8 * 1.5, 12)
  })

  it('breaks the score down by kind', () => {
    const events = [originated(0.5), originated(0.9), delivered(0.5, T0, 'o2'), invalid(), invalid(), spam(), auditFailed()]
    const b = scoreOf(events, T0)
    expect(b.originated.count).toBe(2)
    expect(b.originated.meanQuality).toBeCloseTo(0.7, 12)
    // 0.1 + 0.36 from one origin (itself), cut to 0.3.
    expect(b.originated.gain).toBeCloseTo(0.3, 9)
    expect(b.delivered).toEqual({ count: 1, gain: expect.closeTo(0.1, 9) })
    expect(b.penalties).toEqual({ invalid: 2, spam: 1, auditFailed: 1, loss: expect.closeTo(2.05, 9), reasons: { 'bad-signature': 2 } })
    expect(b.capped).toBeCloseTo(0.16, 9)
    expect(b.score).toBeCloseTo(b.originated.gain + b.delivered.gain - b.penalties.loss, 12)
    expect(b.trust).toBe(trustOf(b.score))
  })

  it('a peer with no events has the empty breakdown and trust 0.5', () => {
    expect(scoreOf([], T0)).toEqual(EMPTY_BREAKDOWN)
    expect(EMPTY_BREAKDOWN.trust).toBe(0.5)
  })
})

describe('decay', () => {
  it.each<[string, ReputationEvent, number, number]>([
    ['a gain counts in full at once', delivered(1), 0, 0.2],
    ['a gain halves after one gain half-life (7 days)', delivered(1), 7 * day, 0.1],
    ['and quarters after two', delivered(1), 14 * day, 0.05],
    ['half a half-life is 2^-0.5', delivered(1), 3.5 * day, 0.2 * 2 ** -0.5],
    ['a penalty is barely lower after 7 days', invalid(), 7 * day, -0.5 * 2 ** (-7 / 30)],
    ['a penalty halves after one penalty half-life (30 days)', invalid(), 30 * day, -0.25],
    ['a failed audit quarters after 60 days', auditFailed(), 60 * day, -0.25]
  ])('%s', (_name, event, age, score) => {
    expect(scoreOf([event], event.at + age).score).toBeCloseTo(score, 12)
  })

  it('counts an event dated after now as made now', () => {
    expect(scoreOf([delivered(1, T0 + day)], T0).score).toBeCloseTo(0.2, 12)
    expect(scoreOf([invalid(T0 + 100 * day)], T0).score).toBeCloseTo(-0.5, 12)
    // … and in now's window: with one made now from the same origin, together they hit the cap.
    expect(scoreOf([delivered(1, T0), delivered(1, T0 + 5 * day)], T0).score).toBeCloseTo(0.3, 12)
  })

  it('caps the undecayed amounts, then decays what was kept', () => {
    const flood = Array.from({ length: 10 }, () => delivered(1, DAY0))
    const b = scoreOf(flood, DAY0 + 7 * day)
    expect(b.capped).toBeCloseTo(2 - 0.3, 9)
    expect(b.score).toBeCloseTo(0.15, 9)
  })
})

describe('caps', () => {
  it('cut a gain that would pass the per-origin cap to what is left, and report the cut', () => {
    // At one instant, so nothing decays: events at the same ms are taken in the order given.
    const b = scoreOf([delivered(1, DAY0), delivered(1, DAY0), delivered(1, DAY0)], DAY0)
    // 0.2 kept, then 0.1 of 0.2, then nothing.
    expect(b.score).toBeCloseTo(0.3, 12)
    expect(b.capped).toBeCloseTo(0.3, 12)
  })

  it('per origin: 100 deliveries from one origin in a window keep 0.3', () => {
    const flood = Array.from({ length: 100 }, () => delivered(1, DAY0))
    const b = scoreOf(flood, DAY0)
    expect(b.score).toBeCloseTo(P.perOriginCap, 9)
    expect(b.capped).toBeCloseTo(100 * 0.2 - P.perOriginCap, 9)
  })

  it('per origin: RNA a peer created and RNA of its own it delivered share one cap', () => {
    const b = scoreOf([originated(1, DAY0), delivered(1, DAY0, PEER)], DAY0)
    expect(b.score).toBeCloseTo(0.3, 12)
    expect(b.originated.gain).toBeCloseTo(0.3, 12)
    expect(b.delivered.gain).toBe(0)
  })

  it('per window: 20 origins at 0.2 each keep 1.0 in all', () => {
    const many = Array.from({ length: 20 }, (_, i) => delivered(1, DAY0, `origin-${i}`))
    const b = scoreOf(many, DAY0)
    expect(b.score).toBeCloseTo(P.windowCap, 9)
    expect(b.capped).toBeCloseTo(4 - P.windowCap, 9)
  })

  it('take gains in time order, whatever order they are given in: the earliest are kept', () => {
    const early = delivered(1, DAY0)
    const late = Array.from({ length: 5 }, (_, i) => delivered(1, DAY0 + 12 * 3_600_000 + i))
    const now = DAY0 + day - 1
    const given = scoreOf([...late, early], now)
    expect(given.score).toBeCloseTo(scoreOf([early, ...late], now).score, 12)
    // early (0.2) in full, 0.1 of the first late one, nothing of the rest.
    const d = (at: number): number => 2 ** (-(now - at) / P.gainHalfLife)
    expect(given.score).toBeCloseTo(0.2 * d(early.at) + 0.1 * d(late[0].at), 12)
  })

  it('start again in each window', () => {
    const flood = (d: number): ReputationEvent[] => Array.from({ length: 10 }, () => delivered(1, DAY0 + d * day))
    const b = scoreOf([...flood(0), ...flood(1), ...flood(2)], DAY0 + 2 * day)
    const r = 2 ** (-1 / 7)
    expect(b.score).toBeCloseTo(0.3 * (1 + r + r * r), 12)
  })

  it('never apply to penalties', () => {
    const b = scoreOf(Array.from({ length: 10 }, (_, i) => invalid(T0 + i)), T0 + 10)
    expect(b.score).toBeCloseTo(-5, 6)
    expect(b.penalties.invalid).toBe(10)
    expect(b.capped).toBe(0)
  })

  it('are not used up by penalties', () => {
    const b = scoreOf([spam(DAY0), invalid(DAY0), delivered(1, DAY0), delivered(1, DAY0)], DAY0)
    expect(b.delivered.gain).toBeCloseTo(0.3, 12)
  })
})

describe('scoreOf refuses', () => {
  it('events of more than one peer', () => {
    const mixed = [delivered(1), delivered(1, T0, 'origin-1', 'peer-b')]
    expect(() => scoreOf(mixed, T0)).toThrow(MixedPeersError)
    expect(() => scoreOf(mixed, T0)).toThrow(RangeError)
  })

  it('a now that is not a time', () => {
    expect(() => scoreOf([delivered(1)], Number.NaN)).toThrow(RangeError)
  })
})

describe('trust', () => {
  it.each([[0, 0.5], [1, 0.7310585786], [-1, 0.2689414214], [2, 0.8807970780], [-5, 0.0066928509]])('score %d is trust %d', (score, trust) => {
    expect(trustOf(score)).toBeCloseTo(trust, 9)
  })

  it('scales with trustScale', () => {
    expect(trustOf(2, createReputationParams({ trustScale: 2 }))).toBeCloseTo(trustOf(1), 12)
  })

  it('stays strictly inside (0, 1) even for extreme scores', () => {
    for (const s of [-1e308, -5000, -800, -40, 40, 800, 1e308]) {
      expect(trustOf(s)).toBeGreaterThan(0)
      expect(trustOf(s)).toBeLessThan(1)
    }
  })

  it('(property) is non-decreasing in the score and inside (0, 1)', () => {
    const score = fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ noNaN: true, noDefaultInfinity: true }))
    fc.assert(fc.property(score, score, (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a]
      expect(trustOf(lo)).toBeLessThanOrEqual(trustOf(hi))
      for (const s of [a, b]) {
        expect(trustOf(s)).toBeGreaterThan(0)
        expect(trustOf(s)).toBeLessThan(1)
      }
    }), { numRuns: 2000 })
  })
})

describe('properties of the score', () => {
  it('adding a penalty never raises the score', () => {
    fc.assert(fc.property(
      fc.array(anyEvent(4), { maxLength: 80 }),
      fc.constantFrom('invalid' as const, 'spam' as const, 'audit-failed' as const),
      timeIn(40), timeIn(40),
      (events, kind, at, now) => {
        const before = scoreOf(events, now).score
        const after = scoreOf([...events, penaltyAt(kind, at)], now).score
        expect(after).toBeLessThanOrEqual(before + 1e-12)
        expect(after).toBeLessThan(before)
      }
    ), { numRuns: 300 })
  })

  it('does not depend on the order events are given in (distinct times)', () => {
    fc.assert(fc.property(fc.uniqueArray(anyEvent(4), { maxLength: 60, selector: e => e.at }), timeIn(30), fc.integer(), (events, now, seed) => {
      const shuffled = [...events].sort((a, b) => ((a.at * 31 + seed) % 97) - ((b.at * 31 + seed) % 97))
      expect(scoreOf(shuffled, now).score).toBeCloseTo(scoreOf(events, now).score, 12)
    }), { numRuns: 200 })
  })

  it('ageBreakdown gives the same breakdown as scoring later, when no event is after the first time', () => {
    fc.assert(fc.property(fc.array(anyEvent(5), { maxLength: 60 }), fc.integer({ min: 0, max: 60 * day }), (events, dt) => {
      const t = Math.max(T0, ...events.map(e => e.at))
      const aged = ageBreakdown(scoreOf(events, t), dt)
      const later = scoreOf(events, t + dt)
      expect(aged.score).toBeCloseTo(later.score, 12)
      expect(aged.trust).toBeCloseTo(later.trust, 12)
      expect(aged.penalties.loss).toBeCloseTo(later.penalties.loss, 12)
      expect(aged.capped).toBeCloseTo(later.capped, 12)
    }), { numRuns: 200 })
  })
})
