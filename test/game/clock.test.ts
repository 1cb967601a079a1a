import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  checkTimeout,
  clockPhase,
  clockReading,
  createClock,
  createClockOptions,
  defaultClockOptions,
  pauseClock,
  pressClock,
  remaining,
  resumeClock,
  startClock
} from '../../src/game/clock.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { GamePhaseError, InvalidSettingError } from '../../src/game/errors.js'
import {
  BLITZ_9X9,
  CANADIAN_LIVE,
  FISCHER_LIVE,
  LIVE_19X19,
  NO_TIME_LIMIT,
  defaultTimeControl,
  formatTimeControl,
  fromSgfTime,
  toSgfTime,
  validateTimeControl
} from '../../src/game/time-control.js'
import type { ClockState, PlayerClock, PressResult } from '../../src/game/clock.js'
import type { TimeControl } from '../../src/game/time-control.js'

const s = 1000
const min = 60 * s

const absolute60: TimeControl = { kind: 'absolute', mainMs: 60 * s }
const fischer60: TimeControl = { kind: 'fischer', mainMs: 60 * s, incrementMs: 10 * s, maxMs: 90 * s }
const byoYomi60: TimeControl = { kind: 'byo-yomi', mainMs: 60 * s, periodMs: 10 * s, periods: 3 }
const canadian60: TimeControl = { kind: 'canadian', mainMs: 60 * s, periodMs: 30 * s, stones: 3 }

/** Black thinks each duration in turn (less `lagMs`), White answers at once; the last press. */
function blackPlays (tc: TimeControl, thinks: readonly number[], lagMs = 0, options = defaultClockOptions): PressResult {
  let state = startClock(createClock(tc, options), BLACK, 0)
  let t = 0
  let result: PressResult = { kind: 'moved', state }
  for (const think of thinks) {
    t += think
    result = pressClock(state, BLACK, t, { lagMs })
    if (result.kind === 'timeout') return result
    result = pressClock(result.state, WHITE, t)
    state = result.state
  }
  return result
}

/** Black's clock after `thinks`, or 'timeout'. */
function blackAfter (tc: TimeControl, thinks: readonly number[], lagMs = 0): Partial<PlayerClock> | 'timeout' {
  const result = blackPlays(tc, thinks, lagMs)
  if (result.kind === 'timeout') {
    expect(result.color).toBe(BLACK)
    return 'timeout'
  }
  return result.state.players[BLACK]
}

describe('clock arithmetic per kind', () => {
  // A move made with exactly 0 ms left is in time: only strictly overrunning flags.
  const cases: Array<[string, TimeControl, number[], Partial<PlayerClock> | 'timeout']> = [
    ['absolute: time used is subtracted', absolute60, [10 * s, 20 * s], { mainMs: 30 * s }],
    ['absolute: a move at exactly 0 left is in time', absolute60, [60 * s], { mainMs: 0 }],
    ['absolute: one millisecond over flags', absolute60, [60 * s + 1], 'timeout'],
    ['absolute: over across moves flags', absolute60, [30 * s, 30 * s + 1], 'timeout'],
    ['fischer: increment after the move', fischer60, [10 * s], { mainMs: 60 * s }],
    ['fischer: increment capped by maxMs', fischer60, [0, 0, 0, 0], { mainMs: 90 * s }],
    ['fischer: no cap without maxMs', { kind: 'fischer', mainMs: 60 * s, incrementMs: 10 * s }, [0, 0, 0, 0], { mainMs: 100 * s }],
    ['fischer: exactly 0 left, then the increment', fischer60, [60 * s], { mainMs: 10 * s }],
    ['fischer: the increment cannot rescue a late move', fischer60, [60 * s + 1], 'timeout'],
    ['byo-yomi: main time first', byoYomi60, [50 * s], { mainMs: 10 * s, periods: 3 }],
    ['byo-yomi: main time used exactly', byoYomi60, [60 * s], { mainMs: 0, periods: 3 }],
    ['byo-yomi: a move taking exactly one period keeps it', byoYomi60, [70 * s], { mainMs: 0, periods: 3 }],
    ['byo-yomi: a millisecond more uses the period up', byoYomi60, [70 * s + 1], { mainMs: 0, periods: 2 }],
    ['byo-yomi: one long move uses several periods', byoYomi60, [85 * s], { mainMs: 0, periods: 1 }],
    ['byo-yomi: the last period used to its end is kept', byoYomi60, [90 * s], { mainMs: 0, periods: 1 }],
    ['byo-yomi: overrunning the last period flags', byoYomi60, [90 * s + 1], 'timeout'],
    ['byo-yomi: moves within the period lose nothing', byoYomi60, [60 * s, 10 * s, 10 * s, 9 * s], { mainMs: 0, periods: 3 }],
    ['byo-yomi: the period starts afresh every move', byoYomi60, [60 * s, 15 * s, 15 * s], { mainMs: 0, periods: 1 }],
    ['byo-yomi: no main time', { kind: 'byo-yomi', mainMs: 0, periodMs: 10 * s, periods: 2 }, [10 * s, 10 * s + 1], { mainMs: 0, periods: 1 }],
    ['canadian: main time first, no stone counted', canadian60, [50 * s], { mainMs: 10 * s, stones: 3, periodMs: 30 * s }],
    ['canadian: using main time exactly counts no stone', canadian60, [60 * s], { mainMs: 0, stones: 3, periodMs: 30 * s }],
    ['canadian: a move that runs into overtime counts', canadian60, [70 * s], { mainMs: 0, stones: 2, periodMs: 20 * s }],
    ['canadian: stones and block time go down', canadian60, [60 * s, 10 * s, 10 * s], { mainMs: 0, stones: 1, periodMs: 10 * s }],
    ['canadian: the block resets after the last stone', canadian60, [60 * s, 10 * s, 10 * s, 10 * s], { mainMs: 0, stones: 3, periodMs: 30 * s }],
    ['canadian: the whole block on one stone is in time', canadian60, [60 * s, 30 * s], { mainMs: 0, stones: 2, periodMs: 0 }],
    ['canadian: overrunning the block flags', canadian60, [60 * s, 10 * s, 10 * s, 10 * s + 1], 'timeout'],
    ['canadian: after a reset the count starts again', canadian60, [60 * s, 10 * s, 10 * s, 10 * s, 25 * s], { mainMs: 0, stones: 2, periodMs: 5 * s }],
    ['canadian: no main time, an instant move counts', { kind: 'canadian', mainMs: 0, periodMs: 30 * s, stones: 3 }, [0], { mainMs: 0, stones: 2, periodMs: 30 * s }],
    ['none: never times out', NO_TIME_LIMIT, [1e9, 1e12], {}]
  ]

  it.each(cases)('%s', (_, tc, thinks, expected) => {
    const got = blackAfter(tc, thinks)
    if (expected === 'timeout') expect(got).toBe('timeout')
    else expect(got).toMatchObject(expected)
  })

  it('a timeout stops the clock with the mover at zero and refuses further presses', () => {
    const result = blackPlays(absolute60, [61 * s])
    expect(result.kind).toBe('timeout')
    const state = result.state
    expect(state.flagged).toBe(BLACK)
    expect(clockPhase(state)).toBe('flagged')
    expect(state.players[BLACK].mainMs).toBe(0)
    expect(checkTimeout(state, 0)).toBe(BLACK)
    expect(remaining(state, BLACK, 1e6).totalMs).toBe(0)
    expect(() => pressClock(state, BLACK, 62 * s)).toThrow(GamePhaseError)
  })
})

describe('lag compensation', () => {
  const cases: Array<[string, number, number, number]> = [
    // [name, think, lag, main left]
    ['measured lag is refunded', 10 * s, 500, 50.5 * s],
    ['refund capped at maxLagCompensationMs', 10 * s, 5 * s, 51 * s],
    ['never more than the time used', 300, 800, 60 * s],
    ['a negative lag refunds nothing', 10 * s, -5 * s, 50 * s],
    ['a NaN lag refunds nothing', 10 * s, Number.NaN, 50 * s],
    ['an infinite lag refunds nothing', 10 * s, Infinity, 50 * s],
    ['a refund can bring a move back in time', 60 * s + 500, 600, 100]
  ]

  it.each(cases)('%s', (_, think, lag, left) => {
    expect(blackAfter(absolute60, [think], lag)).toMatchObject({ mainMs: left })
  })

  it('the cap is a tunable, and 0 turns compensation off', () => {
    const none = blackPlays(absolute60, [10 * s], 700, createClockOptions({ maxLagCompensationMs: 0 }))
    expect(none.state.players[BLACK].mainMs).toBe(50 * s)
    const big = blackPlays(absolute60, [10 * s], 4 * s, createClockOptions({ maxLagCompensationMs: 3 * s }))
    expect(big.state.players[BLACK].mainMs).toBe(53 * s)
    expect(createClockOptions()).toEqual(defaultClockOptions)
    expect(defaultClockOptions.maxLagCompensationMs).toBe(1000)
  })

  it.each([-1, Number.NaN, Infinity, 10_001, '5' as unknown as number])('rejects maxLagCompensationMs %s', (bad) => {
    expect(() => createClockOptions({ maxLagCompensationMs: bad })).toThrow(InvalidSettingError)
    expect(() => createClockOptions({ maxLagCompensationMs: bad })).toThrow(/maxLagCompensationMs/)
  })
})

describe('timeout detection', () => {
  const cases: Array<[string, TimeControl, number, number | null]> = [
    // [name, tc, time since Black's clock started, expected]
    ['absolute at exactly 0 left', absolute60, 60 * s, null],
    ['absolute one millisecond later', absolute60, 60 * s + 1, BLACK],
    ['byo-yomi at the end of the last period', byoYomi60, 90 * s, null],
    ['byo-yomi past the last period', byoYomi60, 90 * s + 1, BLACK],
    ['canadian at the end of the block', canadian60, 90 * s, null],
    ['canadian past the block', canadian60, 90 * s + 1, BLACK],
    ['fischer at 0 left', fischer60, 60 * s, null],
    ['none, ever', NO_TIME_LIMIT, 1e12, null]
  ]

  it.each(cases)('%s', (_, tc, at, expected) => {
    const state = startClock(createClock(tc), BLACK, 0)
    expect(checkTimeout(state, at)).toBe(expected)
  })

  it('a clock not started has no timeout', () => {
    expect(checkTimeout(createClock(absolute60), 1e9)).toBe(null)
  })

  it('only the player whose turn it is can run out', () => {
    let state = startClock(createClock(absolute60), BLACK, 0)
    state = pressClock(state, BLACK, 1 * s).state
    // White uses 59 s: 1 s left, but it is Black's clock that runs now.
    state = pressClock(state, WHITE, 60 * s).state
    expect(checkTimeout(state, 100 * s)).toBe(null)
    expect(remaining(state, WHITE, 100 * s).totalMs).toBe(1 * s)
    expect(checkTimeout(state, 119 * s)).toBe(null)
    expect(checkTimeout(state, 119 * s + 1)).toBe(BLACK)
  })
})

describe('pause and resume', () => {
  it('a pause stops the clock and keeps the time already used', () => {
    let state = startClock(createClock(absolute60), BLACK, 0)
    state = pauseClock(state, 10 * s)
    expect(clockPhase(state)).toBe('paused')
    expect(checkTimeout(state, 1e9)).toBe(null)
    expect(remaining(state, BLACK, 1e9).totalMs).toBe(50 * s)
    state = resumeClock(state, 1000 * s)
    expect(clockPhase(state)).toBe('running')
    expect(remaining(state, BLACK, 1010 * s).totalMs).toBe(40 * s)
    const r = pressClock(state, BLACK, 1010 * s)
    expect(r.state.players[BLACK].mainMs).toBe(40 * s)
  })

  it('the byo-yomi period in use carries over a pause', () => {
    const tc: TimeControl = { kind: 'byo-yomi', mainMs: 0, periodMs: 10 * s, periods: 3 }
    let state = startClock(createClock(tc), BLACK, 0)
    state = pauseClock(state, 8 * s)
    state = resumeClock(state, 100 * s)
    // 8 s before and 4 s after: 12 s on one move overruns one period.
    expect(pressClock(state, BLACK, 104 * s).state.players[BLACK].periods).toBe(2)
  })

  it('pause and resume are no-ops when they would change nothing', () => {
    const fresh = createClock(absolute60)
    expect(pauseClock(fresh, 5)).toBe(fresh)
    expect(resumeClock(fresh, 5)).toBe(fresh)
    const running = startClock(fresh, BLACK, 0)
    expect(resumeClock(running, 5)).toBe(running)
    const paused = pauseClock(running, 10)
    expect(pauseClock(paused, 20)).toBe(paused)
  })

  it('a move cannot be pressed while paused', () => {
    const paused = pauseClock(startClock(createClock(absolute60), BLACK, 0), 10)
    expect(() => pressClock(paused, BLACK, 20)).toThrow(expect.objectContaining({ phase: 'paused' }))
  })

  it('time run out before a pause is still a timeout', () => {
    const paused = pauseClock(startClock(createClock(absolute60), BLACK, 0), 70 * s)
    expect(checkTimeout(paused, 70 * s)).toBe(BLACK)
    expect(checkTimeout(resumeClock(paused, 1e6), 1e6)).toBe(BLACK)
  })
})

describe('clock misuse', () => {
  const started = startClock(createClock(absolute60), BLACK, 0)

  it('refuses a press before the start or by the wrong player, and a second start', () => {
    expect(() => pressClock(createClock(absolute60), BLACK, 0)).toThrow(expect.objectContaining({ phase: 'not-started' }))
    expect(() => pressClock(started, WHITE, 10)).toThrow(/timing Black, not White/)
    expect(() => startClock(started, WHITE, 10)).toThrow(GamePhaseError)
  })

  it('refuses times that are not finite numbers', () => {
    expect(() => pressClock(started, BLACK, Number.NaN)).toThrow(RangeError)
    expect(() => checkTimeout(started, Infinity)).toThrow(RangeError)
    expect(() => startClock(createClock(absolute60), BLACK, Number.NaN)).toThrow(RangeError)
  })

  it('a time source that steps back gives no time back', () => {
    const r = pressClock(startClock(createClock(absolute60), BLACK, 1000), BLACK, 500)
    expect(r.state.players[BLACK].mainMs).toBe(60 * s)
    expect(remaining(started, BLACK, -5000).totalMs).toBe(60 * s)
  })

  it('validates the time control it is given', () => {
    expect(() => createClock({ kind: 'absolute', mainMs: -1 })).toThrow(InvalidSettingError)
  })

  it('starts White first when asked (handicap games)', () => {
    const state = startClock(createClock(absolute60), WHITE, 0)
    expect(checkTimeout(state, 60 * s + 1)).toBe(WHITE)
  })
})

describe('remaining (display)', () => {
  const byoCases: Array<[number, Partial<ReturnType<typeof remaining>>]> = [
    [30 * s, { mainMs: 30 * s, inOvertime: false, periodMs: 10 * s, periods: 3, totalMs: 60 * s }],
    [60 * s, { mainMs: 0, inOvertime: true, periodMs: 10 * s, periods: 3, totalMs: 30 * s }],
    [65 * s, { mainMs: 0, inOvertime: true, periodMs: 5 * s, periods: 3 }],
    [70 * s, { periodMs: 0, periods: 3 }],
    [71 * s, { periodMs: 9 * s, periods: 2 }],
    [90 * s, { periodMs: 0, periods: 1, totalMs: 0 }],
    [91 * s, { periodMs: 0, periods: 0 }]
  ]

  it.each(byoCases)('byo-yomi at %i ms', (at, expected) => {
    const state = startClock(createClock(byoYomi60), BLACK, 0)
    expect(remaining(state, BLACK, at)).toMatchObject(expected)
  })

  it('canadian shows the block and stones', () => {
    const state = startClock(createClock(canadian60), BLACK, 0)
    expect(remaining(state, BLACK, 50 * s)).toMatchObject({ mainMs: 10 * s, inOvertime: false, periodMs: 30 * s, stones: 3, totalMs: 40 * s })
    expect(remaining(state, BLACK, 75 * s)).toMatchObject({ mainMs: 0, inOvertime: true, periodMs: 15 * s, stones: 3, totalMs: 15 * s })
  })

  it('the player not on turn shows their stored time', () => {
    const state = startClock(createClock(byoYomi60), BLACK, 0)
    expect(remaining(state, WHITE, 1e6)).toMatchObject({ mainMs: 60 * s, periods: 3, totalMs: 90 * s })
  })

  it('no time limit is infinite', () => {
    const state = startClock(createClock(NO_TIME_LIMIT), BLACK, 0)
    expect(remaining(state, BLACK, 1e9).totalMs).toBe(Infinity)
  })
})

describe('clockReading (SGF BL/OB/WL/OW)', () => {
  it('main time, then overtime periods or stones', () => {
    let state = startClock(createClock(byoYomi60), BLACK, 0)
    expect(clockReading(state, BLACK, 30 * s)).toEqual({ left: 30 })
    state = pressClock(state, BLACK, 75 * s).state
    expect(clockReading(state, BLACK, 75 * s)).toEqual({ left: 10, overtime: 2 })

    let can = startClock(createClock(canadian60), BLACK, 0)
    can = pressClock(can, BLACK, 70 * s).state
    expect(clockReading(can, BLACK, 70 * s)).toEqual({ left: 20, overtime: 2 })
  })

  it('floors to the millisecond and is absent without a time limit', () => {
    const state = startClock(createClock(absolute60), BLACK, 0.25)
    // 1000.25 ms used leaves 58 999.75 ms: the record says 58.999, never 59.
    expect(clockReading(state, BLACK, 1000.5)).toEqual({ left: 58.999 })
    expect(clockReading(createClock(NO_TIME_LIMIT), BLACK, 0)).toBeUndefined()
  })
})

describe('validateTimeControl', () => {
  it('accepts the presets and returns a clean frozen copy', () => {
    for (const tc of [NO_TIME_LIMIT, BLITZ_9X9, LIVE_19X19, FISCHER_LIVE, CANADIAN_LIVE]) {
      expect(validateTimeControl(tc)).toEqual(tc)
    }
    const clean = validateTimeControl({ kind: 'absolute', mainMs: 1000, extra: 'dropped' })
    expect(clean).toEqual({ kind: 'absolute', mainMs: 1000 })
    expect(Object.isFrozen(clean)).toBe(true)
  })

  const bad: Array<[string, unknown, RegExp]> = [
    ['null', null, /must be an object/],
    ['a string', 'blitz', /must be an object/],
    ['an array', [], /must be an object/],
    ['no kind', {}, /unknown time control kind undefined/],
    ['a wrong kind', { kind: 'hourglass', mainMs: 1000 }, /unknown time control kind "hourglass"/],
    ['a missing field', { kind: 'absolute' }, /needs mainMs/],
    ['a negative time', { kind: 'absolute', mainMs: -1 }, /must not be negative/],
    ['NaN', { kind: 'absolute', mainMs: Number.NaN }, /finite number/],
    ['Infinity', { kind: 'fischer', mainMs: Infinity, incrementMs: 0 }, /finite number/],
    ['a number as a string', { kind: 'absolute', mainMs: '60000' }, /finite number/],
    ['fractional milliseconds', { kind: 'absolute', mainMs: 1.5 }, /whole number/],
    ['more than a day', { kind: 'absolute', mainMs: 24 * 60 * min + 1 }, /from 0:01 to 24:00:00/],
    ['zero sudden death', { kind: 'absolute', mainMs: 0 }, /from 0:01/],
    ['a negative increment', { kind: 'fischer', mainMs: 60 * s, incrementMs: -5 }, /incrementMs must not be negative/],
    ['a Fischer cap below the start', { kind: 'fischer', mainMs: 60 * s, incrementMs: 0, maxMs: 30 * s }, /maxMs must be from 1:00/],
    ['zero periods', { kind: 'byo-yomi', mainMs: 0, periodMs: 30 * s, periods: 0 }, /periods must be a whole number from 1 to 100/],
    ['too many periods', { kind: 'byo-yomi', mainMs: 0, periodMs: 30 * s, periods: 101 }, /periods must be/],
    ['fractional periods', { kind: 'byo-yomi', mainMs: 0, periodMs: 30 * s, periods: 2.5 }, /periods must be/],
    ['a zero period', { kind: 'byo-yomi', mainMs: 0, periodMs: 0, periods: 5 }, /periodMs must be from 0:01/],
    ['missing stones', { kind: 'canadian', mainMs: 0, periodMs: 30 * s }, /needs stones/],
    ['a negative stone count', { kind: 'canadian', mainMs: 0, periodMs: 30 * s, stones: -1 }, /stones must be/]
  ]

  it.each(bad)('rejects %s', (_, tc, message) => {
    let error: unknown
    try {
      validateTimeControl(tc)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InvalidSettingError)
    expect((error as InvalidSettingError).setting).toBe('time-control')
    expect((error as Error).message).toMatch(message)
  })

  it('throws nothing but InvalidSettingError, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (v) => {
      try {
        validateTimeControl(v)
      } catch (e) {
        return e instanceof InvalidSettingError
      }
      return true
    }))
  })

  it('scales the default main time by board area', () => {
    expect(defaultTimeControl(19)).toEqual(LIVE_19X19)
    expect(defaultTimeControl(13).mainMs).toBe(5 * min)
    expect(defaultTimeControl(9).mainMs).toBe(2 * min)
    expect(defaultTimeControl(2).mainMs).toBe(1 * min)
    expect(() => defaultTimeControl(30)).toThrow(InvalidSettingError)
  })
})

describe('formatTimeControl', () => {
  const cases: Array<[TimeControl, string]> = [
    [NO_TIME_LIMIT, 'no time limit'],
    [absolute60, '1:00 absolute'],
    [fischer60, '1:00 + 0:10 Fischer, max 1:30'],
    [{ kind: 'fischer', mainMs: 5 * min, incrementMs: 3 * s }, '5:00 + 0:03 Fischer'],
    [LIVE_19X19, '10:00 + 5×0:30 byo-yomi'],
    [{ kind: 'byo-yomi', mainMs: 0, periodMs: 30 * s, periods: 3 }, '3×0:30 byo-yomi'],
    [{ kind: 'byo-yomi', mainMs: 90 * min, periodMs: 60 * s, periods: 5 }, '1:30:00 + 5×1:00 byo-yomi'],
    [CANADIAN_LIVE, '10:00 + 10 stones/3:00 Canadian'],
    [{ kind: 'absolute', mainMs: 30500 }, '0:30.5 absolute']
  ]

  it.each(cases)('%j', (tc, text) => {
    expect(formatTimeControl(tc)).toBe(text)
  })
})

describe('SGF TM/OT', () => {
  const cases: Array<[TimeControl, { TM?: string, OT?: string }]> = [
    [absolute60, { TM: '60' }],
    [fischer60, { TM: '60', OT: 'fischer 10 max 90' }],
    [{ kind: 'fischer', mainMs: 300 * s, incrementMs: 5 * s }, { TM: '300', OT: 'fischer 5' }],
    [LIVE_19X19, { TM: '600', OT: '5x30 byo-yomi' }],
    [{ kind: 'byo-yomi', mainMs: 0, periodMs: 30 * s, periods: 3 }, { TM: '0', OT: '3x30 byo-yomi' }],
    [{ kind: 'canadian', mainMs: 600 * s, periodMs: 600 * s, stones: 25 }, { TM: '600', OT: '25/600 Canadian' }],
    [{ kind: 'absolute', mainMs: 90_500 }, { TM: '90.5' }]
  ]

  it.each(cases)('%j writes and reads back', (tc, props) => {
    expect(toSgfTime(tc)).toEqual(props)
    expect(fromSgfTime(props.TM, props.OT)).toEqual(tc)
  })

  it('writes nothing for no time limit, and reads nothing back as undefined', () => {
    expect(toSgfTime(NO_TIME_LIMIT)).toEqual({})
    expect(fromSgfTime()).toBeUndefined()
  })

  const lenient: Array<[string | undefined, string | undefined, TimeControl]> = [
    ['1800', '5x30 byo-yomi', { kind: 'byo-yomi', mainMs: 30 * min, periodMs: 30 * s, periods: 5 }],
    ['1800', '5×30s byoyomi', { kind: 'byo-yomi', mainMs: 30 * min, periodMs: 30 * s, periods: 5 }],
    ['1800', '3 periods of 1 min', { kind: 'byo-yomi', mainMs: 30 * min, periodMs: 60 * s, periods: 3 }],
    [' 600 ', '5X40', { kind: 'byo-yomi', mainMs: 10 * min, periodMs: 40 * s, periods: 5 }],
    [undefined, '3x20 byo-yomi', { kind: 'byo-yomi', mainMs: 0, periodMs: 20 * s, periods: 3 }],
    ['600', '25/600', { kind: 'canadian', mainMs: 10 * min, periodMs: 10 * min, stones: 25 }],
    ['600', 'Canadian 25/10min', { kind: 'canadian', mainMs: 10 * min, periodMs: 10 * min, stones: 25 }],
    ['600', '20 stones in 5:00 canadian byo-yomi', { kind: 'canadian', mainMs: 10 * min, periodMs: 5 * min, stones: 20 }],
    ['300', '10 fischer', { kind: 'fischer', mainMs: 5 * min, incrementMs: 10 * s }],
    ['300', 'Fischer: 10s, max 10 min', { kind: 'fischer', mainMs: 5 * min, incrementMs: 10 * s, maxMs: 10 * min }],
    ['300', '+5', { kind: 'fischer', mainMs: 5 * min, incrementMs: 5 * s }],
    ['10:00', undefined, { kind: 'absolute', mainMs: 10 * min }],
    ['600.25', '', { kind: 'absolute', mainMs: 600_250 }]
  ]

  it.each(lenient)('reads TM %j OT %j', (tm, ot, tc) => {
    expect(fromSgfTime(tm, ot)).toEqual(tc)
  })

  const unreadable: Array<[string | undefined, string | undefined]> = [
    [undefined, undefined],
    ['', ''],
    ['abc', undefined],
    ['-60', undefined],
    ['0', undefined],
    ['600', 'hourglass'],
    ['600', 'sudden death please'],
    ['abc', '5x30 byo-yomi'],
    ['600', '0x30 byo-yomi'],
    ['600', '5x0 byo-yomi'],
    ['600', '500x30 byo-yomi'],
    [undefined, 'fischer 10'],
    ['100000', undefined]
  ]

  it.each(unreadable)('gives up on TM %j OT %j', (tm, ot) => {
    expect(fromSgfTime(tm, ot)).toBeUndefined()
  })

  it('never throws, whatever the strings', () => {
    fc.assert(fc.property(fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), (tm, ot) => {
      const tc = fromSgfTime(tm, ot)
      return tc === undefined || validateTimeControl(tc) !== undefined
    }))
    expect(fromSgfTime(42 as unknown as string, {} as unknown as string)).toBeUndefined()
  })

  it('round-trips every valid time control', () => {
    fc.assert(fc.property(arbitraryTimeControl.filter((tc) => tc.kind !== 'none'), (tc) => {
      const { TM, OT } = toSgfTime(tc)
      expect(fromSgfTime(TM, OT)).toEqual(tc)
    }))
  })
})

const arbitraryTimeControl: fc.Arbitrary<TimeControl> = fc.oneof(
  fc.constant(NO_TIME_LIMIT),
  fc.record({ kind: fc.constant('absolute' as const), mainMs: fc.integer({ min: 1000, max: 24 * 60 * min }) }),
  fc.record({
    kind: fc.constant('fischer' as const),
    mainMs: fc.integer({ min: 1000, max: 60 * min }),
    incrementMs: fc.integer({ min: 0, max: 60 * min })
  }),
  fc.integer({ min: 1000, max: 60 * min }).chain((mainMs) => fc.record({
    kind: fc.constant('fischer' as const),
    mainMs: fc.constant(mainMs),
    incrementMs: fc.integer({ min: 0, max: 60 * s }),
    maxMs: fc.integer({ min: mainMs, max: 24 * 60 * min })
  })),
  fc.record({
    kind: fc.constant('byo-yomi' as const),
    mainMs: fc.integer({ min: 0, max: 60 * min }),
    periodMs: fc.integer({ min: 1000, max: 60 * min }),
    periods: fc.integer({ min: 1, max: 100 })
  }),
  fc.record({
    kind: fc.constant('canadian' as const),
    mainMs: fc.integer({ min: 0, max: 60 * min }),
    periodMs: fc.integer({ min: 1000, max: 60 * min }),
    stones: fc.integer({ min: 1, max: 100 })
  })
)

/** One move: how long the mover thinks, the lag the network measured, and moments to look at the clock meanwhile. */
const arbitraryMove = fc.record({
  thinkMs: fc.integer({ min: 0, max: 5 * min }),
  lagMs: fc.integer({ min: 0, max: 3 * s }),
  looks: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 })
})

/** The most a press can add to the mover's total: the increment, a restored period or block, and the lag refund. */
function pressBonus (tc: TimeControl, lagMs: number): number {
  const refund = Math.min(lagMs, defaultClockOptions.maxLagCompensationMs)
  switch (tc.kind) {
    case 'fischer': return tc.incrementMs + refund
    case 'byo-yomi': case 'canadian': return tc.periodMs + refund
    default: return refund
  }
}

describe('clock properties', () => {
  it('remaining never increases while the clock runs, except by an increment, period reset or lag refund at a press', () => {
    fc.assert(fc.property(arbitraryTimeControl, fc.array(arbitraryMove, { maxLength: 30 }), (tc, moves) => {
      let state: ClockState = startClock(createClock(tc), BLACK, 0)
      let t = 0
      for (const move of moves) {
        const mover = state.turn ?? BLACK
        const other = mover === BLACK ? WHITE : BLACK
        const otherBefore = remaining(state, other, t).totalMs
        let last = remaining(state, mover, t).totalMs
        for (const look of [...move.looks].sort((a, b) => a - b)) {
          const now = remaining(state, mover, t + look * move.thinkMs).totalMs
          expect(now).toBeLessThanOrEqual(last)
          last = now
        }
        const atPress = remaining(state, mover, t + move.thinkMs).totalMs
        expect(atPress).toBeLessThanOrEqual(last)
        // The opponent's clock does not move during someone else's turn.
        expect(remaining(state, other, t + move.thinkMs).totalMs).toBe(otherBefore)
        t += move.thinkMs
        const result = pressClock(state, mover, t, { lagMs: move.lagMs })
        if (result.kind === 'timeout') {
          expect(move.thinkMs - Math.min(move.lagMs, 1000)).toBeGreaterThan(0)
          expect(checkTimeout(result.state, t)).toBe(mover)
          return
        }
        state = result.state
        expect(remaining(state, mover, t).totalMs).toBeLessThanOrEqual(atPress + pressBonus(tc, move.lagMs))
        expect(checkTimeout(state, t)).toBe(null)
      }
    }))
  })

  it('absolute: time used equals the sum of thinking time less capped lag, and flags exactly when it exceeds main time', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1000, max: 30 * min }),
      fc.array(fc.record({ thinkMs: fc.integer({ min: 0, max: 2 * min }), lagMs: fc.integer({ min: 0, max: 5 * s }) }), { maxLength: 40 }),
      fc.integer({ min: 0, max: 5 * s }),
      (mainMs, moves, cap) => {
        let state = startClock(createClock({ kind: 'absolute', mainMs }, createClockOptions({ maxLagCompensationMs: cap })), BLACK, 0)
        const used = { [BLACK]: 0, [WHITE]: 0 }
        let t = 0
        for (const { thinkMs, lagMs } of moves) {
          const mover = state.turn === WHITE ? WHITE : BLACK
          t += thinkMs
          used[mover] += Math.max(0, thinkMs - Math.min(lagMs, cap))
          const result = pressClock(state, mover, t, { lagMs })
          if (used[mover] > mainMs) {
            expect(result.kind).toBe('timeout')
            return
          }
          expect(result.kind).toBe('moved')
          state = result.state
          expect(mainMs - state.players[mover].mainMs).toBe(used[mover])
        }
        expect(mainMs - state.players[BLACK].mainMs).toBe(used[BLACK])
        expect(mainMs - state.players[WHITE].mainMs).toBe(used[WHITE])
      }
    ))
  })

  it('checkTimeout agrees with pressClock about the boundary', () => {
    fc.assert(fc.property(arbitraryTimeControl.filter((tc) => tc.kind !== 'none'), fc.integer({ min: 0, max: 3 * 60 * min }), (tc, at) => {
      const state = startClock(createClock(tc), BLACK, 0)
      const flagged = checkTimeout(state, at) === BLACK
      expect(pressClock(state, BLACK, at).kind).toBe(flagged ? 'timeout' : 'moved')
      if (flagged) expect(remaining(state, BLACK, at).totalMs).toBe(0)
    }))
  })
})
