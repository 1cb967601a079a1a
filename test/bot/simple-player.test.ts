import { describe, expect, it } from 'vitest'
import { chooseGameMove, chooseMove, deadStones, MOVE_CAP_PER_POINT, seededRandom } from '../../src/bot/simple-player.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { Game } from '../../src/game/game.js'
import { CHINESE, JAPANESE } from '../../src/game/rules.js'
import { boardFrom } from '../helpers/boards.js'
import { isOwnEye } from '../helpers/random-games.js'
import type { Board } from '../../src/game/board.js'
import type { Color } from '../../src/game/color.js'
import type { Vertex } from '../../src/game/vertex.js'

const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1)

/** The player's move on a bare board (no ko history: only occupied points and suicide are illegal). */
function moveOn (board: Board, color: Color, seed: number, extra: { opponentPassed?: boolean, moveCount?: number } = {}): Vertex | null {
  return chooseMove({
    board,
    color,
    legal: p => {
      const probe = board.probe(color, p)
      return !probe.occupied && !probe.suicide
    },
    opponentPassed: extra.opponentPassed ?? false,
    moveCount: extra.moveCount ?? 0,
    random: seededRandom(seed)
  })
}

/** The line of a vertex counted from the nearest edge, from 1. */
const lineOf = (v: Vertex, size: number): number => Math.min(v.x, v.y, size - 1 - v.x, size - 1 - v.y) + 1

/**
 * True when `color` at `p` fills one of its own eyes (every neighbour its stone or the edge) that is
 * not the last liberty of one of its groups: filling such a false eye to connect is a rescue, not a waste.
 */
function fillsOwnEye (board: Board, color: Color, p: number): boolean {
  if (!isOwnEye(board, color, p)) return false
  return [p - board.width, p - 1, p + 1, p + board.width].every(n => board.cells[n] !== color || board.liberties(n).length > 1)
}

// Two white groups in atari: one stone at C9 (last liberty C8) and two at E5-F5 (last liberty F6).
const TWO_ATARIS = [
  '.XOX.....',
  '.........',
  '.........',
  '....X....',
  '...XOOX..',
  '....XX...',
  '.........',
  '.........',
  '.........'
]

describe('simple player', () => {
  it('captures the biggest opponent group in atari, whatever the dice say', () => {
    const board = boardFrom(TWO_ATARIS)
    for (const seed of SEEDS) expect(moveOn(board, BLACK, seed)).toEqual({ x: 5, y: 3 })
  })

  it('extends a group in atari when that gives it more than one liberty', () => {
    // White to move: no black group is in atari, and F6 gives the two white stones two liberties (F7, G6).
    const board = boardFrom(TWO_ATARIS)
    for (const seed of SEEDS) expect(moveOn(board, WHITE, seed)).toEqual({ x: 5, y: 3 })
  })

  it('does not extend into a second atari, nor play any self-atari', () => {
    // White A8 is in atari; extending to A7 leaves one liberty (A6): a ladder along the edge.
    const board = boardFrom([
      'XX.......',
      'OX.......',
      '.X.......',
      '.........',
      '.........',
      '.........',
      '.........',
      '.........',
      '.........'
    ])
    for (const seed of SEEDS) expect(moveOn(board, WHITE, seed)).not.toEqual({ x: 0, y: 2 })
  })

  it('never fills its own eye: with only eyes left it passes', () => {
    // Three eyes: filling any one would still leave two liberties, so only the eye rule stops it.
    const board = boardFrom([
      '.XXX.',
      'XXXXX',
      'XX.XX',
      'XXXXX',
      'XXXXX'
    ])
    for (const seed of SEEDS) expect(moveOn(board, BLACK, seed)).toBeNull()
  })

  it('opens on the 3rd or 4th line of an empty board', () => {
    for (const size of [9, 13, 19]) {
      const board = boardFrom(Array.from({ length: size }, () => '.'.repeat(size)))
      for (const seed of SEEDS) {
        const v = moveOn(board, BLACK, seed)
        expect(v).not.toBeNull()
        expect([3, 4]).toContain(lineOf(v as Vertex, size))
      }
    }
  })

  it('passes after the opponent passes once nothing is left to fight over, and plays on while something is', () => {
    const settled = boardFrom(['.XO..', '.XO..', '.XO..', '.XO..', '.XO..'])
    for (const seed of SEEDS.slice(0, 10)) {
      expect(moveOn(settled, BLACK, seed, { opponentPassed: true })).toBeNull()
      expect(moveOn(settled, BLACK, seed, { opponentPassed: false })).not.toBeNull()
    }
    // A big empty region touching both colours is still open.
    const open = boardFrom(['X....', '.....', '.....', '.....', '....O'])
    for (const seed of SEEDS.slice(0, 10)) expect(moveOn(open, BLACK, seed, { opponentPassed: true })).not.toBeNull()
  })

  it('passes at the move cap, so a game always ends', () => {
    const board = boardFrom(TWO_ATARIS)
    expect(moveOn(board, BLACK, 1, { moveCount: 9 * 9 * MOVE_CAP_PER_POINT - 1 })).not.toBeNull()
    expect(moveOn(board, BLACK, 1, { moveCount: 9 * 9 * MOVE_CAP_PER_POINT })).toBeNull()
  })

  it('keeps to the game\'s ko rule: a capture that retakes a ko at once is not chosen', () => {
    const g = new Game({ size: 5, rules: JAPANESE, komi: 0 })
    // Black B5, White C5, Black C4, White D4, Black E1, White E5, Black D5 takes C5: a ko at C5.
    const seq: Array<[number, number]> = [[1, 0], [2, 0], [2, 1], [3, 1], [4, 4], [4, 0], [3, 0]]
    seq.forEach(([x, y], i) => g.play(i % 2 === 0 ? BLACK : WHITE, { x, y }))
    expect(g.check(WHITE, { x: 2, y: 0 })).toBe('ko')
    for (const seed of SEEDS) {
      const v = chooseGameMove(g, seededRandom(seed))
      expect(v).not.toEqual({ x: 2, y: 0 })
      if (v != null) expect(g.check(WHITE, v)).toBeNull()
    }
  })

  it('plays whole games legally under Chinese rules, never filling a true eye of its own, the same way for the same seed', () => {
    const play = (seed: number): string => {
      const g = new Game({ size: 9, rules: CHINESE, komi: 7.5 })
      const random = seededRandom(seed)
      while (g.phase === 'play') {
        const v = chooseGameMove(g, random)
        if (v == null) g.pass(g.toMove)
        else {
          const board = g.position.board
          expect(fillsOwnEye(board, g.toMove, board.point(v.x, v.y))).toBe(false)
          g.play(g.toMove, v) // throws IllegalMoveError on an illegal move
        }
        expect(g.moves.length).toBeLessThanOrEqual(9 * 9 * MOVE_CAP_PER_POINT + 2)
      }
      expect(g.phase).toBe('scoring')
      expect(deadStones(g.position.board)).toEqual([])
      return g.moves.map(m => m.vertex == null ? 'pass' : `${m.vertex.x},${m.vertex.y}`).join(' ')
    }
    for (const seed of SEEDS.slice(0, 10)) expect(play(seed)).toBe(play(seed))
    expect(play(1)).not.toBe(play(2))
  })
})
