// An mRNA as a game record, for SGF export to training pipelines.
import { exportRecordOf } from '../wire/export-record.js'
import { rankText } from '../rating/display.js'
import type { GameRecord } from '../game/game-record.js'
import type { MrnaGame } from './mrna.js'

/** The game record of a replayed mRNA: players, rules, clock readings, result, agreed dead stones, engines. */
export function recordOfMrna (game: MrnaGame, id: string): GameRecord {
  return exportRecordOf(game.start, {
    gameId: game.gameId,
    handicapStones: game.handicapStones,
    turns: game.moves.map((vertex, i) => {
      const clock = game.clocks[i]
      return { by: game.movers[i], vertex, ...(clock != null ? { clock } : {}) }
    }),
    ...(game.result != null ? { result: game.result } : {}),
    ...(game.dead != null ? { dead: game.dead } : {}),
    note: `RNA ${id}`
  }, rankText)
}
