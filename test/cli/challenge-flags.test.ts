// `p2pgo challenge`'s flags as terms (src/cli/commands/challenge.ts): defaults, a correspondence
// clock in days, no clock, and refusals in words. Pure.
import { describe, expect, it } from 'vitest'
import { termsOfFlags } from '../../src/cli/commands/challenge.js'
import { expiresDays } from '../../src/cli/commands/message.js'
import { day } from '../../src/units.js'

describe('p2pgo challenge flags', () => {
  it('default to a 9x9 correspondence game, 3 days a move, 7 banked, colours by lot', () => {
    expect(termsOfFlags({})).toEqual({ terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day } }, color: 'random' })
  })

  it('take the size, rules, days, bank, weekend pause and colour given', () => {
    expect(termsOfFlags({ size: '19', rules: 'japanese', days: '5', 'bank-days': '10', 'weekend-pause': true, color: 'white' })).toEqual({
      terms: { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 5 * day, maxBankMs: 10 * day, weekendPause: { utcOffsetMin: 0 } } },
      color: 'white'
    })
    expect(termsOfFlags({ 'no-clock': true }).terms.tc).toEqual({ kind: 'none' })
  })

  it('refuse what cannot be meant, in words', () => {
    expect(() => termsOfFlags({ rules: 'chess' })).toThrow('--rules must be chinese or japanese, got chess')
    expect(() => termsOfFlags({ komi: 'lots' })).toThrow('--komi must be a number, got lots')
    expect(() => termsOfFlags({ 'no-clock': true, days: '3' })).toThrow('--no-clock leaves no time to set')
    expect(() => expiresDays('0')).toThrow('--expires must be a number of days from more than 0 to 30, got 0')
    expect(expiresDays('2.5')).toBe(2.5)
  })
})
