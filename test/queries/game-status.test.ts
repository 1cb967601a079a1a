// Where a game stands for `p2pgo games --json` (src/queries/game-status.ts): kind, whose move,
// and time left, from the game and an injected moment.
import { describe, expect, it } from 'vitest'
import { Game } from '../../src/game/game.js'
import { RULESETS } from '../../src/game/rules.js'
import { BLACK } from '../../src/game/constants.js'
import { gameStatus } from '../../src/queries/game-status.js'
import { day } from '../../src/units.js'

const t0 = 1_796_000_000_000

describe('gameStatus', () => {
  it('a correspondence game: the side to move counts wall time up to now', () => {
    const game = new Game({ size: 9, rules: RULESETS.chinese, komi: 7.5, timeControl: { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day } })
    expect(gameStatus(game, 'B', false, t0)).toEqual({ kind: 'correspondence', turn: 'B', myTurn: true, timeLeft: { B: 3 * day, W: 3 * day } })
    game.play(BLACK, { x: 2, y: 2 }, { at: t0 })
    const s = gameStatus(game, 'B', false, t0 + day)
    expect(s).toMatchObject({ kind: 'correspondence', turn: 'W', myTurn: false })
    expect(s.timeLeft.W).toBe(2 * day)
    expect(s.timeLeft.B).toBeGreaterThan(3 * day)
  })

  it('a game with no clock has no time left to show; a game over has nobody to move', () => {
    const game = new Game({ size: 9, rules: RULESETS.chinese, komi: 7.5 })
    expect(gameStatus(game, 'W', false, t0)).toEqual({ kind: 'live', turn: 'B', myTurn: false, timeLeft: { B: null, W: null } })
    expect(gameStatus(game, 'W', true, t0)).toMatchObject({ turn: null, myTurn: false })
  })

  it('a live game reads its clock as it stood at the last act', () => {
    const game = new Game({ size: 9, rules: RULESETS.chinese, komi: 7.5, timeControl: { kind: 'absolute', mainMs: 600_000 } })
    game.play(BLACK, { x: 2, y: 2 }, { at: t0 })
    expect(gameStatus(game, 'W', false, t0 + 5 * day)).toMatchObject({ kind: 'live', turn: 'W', myTurn: true, timeLeft: { W: 600_000 } })
  })
})
