// An mRNA as a game record, for SGF export to training pipelines.
import { BLACK, WHITE } from '../game/constants.js'
import { toSgfTime } from '../game/time-control.js'
import { describeEngines } from '../wire/game-start.js'
import type { GameRecord } from '../game/record.js'
import type { MrnaGame } from './mrna.js'

/** The game record of a replayed mRNA: players, rules, clock readings, result, agreed dead stones, engines. */
export function recordOfMrna (game: MrnaGame, id: string): GameRecord {
  const { start } = game
  const { TM, OT } = toSgfTime(start.terms.tc)
  return {
    size: start.terms.size,
    rules: start.terms.rules,
    komi: start.terms.komi,
    handicap: game.handicapStones.length,
    handicapStones: game.handicapStones,
    players: { black: { name: start.names.B }, white: { name: start.names.W } },
    date: new Date(start.created).toISOString().slice(0, 10),
    ...(TM != null ? { time: { mainSeconds: Number(TM), ...(OT != null ? { overtime: OT } : {}) } } : {}),
    moves: game.moves.map((vertex, i) => {
      const clock = game.clocks[i]
      return { color: game.movers[i] === 'B' ? BLACK : WHITE, vertex, ...(clock != null ? { clock: { left: clock / 1000 } } : {}) }
    }),
    ...(game.result != null ? { result: game.result } : {}),
    ...(game.dead != null ? { dead: game.dead } : {}),
    comment: `p2pgo game ${game.gameId.toString()}; RNA ${id}${start.engines != null ? `; ${describeEngines(start.engines)}` : ''}`
  }
}
