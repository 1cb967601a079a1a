import { describe, expect, it } from 'vitest'
import { chooseRelays, clearlyBetter, createRelayScoreParams, defaultRelayScoreParams as d, loadFraction, relayScore, type RelayLoadReport, type RelayMeasure } from '../../../src/net/relay-choice/score.js'
import { RefusalLog } from '../../../src/net/relay-choice/refusal-log.js'

const report = (reservations: number, maxReservations = 100, extra: Partial<RelayLoadReport> = {}): RelayLoadReport => ({ reservations, maxReservations, circuits: 0, refused: 0, ...extra })
const measure = (m: Partial<RelayMeasure> = {}): RelayMeasure => ({ rttMs: 50, load: null, refusals: 0, trust: 0.5, ...m })

describe('loadFraction', () => {
  it.each([
    ['empty', report(0), 0],
    ['half full', report(50), 0.5],
    ['the fuller of reservations and circuits', report(10, 100, { circuits: 30, maxCircuits: 40 }), 0.75],
    ['over its own limit: clamped to full', report(500), 1],
    ['no limit (0): counts as full', report(0, 0), 1],
    ['negative numbers: count as full', report(-5), 1],
    ['not finite: counts as full', report(Number.NaN), 1],
    ['an absurd circuit limit: counts as full', report(0, 100, { maxCircuits: -1 }), 1]
  ])('%s', (_, r, fraction) => {
    expect(loadFraction(r)).toBe(fraction)
  })
})

describe('relayScore', () => {
  it('is the round trip plus load, refusals and (lack of) trust, in milliseconds', () => {
    expect(relayScore(measure({ load: report(0) }))).toBe(50)
    expect(relayScore(measure({ load: report(100) }))).toBe(50 + d.loadWeight)
    expect(relayScore(measure())).toBe(50 + d.loadWeight * d.unknownLoad)
    expect(relayScore(measure({ load: report(0), refusals: 1 }))).toBe(50 + d.refusalPenalty)
    expect(relayScore(measure({ load: report(0), trust: 1 }))).toBe(50 - d.trustWeight / 2)
    expect(relayScore(measure({ load: report(0), trust: 0 }))).toBe(50 + d.trustWeight / 2)
  })

  it('is Infinity for a relay that did not answer', () => {
    expect(relayScore(measure({ rttMs: null }))).toBe(Infinity)
  })

  it('counts refusals up to maxRefusals', () => {
    expect(relayScore(measure({ load: report(0), refusals: 50 }))).toBe(50 + d.refusalPenalty * d.maxRefusals)
  })

  it('bounds what a lying report can win (loadWeight at most), and one refusal takes it all back', () => {
    const honestFull = relayScore(measure({ load: report(100) }))
    for (const lie of [report(0), report(-1_000_000, 1e12), report(0, Number.MAX_SAFE_INTEGER, { circuits: 0, maxCircuits: 1e9 })]) {
      const gain = honestFull - relayScore(measure({ load: lie }))
      expect(gain).toBeLessThanOrEqual(d.loadWeight)
      expect(relayScore(measure({ load: lie, refusals: 1 }))).toBeGreaterThanOrEqual(honestFull)
    }
    // Against a relay that reports nothing, a liar wins at most loadWeight × unknownLoad.
    expect(relayScore(measure()) - relayScore(measure({ load: report(0) }))).toBe(d.loadWeight * d.unknownLoad)
  })

  it('lets trust outside 0..1 count no more than 0 or 1', () => {
    expect(relayScore(measure({ load: report(0), trust: 7 }))).toBe(relayScore(measure({ load: report(0), trust: 1 })))
    expect(relayScore(measure({ load: report(0), trust: Number.NaN }))).toBe(50)
  })
})

describe('clearlyBetter (hysteresis)', () => {
  it('needs both margins', () => {
    expect(clearlyBetter(100, 160)).toBe(true) // 60 ms and 37 %
    expect(clearlyBetter(100, 140)).toBe(false) // 40 ms: under the absolute margin
    expect(clearlyBetter(900, 1000)).toBe(false) // 100 ms but 10 %: under the relative margin
    expect(clearlyBetter(700, 1000)).toBe(true)
  })

  it('moves off a relay that stopped answering, never onto one', () => {
    expect(clearlyBetter(500, Infinity)).toBe(true)
    expect(clearlyBetter(Infinity, 500)).toBe(false)
  })
})

describe('chooseRelays', () => {
  const scores = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries))

  it('fills free slots with the best relays not held', () => {
    expect(chooseRelays(scores({ a: 30, b: 10, c: 20 }), [], 2)).toEqual({ chosen: ['b', 'c'], fills: ['b', 'c'], moves: [] })
    expect(chooseRelays(scores({ a: 30, b: 10, c: 20 }), ['a'], 2)).toEqual({ chosen: ['a', 'b'], fills: ['b'], moves: [] })
  })

  it('moves the worst held relay to the best free one when clearly better, and keeps the rest', () => {
    const choice = chooseRelays(scores({ held1: 300, held2: 40, x: 20, y: 25 }), ['held1', 'held2'], 2)
    expect(choice.moves).toEqual([{ from: 'held1', to: 'x' }])
    expect([...choice.chosen].sort()).toEqual(['held2', 'x'])
  })

  it('does not move for a small gain (no flapping between two alike relays)', () => {
    expect(chooseRelays(scores({ a: 52, b: 48, c: 45 }), ['a', 'b'], 2).moves).toEqual([])
  })

  it('keeps a held relay it could not measure, and never chooses one that did not answer', () => {
    const choice = chooseRelays(scores({ dead: Infinity, c: 10 }), ['unmeasured'], 2)
    expect(choice).toEqual({ chosen: ['unmeasured', 'c'], fills: ['c'], moves: [] })
  })

  it('breaks ties by peer ID, so the same measurements give the same choice', () => {
    expect(chooseRelays(scores({ b: 10, a: 10, c: 10 }), [], 2).chosen).toEqual(['a', 'b'])
  })

  it('chooses nothing with no slot', () => {
    expect(chooseRelays(scores({ a: 10 }), [], 0)).toEqual({ chosen: [], fills: [], moves: [] })
  })
})

describe('createRelayScoreParams', () => {
  it('refuses a refusal penalty below the load weight (a liar could then win by refusing)', () => {
    expect(() => createRelayScoreParams({ refusalPenalty: 100, loadWeight: 200 })).toThrow(/refusalPenalty/)
  })

  it('refuses negative weights and margins of 100 % or more', () => {
    expect(() => createRelayScoreParams({ trustWeight: -1 })).toThrow(/trustWeight/)
    expect(() => createRelayScoreParams({ moveMarginFraction: 1 })).toThrow(/moveMarginFraction/)
    expect(() => createRelayScoreParams({ unknownLoad: 2 })).toThrow(/unknownLoad/)
  })
})

describe('RefusalLog', () => {
  it('forgets a refusal after its memory', () => {
    let now = 0
    const log = new RefusalLog(() => now, 1000)
    log.add('r')
    log.add('r')
    now = 500
    log.add('r')
    expect(log.count('r')).toBe(3)
    now = 1200
    expect(log.count('r')).toBe(1)
    now = 1600
    expect(log.count('r')).toBe(0)
  })
})
