import { createRequire } from 'node:module'
import { boardRows } from './adapter.js'
import type { Move } from '../random-sequences.js'
import type { Adapter, KoRule, ReplayResult } from './adapter.js'

const require = createRequire(import.meta.url)
// CommonJS: module.exports is the class itself (the package's own .d.ts says `export default`, see types.d.ts).
const GoBoard: typeof import('@sabaki/go-board') = require('@sabaki/go-board')

/** Every check makeMove offers; without them it overwrites stones, plays suicide and retakes kos. */
const checked = { preventOverwrite: true, preventSuicide: true, preventKo: true }

/**
 * @sabaki/go-board: an immutable board; `makeMove` returns a new board or throws on an illegal move.
 * It knows only simple ko (the position that led to this board), so superko is not offered.
 */
export const sabaki: Adapter = {
  name: '@sabaki/go-board',
  supports: (ko) => ko === 'simple',
  describe: (ko) => ko === 'simple'
    ? 'GoBoard.fromDimensions(size); board = board.makeMove(±1, [x, y], { preventOverwrite, preventSuicide, preventKo: true }) (throws when illegal); pass = board.makeMove(0, [-1, -1]) (a clone)'
    : 'n/a: no superko (makeMove only compares with the position that led to the board)',
  replay (moves: readonly Move[], size: number, ko: KoRule, rows = false): ReplayResult {
    if (ko !== 'simple') throw new Error('@sabaki/go-board has no superko')
    let board = GoBoard.fromDimensions(size)
    let sign: 1 | -1 = 1
    let applied = 0
    let rejected = 0
    for (const m of moves) {
      if (m === 'pass') {
        // Sabaki's own app passes this way: sign 0 / an off-board vertex gives a clone.
        board = board.makeMove(0, [-1, -1])
      } else {
        try {
          board = board.makeMove(sign, [m.x, m.y], checked)
        } catch {
          rejected++
          continue
        }
      }
      applied++
      sign = sign === 1 ? -1 : 1
    }
    const result: ReplayResult = { applied, rejected }
    if (rows) {
      const final = board
      result.rows = boardRows(size, (x, y) => {
        const s = final.get([x, y])
        return s === 1 ? 'X' : s === -1 ? 'O' : '.'
      })
    }
    return result
  }
}
