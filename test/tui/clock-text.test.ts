import { describe, expect, it } from 'vitest'
import { clockText, durationText } from '../../src/tui/clock-text.js'
import { createClock, pressClock, remaining, startClock } from '../../src/game/clock.js'
import { BLACK } from '../../src/game/constants.js'
import type { TimeControl } from '../../src/game/time-control.js'

const minute = 60_000

describe('durationText', () => {
  it.each([
    [0, '0:00'], [-5, '0:00'], [9_999, '9.9'], [9_050, '9.0'], [10_000, '0:10'], [65_400, '1:05'],
    [59 * minute + 59_999, '59:59'], [60 * minute, '1:00:00'], [3 * 3_600_000 + 7 * minute + 5_000, '3:07:05']
  ])('%i ms is %s', (ms, text) => { expect(durationText(ms)).toBe(text) })
})

/** The core's reading of Black's clock `elapsed` ms after it started (Black to move all along). */
function readingAfter (tc: TimeControl, elapsed: number): ReturnType<typeof remaining> {
  const clock = startClock(createClock(tc), BLACK, 0)
  return remaining(clock, BLACK, elapsed)
}

describe('clockText, read from the game core', () => {
  it('shows no limit, sudden death and Fischer as the main time', () => {
    expect(clockText({ kind: 'none' }, readingAfter({ kind: 'none' }, 5000))).toBe('no limit')
    expect(clockText({ kind: 'absolute', mainMs: 10 * minute }, readingAfter({ kind: 'absolute', mainMs: 10 * minute }, 18_000))).toBe('9:42')
    const fischer: TimeControl = { kind: 'fischer', mainMs: 5 * minute, incrementMs: 10_000 }
    expect(clockText(fischer, readingAfter(fischer, 295_500))).toBe('4.5')
  })

  it('shows byo-yomi as main time plus periods, then the period and how many are left', () => {
    const tc: TimeControl = { kind: 'byo-yomi', mainMs: 10 * minute, periodMs: 30_000, periods: 5 }
    expect(clockText(tc, readingAfter(tc, 18_000))).toBe('9:42 + 5×0:30')
    expect(clockText(tc, readingAfter(tc, 10 * minute + 6_000))).toBe('0:24 (5 left)')
    expect(clockText(tc, readingAfter(tc, 10 * minute + 30_000 + 25_000))).toBe('5.0 (4 left)')
    expect(clockText(tc, readingAfter(tc, 10 * minute + 5 * 30_000))).toBe('out of time')
  })

  it('shows Canadian overtime as the block and the stones still to play', () => {
    const tc: TimeControl = { kind: 'canadian', mainMs: minute, periodMs: 5 * minute, stones: 2 }
    expect(clockText(tc, readingAfter(tc, 30_000))).toBe('0:30 + 5:00/2')
    // Black plays one stone of the block 48 s into overtime: one stone left, 4:12 to play it.
    const press = pressClock(startClock(createClock(tc), BLACK, 0), BLACK, minute + 48_000)
    if (press.kind !== 'moved') throw new Error('Black moved in time')
    expect(clockText(tc, remaining(press.state, BLACK, minute + 48_000))).toBe('4:12 for 1 stone')
  })
})

describe('correspondence clocks', () => {
  const hour = 60 * minute
  const tc: TimeControl = { kind: 'correspondence', perMoveMs: 72 * hour, maxBankMs: 168 * hour }
  it.each([
    [0, '3d'], [19 * hour, '2d 5h'], [71 * hour + 30 * minute, '30:00'], [66 * hour + 30 * minute, '5h 30m'], [72 * hour + 1, 'out of time']
  ])('after %i ms: %s', (elapsed, text) => { expect(clockText(tc, readingAfter(tc, elapsed))).toBe(text) })
})
