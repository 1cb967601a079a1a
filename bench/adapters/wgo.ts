import { createRequire } from 'node:module'
import { boardRows } from './adapter.js'
import type { GoRules } from 'wgo'
import type { Move } from '../random-sequences.js'
import type { Adapter, KoRule, ReplayResult } from './adapter.js'

const require = createRequire(import.meta.url)
const { Game, JAPANESE_RULES, CHINESE_RULES, Repeating }: typeof import('wgo') = require('wgo')

/**
 * wgo 3's `Game.hasPositionRepeated` does not do what its enum's comments say:
 * `Repeating.KO` compares with the last two positions of the stack (simple ko),
 * `Repeating.NONE` compares with every earlier position (positional superko), and
 * `Repeating.ALL` checks nothing. Its own CHINESE_RULES use NONE, i.e. superko.
 * The rules are asserted here so a wgo update that fixes the names shows up at once.
 */
const simpleRules: GoRules = JAPANESE_RULES
const superkoRules: GoRules = CHINESE_RULES
if (simpleRules.repeating !== Repeating.KO || superkoRules.repeating !== Repeating.NONE || simpleRules.allowSuicide || superkoRules.allowSuicide) {
  throw new Error('wgo rule presets changed: check bench/adapters/wgo.ts')
}

/**
 * wgo 3: `Game.play(x, y)` clones the current position, applies the move (refusing occupied
 * points and suicide) and checks repetition, returning false when illegal; the game keeps a stack
 * of every position.
 */
export const wgo: Adapter = {
  name: 'wgo',
  supports: () => true,
  describe: (ko) => ko === 'simple'
    ? 'new Game(size, JAPANESE_RULES) (repeating: KO = compare with the position two plies back, no suicide); game.play(x, y) → false when illegal; game.pass()'
    : 'new Game(size, CHINESE_RULES) (repeating: NONE, which in the code compares with every earlier position = positional superko); same calls',
  replay (moves: readonly Move[], size: number, ko: KoRule, rows = false): ReplayResult {
    const game = new Game(size, ko === 'simple' ? simpleRules : superkoRules)
    let applied = 0
    let rejected = 0
    for (const m of moves) {
      if (m === 'pass') {
        game.pass()
      } else if (game.play(m.x, m.y) === false) {
        rejected++
        continue
      }
      applied++
    }
    const result: ReplayResult = { applied, rejected }
    if (rows) {
      const position = game.position
      result.rows = boardRows(size, (x, y) => {
        const c = position.get(x, y)
        return c === 1 ? 'X' : c === -1 ? 'O' : '.'
      })
    }
    return result
  }
}
