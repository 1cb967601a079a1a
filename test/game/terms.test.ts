import { describe, expect, it } from 'vitest'
import { Game, InvalidSettingError, CHINESE, validateTerms } from '../../src/game/index.js'

const fair = { size: 9, komi: 7.5, handicap: 0, placement: 'fixed' as const, tc: { kind: 'none' } }

describe('game terms: one definition for the core and the network', () => {
  it.each([
    ['komi 1e300', { komi: 1e300 }, 'komi'],
    ['komi -1e300', { komi: -1e300 }, 'komi'],
    ['komi 1000.5', { komi: 1000.5 }, 'komi'],
    ['komi NaN', { komi: Number.NaN }, 'komi'],
    ['komi 6.25', { komi: 6.25 }, 'komi'],
    ['80 free stones on 9x9', { handicap: 80, placement: 'free' as const }, 'handicap'],
    ['10 fixed stones on 9x9', { handicap: 10 }, 'handicap'],
    ['5 free stones on 8x8', { size: 8, handicap: 5, placement: 'free' as const }, 'handicap'],
    ['2 stones on 5x5', { size: 5, handicap: 2 }, 'handicap'],
    ['a 1.5 stone handicap', { handicap: 1.5 }, 'handicap'],
    ['size 26', { size: 26 }, 'size'],
    ['a clock of kind "hourglass"', { tc: { kind: 'hourglass' } }, 'time-control']
  ])('refuses %s, naming the setting, and so does a new Game', (_name, bad, setting) => {
    const terms = { ...fair, ...bad }
    expect(() => validateTerms(terms)).toThrow(InvalidSettingError)
    try { validateTerms(terms) } catch (err) { expect((err as InvalidSettingError).setting).toBe(setting) }
    expect(() => new Game({ size: terms.size, rules: CHINESE, komi: terms.komi, handicap: terms.handicap, handicapPlacement: terms.placement, timeControl: terms.tc as never })).toThrow(InvalidSettingError)
  })

  it.each([
    ['komi ±1000', [{ komi: 1000 }, { komi: -1000 }]],
    ['9 stones on 9x9 and 19x19, fixed or free', [{ handicap: 9 }, { handicap: 9, placement: 'free' as const }, { size: 19, handicap: 9, placement: 'free' as const }]],
    ['4 stones on 8x8, and 1 (no stones) on 5x5', [{ size: 8, handicap: 4, placement: 'free' as const }, { size: 5, handicap: 1 }]]
  ])('accepts %s, and a Game starts from them', (_name, cases) => {
    for (const c of cases) {
      const terms = { ...fair, ...c }
      expect(() => validateTerms(terms)).not.toThrow()
      expect(new Game({ size: terms.size, rules: CHINESE, komi: terms.komi, handicap: terms.handicap, handicapPlacement: terms.placement }).settings.komi).toBe(terms.komi)
    }
  })
})
