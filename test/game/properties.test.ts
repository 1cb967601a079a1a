import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Position } from '../../src/game/position.js'
import { Board } from '../../src/game/board.js'
import { Game } from '../../src/game/game.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { CHINESE, JAPANESE, TROMP_TAYLOR, AGA, type Ruleset } from '../../src/game/rules.js'
import { recordOf } from '../../src/game/game-record.js'
import { recordFromSgf, recordToSgf } from '../../src/game/sgf.js'
import type { Color } from '../../src/game/color.js'

/** Points of the board in reading order. */
function points (b: Board): number[] {
  const out: number[] = []
  for (let y = 0; y < b.size; y++) for (let x = 0; x < b.size; x++) out.push(b.point(x, y))
  return out
}

/**
 * Turns a list of random numbers into a legal game: each number picks a point, and the first
 * legal point from there on (in reading order) is played; none legal means a pass.
 * Calls `step` after every turn with what happened.
 */
function playOut (pos: Position, choices: readonly number[], step: (color: Color, p: number | null, removed: number) => void): void {
  const all = points(pos.board)
  let color: Color = BLACK
  for (const c of choices) {
    let played: number | null = null
    let removed = 0
    for (let k = 0; k < all.length; k++) {
      const p = all[(c + k) % all.length]
      if (pos.check(color, p) != null) continue
      const before = pos.board.count(BLACK) + pos.board.count(WHITE)
      expect(pos.play(color, p)).toBeNull()
      removed = before + 1 - pos.board.count(BLACK) - pos.board.count(WHITE)
      played = p
      break
    }
    if (played == null) pos.pass(color)
    step(color, played, removed)
    color = color === BLACK ? WHITE : BLACK
  }
}

const sizes = fc.constantFrom(2, 3, 4, 5, 7, 9)
const rulesets = fc.constantFrom<Ruleset>(CHINESE, JAPANESE, TROMP_TAYLOR, AGA)
const choices = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 250 })

describe('game core properties', () => {
  it('leaves no chain without a liberty after a legal move', () => {
    fc.assert(fc.property(sizes, rulesets, choices, (size, rules, picks) => {
      const pos = new Position(size, rules)
      playOut(pos, picks, () => {
        for (const p of points(pos.board)) {
          if (pos.board.cells[p] !== 0) expect(pos.board.liberties(p).length).toBeGreaterThan(0)
        }
      })
    }), { numRuns: 200 })
  })

  it('counts as captured exactly the stones that left the board', () => {
    fc.assert(fc.property(sizes, rulesets, choices, (size, rules, picks) => {
      const pos = new Position(size, rules)
      let counted = pos.board.captures[BLACK] + pos.board.captures[WHITE]
      playOut(pos, picks, (_color, _p, removed) => {
        const now = pos.board.captures[BLACK] + pos.board.captures[WHITE]
        expect(now - counted).toBe(removed)
        counted = now
      })
    }), { numRuns: 200 })
  })

  it('keeps the incremental hash equal to a hash built from scratch', () => {
    fc.assert(fc.property(sizes, choices, (size, picks) => {
      const pos = new Position(size, TROMP_TAYLOR)
      playOut(pos, picks, () => {
        const fresh = new Board(size)
        for (const p of points(pos.board)) if (pos.board.cells[p] !== 0) fresh.setStone(p, pos.board.cells[p] as Color)
        expect(pos.board.hash).toBe(fresh.hash)
      })
    }), { numRuns: 100 })
  })

  it('never repeats a whole-board position under positional superko', () => {
    fc.assert(fc.property(fc.constantFrom(2, 3, 4, 5), fc.constantFrom(CHINESE, TROMP_TAYLOR), choices, (size, rules, picks) => {
      const pos = new Position(size, rules)
      const seen = new Set([pos.board.toRows().join('/')])
      playOut(pos, picks, (_c, p) => {
        const key = pos.board.toRows().join('/')
        if (p != null) expect(seen.has(key)).toBe(false)
        seen.add(key)
      })
    }), { numRuns: 300 })
  })

  it('gives back the same game after SGF export and import', () => {
    fc.assert(fc.property(fc.constantFrom(5, 9, 13, 19), rulesets, fc.integer({ min: -20, max: 20 }), fc.constantFrom(0, 2, 3), choices, fc.boolean(),
      (size, rules, halfKomi, handicap, picks, resign) => {
        const game = new Game({ size, rules, komi: halfKomi / 2, handicap: size >= 9 ? handicap : 0 })
        const all = points(game.position.board)
        for (const c of picks) {
          if (game.phase !== 'play') break
          const p = firstLegal(game, all, c, game.toMove)
          if (p == null || c % 17 === 0) game.pass(game.toMove)
          else game.play(game.toMove, game.position.board.vertex(p))
        }
        if (resign && game.phase !== 'ended') game.resign(game.toMove)
        const record = recordOf(game, { players: { black: { name: 'B]\\[' }, white: { name: 'W', rank: '1d' } }, date: '2026-11-22', comment: 'a\nb' })
        const back = recordFromSgf(recordToSgf(record))
        expect(back).toEqual(record)
      }), { numRuns: 150 })
  })
})

/** The first point from `all[c]` on (wrapping) where `color` may play, or null. */
function firstLegal (game: Game, all: readonly number[], c: number, color: Color): number | null {
  for (let k = 0; k < all.length; k++) {
    const p = all[(c + k) % all.length]
    if (game.position.check(color, p) == null) return p
  }
  return null
}
