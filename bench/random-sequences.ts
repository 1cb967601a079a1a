import { BLACK, BORDER, EMPTY } from '../src/game/constants.js'
import { Position } from '../src/game/position.js'
import { CHINESE } from '../src/game/rules.js'
import type { Color } from '../src/game/color.js'
import type { KoRule } from './adapters/adapter.js'
import type { IllegalMoveReason } from '../src/game/errors.js'
import type { Vertex } from '../src/game/vertex.js'

/** One ply of a benchmark sequence: a vertex (x column, y row from the top, 0-based) or a pass. Colours alternate from Black. */
export type Move = Vertex | 'pass'

/** A move the random player tried and the rules refused, kept to show that every library refuses it too. */
export interface IllegalTry {
  /** Index of the move in `moves` before which the try is made, by the player to move there. */
  readonly ply: number
  readonly move: Vertex
  readonly reason: IllegalMoveReason
}

/** One random game: the legal moves played, and some illegal tries met on the way. */
export interface RandomGame {
  readonly moves: readonly Move[]
  readonly illegal: readonly IllegalTry[]
}

/** Illegal tries kept per game and reason: enough to test every library, few enough to keep verification cheap. */
const TRIES_PER_REASON = 4

/** How often (in plies) an "occupied" try is recorded: occupied points are never tried by the player itself. */
const OCCUPIED_EVERY = 25

import { mulberry32 } from '../src/prng.js'
export { mulberry32 }

/** `count` random games on a `size` board from `seed`; the same arguments always give the same games. */
export function randomSequences (size: number, count: number, seed: number): RandomGame[] {
  const rng = mulberry32(seed ^ Math.imul(size, 0x9e3779b1))
  const games: RandomGame[] = []
  for (let i = 0; i < count; i++) games.push(randomGame(size, rng))
  return games
}

/**
 * One game of uniformly random legal moves under positional superko without suicide (so it is
 * legal under simple ko too). A player never fills its own one-point eye, passes when nothing
 * else is left, and the game ends at two passes in a row or after 3 × size² plies.
 */
export function randomGame (size: number, rng: () => number): RandomGame {
  const pos = new Position(size, CHINESE)
  const board = pos.board
  const cells = board.cells
  const cap = 3 * size * size
  const moves: Move[] = []
  const illegal: IllegalTry[] = []
  const kept = new Map<IllegalMoveReason, number>()
  const keep = (move: Vertex, reason: IllegalMoveReason): void => {
    const n = kept.get(reason) ?? 0
    if (n >= TRIES_PER_REASON) return
    kept.set(reason, n + 1)
    illegal.push({ ply: moves.length, move, reason })
  }
  const empty: number[] = []
  const stones: number[] = []
  let color: Color = BLACK
  let passes = 0
  while (passes < 2 && moves.length < cap) {
    empty.length = 0
    stones.length = 0
    for (let p = 0; p < cells.length; p++) {
      if (cells[p] === EMPTY) empty.push(p)
      else if (cells[p] !== BORDER) stones.push(p)
    }
    if (stones.length > 0 && moves.length % OCCUPIED_EVERY === 0) {
      keep(board.vertex(stones[Math.floor(rng() * stones.length)]), 'occupied')
    }
    let played = false
    while (empty.length > 0) {
      const i = Math.floor(rng() * empty.length)
      const p = empty[i]
      empty[i] = empty[empty.length - 1]
      empty.pop()
      if (isOwnEye(cells, board.width, p, color)) continue
      const reason = pos.play(color, p)
      if (reason == null) {
        moves.push(board.vertex(p))
        played = true
        break
      }
      keep(board.vertex(p), reason)
    }
    if (played) {
      passes = 0
    } else {
      pos.pass(color)
      moves.push('pass')
      passes++
    }
    color = (3 - color) as Color
  }
  return { moves, illegal }
}

/**
 * True when `p` is a one-point eye of `color`: every neighbour is its stone, and the diagonals
 * hold fewer enemy stones than would make it false (one in the middle, none on the edge).
 */
function isOwnEye (cells: Uint8Array, w: number, p: number, color: Color): boolean {
  const n = [p - w, p - 1, p + 1, p + w]
  for (const q of n) if (cells[q] !== color && cells[q] !== BORDER) return false
  let enemy = 0
  let edge = 0
  for (const q of [p - w - 1, p - w + 1, p + w - 1, p + w + 1]) {
    if (cells[q] === BORDER) edge = 1
    else if (cells[q] === 3 - color) enemy++
  }
  return enemy + edge < 2
}

/**
 * The game's moves with the illegal tries put back where they were met, for checking that a
 * library refuses them. Under simple ko, superko tries are left out (they are legal there).
 */
export function withIllegalTries (game: RandomGame, ko: KoRule): { moves: Move[], tries: number } {
  const at = new Map<number, Vertex[]>()
  let tries = 0
  for (const t of game.illegal) {
    if (ko === 'simple' && t.reason === 'superko') continue
    const list = at.get(t.ply) ?? []
    list.push(t.move)
    at.set(t.ply, list)
    tries++
  }
  const moves: Move[] = []
  game.moves.forEach((m, i) => {
    for (const v of at.get(i) ?? []) moves.push(v)
    moves.push(m)
  })
  return { moves, tries }
}

/** A position where one move breaks positional superko but not simple ko: `moves` lead to it, `move` is the repetition. */
export interface SuperkoCase {
  readonly moves: readonly Move[]
  readonly move: Vertex
}

/**
 * Plays random games on a `size` board until `wanted` superko refusals turn up (about one per
 * hundred 9x9 games): random play rarely meets one in the timed games, and without them a
 * library that only knew simple ko would pass for a superko one.
 */
export function superkoCases (size: number, wanted: number, seed: number, maxGames = 20_000): SuperkoCase[] {
  const rng = mulberry32(seed ^ 0x5c0)
  const cases: SuperkoCase[] = []
  for (let i = 0; i < maxGames && cases.length < wanted; i++) {
    const game = randomGame(size, rng)
    for (const t of game.illegal) {
      if (t.reason === 'superko' && cases.length < wanted) cases.push({ moves: game.moves.slice(0, t.ply), move: t.move })
    }
  }
  return cases
}
