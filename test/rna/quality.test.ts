import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { qualityOf, type GameFeatures } from '../../src/rna/quality.js'
import type { Vertex } from '../../src/game/vertex.js'

const moves = (n: number, size = 19): Vertex[] => Array.from({ length: n }, (_, i) => ({ x: i % size, y: Math.floor(i / size) % size }))
const game = (f: Partial<GameFeatures> = {}): GameFeatures => ({ size: 19, moves: moves(250), end: 'score', cosigned: true, handicap: 0, ...f })
const newcomers = { B: { mu: 25000, sigma: 8333 }, W: { mu: 25000, sigma: 8333 } }
const established = { B: { mu: 25000, sigma: 2000 }, W: { mu: 25000, sigma: 2000 } }
const q = (f: Partial<GameFeatures>, novelty = 1, uses = 0): number => qualityOf(game(f), { novelty, uses }).quality

describe('RNA quality', () => {
  it.each([
    ['19x19, 250 turns, newcomers', {}, 0.6],
    ['19x19, 250 turns, rated newcomers (sigma 8.333: certainty 0.00004)', { ratings: newcomers }, 0.600011],
    ['19x19, 250 turns, established average players', { ratings: established }, 0.4 + 0.2 + 0.25 * (19 / 50) + 0.15 * (1 - 2 / (25 / 3))],
    ['9x9, 30 turns', { size: 9, moves: moves(30, 9) }, 0.4 + 0.2 * 0.6],
    ['13x13, half of full length', { size: 13, moves: moves(30, 13) }, 0.4 * 30 / (0.35 * 169) + 0.2 * 0.8],
    ['handicap', { handicap: 2 }, 0.6 * 0.9],
    ['void', { end: 'void' }, 0],
    ['not co-signed', { cosigned: false }, 0]
  ])('%s', (_name, f, expected) => {
    expect(q(f as Partial<GameFeatures>)).toBeCloseTo(expected, 5)
  })

  it('a 9x9 game of 6 turns ending by resignation is worth little', () => {
    expect(q({ size: 9, moves: moves(6, 9), end: 'resign' })).toBeLessThan(0.25)
  })

  it('an exact duplicate is worth nothing however much it is used; a near one little', () => {
    expect(q({}, 0, 100)).toBe(0)
    expect(q({}, 0.1)).toBeCloseTo(0.06, 5)
  })

  it('use lifts quality towards 1, never past it', () => {
    expect(q({}, 1, 5)).toBeGreaterThan(q({}, 1, 0))
    expect(q({}, 1, 5)).toBeCloseTo(0.6 + 0.4 * 0.5 * (1 - Math.exp(-1)), 5)
    expect(q({ ratings: { B: { mu: 60000, sigma: 1000 }, W: { mu: 60000, sigma: 1000 } } }, 1, 1e9)).toBeLessThanOrEqual(1)
  })

  it('refuses features no game has', () => {
    expect(() => q({ size: 1 })).toThrow(RangeError)
    expect(() => q({ moves: [{ x: 19, y: 0 }] })).toThrow(RangeError)
    expect(() => q({ ratings: { B: { mu: Number.NaN, sigma: 1 }, W: { mu: 1, sigma: 1 } } })).toThrow(RangeError)
  })

  it('is always in [0, 1], and more turns never lower it', () => {
    const arb = fc.record({
      size: fc.constantFrom(9, 13, 19),
      turns: fc.integer({ min: 0, max: 400 }),
      end: fc.constantFrom('score' as const, 'resign' as const, 'timeout' as const, 'void' as const),
      cosigned: fc.boolean(),
      handicap: fc.integer({ min: 0, max: 9 }),
      mu: fc.integer({ min: -50000, max: 80000 }),
      sigma: fc.integer({ min: 1, max: 20000 }),
      novelty: fc.double({ min: 0, max: 1, noNaN: true }),
      uses: fc.integer({ min: 0, max: 1000 })
    })
    fc.assert(fc.property(arb, a => {
      const f = (turns: number): GameFeatures => ({ size: a.size, moves: moves(turns, a.size), end: a.end, cosigned: a.cosigned, handicap: a.handicap, ratings: { B: { mu: a.mu, sigma: a.sigma }, W: { mu: a.mu, sigma: a.sigma } } })
      const x = qualityOf(f(a.turns), a).quality
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThanOrEqual(1)
      expect(qualityOf(f(a.turns + 1), a).quality).toBeGreaterThanOrEqual(x)
    }))
  })
})
