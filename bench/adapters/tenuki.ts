import { createRequire } from 'node:module'
import { boardRows } from './adapter.js'
import type { Move } from '../random-sequences.js'
import type { Adapter, KoRule, ReplayResult } from './adapter.js'

const require = createRequire(import.meta.url)
const { Game }: typeof import('tenuki') = require('tenuki')

/** Headless: no element means tenuki's null renderer; `render: false` skips even that call. */
const quiet = { render: false }

/**
 * tenuki: `Game.playAt` runs `isIllegalAt` (occupied, suicide, ko rule) and returns false when
 * illegal. Positional superko compares the new state with every earlier one (hash, then all points).
 */
export const tenuki: Adapter = {
  name: 'tenuki',
  supports: () => true,
  describe: (ko) => `new Game({ boardSize: size, koRule: '${ko === 'simple' ? 'simple' : 'positional-superko'}' }) (no element: null renderer); game.playAt(y, x, { render: false }) → false when illegal; game.pass({ render: false })`,
  replay (moves: readonly Move[], size: number, ko: KoRule, rows = false): ReplayResult {
    const game = new Game({ boardSize: size, koRule: ko === 'simple' ? 'simple' : 'positional-superko' })
    let applied = 0
    let rejected = 0
    for (const m of moves) {
      const ok = m === 'pass' ? game.pass(quiet) : game.playAt(m.y, m.x, quiet)
      if (ok) applied++
      else rejected++
    }
    const result: ReplayResult = { applied, rejected }
    if (rows) {
      result.rows = boardRows(size, (x, y) => {
        const v = game.intersectionAt(y, x).value
        return v === 'black' ? 'X' : v === 'white' ? 'O' : '.'
      })
    }
    return result
  }
}
