import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NoveltyIndex, canonicalMoves } from '../../src/rna/novelty.js'
import type { Vertex } from '../../src/game/vertex.js'

const seq = (n: number, seed: number, size = 19): Vertex[] => Array.from({ length: n }, (_, i) => ({ x: (i * 7 + seed * 3) % size, y: (i * 11 + seed * 5 + Math.floor(i / size)) % size }))
const rotate = (ms: Vertex[], size = 19): Vertex[] => ms.map(m => ({ x: size - 1 - m.y, y: m.x }))
const mirror = (ms: Vertex[], size = 19): Vertex[] => ms.map(m => ({ x: size - 1 - m.x, y: m.y }))

describe('novelty', () => {
  it('a new game is fully novel; an exact duplicate, a rotation or a reflection is not novel at all', () => {
    const index = new NoveltyIndex()
    const g = seq(100, 1)
    expect(index.noveltyOf(19, g)).toBe(1)
    index.add('g', 19, g)
    expect(index.noveltyOf(19, g)).toBe(0)
    expect(index.noveltyOf(19, rotate(g))).toBe(0)
    expect(index.noveltyOf(19, mirror(rotate(g)))).toBe(0)
  })

  it('a game sharing a known opening is as novel as the rest of it', () => {
    const index = new NoveltyIndex()
    const known = seq(200, 2)
    index.add('known', 19, known)
    const branch = [...known.slice(0, 8), ...seq(2, 9).map(v => ({ x: v.x, y: (v.y + 1) % 19 }))]
    expect(index.noveltyOf(19, branch)).toBeCloseTo(0.2, 9)
    const long = [...known.slice(0, 8), ...seq(192, 3)]
    expect(index.noveltyOf(19, long)).toBeCloseTo(0.96, 9)
  })

  it('compares games of the same size only; an empty game is not novel', () => {
    const index = new NoveltyIndex()
    const g = seq(40, 4, 9)
    index.add('g', 9, g)
    expect(index.noveltyOf(13, g)).toBe(1)
    expect(index.noveltyOf(9, [])).toBe(0)
  })

  it('leaves a game out of its own comparison with `except`, and adding twice changes nothing', () => {
    const index = new NoveltyIndex()
    const g = seq(50, 5)
    index.add('g', 19, g)
    index.add('g', 19, g)
    expect(index.size).toBe(1)
    expect(index.noveltyOf(19, g, { except: 'g' })).toBe(1)
    index.add('copy', 19, g)
    expect(index.noveltyOf(19, g, { except: 'g' })).toBe(0)
  })

  it('evicts the oldest game when full, keeping prefixes that other games still share', () => {
    const index = new NoveltyIndex({ maxGames: 2 })
    const a = seq(64, 6)
    const b = [...a.slice(0, 32), ...seq(32, 7)]
    index.add('a', 19, a)
    index.add('b', 19, b)
    index.add('c', 19, seq(64, 8))
    expect(index.has('a')).toBe(false)
    expect(index.noveltyOf(19, a)).toBeCloseTo(0.5, 9)
  })

  it('symmetric transforms have one canonical form; adding games never makes a game more novel', () => {
    const game = fc.array(fc.record({ x: fc.integer({ min: 0, max: 8 }), y: fc.integer({ min: 0, max: 8 }) }), { minLength: 1, maxLength: 60 })
    fc.assert(fc.property(game, g => {
      expect(canonicalMoves(9, rotate(g, 9))).toEqual(canonicalMoves(9, g))
      expect(canonicalMoves(9, mirror(g, 9))).toEqual(canonicalMoves(9, g))
    }))
    fc.assert(fc.property(game, fc.array(game, { maxLength: 10 }), (g, others) => {
      const index = new NoveltyIndex()
      let last = index.noveltyOf(9, g)
      others.forEach((o, i) => {
        index.add(`o${i}`, 9, o)
        const now = index.noveltyOf(9, g)
        expect(now).toBeLessThanOrEqual(last)
        last = now
      })
    }))
  })
})
