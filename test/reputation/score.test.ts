import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { amountOf, checkEvent, maxScore, prune, scoreOf, trustOf, ReputationBook, InvalidReputationEventError, defaultReputationParams as P, type ReputationEvent } from '../../src/reputation/index.js'
import { day } from '../../src/reputation/constants.js'

const T0 = 1_700_000_000_000
const peer = 'peer-a'
const delivered = (quality: number, at = T0, origin = 'origin-1'): ReputationEvent => ({ kind: 'delivered', peer, rna: `r${at}-${origin}`, origin, quality, at })
const originated = (quality: number, at = T0): ReputationEvent => ({ kind: 'originated', peer, rna: `o${at}`, quality, at })

describe('reputation score', () => {
  it.each([
    ['a delivery at quality 0.5 earns 0.1 (0.1 × relay boost 2 × 0.5)', delivered(0.5), 0.1],
    ['a delivery at quality 1 earns 0.2', delivered(1), 0.2],
    ['an origin at quality 0.5 earns 0.2 × 0.5', originated(0.5), 0.1],
    ['an origin at 0.7 earns no bonus', originated(0.7), 0.14],
    ['an origin above 0.7 earns twice as much', originated(0.72), 0.288],
    ['an invalid RNA costs 0.5', { kind: 'invalid', peer, reason: 'bad-signature', at: T0 } as ReputationEvent, -0.5],
    ['a worthless RNA costs its origin 0.05', { kind: 'spam', peer, rna: 'x', quality: 0.1, at: T0 } as ReputationEvent, -0.05],
    ['a failed audit costs 1', { kind: 'audit-failed', peer, at: T0 } as ReputationEvent, -1]
  ])('%s', (_name, event, amount) => {
    expect(amountOf(event)).toBeCloseTo(amount, 9)
    expect(scoreOf([event], T0).score).toBeCloseTo(amount, 9)
  })

  it('halves gains after a week and penalties after 30 days', () => {
    expect(scoreOf([delivered(1)], T0 + 7 * day).score).toBeCloseTo(0.1, 9)
    const bad: ReputationEvent = { kind: 'invalid', peer, reason: 'x', at: T0 }
    expect(scoreOf([bad], T0 + 30 * day).score).toBeCloseTo(-0.25, 9)
  })

  it('caps gains per origin per window and in all per window, and reports what was cut', () => {
    const flood = Array.from({ length: 100 }, (_, i) => delivered(1, T0 + i))
    const one = scoreOf(flood, T0 + 100)
    expect(one.score).toBeCloseTo(P.perOriginCap, 6)
    expect(one.capped).toBeCloseTo(100 * 0.2 - P.perOriginCap, 6)
    const many = Array.from({ length: 100 }, (_, i) => delivered(1, T0 + i, `origin-${i}`))
    expect(scoreOf(many, T0 + 100).score).toBeCloseTo(P.windowCap, 6)
    // A new window brings new room.
    const windowStart = Math.floor(T0 / P.window) * P.window
    const next = [...flood, delivered(1, windowStart + P.window)]
    expect(scoreOf(next, windowStart + P.window).delivered.gain).toBeGreaterThan(0.2 * 0.99)
  })

  it('penalties are never capped, and counted by kind', () => {
    const bad = Array.from({ length: 10 }, (_, i): ReputationEvent => ({ kind: 'invalid', peer, reason: 'x', at: T0 + i }))
    const b = scoreOf(bad, T0 + 10)
    expect(b.score).toBeCloseTo(-5, 6)
    expect(b.penalties.invalid).toBe(10)
  })

  it('counts a future event as made now, and refuses mixing peers', () => {
    expect(scoreOf([delivered(1, T0 + day)], T0).score).toBeCloseTo(0.2, 9)
    expect(() => scoreOf([delivered(1), { ...delivered(1), peer: 'other' }], T0)).toThrow(RangeError)
  })

  it('trust is 0.5 at 0, about 0.73 at 1 and 0.27 at -1', () => {
    expect(trustOf(0)).toBe(0.5)
    expect(trustOf(1)).toBeCloseTo(0.731, 3)
    expect(trustOf(-1)).toBeCloseTo(0.269, 3)
  })

  it('refuses nonsense events with a reason', () => {
    const reason = (e: unknown): string => { try { checkEvent(e as ReputationEvent); return 'ok' } catch (err) { return (err as InvalidReputationEventError).reason } }
    expect(reason({ ...delivered(1), quality: 1.5 })).toBe('bad-quality')
    expect(reason({ ...delivered(1), quality: Number.NaN })).toBe('bad-quality')
    expect(reason({ ...delivered(1), peer: '' })).toBe('no-peer')
    expect(reason({ ...delivered(1), at: -1 })).toBe('bad-time')
    expect(reason({ ...delivered(1), kind: 'bribe' })).toBe('unknown-kind')
  })

  it('prunes what no longer counts and keeps the current window', () => {
    const old = delivered(1, T0 - 100 * day)
    const recent = delivered(1, T0 - 1)
    expect(prune([old, recent], T0)).toEqual([recent])
  })

  it('the book: strangers are neutral, top peers come first, the per-peer event limit holds', () => {
    const book = new ReputationBook(P, { maxEventsPerPeer: 5 })
    expect(book.trustOf('nobody', T0)).toBe(0.5)
    for (let i = 0; i < 8; i++) book.add(delivered(0.5, T0 + i, `o${i}`))
    book.add({ kind: 'invalid', peer: 'liar', reason: 'x', at: T0 })
    expect(book.eventsOf(peer)).toHaveLength(5)
    expect(book.top(2, T0 + 10).map(t => t.peer)).toEqual([peer, 'liar'])
    expect(book.trustOf('liar', T0)).toBeLessThan(0.5)
    expect(() => { book.add({ ...delivered(2) }) }).toThrow(InvalidReputationEventError)
  })
})

describe('reputation bounds (properties)', () => {
  const event = (origins: number): fc.Arbitrary<ReputationEvent> => fc.record({
    kind: fc.constantFrom('originated' as const, 'delivered' as const),
    o: fc.integer({ min: 0, max: origins - 1 }),
    quality: fc.double({ min: 0, max: 1, noNaN: true }),
    dt: fc.integer({ min: 0, max: 60 * day })
  }).map(({ kind, o, quality, dt }) => kind === 'originated'
    ? { kind, peer, rna: `o${dt}`, quality, at: T0 + dt }
    : { kind, peer, rna: `d${dt}`, origin: o === 0 ? peer : `origin-${o}`, quality, at: T0 + dt })

  it('no sequence of gains over k origins scores above maxScore(k)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }).chain(k => fc.tuple(fc.constant(k), fc.array(event(k), { maxLength: 300 }))), fc.integer({ min: 0, max: 70 * day }), ([k, events], later) => {
      expect(scoreOf(events, T0 + later).score).toBeLessThanOrEqual(maxScore(k) + 1e-9)
    }))
  })

  it('a flood of 10,000 deliveries from one origin in one day gains at most the per-origin cap', () => {
    const flood = Array.from({ length: 10_000 }, (_, i) => delivered(1, T0 + i * 8, 'spammer'))
    expect(scoreOf(flood, T0 + 80_000).score).toBeLessThanOrEqual(P.perOriginCap + 1e-9)
  })

  it('a ring of k identities forwarding each other\'s RNA every window for 60 days stays within k × maxScore(k)', () => {
    for (let k = 2; k <= 10; k++) {
      const members = Array.from({ length: k }, (_, i) => `ring-${i}`)
      let total = 0
      for (const m of members) {
        const events: ReputationEvent[] = []
        for (let d = 0; d < 60; d++) {
          for (const o of members) {
            for (let n = 0; n < 20; n++) {
              const at = T0 + d * day + n * 1000
              events.push(o === m ? { kind: 'originated', peer: m, rna: `${o}-${d}-${n}`, quality: 1, at } : { kind: 'delivered', peer: m, rna: `${o}-${d}-${n}`, origin: o, quality: 1, at })
            }
          }
        }
        const s = scoreOf(events, T0 + 60 * day).score
        expect(s).toBeLessThanOrEqual(maxScore(k) + 1e-9)
        total += s
      }
      expect(total).toBeLessThanOrEqual(k * maxScore(k) + 1e-9)
    }
  })

  it('trust rises with score and stays inside (0, 1); a penalty never raises a score', () => {
    fc.assert(fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (s, d) => {
      expect(trustOf(s + d)).toBeGreaterThanOrEqual(trustOf(s))
      expect(trustOf(s)).toBeGreaterThan(0)
      expect(trustOf(s)).toBeLessThan(1)
    }))
    fc.assert(fc.property(fc.array(event(3), { maxLength: 50 }), fc.constantFrom('invalid', 'spam', 'audit-failed'), (events, kind) => {
      const penalty = (kind === 'spam' ? { kind, peer, rna: 'x', quality: 0, at: T0 } : kind === 'invalid' ? { kind, peer, reason: 'x', at: T0 } : { kind, peer, at: T0 }) as ReputationEvent
      expect(scoreOf([...events, penalty], T0 + 61 * day).score).toBeLessThanOrEqual(scoreOf(events, T0 + 61 * day).score + 1e-12)
    }))
  })
})
