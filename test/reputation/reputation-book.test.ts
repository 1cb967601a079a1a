import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { day } from '../../src/units.js'
import { EMPTY_BREAKDOWN, InvalidReputationEventError, ReputationBook, scoreOf, defaultReputationParams as P, type ReputationEvent } from '../../src/reputation/index.js'
import { auditFailed, DAY0, delivered, invalid, originated, spam, T0, timeIn } from './helpers.js'

describe('ReputationBook', () => {
  it('knows nothing of a stranger: trust 0.5, no events, the empty breakdown', () => {
    const book = new ReputationBook()
    expect(book.trustOf('nobody', T0)).toBe(0.5)
    expect(book.scoreOf('nobody', T0)).toEqual(EMPTY_BREAKDOWN)
    expect(book.eventsOf('nobody')).toEqual([])
    expect(book.peers()).toEqual([])
    expect(book.top(5, T0)).toEqual([])
  })

  it('checks what it records', () => {
    const book = new ReputationBook()
    expect(() => { book.add(delivered(2)) }).toThrow(InvalidReputationEventError)
    expect(() => { book.add({ ...invalid(), peer: '' }) }).toThrow(InvalidReputationEventError)
    expect(book.peers()).toEqual([])
  })

  it('keeps each peer\'s events oldest first, whatever order they come in, and scores them as scoreOf does', () => {
    const book = new ReputationBook()
    const events = [delivered(1, T0 + 2, 'o1', 'a'), delivered(0.5, T0, 'o2', 'a'), invalid(T0 + 1, 'a'), originated(0.9, T0 - 5, 'a')]
    for (const e of events) book.add(e)
    expect(book.eventsOf('a').map(e => e.at)).toEqual([T0 - 5, T0, T0 + 1, T0 + 2])
    expect(book.scoreOf('a', T0 + 3 * day)).toEqual(scoreOf(events, T0 + 3 * day))
    expect(book.trustOf('a', T0 + 3 * day)).toBe(scoreOf(events, T0 + 3 * day).trust)
  })

  it('eventsOf is a copy', () => {
    const book = new ReputationBook()
    book.add(delivered(1))
    book.eventsOf('peer-a').pop()
    expect(book.eventsOf('peer-a')).toHaveLength(1)
  })

  it('ranks peers by score, highest first, ties by peer ID', () => {
    const book = new ReputationBook()
    book.add(invalid(T0, 'liar'))
    book.add(delivered(0.5, T0, 'o', 'b'))
    book.add(delivered(0.5, T0, 'o', 'a'))
    book.add(originated(0.9, T0, 'maker'))
    book.add(auditFailed(T0, 'cheat'))
    const top = book.top(10, T0)
    expect(top.map(t => t.peer)).toEqual(['maker', 'a', 'b', 'liar', 'cheat'])
    expect(top[0].breakdown.score).toBeCloseTo(0.3, 12)
    expect(book.top(2, T0).map(t => t.peer)).toEqual(['maker', 'a'])
    expect(book.top(0, T0)).toEqual([])
    expect(book.peers()).toEqual(['liar', 'b', 'a', 'maker', 'cheat'])
    expect(book.trustOf('liar', T0)).toBeLessThan(0.5)
  })

  it('(property) its cached scores always equal scoreOf, whatever order events and queries come in', () => {
    type Step = { add: ReputationEvent } | { ask: number }
    const peers = ['a', 'b', 'c']
    const event = fc.tuple(fc.constantFrom(...peers), fc.constantFrom('originated', 'delivered', 'invalid', 'audit-failed'), fc.double({ min: 0, max: 1, noNaN: true }), timeIn(20), fc.constantFrom('o1', 'o2', 'a'))
      .map(([peer, kind, q, at, origin]): ReputationEvent => kind === 'originated' ? originated(q, at, peer) : kind === 'delivered' ? delivered(q, at, origin, peer) : kind === 'invalid' ? invalid(at, peer) : auditFailed(at, peer))
    const step: fc.Arbitrary<Step> = fc.oneof(event.map(add => ({ add })), timeIn(25).map(ask => ({ ask })))
    fc.assert(fc.property(fc.array(step, { maxLength: 80 }), steps => {
      const book = new ReputationBook()
      const seen: ReputationEvent[] = []
      for (const s of steps) {
        if ('add' in s) {
          book.add(s.add)
          seen.push(s.add)
          continue
        }
        for (const peer of peers) {
          const mine = seen.filter(e => e.peer === peer)
          const expected = scoreOf(mine.sort((x, y) => x.at - y.at), s.ask)
          const got = book.scoreOf(peer, s.ask)
          expect(got.score).toBeCloseTo(expected.score, 12)
          expect(got.trust).toBeCloseTo(expected.trust, 12)
          expect(got.capped).toBeCloseTo(expected.capped, 12)
          expect(got.originated.count).toBe(expected.originated.count)
          expect(got.penalties.loss).toBeCloseTo(expected.penalties.loss, 12)
        }
      }
    }), { numRuns: 300 })
  })

  it('sees a new event at once, even at a time it already answered for', () => {
    const book = new ReputationBook()
    book.add(delivered(1))
    expect(book.scoreOf('peer-a', T0).score).toBeCloseTo(0.2, 12)
    book.add(invalid())
    expect(book.scoreOf('peer-a', T0).score).toBeCloseTo(-0.3, 12)
    expect(book.scoreOf('peer-a', T0 + 7 * day).score).toBeCloseTo(0.1 - 0.5 * 2 ** (-7 / 30), 12)
  })

  describe('per-peer limit', () => {
    it('drops the oldest gains first, so a flood of gains cannot wash out a penalty', () => {
      const book = new ReputationBook(P, { maxEventsPerPeer: 5 })
      const bad = auditFailed(DAY0)
      book.add(bad)
      const gains = Array.from({ length: 10 }, (_, i) => delivered(0.5, DAY0 + 1 + i, `o${i}`))
      for (const g of gains) book.add(g)
      expect(book.eventsOf('peer-a')).toEqual([bad, ...gains.slice(-4)])
    })

    it('drops the oldest penalty when only penalties are left', () => {
      const book = new ReputationBook(P, { maxEventsPerPeer: 3 })
      const bad = Array.from({ length: 5 }, (_, i) => invalid(T0 + i))
      for (const b of bad) book.add(b)
      expect(book.eventsOf('peer-a')).toEqual(bad.slice(-3))
    })

    it('refuses limits that are not positive integers', () => {
      expect(() => new ReputationBook(P, { maxEventsPerPeer: 0 })).toThrow(RangeError)
      expect(() => new ReputationBook(P, { maxPeers: 1.5 })).toThrow(RangeError)
    })
  })

  describe('peer limit', () => {
    it('forgets the peer with the smallest |score| when full', () => {
      const book = new ReputationBook(P, { maxPeers: 3 })
      book.add(originated(0.9, T0, 'strong')) // 0.3
      book.add(invalid(T0, 'liar')) // −0.5
      book.add(delivered(0.25, T0, 'o', 'weak')) // 0.05
      book.add(delivered(0.5, T0, 'o', 'newcomer')) // 0.1: 'weak' goes
      expect(book.peers().sort()).toEqual(['liar', 'newcomer', 'strong'])
      expect(book.size).toBe(3)
    })

    it('a newcomer that matters least is itself not kept', () => {
      const book = new ReputationBook(P, { maxPeers: 2 })
      book.add(originated(0.9, T0, 'strong'))
      book.add(invalid(T0, 'liar'))
      book.add(delivered(0.1, T0, 'o', 'faint'))
      expect(book.peers()).toEqual(['strong', 'liar'])
      expect(book.trustOf('faint', T0)).toBe(0.5)
    })

    it('on a tie the peer recorded last goes: new identities churn among themselves', () => {
      const book = new ReputationBook(P, { maxPeers: 2 })
      book.add(delivered(0, T0, 'o', 'old'))
      book.add(delivered(0, T0, 'o', 'sybil-1'))
      book.add(delivered(0, T0, 'o', 'sybil-2'))
      expect(book.peers()).toEqual(['old', 'sybil-1'])
    })

    it('(property) the peer forgotten always had the smallest |score|, even with cached, aged scores', () => {
      const event = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom('delivered', 'invalid', 'spam'), fc.double({ min: 0, max: 1, noNaN: true }), timeIn(30))
        .map(([i, kind, q, at]): ReputationEvent => kind === 'delivered' ? delivered(q, at, 'o', `p${i}`) : kind === 'invalid' ? invalid(at, `p${i}`) : spam(at, `p${i}`))
      fc.assert(fc.property(fc.array(fc.tuple(event, fc.boolean()), { maxLength: 60 }), steps => {
        const book = new ReputationBook(P, { maxPeers: 3 })
        let latest = 0
        for (const [e, look] of steps) {
          const before = new Map(book.peers().map(p => [p, book.eventsOf(p)]))
          before.set(e.peer, [...(before.get(e.peer) ?? []), e])
          book.add(e)
          latest = Math.max(latest, e.at)
          const abs = (p: string): number => Math.abs(scoreOf(before.get(p) ?? [], latest).score)
          const gone = [...before.keys()].filter(p => !book.peers().includes(p))
          expect(gone.length).toBeLessThanOrEqual(1)
          for (const p of gone) for (const kept of book.peers()) expect(abs(p)).toBeLessThanOrEqual(abs(kept) + 1e-12)
          // Sometimes look at the scores, so that later evictions age cached ones.
          if (look) book.top(3, latest)
        }
      }), { numRuns: 300 })
    })

    it('judges scores at the latest time seen, decayed', () => {
      const book = new ReputationBook(P, { maxPeers: 2 })
      // A gain of 0.3 a month old (≈ 0.015) now matters less than a fresh 0.1.
      book.add(originated(0.9, T0 - 30 * day, 'faded'))
      book.add(invalid(T0, 'liar'))
      book.add(delivered(0.5, T0, 'o', 'fresh'))
      expect(book.peers()).toEqual(['liar', 'fresh'])
    })
  })

  it('prunes what no longer counts, and the peers left with nothing', () => {
    const book = new ReputationBook()
    book.add(delivered(1, T0 - 100 * day, 'o', 'gone'))
    book.add(delivered(1, T0 - 100 * day, 'o', 'stays'))
    book.add(delivered(1, T0 - 1, 'o', 'stays'))
    const before = book.scoreOf('stays', T0).score
    book.prune(T0)
    expect(book.peers()).toEqual(['stays'])
    expect(book.eventsOf('stays')).toHaveLength(1)
    expect(book.scoreOf('stays', T0).score).toBeCloseTo(before, 3)
    expect(book.scoreOf('stays', T0).score).toEqual(scoreOf(book.eventsOf('stays'), T0).score)
  })
})
