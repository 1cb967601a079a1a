import { describe, expect, it } from 'vitest'
import * as C from '../../src/reputation/constants.js'
import { day } from '../../src/units.js'
import { createReputationParams, defaultReputationParams, InvalidReputationParamsError, validateReputationParams, type ReputationParams } from '../../src/reputation/index.js'

describe('reputation parameters', () => {
  it('start from the issue\'s values', () => {
    expect(defaultReputationParams).toEqual({
      deliveryGain: 0.1,
      relayBoost: 2,
      originGain: 0.2,
      highQuality: 0.7,
      highQualityBonus: 2,
      invalidPenalty: 0.5,
      spamPenalty: 0.05,
      auditPenalty: 1,
      window: day,
      perOriginCap: 0.3,
      windowCap: 1,
      gainHalfLife: 7 * day,
      penaltyHalfLife: 30 * day,
      trustScale: 1
    })
    expect(Object.isFrozen(defaultReputationParams)).toBe(true)
    expect(() => { validateReputationParams(defaultReputationParams) }).not.toThrow()
  })

  it('take overrides, frozen', () => {
    const p = createReputationParams({ windowCap: 2 })
    expect(p.windowCap).toBe(2)
    expect(p.perOriginCap).toBe(0.3)
    expect(Object.isFrozen(p)).toBe(true)
  })

  it.each<[Partial<ReputationParams>, keyof ReputationParams]>([
    [{ deliveryGain: -0.1 }, 'deliveryGain'],
    [{ spamPenalty: -1 }, 'spamPenalty'],
    [{ perOriginCap: Number.NaN }, 'perOriginCap'],
    [{ windowCap: Infinity }, 'windowCap'],
    [{ window: 0 }, 'window'],
    [{ gainHalfLife: -1 }, 'gainHalfLife'],
    [{ penaltyHalfLife: 0 }, 'penaltyHalfLife'],
    [{ trustScale: 0 }, 'trustScale'],
    [{ highQuality: 1.1 }, 'highQuality'],
    [{ highQualityBonus: 0.5 }, 'highQualityBonus'],
    [{ relayBoost: '2' as unknown as number }, 'relayBoost']
  ])('refuse %o', (overrides, field) => {
    let err: unknown
    try { createReputationParams(overrides) } catch (e) { err = e }
    expect(err).toBeInstanceOf(InvalidReputationParamsError)
    expect((err as InvalidReputationParamsError).field).toBe(field)
  })

  it('allow switching a gain, penalty or cap off (0) and the bonus off (1)', () => {
    expect(() => createReputationParams({ deliveryGain: 0, auditPenalty: 0, perOriginCap: 0, highQualityBonus: 1 })).not.toThrow()
  })
})
