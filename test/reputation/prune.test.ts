import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { PRUNE_FRACTION } from '../../src/reputation/constants.js'
import { day } from '../../src/units.js'
import { amountOf, prune, scoreOf } from '../../src/reputation/index.js'
import { anyEvent, auditFailed, DAY0, delivered, invalid, T0, timeIn } from './helpers.js'

describe('prune', () => {
  it('drops a gain once its window ended about ten gain half-lives ago (69.8 days), keeps recent ones', () => {
    const old = delivered(1, T0 - 100 * day)
    const recent = delivered(1, T0 - 1)
    expect(prune([old, recent], T0)).toEqual([recent])
  })

  it('keeps a penalty for log2(1000) ≈ 9.97 penalty half-lives (299 days)', () => {
    const bad = invalid(DAY0)
    expect(prune([bad], DAY0 + 298 * day)).toEqual([bad])
    expect(prune([bad], DAY0 + 300 * day)).toEqual([])
  })

  it('keeps everything in the current window and anything dated in the future', () => {
    const events = [delivered(1, DAY0), auditFailed(DAY0 + 1), delivered(1, DAY0 + 400 * day)]
    expect(prune(events, DAY0 + day - 1)).toEqual(events)
  })

  it('drops gains a whole window at a time, so the caps of the windows kept are unchanged', () => {
    // The first event alone counts for less than PRUNE_FRACTION; its window's end still counts for more.
    const windowEnd = DAY0 + day
    const now = windowEnd + 69.7 * day
    const first = delivered(1, DAY0)
    const last = delivered(1, windowEnd - 1)
    expect(2 ** (-(now - first.at) / (7 * day))).toBeLessThan(PRUNE_FRACTION)
    expect(prune([first, last], now)).toEqual([first, last])
    expect(prune([first, last], windowEnd + 69.8 * day)).toEqual([])
  })

  it('(property) keeps the order, is idempotent, and moves the score by less than PRUNE_FRACTION of what it drops', () => {
    fc.assert(fc.property(fc.array(anyEvent(5, 400), { maxLength: 200 }), timeIn(420), (events, now) => {
      const kept = prune(events, now)
      expect(kept).toEqual(events.filter(e => kept.includes(e)))
      expect(prune(kept, now)).toEqual(kept)
      const dropped = events.filter(e => !kept.includes(e))
      const most = dropped.reduce((sum, e) => sum + Math.abs(amountOf(e)), 0) * PRUNE_FRACTION
      expect(Math.abs(scoreOf(kept, now).score - scoreOf(events, now).score)).toBeLessThanOrEqual(most + 1e-12)
    }), { numRuns: 300 })
  })

  it('refuses a now that is not a time', () => {
    expect(() => prune([], Number.NaN)).toThrow(RangeError)
  })
})
