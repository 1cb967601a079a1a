import { BLACK, EMPTY, WHITE } from './constants.js'
import { IllegalMoveError } from './errors.js'
import { Game } from './game.js'
import { fixedHandicapPoints } from './handicap.js'
import { formatResult } from './result.js'
import { RULESETS, type RulesetId } from './rules.js'
import { fromSgfTime, toSgfTime, type TimeControl } from './time-control.js'
import type { Color } from './color.js'
import type { Vertex } from './vertex.js'

/** A player as the record names them. */
export interface PlayerInfo {
  readonly name: string
  /** Rank as players write it ('3k', '1d'), when known. */
  readonly rank?: string
}

/** A clock reading after a move, as SGF BL/WL and OB/OW hold it. */
export interface ClockReading {
  /** Seconds left in main time, or in the current byo-yomi period. */
  readonly left: number
  /** Byo-yomi periods or Canadian stones left, once in overtime. */
  readonly overtime?: number
}

/** One move of a record: a stone or a pass (vertex null), with what was said and the clock. */
export interface RecordedMove {
  readonly color: Color
  readonly vertex: Vertex | null
  readonly clock?: ClockReading
  readonly comment?: string
}

/** A whole game as stored, sent and exported: the settings, the players, the moves and the result. */
export interface GameRecord {
  readonly size: number
  readonly rules: RulesetId
  readonly komi: number
  readonly handicap: number
  /** Handicap stones as placed (fixed or free). */
  readonly handicapStones: readonly Vertex[]
  readonly players: { readonly black: PlayerInfo, readonly white: PlayerInfo }
  /** Calendar date the game was played, YYYY-MM-DD. */
  readonly date?: string
  /** SGF TM (seconds) and OT text, when the game had a clock. */
  readonly time?: { readonly mainSeconds: number, readonly overtime?: string }
  readonly moves: readonly RecordedMove[]
  /** The result as SGF RE writes it ('B+3.5', 'W+R', '0', 'Void'), when the game is over. */
  readonly result?: string
  /** Dead stones agreed at the end, when the game was counted. */
  readonly dead?: readonly Vertex[]
  /** A comment on the whole game (SGF GC). */
  readonly comment?: string
  /** The game's name (SGF GN): p2pgo writes the game ID. */
  readonly name?: string
  /** Where the game was played (SGF PC). */
  readonly place?: string
}

/** Territory at the end of a counted game, as SGF TB/TW hold it. */
export interface Territory {
  /** Empty points Black surrounds, and White's dead stones. */
  readonly black: Vertex[]
  /** Empty points White surrounds, and Black's dead stones. */
  readonly white: Vertex[]
}

/** Builds the record of a game; the caller adds what the game itself does not know (players, date, clock). */
export function recordOf (game: Game, extra: Pick<GameRecord, 'players'> & Partial<GameRecord>): GameRecord {
  const { size, rules, komi } = game.settings
  return {
    size,
    rules: rules.id,
    komi,
    handicap: game.handicapStones.length,
    handicapStones: game.handicapStones.map(v => ({ ...v })),
    moves: game.moves.map(m => ({ color: m.color, vertex: m.vertex, ...(m.clock != null ? { clock: m.clock } : {}) })),
    ...timeOf(game.settings.timeControl),
    ...(game.result != null ? { result: formatResult(game.result) } : {}),
    ...(game.phase === 'ended' && game.result?.kind === 'score' ? { dead: game.marking.dead } : {}),
    ...extra
  }
}

/** SGF TM/OT for a time control, as the record keeps them. */
function timeOf (tc: TimeControl): Pick<GameRecord, 'time'> {
  const { TM, OT } = toSgfTime(tc)
  if (TM == null) return {}
  return { time: { mainSeconds: Number(TM), ...(OT != null ? { overtime: OT } : {}) } }
}

/**
 * Replays a record into a live game, checking every move against the rules and the turn order.
 * Throws IllegalMoveError naming the move number when the record does not hold up.
 */
export function replayRecord (record: GameRecord): Game {
  const rules = RULESETS[record.rules]
  const free = record.handicapStones.length >= 2 && !isFixedPlacement(record.size, record.handicapStones)
  const timeControl = record.time == null ? undefined : fromSgfTime(String(record.time.mainSeconds), record.time.overtime)
  const game = new Game({ size: record.size, rules, komi: record.komi, handicap: record.handicapStones.length, handicapPlacement: free ? 'free' : 'fixed', ...(timeControl != null ? { timeControl } : {}) })
  if (free) game.placeHandicap(record.handicapStones)
  record.moves.forEach((m, i) => {
    try {
      if (m.vertex == null) game.pass(m.color)
      else game.play(m.color, m.vertex)
    } catch (err) {
      if (err instanceof IllegalMoveError) throw new IllegalMoveError(err.reason, `move ${i + 1} (${m.color === BLACK ? 'B' : 'W'})`)
      throw err
    }
  })
  if (record.dead != null && game.phase === 'scoring') {
    for (const v of record.dead) {
      if (!game.marking.dead.some(d => d.x === v.x && d.y === v.y)) game.toggleDead(v)
    }
  }
  return game
}

/** True when the stones are exactly the standard fixed placement for their number. */
function isFixedPlacement (size: number, stones: readonly Vertex[]): boolean {
  let fixed: Vertex[]
  try {
    fixed = fixedHandicapPoints(size, stones.length)
  } catch {
    return false
  }
  const key = (v: Vertex): string => `${v.x},${v.y}`
  const want = new Set(fixed.map(key))
  return stones.every(v => want.has(key(v)))
}

/**
 * The territory of a counted record (one with agreed dead stones), the way KGS and most servers
 * write TB/TW: each side's empty surrounded points plus the opponent's dead stones. Every dead
 * stone is in it and no living stone is, so `deadFromTerritory` gives back the exact dead set.
 * Undefined when the record has no dead list or does not replay.
 */
export function territoryOf (record: GameRecord): Territory | undefined {
  if (record.dead == null) return undefined
  let game: Game
  try {
    game = replayRecord(record)
  } catch {
    return undefined
  }
  if (game.phase !== 'scoring') return undefined
  const board = game.position.board
  const { ownership } = game.score()
  const dead = new Set(game.marking.dead.map(v => board.point(v.x, v.y)))
  const black: Vertex[] = []
  const white: Vertex[] = []
  for (let y = 0; y < record.size; y++) {
    for (let x = 0; x < record.size; x++) {
      const p = board.point(x, y)
      const stone = board.cells[p]
      if (dead.has(p)) (stone === WHITE ? black : white).push({ x, y })
      else if (stone === EMPTY && ownership[p] === BLACK) black.push({ x, y })
      else if (stone === EMPTY && ownership[p] === WHITE) white.push({ x, y })
    }
  }
  return { black, white }
}

/**
 * The dead stones TB/TW name at the end of a record: White's stones in Black's territory and
 * Black's in White's. Undefined when the record does not replay to a finished position.
 */
export function deadFromTerritory (record: GameRecord, territory: Territory): Vertex[] | undefined {
  let game: Game
  try {
    game = replayRecord({ ...record, dead: undefined })
  } catch {
    return undefined
  }
  const board = game.position.board
  const stoneIs = (v: Vertex, color: number): boolean => board.cells[board.point(v.x, v.y)] === color
  const dead = [...territory.black.filter(v => stoneIs(v, WHITE)), ...territory.white.filter(v => stoneIs(v, BLACK))]
  return dead.sort((a, b) => a.y - b.y || a.x - b.x)
}
