import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { featuresCheck, qualityOf, type GameFeatures, type QualityInputs } from '../../src/rna/quality.js'
import { BASE_WEIGHTS } from '../../src/rna/quality-constants.js'
import type { Vertex } from '../../src/game/vertex.js'

/** `n` distinct-ish moves on a board of `size` (quality looks only at the count and the board). */
const moves = (n: number, size = 19): Vertex[] => Array.from({ length: n }, (_, i) => ({ x: i % size, y: Math.floor(i / size) % size }))
const game = (f: Partial<GameFeatures> = {}): GameFeatures => ({ size: 19, moves: moves(250), end: 'score', cosigned: true, handicap: 0, ...f })
const rated = (mu: number, sigma: number): GameFeatures['ratings'] => ({ B: { mu, sigma }, W: { mu, sigma } })
const newcomers = rated(25000, 8333)
const established = rated(25000, 2000)
const fresh: QualityInputs = { novelty: 1, uses: 0 }
const q = (f: Partial<GameFeatures>, inputs: QualityInputs = fresh): number => qualityOf(game(f), inputs).quality
const parts = (f: Partial<GameFeatures>, inputs: QualityInputs = fresh): ReturnType<typeof qualityOf>['parts'] => qualityOf(game(f), inputs).parts

describe('RNA quality: the example numbers', () => {
  // Rounded to millionths by qualityOf, so each is pinned exactly.
  it.each<[string, Partial<GameFeatures>, QualityInputs, number]>([
    ['fresh 19x19, 250 turns, unrated: 0.4 + 0.2', {}, fresh, 0.6],
    // Stored sigma 8.333 is a hair under 25/3: certainty 0.00004, strength 0.00002 (mu − 3σ = 0.001).
    ['the same between newcomers (mu 25, sigma 8.333)', { ratings: newcomers }, fresh, 0.600011],
    ['the same between established average players (mu 25, sigma 2): + 0.25·0.38 + 0.15·0.76', { ratings: established }, fresh, 0.809],
    ['between dan players (mean mu − 3σ 40, sigma 1.5)', { ratings: { B: { mu: 45000, sigma: 1500 }, W: { mu: 44000, sigma: 1500 } } }, fresh, 0.923],
    ['9x9, 6 turns, resigned: 6/28.35 × (0.4 + 0.2·0.6), under the floor', { size: 9, moves: moves(6, 9), end: 'resign' }, fresh, 0.110053],
    ['9x9, 29 turns: full length', { size: 9, moves: moves(29, 9) }, fresh, 0.52],
    ['13x13, 30 turns: about half length, 30/59.15 × (0.4 + 0.2·0.8)', { size: 13, moves: moves(30, 13) }, fresh, 0.284024],
    ['19x19, 1 turn: length scales every term', { moves: moves(1) }, fresh, 0.004749],
    ['19x19, 2 turns between dan players: still two moves of data', { moves: moves(2), ratings: { B: { mu: 45000, sigma: 1500 }, W: { mu: 44000, sigma: 1500 } } }, fresh, 0.01461],
    ['7x7, 40 turns: other size 0.4', { size: 7, moves: moves(40, 7) }, fresh, 0.48],
    ['handicap: × 0.9', { handicap: 2 }, fresh, 0.54],
    ['handicap 1 (no komi) is a handicap game too', { handicap: 1 }, fresh, 0.54],
    ['timeout counts as complete', { end: 'timeout' }, fresh, 0.6],
    ['void', { end: 'void' }, fresh, 0],
    ['not co-signed', { cosigned: false }, fresh, 0],
    ['void, however much used', { end: 'void' }, { novelty: 1, uses: 1000 }, 0],
    ['an exact duplicate, however much used', { ratings: established }, { novelty: 0, uses: 1000 }, 0],
    ['half novel: 0.5 × 0.6', {}, { novelty: 0.5, uses: 0 }, 0.3],
    ['used by 5 peers: 0.6 + 0.4·0.5·(1 − 1/e)', {}, { novelty: 1, uses: 5 }, 0.726424],
    ['established, used by 5 peers', { ratings: established }, { novelty: 1, uses: 5 }, 0.869368],
    ['half novel, used by 5 peers', {}, { novelty: 0.5, uses: 5 }, 0.410621],
    ['established, used by everyone: 0.809 + 0.191·0.5', { ratings: established }, { novelty: 1, uses: 1e9 }, 0.9045]
  ])('%s', (_name, f, inputs, expected) => {
    expect(q(f, inputs)).toBe(expected)
  })
})

describe('RNA quality: each rule', () => {
  it('the base weights sum to 1', () => {
    expect(Object.values(BASE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })

  it.each<[number, number, number]>([
    // size, turns, length
    [19, 0, 0],
    [19, 63, 63 / 126.35],
    [19, 126, 126 / 126.35],
    [19, 127, 1],
    [19, 400, 1],
    [9, 6, 6 / 28.35],
    [9, 28, 28 / 28.35],
    [9, 29, 1],
    [13, 30, 30 / 59.15]
  ])('length on a %i-line board after %i turns is %f', (size, turns, length) => {
    expect(parts({ size, moves: moves(turns, size) }).length).toBeCloseTo(length, 12)
  })

  it('passes count as turns', () => {
    expect(parts({ moves: [...moves(60), ...Array<null>(3).fill(null)] }).length).toBeCloseTo(63 / 126.35, 12)
  })

  it.each([[19, 1], [13, 0.8], [9, 0.6], [7, 0.4], [25, 0.4], [2, 0.4]])('size weight of %ix%i is %f', (size, weight) => {
    expect(parts({ size, moves: moves(10, size) }).sizeWeight).toBe(weight)
  })

  it.each<[string, GameFeatures['ratings'], number, number]>([
    ['unrated', undefined, 0, 0],
    ['newcomers', newcomers, 0.00002, 0.00004],
    ['established average', established, 0.38, 0.76],
    ['mu − 3σ below 0', rated(10000, 5000), 0, 0.4],
    ['mu − 3σ above 50', rated(60000, 1000), 1, 0.88],
    ['sigma above the starting sigma', rated(40000, 10000), 0.2, 0],
    ['uneven: means over both players', { B: { mu: 30000, sigma: 2000 }, W: { mu: 20000, sigma: 4000 } }, 0.32, 0.64]
  ])('strength and certainty: %s', (_name, ratings, strength, certainty) => {
    const p = parts({ ratings })
    expect(p.strength).toBeCloseTo(strength, 9)
    expect(p.certainty).toBeCloseTo(certainty, 9)
  })

  it.each([[0, 0], [1, 1 - Math.exp(-0.2)], [5, 1 - Math.exp(-1)], [15, 1 - Math.exp(-3)]])('usefulness after %i uses is %f', (uses, usefulness) => {
    expect(parts({}, { novelty: 1, uses }).usefulness).toBeCloseTo(usefulness, 12)
  })

  it('reports the parts of a game worth 0 as well', () => {
    const r = qualityOf(game({ end: 'void', ratings: established }), { novelty: 0.5, uses: 5 })
    expect(r.quality).toBe(0)
    expect(r.parts).toEqual({ completed: false, length: 1, sizeWeight: 1, strength: 0.38, certainty: expect.closeTo(0.76, 9), base: expect.closeTo(0.809, 9), novelty: 0.5, usefulness: expect.closeTo(1 - Math.exp(-1), 12) })
  })

  it('the handicap lowers the base, not the parts', () => {
    const even = parts({ ratings: established })
    const handicap = parts({ ratings: established, handicap: 4 })
    expect(handicap.base).toBeCloseTo(even.base * 0.9, 12)
    expect({ ...handicap, base: 0 }).toEqual({ ...even, base: 0 })
  })

  it('refuses features no game has', () => {
    expect(() => q({ size: 1 })).toThrow(RangeError)
    expect(() => q({ size: 26 })).toThrow(RangeError)
    expect(() => q({ size: 9.5 })).toThrow(RangeError)
    expect(() => q({ size: Number.NaN })).toThrow(RangeError)
    expect(() => q({ moves: [{ x: 19, y: 0 }] })).toThrow(RangeError)
    expect(() => q({ moves: [{ x: 3, y: -1 }] })).toThrow(RangeError)
    expect(() => q({ moves: [{ x: 1.5, y: 2 }] })).toThrow(RangeError)
    expect(() => q({ moves: [{ x: Number.NaN, y: 2 }] })).toThrow(RangeError)
    expect(() => q({ handicap: -1 })).toThrow(RangeError)
    expect(() => q({ end: 'draw' as GameFeatures['end'] })).toThrow(RangeError)
    expect(() => q({ ratings: { B: { mu: Number.NaN, sigma: 1 }, W: { mu: 1, sigma: 1 } } })).toThrow(RangeError)
    expect(() => q({ ratings: rated(25000, -1) })).toThrow(RangeError)
    expect(() => q({}, { novelty: Number.NaN, uses: 0 })).toThrow(RangeError)
    expect(() => q({}, { novelty: 1.5, uses: 0 })).toThrow(RangeError)
    expect(() => q({}, { novelty: 1, uses: -1 })).toThrow(RangeError)
    expect(() => q({}, { novelty: 1, uses: Number.POSITIVE_INFINITY })).toThrow(RangeError)
    expect(() => featuresCheck(game({ moves: [null, { x: 0, y: 18 }], ratings: established }))).not.toThrow()
  })
})

describe('RNA quality: properties', () => {
  const arb = fc.record({
    size: fc.integer({ min: 2, max: 25 }),
    turns: fc.integer({ min: 0, max: 500 }),
    end: fc.constantFrom<GameFeatures['end']>('score', 'resign', 'timeout', 'void'),
    cosigned: fc.boolean(),
    handicap: fc.integer({ min: 0, max: 9 }),
    ratings: fc.option(fc.record({
      B: fc.record({ mu: fc.integer({ min: -50000, max: 100000 }), sigma: fc.integer({ min: 0, max: 20000 }) }),
      W: fc.record({ mu: fc.integer({ min: -50000, max: 100000 }), sigma: fc.integer({ min: 0, max: 20000 }) })
    }), { nil: undefined }),
    novelty: fc.double({ min: 0, max: 1, noNaN: true }),
    uses: fc.integer({ min: 0, max: 10000 })
  })
  type Drawn = typeof arb extends fc.Arbitrary<infer T> ? T : never
  const featuresOf = (a: Drawn, turns = a.turns): GameFeatures => ({ size: a.size, moves: moves(turns, a.size), end: a.end, cosigned: a.cosigned, handicap: a.handicap, ...(a.ratings != null ? { ratings: a.ratings } : {}) })

  it('quality is always in [0, 1], and 0 for an incomplete game or a duplicate', () => {
    fc.assert(fc.property(arb, a => {
      const { quality, parts } = qualityOf(featuresOf(a), a)
      expect(quality).toBeGreaterThanOrEqual(0)
      expect(quality).toBeLessThanOrEqual(1)
      for (const v of [parts.length, parts.sizeWeight, parts.strength, parts.certainty, parts.base, parts.usefulness]) {
        expect(v).toBeGreaterThanOrEqual(0)
        expect(v).toBeLessThanOrEqual(1)
      }
      if (!parts.completed) expect(quality).toBe(0)
      expect(qualityOf(featuresOf(a), { novelty: 0, uses: a.uses }).quality).toBe(0)
    }))
  })

  it('more turns never lower length or quality', () => {
    fc.assert(fc.property(arb, fc.integer({ min: 1, max: 100 }), (a, more) => {
      const before = qualityOf(featuresOf(a), a)
      const after = qualityOf(featuresOf(a, a.turns + more), a)
      expect(after.parts.length).toBeGreaterThanOrEqual(before.parts.length)
      expect(after.quality).toBeGreaterThanOrEqual(before.quality)
    }))
  })

  it('uses raise quality (never lower it) and never past 1; novelty never lowers it either', () => {
    fc.assert(fc.property(arb, fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, more, extra) => {
      const f = featuresOf(a)
      const base = qualityOf(f, a).quality
      const used = qualityOf(f, { novelty: a.novelty, uses: a.uses + more }).quality
      expect(used).toBeGreaterThanOrEqual(base)
      expect(used).toBeLessThanOrEqual(1)
      expect(qualityOf(f, { novelty: a.novelty + (1 - a.novelty) * extra, uses: a.uses }).quality).toBeGreaterThanOrEqual(base)
    }))
  })
})
