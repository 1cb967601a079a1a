import { describe, expect, it } from 'vitest'
import { Game } from '../../src/game/game.js'
import { AGA, CHINESE, JAPANESE } from '../../src/game/rules.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { GamePhaseError, IllegalMoveError, InvalidSettingError } from '../../src/game/errors.js'
import { formatResult } from '../../src/game/result.js'
import type { Vertex } from '../../src/game/vertex.js'

const v = (x: number, y: number): Vertex => ({ x, y })

/** Catches the IllegalMoveError an action throws and returns its reason. */
function reasonOf (action: () => unknown): string {
  try {
    action()
  } catch (err) {
    if (err instanceof IllegalMoveError) return err.reason
    throw err
  }
  return 'none'
}

describe('Game', () => {
  it('alternates turns and explains every refusal', () => {
    const g = new Game({ size: 9, rules: CHINESE, komi: 7.5 })
    g.play(BLACK, v(4, 4))
    expect(reasonOf(() => g.play(BLACK, v(3, 3)))).toBe('not-your-turn')
    expect(reasonOf(() => g.play(WHITE, v(4, 4)))).toBe('occupied')
    expect(reasonOf(() => g.play(WHITE, v(9, 0)))).toBe('out-of-bounds')
    expect(reasonOf(() => g.play(WHITE, v(-1, 0)))).toBe('out-of-bounds')
    expect(reasonOf(() => g.play(WHITE, v(0.5, 0)))).toBe('out-of-bounds')
    expect(g.moves).toHaveLength(1)
    const err = (() => { try { g.play(BLACK, v(0, 0)) } catch (e) { return e as IllegalMoveError } })()
    expect(err?.message).toMatch(/not your turn/)
  })

  it('forbids the immediate ko recapture and suicide', () => {
    const g = new Game({ size: 5, rules: JAPANESE, komi: 0 })
    // Build a ko on the top edge: B b1 d1 c2, W c1... then B takes.
    const seq: Array<[number, number]> = [[1, 0], [2, 0], [2, 1], [3, 1], [4, 4], [4, 0], [3, 0]]
    seq.forEach(([x, y], i) => g.play(i % 2 === 0 ? BLACK : WHITE, v(x, y)))
    // Black d1 captured White c1; White may not take back at c1 at once.
    expect(g.captures[BLACK]).toBe(1)
    expect(reasonOf(() => g.play(WHITE, v(2, 0)))).toBe('ko')
    g.play(WHITE, v(0, 4))
    g.play(BLACK, v(1, 4))
    expect(g.check(WHITE, v(2, 0))).toBeNull()
    // Suicide: a white stone at a1? Black owns b1 and a2 surroundings after this.
    const s = new Game({ size: 5, rules: CHINESE, komi: 0 })
    s.play(BLACK, v(1, 0)); s.play(WHITE, v(4, 4)); s.play(BLACK, v(0, 1))
    expect(reasonOf(() => s.play(WHITE, v(0, 0)))).toBe('suicide')
  })

  it('places fixed handicap and gives White the first move', () => {
    const g = new Game({ size: 19, rules: JAPANESE, komi: 0.5, handicap: 4 })
    expect(g.handicapStones).toHaveLength(4)
    expect(g.toMove).toBe(WHITE)
    expect(g.position.board.count(BLACK)).toBe(4)
    expect(() => new Game({ size: 9, rules: JAPANESE, komi: 0.5, handicap: 10 })).toThrow(InvalidSettingError)
  })

  it('takes free handicap stones before play and checks them', () => {
    const g = new Game({ size: 9, rules: CHINESE, komi: 0.5, handicap: 2, handicapPlacement: 'free' })
    expect(g.phase).toBe('handicap')
    expect(reasonOf(() => g.play(BLACK, v(0, 0)))).toBe('game-over')
    expect(() => g.placeHandicap([v(0, 0)])).toThrow(/expected 2/)
    expect(() => g.placeHandicap([v(0, 0), v(0, 0)])).toThrow(IllegalMoveError)
    expect(() => g.placeHandicap([v(0, 0), v(9, 9)])).toThrow(IllegalMoveError)
    g.placeHandicap([v(2, 2), v(6, 6)])
    expect(g.phase).toBe('play')
    expect(g.toMove).toBe(WHITE)
    expect(() => g.placeHandicap([v(1, 1), v(3, 3)])).toThrow(GamePhaseError)
  })

  it('rejects bad komi', () => {
    expect(() => new Game({ size: 9, rules: CHINESE, komi: 0.3 })).toThrow(/komi/)
    expect(() => new Game({ size: 9, rules: CHINESE, komi: Number.NaN })).toThrow(/komi/)
    expect(() => new Game({ size: 1, rules: CHINESE, komi: 0 })).toThrow(/size/)
  })

  it('goes to scoring after two passes, and back to play on disagreement', () => {
    const g = new Game({ size: 9, rules: CHINESE, komi: 7.5 })
    g.play(BLACK, v(4, 4))
    g.pass(WHITE)
    g.pass(BLACK)
    expect(g.phase).toBe('scoring')
    expect(reasonOf(() => g.play(WHITE, v(0, 0)))).toBe('game-over')
    const version = g.toggleDead(v(4, 4))
    expect(g.marking.dead).toEqual([v(4, 4)])
    g.acceptScore(WHITE, version)
    g.resumePlay()
    expect(g.phase).toBe('play')
    expect(g.marking.dead).toEqual([])
    g.play(WHITE, v(0, 0))
    g.pass(BLACK)
    g.pass(WHITE)
    expect(g.phase).toBe('scoring')
  })

  it('ends only when both accept the same marking', () => {
    const g = new Game({ size: 5, rules: CHINESE, komi: 0.5 })
    // Black wall on column c, a white stone stranded on Black's side.
    for (const [c, x, y] of [[BLACK, 2, 0], [WHITE, 3, 0], [BLACK, 2, 1], [WHITE, 3, 1], [BLACK, 2, 2], [WHITE, 3, 2], [BLACK, 2, 3], [WHITE, 3, 3], [BLACK, 2, 4], [WHITE, 3, 4], [BLACK, 4, 4], [WHITE, 0, 0]] as const) {
      g.play(c, v(x, y))
    }
    g.pass(BLACK)
    g.pass(WHITE)
    const before = g.marking.version
    g.acceptScore(BLACK, before)
    const after = g.toggleDead(v(0, 0))
    expect(() => g.acceptScore(WHITE, before)).toThrow(/marking changed/)
    g.toggleDead(v(4, 4))
    const final = g.marking.version
    g.acceptScore(WHITE, final)
    expect(g.phase).toBe('scoring')
    g.acceptScore(BLACK, final)
    expect(g.phase).toBe('ended')
    // Black: 5 stones + 10 points (a white stone dead inside); White: 5 stones + 5 points (e5 black stone dead) + 0.5.
    expect(formatResult(g.result!)).toBe('B+4.5')
    expect(after).toBeGreaterThan(before)
  })

  it('toggles a whole group across empty points, not a single chain', () => {
    const g = new Game({ size: 5, rules: CHINESE, komi: 0.5 })
    for (const [c, x, y] of [[BLACK, 2, 0], [WHITE, 0, 0], [BLACK, 2, 1], [WHITE, 0, 2], [BLACK, 2, 2], [WHITE, 4, 4]] as const) g.play(c, v(x, y))
    g.pass(BLACK); g.pass(WHITE)
    g.toggleDead(v(0, 0))
    // The white stones at a1 and a3 are linked through empty points on Black's side, and so is e5.
    expect(g.marking.dead).toEqual([v(0, 0), v(0, 2), v(4, 4)])
    g.toggleDead(v(0, 2))
    expect(g.marking.dead).toEqual([])
  })

  it('records resignation and time loss, and refuses moves after the end', () => {
    const g = new Game({ size: 9, rules: CHINESE, komi: 7.5 })
    g.resign(BLACK)
    expect(formatResult(g.result!)).toBe('W+R')
    expect(() => g.resign(WHITE)).toThrow(GamePhaseError)
    expect(reasonOf(() => g.pass(WHITE))).toBe('game-over')
    const t = new Game({ size: 9, rules: CHINESE, komi: 7.5 })
    t.timeout(WHITE)
    expect(formatResult(t.result!)).toBe('B+T')
  })

  it('under AGA rules needs White to pass last, handing over pass stones', () => {
    const g = new Game({ size: 9, rules: AGA, komi: 7.5 })
    g.play(BLACK, v(4, 4))
    g.pass(WHITE)
    g.pass(BLACK)
    expect(g.phase).toBe('play')
    g.pass(WHITE)
    expect(g.phase).toBe('scoring')
    expect(g.passStones[BLACK]).toBe(2)
    expect(g.passStones[WHITE]).toBe(1)
  })

  it('ends a Japanese game with no result when a position keeps recurring (triple ko)', () => {
    // Three kos on a 9x9 board. k1 and k2 are held by White, k3 by Black; Black to move.
    const black = [[1, 0], [0, 1], [1, 2], [6, 0], [5, 1], [6, 2], [1, 5], [0, 6], [1, 7], [2, 6]]
    const white = [[2, 0], [3, 1], [2, 2], [7, 0], [8, 1], [7, 2], [2, 5], [3, 6], [2, 7], [1, 1], [6, 1]]
    const play = (g: Game, c: 1 | 2, [x, y]: number[]): void => { g.play(c, v(x, y)) }
    const fresh = (rules = JAPANESE): Game => {
      const g = new Game({ size: 9, rules, komi: 0 })
      g.pass(BLACK) // White has one stone more to place
      black.forEach((p, i) => { play(g, WHITE, white[i]); play(g, BLACK, p) })
      play(g, WHITE, white[10])
      return g
    }
    // Each player in turn takes a ko the other is not barred from: a cycle of six moves.
    const cycle = [[2, 1], [1, 6], [7, 1], [1, 1], [2, 6], [6, 1]]
    const g = fresh()
    for (let round = 0; round < 2; round++) {
      cycle.forEach((p, i) => {
        expect(g.phase).toBe('play')
        play(g, i % 2 === 0 ? BLACK : WHITE, p)
      })
    }
    // The starting position has now come back twice more: the third time ends the game.
    expect(g.phase).toBe('ended')
    expect(formatResult(g.result!)).toBe('Void')
    expect(g.moves).toHaveLength(22 + 12)
    // Under positional superko the same cycle is refused instead, at the move that would close it.
    const c = fresh(CHINESE)
    cycle.slice(0, 5).forEach((p, i) => play(c, i % 2 === 0 ? BLACK : WHITE, p))
    expect(reasonOf(() => play(c, WHITE, cycle[5]))).toBe('superko')
  })
})

describe('Game with a clock', () => {
  const tc = { kind: 'byo-yomi', mainMs: 10_000, periodMs: 5_000, periods: 1 } as const

  it('charges each move to the mover, credits capped lag, and records the readings', () => {
    const g = new Game({ size: 9, rules: CHINESE, komi: 7.5, timeControl: tc })
    g.start(0)
    const m1 = g.play(BLACK, v(4, 4), { at: 4_000, lagMs: 500 })
    expect(m1.clock).toEqual({ left: 6.5 })
    const m2 = g.play(WHITE, v(3, 3), { at: 16_000 })
    expect(m2.clock).toEqual({ left: 5, overtime: 1 })
    // Black's turn started at 16 s; 6.5 s of main time left.
    expect(g.checkTime(22_000)).toBeNull()
    expect(g.checkTime(22_501 + 5_000)).toBe(BLACK)
    expect(g.phase).toBe('ended')
    expect(formatResult(g.result!)).toBe('W+T')
  })

  it('refuses a move that comes after the flag fell, and says so', () => {
    const g = new Game({ size: 9, rules: CHINESE, komi: 7.5, timeControl: tc })
    g.start(0)
    const err = (() => { try { g.play(BLACK, v(0, 0), { at: 15_001 }) } catch (e) { return e as IllegalMoveError } })()
    expect(err?.reason).toBe('game-over')
    expect(err?.message).toMatch(/Black ran out of time/)
    expect(g.moves).toHaveLength(0)
    // The refusal changed nothing; the time loss is decided when the clock is checked.
    expect(g.phase).toBe('play')
    expect(g.checkTime(15_001)).toBe(BLACK)
    expect(formatResult(g.result!)).toBe('W+T')
  })

  it('stops the clock while the players count', () => {
    const g = new Game({ size: 9, rules: CHINESE, komi: 7.5, timeControl: tc })
    g.start(0)
    g.pass(BLACK, { at: 1_000 })
    g.pass(WHITE, { at: 2_000 })
    expect(g.phase).toBe('scoring')
    expect(g.checkTime(1_000_000)).toBeNull()
    g.resumePlay({ at: 1_000_000 })
    expect(g.checkTime(1_000_000 + 13_000)).toBeNull()
    expect(g.checkTime(1_000_000 + 14_001)).toBe(BLACK)
  })

  it('rejects a malformed time control', () => {
    expect(() => new Game({ size: 9, rules: CHINESE, komi: 7.5, timeControl: { kind: 'byo-yomi', mainMs: -1, periodMs: 1, periods: 1 } })).toThrow(InvalidSettingError)
  })
})
