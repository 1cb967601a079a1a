import { BLACK, WHITE } from '../../src/game/constants.js'
import { Position } from '../../src/game/position.js'
import { CHINESE, SIMPLE_KO } from '../../src/game/rules.js'
import { onBoard } from '../../src/game/vertex.js'
import { boardRows } from './adapter.js'
import type { Color } from '../../src/game/color.js'
import type { Move } from '../random-sequences.js'
import type { Adapter, KoRule, ReplayResult } from './adapter.js'

/** p2pgo's own engine: `Position.play` checks occupancy, suicide and the ruleset's ko rule before it plays. */
export const p2pgo: Adapter = {
  name: 'p2pgo',
  supports: () => true,
  describe: (ko) => ko === 'simple'
    ? 'new Position(size, SIMPLE_KO); onBoard(v, size) then pos.play(color, board.point(x, y)), pos.pass(color)'
    : 'new Position(size, CHINESE) (positional superko, exact: Zobrist key + full-board confirmation); same calls',
  replay (moves: readonly Move[], size: number, ko: KoRule, rows = false): ReplayResult {
    const pos = new Position(size, ko === 'simple' ? SIMPLE_KO : CHINESE)
    const board = pos.board
    let color: Color = BLACK
    let applied = 0
    let rejected = 0
    for (const m of moves) {
      if (m === 'pass') {
        pos.pass(color)
      } else if (!onBoard(m, size) || pos.play(color, board.point(m.x, m.y)) != null) {
        rejected++
        continue
      }
      applied++
      color = (3 - color) as Color
    }
    const result: ReplayResult = { applied, rejected }
    if (rows) {
      result.rows = boardRows(size, (x, y) => {
        const c = board.cells[board.point(x, y)]
        return c === BLACK ? 'X' : c === WHITE ? 'O' : '.'
      })
    }
    return result
  }
}
