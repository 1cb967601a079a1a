import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkLimits, chooseToTrim, type TrimCandidate } from '../../../src/net/connection-trimmer/trim-choice.js'

const limits = { low: 3, high: 4, graceMs: 1000 }
const now = 100_000
const peer = (name: string, value: number, since = 0, kept = false): TrimCandidate => ({ peer: name, value, since, protected: kept })

describe('chooseToTrim', () => {
  it('closes nothing at or under the high mark', () => {
    expect(chooseToTrim([peer('a', 0), peer('b', 0), peer('c', 0), peer('d', 0)], limits, now)).toEqual([])
  })

  it('over the high mark, closes the least valued down to the low mark', () => {
    const peers = [peer('a', 90), peer('b', 10), peer('c', 50), peer('d', 20), peer('e', 70)]
    expect(chooseToTrim(peers, limits, now)).toEqual(['b', 'd'])
  })

  it('never closes a protected peer or one within its grace period, even when that leaves it over the mark', () => {
    const peers = [peer('game', 0, 0, true), peer('new', 0, now - 500), peer('a', 30), peer('b', 40), peer('c', 90)]
    expect(chooseToTrim(peers, limits, now)).toEqual(['a', 'b'])
    const crowded = [peer('g1', 0, 0, true), peer('g2', 0, 0, true), peer('g3', 0, 0, true), peer('g4', 0, 0, true), peer('x', 5)]
    expect(chooseToTrim(crowded, limits, now)).toEqual(['x'])
  })

  it('among equal values, closes the newest first', () => {
    const peers = [peer('old', 10, 0), peer('newer', 10, 50_000), peer('a', 99), peer('b', 99), peer('c', 99)]
    expect(chooseToTrim(peers, limits, now)).toEqual(['newer', 'old'])
  })

  it('never closes a peer worth more than one it keeps (among those it may close)', () => {
    const candidate = fc.record({ value: fc.integer({ min: 0, max: 300 }), since: fc.integer({ min: 0, max: now }), kept: fc.boolean() })
    fc.assert(fc.property(fc.array(candidate, { maxLength: 30 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (cs, a, b) => {
      const l = { low: Math.min(a, b), high: Math.max(a, b), graceMs: 1000 }
      const peers = cs.map((c, i) => peer(`p${i}`, c.value, c.since, c.kept))
      const closed = new Set(chooseToTrim(peers, l, now))
      const eligible = peers.filter(p => !p.protected && now - p.since >= l.graceMs)
      for (const p of peers) if (closed.has(p.peer)) expect(eligible).toContain(p)
      const kept = eligible.filter(p => !closed.has(p.peer))
      for (const c of closed) for (const k of kept) expect(peers.find(p => p.peer === c)!.value).toBeLessThanOrEqual(k.value)
      if (peers.length <= l.high) expect(closed.size).toBe(0)
      else expect(closed.size).toBe(Math.min(eligible.length, peers.length - l.low))
    }))
  })

  it('refuses limits that make no sense', () => {
    expect(() => { checkLimits({ low: 5, high: 4, graceMs: 0 }) }).toThrow(RangeError)
    expect(() => { checkLimits({ low: -1, high: 4, graceMs: 0 }) }).toThrow(RangeError)
    expect(() => { checkLimits({ low: 1, high: 4, graceMs: -1 }) }).toThrow(RangeError)
    expect(() => { checkLimits({ low: 1, high: 4, graceMs: 0 }) }).not.toThrow()
  })
})
