import { describe, expect, it } from 'vitest'
import { score } from '../../src/game/scoring.js'
import { AGA, CHINESE, JAPANESE, TROMP_TAYLOR } from '../../src/game/rules.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { boardFrom, pointsMarked } from '../helpers/boards.js'

// A finished 9x9 game: Black owns the left, White the right, one dead white stone at the top left.
const finished = [
  '.O.X.O...',
  '...XO....',
  '...XO....',
  '...XO....',
  '...XO....',
  '...XO....',
  '...XO....',
  '...XO....',
  '...XO....'
]
const deadMask = [
  '.d.......',
  '.........',
  '.........',
  '.........',
  '.........',
  '.........',
  '.........',
  '.........',
  '.........'
]

describe('score', () => {
  it('counts area: stones plus surrounded points, dead stones as territory', () => {
    const board = boardFrom(finished)
    const dead = pointsMarked(board, deadMask, 'd')
    const s = score({ board, rules: CHINESE, komi: 7.5, handicap: 0, dead })
    // Black: 9 stones + 27 points on the left (dead white stone included).
    expect(s.black.stones).toBe(9)
    expect(s.black.territory).toBe(27)
    // White: 9 stones (e2-e9 and f1) + the 35 other points on the right; e1 touches both colours: dame.
    expect(s.white.stones).toBe(9)
    expect(s.white.territory).toBe(35)
    expect(s.white.total).toBe(9 + 35 + 7.5)
    expect(s.ownership[board.point(4, 0)]).toBe(0)
    expect(s.margin).toBe(36 - 51.5)
    expect(s.winner).toBe(WHITE)
  })

  it('counts territory: surrounded points plus prisoners, dead stones counted twice', () => {
    const board = boardFrom(finished)
    const dead = pointsMarked(board, deadMask, 'd')
    const s = score({ board, rules: JAPANESE, komi: 6.5, handicap: 0, dead })
    expect(s.black.stones).toBe(0)
    expect(s.black.territory).toBe(27)
    expect(s.black.prisoners).toBe(1)
    expect(s.white.territory).toBe(35)
    expect(s.white.total).toBe(35 + 6.5)
    expect(s.margin).toBe(28 - 41.5)
  })

  it('gives White the handicap compensation of each area ruleset', () => {
    const board = boardFrom(finished)
    const dead = new Set<number>()
    const base = { board, komi: 0.5, handicap: 4, dead }
    expect(score({ ...base, rules: CHINESE }).white.bonus).toBe(4.5)
    expect(score({ ...base, rules: AGA }).white.bonus).toBe(3.5)
    expect(score({ ...base, rules: TROMP_TAYLOR }).white.bonus).toBe(0.5)
    expect(score({ ...base, rules: JAPANESE }).white.bonus).toBe(0.5)
  })

  it('reports jigo as no winner', () => {
    const board = boardFrom(['X.O', 'X.O', 'X.O'])
    const s = score({ board, rules: CHINESE, komi: 0, handicap: 0, dead: new Set() })
    expect(s.margin).toBe(0)
    expect(s.winner).toBeNull()
  })

  // One-eye seki at the top: the black chain (eye a1) and the white chain (eye e1) share the
  // liberty c1; whoever fills it puts their own chain in atari.
  const sekiRows = [
    '.X.O.OX..',
    'XXOOOOX..',
    'OOXXXXX..',
    '.........',
    '.........',
    '.........',
    '.........',
    '.........',
    '.........'
  ]

  it('finds seki and counts no territory in it under Japanese rules', () => {
    const board = boardFrom(sekiRows)
    const s = score({ board, rules: JAPANESE, komi: 0, handicap: 0, dead: new Set() })
    expect(s.seki.has(board.point(1, 0))).toBe(true)
    expect(s.seki.has(board.point(3, 0))).toBe(true)
    expect(s.seki.has(board.point(6, 0))).toBe(false)
    expect(s.ownership[board.point(0, 0)]).toBe(0)
    expect(s.ownership[board.point(4, 0)]).toBe(0)
    expect(s.ownership[board.point(2, 0)]).toBe(0)
    expect(s.black.territory).toBe(0)
    expect(s.white.territory).toBe(0)
    // Area rules count the same eyes for their owner; the shared liberty stays neutral.
    const area = score({ board, rules: CHINESE, komi: 0, handicap: 0, dead: new Set() })
    expect(area.seki.size).toBe(0)
    expect(area.ownership[board.point(0, 0)]).toBe(BLACK)
    expect(area.ownership[board.point(4, 0)]).toBe(WHITE)
    expect(area.ownership[board.point(2, 0)]).toBe(0)
  })

  it('does not mistake ordinary unfilled dame for seki', () => {
    const rows = [
      '..X.O..',
      '..X.O..',
      '..X.O..',
      '..X.O..',
      '..X.O..',
      '..X.O..',
      '..X.O..'
    ]
    const board = boardFrom(rows)
    const s = score({ board, rules: JAPANESE, komi: 0, handicap: 0, dead: new Set() })
    expect(s.seki.size).toBe(0)
    expect(s.black.territory).toBe(14)
    expect(s.white.territory).toBe(14)
  })
})
