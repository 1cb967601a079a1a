// A finished game stepped through move by move: the position after each move, the captures so
// far, the move that led there, and at the end the agreed dead stones and the count. Pure: built
// from a game record (the player's own game, an RNA, an SGF), it knows nothing of where the
// record came from or of the screen that shows it.
import { BLACK, WHITE } from './constants.js'
import { replayRecord, type GameRecord, type RecordedMove } from './game-record.js'
import type { Color } from './color.js'
import type { Score } from './scoring.js'
import type { Vertex } from './vertex.js'

/** The game after `move` moves (0: before the first move, handicap stones placed). */
export interface ReviewFrame {
  readonly move: number
  /** The stone at each point, row by row from the top (y * size + x): EMPTY, BLACK or WHITE. */
  readonly stones: Uint8Array
  /** Stones each colour has captured so far. */
  readonly captures: { readonly black: number, readonly white: number }
  /** The move that led here (absent at move 0). */
  readonly played?: RecordedMove
  /** Who plays next. */
  readonly toMove: Color
}

/** How the game ended, shown on its last frame. */
export interface ReviewEnd {
  /** The result as SGF RE writes it ('B+3.5', 'W+R'), when the record has one. */
  readonly result?: string
  /** The dead stones both players agreed on (empty unless the game was counted). */
  readonly dead: readonly Vertex[]
  /** The count with those stones removed, when the game was counted. */
  readonly score?: Score
}

/** A game ready to be stepped through. */
export interface GameReview {
  readonly record: GameRecord
  readonly size: number
  /** frames[n] is the position after n moves; frames.length is the number of moves + 1. */
  readonly frames: readonly ReviewFrame[]
  readonly end: ReviewEnd
}

/**
 * Replays a record into one frame per move. Throws IllegalMoveError (naming the move) when the
 * record does not hold up under its own rules, as replayRecord does.
 */
export function reviewOf (record: GameRecord): GameReview {
  // The whole record first: it checks every move and marks the agreed dead stones.
  const final = replayRecord(record)
  // The same game from its start (handicap placed), stepped by hand to keep every position.
  const game = replayRecord({ ...record, moves: [], dead: undefined, result: undefined })
  const { size } = record
  const snapshot = (move: number, played?: RecordedMove): ReviewFrame => {
    const board = game.position.board
    const stones = new Uint8Array(size * size)
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) stones[y * size + x] = board.cells[board.point(x, y)]
    return { move, stones, captures: { black: board.captures[BLACK], white: board.captures[WHITE] }, ...(played != null ? { played } : {}), toMove: game.toMove }
  }
  const frames = [snapshot(0)]
  record.moves.forEach((m, i) => {
    if (m.vertex == null) game.pass(m.color)
    else game.play(m.color, m.vertex)
    frames.push(snapshot(i + 1, m))
  })
  const counted = record.dead != null && final.phase === 'scoring'
  return {
    record,
    size,
    frames,
    end: {
      ...(record.result != null ? { result: record.result } : {}),
      dead: counted ? final.marking.dead : [],
      ...(counted ? { score: final.score() } : {})
    }
  }
}

/** The last move number of a review (its number of moves). */
export function lastMove (review: GameReview): number {
  return review.frames.length - 1
}

/** The move number `delta` moves from `at`, kept between 0 and the last move. */
export function stepFrom (review: GameReview, at: number, delta: number): number {
  return Math.min(lastMove(review), Math.max(0, at + delta))
}

/** A jump the player typed: the move to show, or why there is none (nothing changes then). */
export type Jump = { readonly ok: true, readonly move: number } | { readonly ok: false, readonly reason: string }

/** Reads a typed move number ('42', ' 0 ') for a jump; a number the game does not have is refused with the range it has. */
export function jumpTo (review: GameReview, text: string): Jump {
  const last = lastMove(review)
  const range = `this game has moves 0 (the start) to ${last}`
  const typed = text.trim()
  if (!/^\d{1,9}$/.test(typed)) return { ok: false, reason: `"${typed.slice(0, 20)}" is not a move number: ${range}` }
  const move = Number(typed)
  if (move > last) return { ok: false, reason: `there is no move ${move}: ${range}` }
  return { ok: true, move }
}

/** The stone at a point of a frame. */
export function stoneAt (review: GameReview, frame: ReviewFrame, v: Vertex): number {
  return frame.stones[v.y * review.size + v.x]
}
