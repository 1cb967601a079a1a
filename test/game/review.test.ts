import { describe, expect, it } from 'vitest'
import { BLACK, EMPTY, WHITE } from '../../src/game/constants.js'
import { IllegalMoveError } from '../../src/game/errors.js'
import { jumpTo, lastMove, reviewOf, stepFrom, stoneAt } from '../../src/game/review.js'
import type { GameRecord, RecordedMove } from '../../src/game/game-record.js'

const B = (x: number, y: number): RecordedMove => ({ color: BLACK, vertex: { x, y } })
const W = (x: number, y: number): RecordedMove => ({ color: WHITE, vertex: { x, y } })
const pass = (color: typeof BLACK | typeof WHITE): RecordedMove => ({ color, vertex: null })

const base: Omit<GameRecord, 'moves'> = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, handicapStones: [], players: { black: { name: 'ann' }, white: { name: 'bob' } } }

/** B takes W's corner stone at move 3; W's lone stone at J1 is agreed dead after two passes. */
const counted: GameRecord = {
  ...base,
  moves: [B(1, 0), W(0, 0), B(0, 1), W(8, 8), pass(BLACK), pass(WHITE)],
  dead: [{ x: 8, y: 8 }],
  result: 'B+88.5'
}

describe('reviewOf', () => {
  it('keeps the position and the captures after every move', () => {
    const r = reviewOf(counted)
    expect(lastMove(r)).toBe(6)
    expect(r.frames).toHaveLength(7)
    expect([...r.frames[0].stones].every(s => s === EMPTY)).toBe(true)
    expect(r.frames[0].toMove).toBe(BLACK)
    expect(r.frames[0].played).toBeUndefined()
    // Move 2: White's stone is on the board, nothing captured yet.
    expect(stoneAt(r, r.frames[2], { x: 0, y: 0 })).toBe(WHITE)
    expect(r.frames[2].captures).toEqual({ black: 0, white: 0 })
    // Move 3 takes it: gone from the board, one capture for Black from then on.
    expect(stoneAt(r, r.frames[3], { x: 0, y: 0 })).toBe(EMPTY)
    expect(r.frames[3].captures).toEqual({ black: 1, white: 0 })
    expect(r.frames[3].played).toEqual(B(0, 1))
    expect(r.frames[6].captures).toEqual({ black: 1, white: 0 })
    // Going back shows the earlier position again: the frames are apart, not one board moved.
    expect(stoneAt(r, r.frames[2], { x: 0, y: 0 })).toBe(WHITE)
    expect(r.frames[5].played).toEqual(pass(BLACK))
  })

  it('gives the agreed dead stones and the count with them removed', () => {
    const r = reviewOf(counted)
    expect(r.end.result).toBe('B+88.5')
    expect(r.end.dead).toEqual([{ x: 8, y: 8 }])
    // Black's two stones and every empty point but none of White's: the dead stone counts for Black.
    expect(r.end.score?.black.total).toBe(81)
    expect(r.end.score?.white.total).toBe(7.5)
    expect(r.end.score?.margin).toBe(73.5)
  })

  it('has no count or dead stones for a game that ended otherwise', () => {
    const r = reviewOf({ ...base, moves: [B(4, 4), W(3, 3)], result: 'W+R' })
    expect(r.end).toEqual({ result: 'W+R', dead: [] })
  })

  it('starts a handicap game with its stones placed and White to move', () => {
    const r = reviewOf({ ...base, handicap: 2, handicapStones: [{ x: 6, y: 2 }, { x: 2, y: 6 }], moves: [W(4, 4)] })
    expect(stoneAt(r, r.frames[0], { x: 6, y: 2 })).toBe(BLACK)
    expect(stoneAt(r, r.frames[0], { x: 2, y: 6 })).toBe(BLACK)
    expect(r.frames[0].toMove).toBe(WHITE)
    expect(stoneAt(r, r.frames[1], { x: 4, y: 4 })).toBe(WHITE)
  })

  it('refuses a record whose moves do not hold up, naming the move', () => {
    expect(() => reviewOf({ ...base, moves: [B(4, 4), W(4, 4)] })).toThrow(IllegalMoveError)
    expect(() => reviewOf({ ...base, moves: [B(4, 4), W(4, 4)] })).toThrow(/move 2/)
  })
})

describe('stepping and jumping', () => {
  const r = reviewOf(counted)

  it('steps within the game and stops at its ends', () => {
    expect(stepFrom(r, 0, 1)).toBe(1)
    expect(stepFrom(r, 3, -1)).toBe(2)
    expect(stepFrom(r, 0, -1)).toBe(0)
    expect(stepFrom(r, 6, 1)).toBe(6)
    expect(stepFrom(r, 2, 100)).toBe(6)
    expect(stepFrom(r, 2, -100)).toBe(0)
  })

  it.each([
    ['3', 3], ['0', 0], ['6', 6], [' 4 ', 4], ['006', 6]
  ])('jumps to move %j', (typed, move) => {
    expect(jumpTo(r, typed)).toEqual({ ok: true, move })
  })

  it.each([
    ['7', /there is no move 7: this game has moves 0 \(the start\) to 6/],
    ['1000000', /there is no move 1000000/],
    ['-1', /"-1" is not a move number: this game has moves 0 \(the start\) to 6/],
    ['abc', /"abc" is not a move number/],
    ['', /"" is not a move number/],
    ['3.5', /"3.5" is not a move number/]
  ])('refuses a jump to %j with the moves the game has', (typed, reason) => {
    const jump = jumpTo(r, typed)
    expect(jump.ok).toBe(false)
    if (!jump.ok) expect(jump.reason).toMatch(reason)
  })
})
