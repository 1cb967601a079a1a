// A signed game as the game layer's GameRecord, for SGF export: the one builder behind both the
// players' own export (src/net/game/game-record.ts) and the RNA export (src/rna/mrna-record.ts).
import { BLACK, WHITE } from '../game/constants.js'
import { toSgfTime } from '../game/time-control.js'
import { dayOf } from './dates.js'
import { describeEngines, type StartRecord } from './game-start.js'
import type { GameRecord } from '../game/game-record.js'
import type { Vertex } from '../game/vertex.js'
import type { RatingClaim } from './game-start.js'
import type { Side } from './game-messages.js'
import type { CID } from 'multiformats/cid'

/** One turn as signed: who played, the stone (null for a pass), and the author's clock (ms left) where kept. */
export interface PlayedTurn {
  readonly by: Side
  readonly vertex: Vertex | null
  readonly clock?: number
}

/** What was played under a start record. */
export interface PlayedGame {
  readonly gameId: CID
  readonly handicapStones: readonly Vertex[]
  readonly turns: readonly PlayedTurn[]
  /** The result text (`B+3.5`, `W+R`, `0`, `Void`), when the game ended. */
  readonly result?: string
  /** Dead stones both players agreed on, when the game was counted. */
  readonly dead?: readonly Vertex[]
  /** Said in the game comment after the game ID (e.g. `RNA <cid>`). */
  readonly note?: string
}

/**
 * The game record of a signed game: players and ranks, rules, clock readings, result, agreed dead
 * stones, engines, the game ID (GN) and PC p2pgo. `rankOf` writes the rank a rated game's start
 * record states (the rating layer's, src/rating/display.ts `rankText`: wire knows no ranks).
 */
export function exportRecordOf (start: StartRecord, played: PlayedGame, rankOf?: (rating: RatingClaim) => string): GameRecord {
  const { TM, OT } = toSgfTime(start.terms.tc)
  // SGF has no property for an engine: PB/PW keep the display name, and the game comment says
  // which side an engine played, so human games export exactly as before.
  const comment = [`p2pgo game ${played.gameId.toString()}`, played.note, start.engines != null ? describeEngines(start.engines) : undefined]
  // `created` is the accepter's clock and may be any safe integer: a day no Date can show is left out.
  const date = dayOf(start.created)
  return {
    size: start.terms.size,
    rules: start.terms.rules,
    komi: start.terms.komi,
    handicap: played.handicapStones.length,
    handicapStones: played.handicapStones,
    players: { black: playerOf(start.names.B, start.ratings?.B, rankOf), white: playerOf(start.names.W, start.ratings?.W, rankOf) },
    ...(date != null ? { date } : {}),
    ...(TM != null ? { time: { mainSeconds: Number(TM), ...(OT != null ? { overtime: OT } : {}) } } : {}),
    moves: played.turns.map(turn => ({
      color: turn.by === 'B' ? BLACK : WHITE,
      vertex: turn.vertex,
      // Each move carries the clock its author signed, so both players' exports agree to the millisecond.
      ...(turn.clock != null ? { clock: { left: turn.clock / 1000 } } : {})
    })),
    ...(played.result != null ? { result: played.result } : {}),
    ...(played.dead != null ? { dead: played.dead } : {}),
    comment: comment.filter(part => part != null).join('; '),
    name: played.gameId.toString(),
    place: 'p2pgo'
  }
}

/** A player with the rank the start record states (rated games only). */
function playerOf (name: string, rating: RatingClaim | undefined, rankOf: ((rating: RatingClaim) => string) | undefined): { name: string, rank?: string } {
  return rating == null || rankOf == null ? { name } : { name, rank: rankOf(rating) }
}
