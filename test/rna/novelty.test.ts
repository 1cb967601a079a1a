import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NoveltyIndex, canonicalMoves } from '../../src/rna/novelty.js'
import type { Vertex } from '../../src/game/vertex.js'

type Move = Vertex | null

/** A deterministic game of `n` moves on a board of `size`, different for each seed; about one move in 30 a pass. */
function game (n: number, seed: number, size = 19): Move[] {
  let s = (seed * 2654435761) >>> 0
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return s >>> 8
  }
  return Array.from({ length: n }, () => next() % 30 === 0 ? null : { x: next() % size, y: next() % size })
}

/** The 8 symmetries of the board, written as vertex maps independently of the code under test: k quarter turns, then maybe a mirror. */
const rotate = (m: Move, n: number): Move => m == null ? null : { x: n - 1 - m.y, y: m.x }
const mirror = (m: Move, n: number): Move => m == null ? null : { x: n - 1 - m.x, y: m.y }
const symmetries: Array<[string, (ms: readonly Move[], n: number) => Move[]]> = [0, 1, 2, 3].flatMap(k => {
  const turn = (m: Move, n: number): Move => { for (let i = 0; i < k; i++) m = rotate(m, n); return m }
  return [
    [`${k} quarter turns`, (ms: readonly Move[], n: number) => ms.map(m => turn(m, n))],
    [`${k} quarter turns and a mirror`, (ms: readonly Move[], n: number) => ms.map(m => mirror(turn(m, n), n))]
  ] as Array<[string, (ms: readonly Move[], n: number) => Move[]]>
})

describe('canonical moves', () => {
  it('numbers each move y·size + x, a pass −1, under the smallest symmetry', () => {
    // Every corner is point 0 in canonical form; the next move follows the same symmetry.
    expect(canonicalMoves(9, [{ x: 8, y: 8 }, { x: 2, y: 8 }])).toEqual([0, 6])
    expect(canonicalMoves(9, [{ x: 0, y: 0 }, { x: 6, y: 0 }])).toEqual([0, 6])
    expect(canonicalMoves(9, [null, { x: 4, y: 4 }, null])).toEqual([-1, 40, -1])
    expect(canonicalMoves(19, [])).toEqual([])
    // A tie on the first move (tengen is fixed by every symmetry) is broken by the next.
    expect(canonicalMoves(19, [{ x: 9, y: 9 }, { x: 15, y: 16 }])).toEqual([180, 2 * 19 + 3])
  })

  it.each(symmetries)('is the same after %s', (_name, transform) => {
    const g = game(120, 1)
    expect(canonicalMoves(19, transform(g, 19))).toEqual(canonicalMoves(19, g))
  })

  it('refuses a size out of range or a move off the board', () => {
    expect(() => canonicalMoves(1, [])).toThrow(RangeError)
    expect(() => canonicalMoves(26, [])).toThrow(RangeError)
    expect(() => canonicalMoves(9, [{ x: 9, y: 0 }])).toThrow(RangeError)
    expect(() => canonicalMoves(9, [{ x: 0, y: -1 }])).toThrow(RangeError)
    expect(() => new NoveltyIndex().add('a', 9, [{ x: 0.5, y: 0 }])).toThrow(RangeError)
    expect(() => new NoveltyIndex().noveltyOf(0, [])).toThrow(RangeError)
  })
})

describe('novelty index', () => {
  it('a new game is fully novel; an exact duplicate is not novel at all, under any id', () => {
    const index = new NoveltyIndex()
    const g = game(200, 1)
    expect(index.noveltyOf(19, g)).toBe(1)
    index.add('g', 19, g)
    expect(index.has('g')).toBe(true)
    expect(index.size).toBe(1)
    expect(index.noveltyOf(19, g)).toBe(0)
    expect(index.noveltyOf(19, game(200, 2))).toBe(1)
  })

  it.each(symmetries)('a game turned by %s is a duplicate', (_name, transform) => {
    const index = new NoveltyIndex()
    const g = game(150, 3)
    index.add('g', 19, g)
    expect(index.noveltyOf(19, transform(g, 19))).toBe(0)
  })

  it.each<[string, number, number, number, number]>([
    // known game's length, shared opening, new game's length, novelty
    ['a 10-move game sharing its first 8 moves', 200, 8, 10, 0.2],
    ['a 200-move game sharing only an 8-move opening', 200, 8, 200, 0.96],
    ['a 64-move game sharing 32', 64, 32, 64, 0.5],
    ['sharing 20 moves counts as 16 (prefixes are powers of two)', 100, 20, 40, 0.6],
    ['sharing 7 moves counts as nothing', 100, 7, 40, 1],
    ['a 16-move game that is the start of a known one', 100, 16, 16, 0],
    ['a 300-move game sharing 256 moves', 300, 256, 300, 44 / 300],
    ['a short game (under 8 moves) that is not a duplicate', 100, 5, 6, 1]
  ])('%s', (_name, knownLength, shared, length, novelty) => {
    const index = new NoveltyIndex()
    const known = game(knownLength, 4)
    index.add('known', 19, known)
    // The branch leaves the known game at move `shared` + 1 (a point the known game did not play then).
    const rest = game(length - shared, 5)
    const next = known[shared]
    if (rest.length > 0 && (rest[0] == null ? next == null : rest[0].x === next?.x && rest[0].y === next.y)) rest[0] = next == null ? { x: 0, y: 0 } : { x: (next.x + 1) % 19, y: next.y }
    const branch = [...known.slice(0, shared), ...rest]
    expect(index.noveltyOf(19, branch)).toBe(novelty)
    // The same up to symmetry.
    expect(index.noveltyOf(19, symmetries[5][1](branch, 19))).toBe(novelty)
  })

  it('compares games of the same size only', () => {
    const index = new NoveltyIndex()
    const g = game(40, 6, 9)
    index.add('g', 9, g)
    expect(index.noveltyOf(9, g)).toBe(0)
    expect(index.noveltyOf(13, g)).toBe(1)
    expect(index.noveltyOf(19, g)).toBe(1)
  })

  it('an empty game is not novel, even in an empty index', () => {
    expect(new NoveltyIndex().noveltyOf(19, [])).toBe(0)
  })

  it('`except` leaves the game itself out; a copy under another id still counts', () => {
    const index = new NoveltyIndex()
    const g = game(50, 7)
    index.add('g', 19, g)
    expect(index.noveltyOf(19, g, { except: 'g' })).toBe(1)
    expect(index.noveltyOf(19, g, { except: 'unknown' })).toBe(0)
    index.add('copy', 19, g)
    expect(index.noveltyOf(19, g, { except: 'g' })).toBe(0)
    // A game sharing only an opening with it: its own entry no longer counts, the copy's does.
    const branch = [...g.slice(0, 32), ...game(18, 8)]
    index.add('branch', 19, branch)
    expect(index.noveltyOf(19, branch, { except: 'branch' })).toBe(18 / 50)
  })

  it('`except` works for a game exactly as long as a prefix (its whole and its prefix are distinct keys)', () => {
    const index = new NoveltyIndex()
    const g = game(16, 17)
    index.add('g', 19, g)
    expect(index.noveltyOf(19, g, { except: 'g' })).toBe(1)
    expect(index.noveltyOf(19, g)).toBe(0)
  })

  it('adding an id again changes nothing', () => {
    const index = new NoveltyIndex()
    const g = game(50, 9)
    index.add('g', 19, g)
    index.add('g', 19, g)
    index.add('g', 19, game(50, 10))
    expect(index.size).toBe(1)
    expect(index.noveltyOf(19, game(50, 10))).toBe(1)
    expect(index.noveltyOf(19, g, { except: 'g' })).toBe(1)
  })

  it('evicts the oldest game when full, keeping the prefixes other games still hold', () => {
    const index = new NoveltyIndex({ maxGames: 2 })
    const a = game(64, 11)
    const b = [...a.slice(0, 32), ...game(32, 12)]
    index.add('a', 19, a)
    index.add('b', 19, b)
    index.add('c', 19, game(64, 13))
    expect(index.size).toBe(2)
    expect(index.has('a')).toBe(false)
    // a is gone, but b still holds the 32-move opening they share.
    expect(index.noveltyOf(19, a)).toBe(0.5)
    index.add('d', 19, game(64, 14))
    expect(index.has('b')).toBe(false)
    expect(index.noveltyOf(19, a)).toBe(1)
  })

  it('evicting one of two copies keeps the game known', () => {
    const index = new NoveltyIndex({ maxGames: 2 })
    const g = game(80, 15)
    index.add('first', 19, g)
    index.add('second', 19, g)
    index.add('other', 19, game(80, 16))
    expect(index.has('first')).toBe(false)
    expect(index.noveltyOf(19, g)).toBe(0)
  })

  it('refuses a bound that is not a positive count', () => {
    expect(() => new NoveltyIndex({ maxGames: 0 })).toThrow(RangeError)
    expect(() => new NoveltyIndex({ maxGames: 1.5 })).toThrow(RangeError)
    expect(new NoveltyIndex({ maxGames: 1 }).size).toBe(0)
  })
})

describe('novelty properties', () => {
  const move = (size: number): fc.Arbitrary<Move> => fc.option(fc.record({ x: fc.nat({ max: size - 1 }), y: fc.nat({ max: size - 1 }) }), { freq: 20, nil: null })
  const moves = (size: number, maxLength = 80): fc.Arbitrary<Move[]> => fc.array(move(size), { maxLength })

  it('every symmetric transform of a game has novelty 0 against it', () => {
    const sized = fc.constantFrom(5, 9, 19).chain(size => fc.tuple(fc.constant(size), moves(size)))
    fc.assert(fc.property(sized, fc.nat({ max: 7 }), ([size, g], k) => {
      const index = new NoveltyIndex()
      index.add('g', size, g)
      expect(index.noveltyOf(size, symmetries[k][1](g, size))).toBe(0)
    }), { numRuns: 300 })
  })

  it('novelty is in [0, 1] and a game is never more novel after more games are added', () => {
    const size = 5 // a small board makes shared openings likely
    const other = fc.tuple(fc.nat({ max: 70 }), moves(size, 40))
    fc.assert(fc.property(fc.array(move(size), { minLength: 1, maxLength: 70 }), fc.array(other, { maxLength: 12 }), (g, others) => {
      const index = new NoveltyIndex()
      let last = index.noveltyOf(size, g)
      expect(last).toBe(1)
      others.forEach(([cut, tail], i) => {
        // Each shares an opening of up to `cut` moves with g (and may be g itself).
        index.add(`o${i}`, size, [...g.slice(0, cut), ...tail])
        const now = index.noveltyOf(size, g)
        expect(now).toBeGreaterThanOrEqual(0)
        expect(now).toBeLessThanOrEqual(1)
        expect(now).toBeLessThanOrEqual(last)
        last = now
      })
    }))
  })
})
