import { describe, expect, it } from 'vitest'
import { clockText, gtpColor, gtpTimeLeft, kgsTimeSettings, timeSettings, GtpArgumentError } from '../../src/gtp/gtp-terms.js'
import { createClock, pressClock, startClock } from '../../src/game/clock.js'
import type { TimeControl } from '../../src/game/time-control.js'

describe('time_settings and kgs-time_settings as p2pgo time controls', () => {
  const good: ReadonlyArray<[string, readonly string[], TimeControl]> = [
    ['time_settings: byo-yomi time with no stones is no limit', ['0', '1', '0'], { kind: 'none' }],
    ['time_settings: no byo-yomi is sudden death', ['600', '0', '0'], { kind: 'absolute', mainMs: 600_000 }],
    ['time_settings: Canadian overtime', ['300', '60', '10'], { kind: 'canadian', mainMs: 300_000, periodMs: 60_000, stones: 10 }]
  ]
  it.each(good)('%s', (_, args, tc) => { expect(timeSettings(args)).toEqual(tc) })

  const kgs: ReadonlyArray<[readonly string[], TimeControl]> = [
    [['none'], { kind: 'none' }],
    [['absolute', '900'], { kind: 'absolute', mainMs: 900_000 }],
    [['byoyomi', '600', '30', '5'], { kind: 'byo-yomi', mainMs: 600_000, periodMs: 30_000, periods: 5 }],
    [['canadian', '600', '300', '25'], { kind: 'canadian', mainMs: 600_000, periodMs: 300_000, stones: 25 }]
  ]
  it.each(kgs)('kgs-time_settings %j', (args, tc) => { expect(kgsTimeSettings(args)).toEqual(tc) })

  const bad: ReadonlyArray<[string, () => unknown, RegExp]> = [
    ['too few numbers', () => timeSettings(['300']), /takes three numbers/],
    ['a fraction', () => timeSettings(['1.5', '0', '0']), /whole number of seconds, got "1.5"/],
    ['no time at all', () => timeSettings(['0', '0', '0']), /the main time must be from 0:01/],
    ['an unknown kind', () => kgsTimeSettings(['fischer', '1']), /none, absolute, byoyomi or canadian, got "fischer"/],
    ['byoyomi with one number', () => kgsTimeSettings(['byoyomi', '600']), /takes the main time, the period time/]
  ]
  it.each(bad)('%s is refused in words', (_, call, message) => {
    expect(call).toThrow(GtpArgumentError)
    expect(call).toThrow(message)
  })
})

describe('colours and clocks', () => {
  it('reads GTP colours', () => {
    expect(['b', 'BLACK', 'w', 'White', 'x', undefined].map(gtpColor)).toEqual(['B', 'B', 'W', 'W', undefined, undefined])
  })

  it('gives the real clock in GTP shape and in words', () => {
    const t0 = 1_000_000
    let clock = startClock(createClock({ kind: 'byo-yomi', mainMs: 10_000, periodMs: 5_000, periods: 3 }), 1, t0)
    expect(gtpTimeLeft(clock, 1, t0 + 4_000)).toBe('6 0')
    expect(clockText(clock, 1, t0 + 4_000)).toMatch(/of main time left/)
    const pressed = pressClock(clock, 1, t0 + 12_000)
    if (pressed.kind !== 'moved') throw new Error('the press did not count')
    clock = pressed.state
    expect(gtpTimeLeft(clock, 1, t0 + 12_000)).toBe('5 1')
    expect(clockText(clock, 1, t0 + 12_000)).toMatch(/per period, 3 periods left/)
    expect(gtpTimeLeft(createClock({ kind: 'none' }), 2, t0)).toBe('')
  })
})
