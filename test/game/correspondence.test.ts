import { describe, expect, it } from 'vitest'
import { checkTimeout, clockReading, createClock, pressClock, remaining, startClock, type ClockState } from '../../src/game/clock.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { InvalidSettingError } from '../../src/game/errors.js'
import {
  CORRESPONDENCE_3D,
  countedBetween,
  formatDays,
  inWeekendPause,
  pausedBetween,
  wallTimeAfter,
  type CorrespondenceTime
} from '../../src/game/correspondence.js'
import { formatTimeControl, fromSgfTime, toSgfTime, validateTimeControl } from '../../src/game/time-control.js'
import type { Color } from '../../src/game/color.js'

const hour = 3_600_000
const day = 24 * hour
/** Monday 7 December 2026, 00:00 UTC: the days of that week are MON + n * day. */
const MON = Date.UTC(2026, 11, 7)
const SAT = MON + 5 * day
const NEXT_MON = MON + 7 * day

const plain: CorrespondenceTime = { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day }
const weekends: CorrespondenceTime = { ...plain, weekendPause: { utcOffsetMin: 0 } }

/** A clock started for Black at `at`. */
function started (tc: CorrespondenceTime, at: number): ClockState {
  return startClock(createClock(tc), BLACK, at)
}

/** Presses `color`'s clock at `at`, failing the test on a timeout. */
function press (state: ClockState, color: Color, at: number): ClockState {
  const r = pressClock(state, color, at)
  if (r.kind !== 'moved') throw new Error(`unexpected timeout at ${new Date(at).toISOString()}`)
  return r.state
}

describe('correspondence time control: validation', () => {
  it.each([
    ['3 days a move, up to 7, weekends paused in UTC', CORRESPONDENCE_3D],
    ['no weekend pause', plain],
    ['the bank equal to the time per move', { ...plain, maxBankMs: 3 * day }],
    ['the shortest time per move, one hour', { kind: 'correspondence', perMoveMs: hour, maxBankMs: hour }],
    ['the longest: 30 days a move, 60 banked', { kind: 'correspondence', perMoveMs: 30 * day, maxBankMs: 60 * day }],
    ['a weekend in Nepal, UTC+5:45', { ...plain, weekendPause: { utcOffsetMin: 345 } }],
    ['a weekend at UTC-12', { ...plain, weekendPause: { utcOffsetMin: -720 } }]
  ])('accepts %s', (_name, tc) => {
    expect(validateTimeControl(tc)).toEqual(tc)
  })

  it.each([
    ['no perMoveMs', { kind: 'correspondence', maxBankMs: 7 * day }, 'needs perMoveMs'],
    ['a time per move under an hour', { ...plain, perMoveMs: 59 * 60_000, maxBankMs: day }, 'perMoveMs must be from 1h to 30d, got 59m'],
    ['a time per move over 30 days', { ...plain, perMoveMs: 31 * day, maxBankMs: 40 * day }, 'perMoveMs must be from 1h to 30d, got 31d'],
    ['a bank below the time per move', { ...plain, maxBankMs: 2 * day }, 'maxBankMs must be from 3d to 60d, got 2d'],
    ['a bank over 60 days', { ...plain, maxBankMs: 61 * day }, 'maxBankMs must be from 3d to 60d, got 61d'],
    ['a fraction of a millisecond', { ...plain, perMoveMs: 3 * day + 0.5 }, 'whole number of milliseconds'],
    ['weekendPause: true', { ...plain, weekendPause: true }, 'weekendPause must be a map with utcOffsetMin'],
    ['weekendPause: false', { ...plain, weekendPause: false }, 'or left out for no pause'],
    ['an offset off the quarter hour', { ...plain, weekendPause: { utcOffsetMin: 50 } }, 'in steps of 15, got 50'],
    ['an offset past UTC+14', { ...plain, weekendPause: { utcOffsetMin: 900 } }, 'from -720 to 840'],
    ['a second key in weekendPause', { ...plain, weekendPause: { utcOffsetMin: 0, days: 2 } }, 'holds only utcOffsetMin, not days']
  ])('refuses %s, saying so', (_name, tc, message) => {
    expect(() => validateTimeControl(tc)).toThrow(InvalidSettingError)
    expect(() => validateTimeControl(tc)).toThrow(message)
  })

  it('keeps only its own fields', () => {
    expect(validateTimeControl({ ...plain, mainMs: 5 })).toEqual(plain)
  })

  it('reads for people', () => {
    expect(formatTimeControl(CORRESPONDENCE_3D)).toBe('correspondence, 3d per move, up to 7d, weekends paused (UTC)')
    expect(formatTimeControl({ ...plain, perMoveMs: 36 * hour, weekendPause: { utcOffsetMin: -210 } })).toBe('correspondence, 1d 12h per move, up to 7d, weekends paused (UTC-3:30)')
    expect(formatDays(2 * day + 5 * hour + 59 * 60_000)).toBe('2d 5h')
    expect(formatDays(7 * hour + 30 * 60_000)).toBe('7h 30m')
    expect(formatDays(0)).toBe('0m')
  })

  it('goes to SGF TM/OT and back', () => {
    expect(toSgfTime(CORRESPONDENCE_3D)).toEqual({ TM: '259200', OT: 'correspondence 259200 max 604800 weekends UTC' })
    expect(toSgfTime(plain)).toEqual({ TM: '259200', OT: 'correspondence 259200 max 604800' })
    for (const tc of [CORRESPONDENCE_3D, plain, { ...plain, weekendPause: { utcOffsetMin: 345 } }, { ...plain, weekendPause: { utcOffsetMin: -60 } }]) {
      const { TM, OT } = toSgfTime(tc)
      expect(fromSgfTime(TM, OT)).toEqual(tc)
    }
  })
})

describe('correspondence weekends', () => {
  it.each([
    ['Monday to Friday', MON, MON + 4 * day, 0],
    ['Friday noon to Monday noon', MON + 4.5 * day, NEXT_MON + 0.5 * day, 2 * day],
    ['within Saturday', SAT + hour, SAT + 3 * hour, 2 * hour],
    ['three whole weeks', MON, MON + 21 * day, 6 * day],
    ['Sunday evening to Monday morning', SAT + day + 20 * hour, NEXT_MON + 8 * hour, 4 * hour]
  ])('%s: the pause is the weekend time between', (_name, from, to, paused) => {
    expect(pausedBetween(weekends, from, to)).toBe(paused)
    expect(countedBetween(weekends, from, to)).toBe(to - from - paused)
    expect(pausedBetween(plain, from, to)).toBe(0)
  })

  it('keeps the weekend at the agreed UTC offset', () => {
    // At UTC+2 the weekend starts Friday 22:00 UTC; at UTC-5, Saturday 05:00 UTC.
    const east: CorrespondenceTime = { ...plain, weekendPause: { utcOffsetMin: 120 } }
    const west: CorrespondenceTime = { ...plain, weekendPause: { utcOffsetMin: -300 } }
    expect(inWeekendPause(east, SAT - 2 * hour)).toBe(true)
    expect(inWeekendPause(east, SAT - 2 * hour - 1)).toBe(false)
    expect(inWeekendPause(west, SAT + 4 * hour)).toBe(false)
    expect(inWeekendPause(west, SAT + 5 * hour)).toBe(true)
    expect(inWeekendPause(weekends, NEXT_MON - 1)).toBe(true)
    expect(inWeekendPause(weekends, NEXT_MON)).toBe(false)
    expect(pausedBetween(east, MON, NEXT_MON)).toBe(2 * day)
  })

  it('finds when counted time runs out, skipping weekends', () => {
    expect(wallTimeAfter(weekends, MON, 3 * day)).toBe(MON + 3 * day)
    // Friday noon plus a day: Friday's last 12 hours, then Monday's first 12.
    expect(wallTimeAfter(weekends, MON + 4.5 * day, day)).toBe(NEXT_MON + 12 * hour)
    // Used up exactly at Friday midnight: the flag falls only once Monday's time counts again.
    expect(wallTimeAfter(weekends, MON + 4 * day, day)).toBe(NEXT_MON)
    // From inside a weekend, counting starts on Monday.
    expect(wallTimeAfter(weekends, SAT + 10 * hour, 2 * hour)).toBe(NEXT_MON + 2 * hour)
    expect(wallTimeAfter(plain, SAT, 2 * hour)).toBe(SAT + 2 * hour)
  })
})

describe('correspondence clock', () => {
  it('a move every 2 days: the bank grows by a day a move up to 7 days', () => {
    let clock = started(plain, MON)
    const left: number[] = []
    let t = MON
    for (let move = 0; move < 8; move++) {
      t += 2 * day
      const color = move % 2 === 0 ? BLACK : WHITE
      clock = press(clock, color, t)
      left.push(remaining(clock, color, t).totalMs / day)
    }
    // Black: 3 - 2 + 3 = 4, then 5, 6, 7 (capped); White the same.
    expect(left).toEqual([4, 4, 5, 5, 6, 6, 7, 7])
    expect(clockReading(clock, WHITE, t)).toEqual({ left: 7 * day / 1000 })
  })

  it('the bank never holds more than maxBankMs, however fast the moves', () => {
    let clock = started(plain, MON)
    for (let i = 0; i < 6; i++) clock = press(clock, i % 2 === 0 ? BLACK : WHITE, MON + i * hour)
    expect(remaining(clock, BLACK, MON + 5 * hour).totalMs).toBe(7 * day)
  })

  it('a move across a weekend pays only the weekdays: Friday to Monday costs one day', () => {
    const fri = MON + 4 * day
    let paused = started(weekends, fri)
    paused = press(paused, BLACK, NEXT_MON + 0)
    // Friday 00:00 to Monday 00:00: one counted day of Black's three.
    expect(remaining(paused, BLACK, NEXT_MON).totalMs).toBe(2 * day + 3 * day)
    // The same wall time without the pause costs three days: nothing left but the new move's time.
    const unpaused = press(started(plain, fri), BLACK, NEXT_MON)
    expect(remaining(unpaused, BLACK, NEXT_MON).totalMs).toBe(3 * day)
  })

  it('the clock stands still through the weekend', () => {
    const clock = started(weekends, MON + 4 * day)
    const fridayNight = remaining(clock, BLACK, SAT).totalMs
    expect(remaining(clock, BLACK, SAT + 36 * hour).totalMs).toBe(fridayNight)
    expect(remaining(clock, BLACK, NEXT_MON + hour).totalMs).toBe(fridayNight - hour)
  })

  it('runs out: a flag only once strictly more than the time left has passed', () => {
    const clock = started(plain, MON)
    expect(checkTimeout(clock, MON + 3 * day)).toBeNull()
    expect(checkTimeout(clock, MON + 3 * day + 1)).toBe(BLACK)
    expect(pressClock(clock, BLACK, MON + 3 * day).kind).toBe('moved')
    expect(pressClock(clock, BLACK, MON + 3 * day + 1)).toMatchObject({ kind: 'timeout', color: BLACK })
    expect(remaining(clock, BLACK, MON + 4 * day).totalMs).toBe(0)
  })

  it('a weekend puts the flag off to Monday, where wallTimeAfter says', () => {
    // Thursday 00:00 with 3 days: Thursday, Friday, then Monday.
    const thu = MON + 3 * day
    const clock = started(weekends, thu)
    const flag = wallTimeAfter(weekends, thu, 3 * day)
    expect(flag).toBe(NEXT_MON + day)
    expect(checkTimeout(clock, flag)).toBeNull()
    expect(checkTimeout(clock, flag + 1)).toBe(BLACK)
    // Without the pause it would have fallen on Sunday.
    expect(checkTimeout(started(plain, thu), thu + 3 * day + 1)).toBe(BLACK)
  })
})
