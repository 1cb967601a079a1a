// A built-in Go player for machines without GNU Go: a few cheap, well-known heuristics over the
// game core's board, nothing more. It keeps games legal and finishes them; it is not meant to play well.
import { BLACK, BORDER, EMPTY, WHITE } from '../game/constants.js'
import type { Board } from '../game/board.js'
import type { Color } from '../game/color.js'
import type { Game } from '../game/game.js'
import type { Vertex } from '../game/vertex.js'

/** The player passes once this many moves per board point were played: random play need not end by itself. */
export const MOVE_CAP_PER_POINT = 2
/**
 * After the opponent passes, an empty region touching both colours with at least this many points is
 * still worth playing in; smaller ones are dame or the last liberties of settled groups.
 */
export const OPEN_REGION_MIN = 4
/** How far (in rows and columns) a point may be from a stone and still count as near it: a knight's move or a two-space jump. */
const NEAR_DISTANCE = 2
/** A point near a stone is this many times as likely to be chosen as one far from all stones. */
const NEAR_WEIGHT = 8
/** First-line points are worth little until the fight reaches the edge: their weight is scaled by this. */
const EDGE_WEIGHT = 0.25
/** On an empty board the player opens on these lines (counted from the edge, from 1): the 3-3, 3-4 and 4-4 points. */
const OPENING_LINES = [3, 4]

/** What the player needs to know to choose a move. */
export interface SimpleMoveInput {
  /** The stones as they stand. Only read, never changed (it is probed, which touches no stone). */
  readonly board: Board
  /** The colour to play. */
  readonly color: Color
  /**
   * Whether the caller's rules let `color` play at the padded point `p` now: ko, superko, suicide.
   * Asked only for empty points; the player never plays suicide even where the rules allow it.
   */
  readonly legal: (p: number) => boolean
  /** The opponent's last turn was a pass. */
  readonly opponentPassed: boolean
  /** Turns (stones and passes) played so far, for the move cap. */
  readonly moveCount: number
  /** Floats in [0, 1): the only source of chance, so a seeded source replays a game exactly. */
  readonly random: () => number
}

/** One chain of stones, seen once per call. */
interface ChainInfo {
  readonly color: Color
  readonly size: number
  readonly liberties: readonly number[]
}

/**
 * The simple player's move: a vertex, or null to pass. In order: pass at the move cap; take the
 * biggest opponent group in atari; rescue the biggest own group in atari when extending gives it
 * more than one liberty (even through a point that looks like an own eye: one that is a group's
 * last liberty is a false eye); pass when the opponent passed and no open region is left; otherwise
 * a random legal move that neither fills an own eye nor puts itself in atari, near stones (or on
 * the 3rd-4th line of an empty board); pass when there is none.
 */
export function chooseMove (input: SimpleMoveInput): Vertex | null {
  const p = choosePoint(input)
  return p < 0 ? null : input.board.vertex(p)
}

/** The simple player's move for the player to move in `game`, judged by the game's own rules; null to pass. */
export function chooseGameMove (game: Game, random: () => number): Vertex | null {
  const board = game.position.board
  const color = game.toMove
  const last = game.moves[game.moves.length - 1]
  return chooseMove({
    board,
    color,
    legal: p => game.check(color, board.vertex(p)) == null,
    opponentPassed: last != null && last.vertex == null && last.color !== color,
    moveCount: game.moves.length,
    random
  })
}

/**
 * The stones this player would mark dead at the end: none. It does not judge life and death.
 * It takes every group it can capture and passes only when no empty region touching both colours
 * is bigger than a few points, so what is left has mostly been settled by play; a guess on top of
 * that would mark living groups dead about as often as dead ones. The opponent can still mark.
 */
export function deadStones (_board: Board): Vertex[] {
  return []
}

/** A seeded source of floats in [0, 1): the player's moves replay from a seed. */
export { mulberry32 as seededRandom } from '../prng.js'

/** True when every orthogonal neighbour of the empty point `p` is a stone of `color` or the edge. */
export function isOwnEye (board: Board, color: Color, p: number): boolean {
  const c = board.cells
  const w = board.width
  if (c[p] !== EMPTY) return false
  for (const n of [p - w, p - 1, p + 1, p + w]) {
    if (c[n] !== color && c[n] !== BORDER) return false
  }
  return true
}

/** The padded point to play, or -1 to pass. */
function choosePoint (input: SimpleMoveInput): number {
  const { board, color, legal } = input
  if (input.moveCount >= board.size * board.size * MOVE_CAP_PER_POINT) return -1
  const chains = chainsOf(board)
  const enemy = (3 - color) as Color

  // 1. Capture: the biggest opponent group in atari whose last liberty may be taken.
  for (const chain of inAtari(chains, enemy)) {
    const p = chain.liberties[0]
    if (legal(p)) return p
  }

  // 2. Rescue: extend the biggest own group in atari when that leaves it more than one liberty.
  // This may fill a point that looks like an own eye: an eye that is a group's last liberty is false.
  for (const chain of inAtari(chains, color)) {
    const p = chain.liberties[0]
    if (legal(p) && isSafe(board, color, p)) return p
  }

  // 3. The opponent passed and nothing is left to fight over: pass too, so the game ends.
  if (input.opponentPassed && settled(board)) return -1

  // 4. A random reasonable move, weighted towards the stones already played.
  const empty = board.count(BLACK) + board.count(WHITE) === 0
  const points: number[] = []
  const weights: number[] = []
  for (let y = 0; y < board.size; y++) {
    for (let x = 0; x < board.size; x++) {
      const p = board.point(x, y)
      if (board.cells[p] !== EMPTY || isOwnEye(board, color, p)) continue
      if (!legal(p) || !isSafe(board, color, p)) continue
      points.push(p)
      weights.push(empty ? openingWeight(board.size, x, y) : weight(board, x, y))
    }
  }
  return pickWeighted(points, weights, input.random)
}

/** Every chain on the board, each once, with its liberties. */
function chainsOf (board: Board): ChainInfo[] {
  const out: ChainInfo[] = []
  const seen = new Uint8Array(board.cells.length)
  for (let y = 0; y < board.size; y++) {
    for (let x = 0; x < board.size; x++) {
      const p = board.point(x, y)
      const c = board.cells[p]
      if (c !== BLACK && c !== WHITE) continue
      const root = board.chainId(p)
      if (seen[root] === 1) continue
      seen[root] = 1
      out.push({ color: c, size: board.chainSize(p), liberties: board.liberties(p) })
    }
  }
  return out
}

/** `color`'s chains with exactly one liberty, biggest first (a stable sort: ties keep board order). */
function inAtari (chains: readonly ChainInfo[], color: Color): ChainInfo[] {
  return chains.filter(c => c.color === color && c.liberties.length === 1).sort((a, b) => b.size - a.size)
}

/**
 * True when `color` at the empty point `p` is neither suicide nor self-atari: it captures, or the
 * chain it makes has at least two liberties. Captures count as safe (the captured points are liberties).
 */
function isSafe (board: Board, color: Color, p: number): boolean {
  const probe = board.probe(color, p)
  if (probe.suicide) return false
  if (probe.removed > 0) return true
  return libertiesAfter(board, color, p) >= 2
}

/** Liberties of the chain `color` would form at `p`, for a move that captures nothing. */
function libertiesAfter (board: Board, color: Color, p: number): number {
  const c = board.cells
  const w = board.width
  const libs = new Set<number>()
  const roots: number[] = []
  for (const n of [p - w, p - 1, p + 1, p + w]) {
    if (c[n] === EMPTY) libs.add(n)
    else if (c[n] === color) {
      const root = board.chainId(n)
      if (roots.includes(root)) continue
      roots.push(root)
      for (const l of board.liberties(n)) if (l !== p) libs.add(l)
    }
  }
  return libs.size
}

/**
 * True when no empty region is still open: none touching both colours has OPEN_REGION_MIN points
 * or more, and the board is not empty (an empty board is all open).
 */
function settled (board: Board): boolean {
  const c = board.cells
  const w = board.width
  const seen = new Uint8Array(c.length)
  for (let y = 0; y < board.size; y++) {
    for (let x = 0; x < board.size; x++) {
      const start = board.point(x, y)
      if (c[start] !== EMPTY || seen[start] === 1) continue
      let size = 0
      let touches = 0
      const stack = [start]
      seen[start] = 1
      while (stack.length > 0) {
        const q = stack.pop() as number
        size++
        for (const n of [q - w, q - 1, q + 1, q + w]) {
          if (c[n] === EMPTY && seen[n] === 0) {
            seen[n] = 1
            stack.push(n)
          } else if (c[n] === BLACK || c[n] === WHITE) touches |= c[n]
        }
      }
      if (touches === 0) return false
      if (touches === (BLACK | WHITE) && size >= OPEN_REGION_MIN) return false
    }
  }
  return true
}

/** The line of (x, y) counted from the nearest edge, from 1. */
function lineOf (size: number, x: number, y: number): number {
  return Math.min(x, y, size - 1 - x, size - 1 - y) + 1
}

/** Empty board: only the opening lines (any point on a board too small to have them). */
function openingWeight (size: number, x: number, y: number): number {
  const deepest = Math.ceil(size / 2)
  const lines = OPENING_LINES.filter(l => l <= deepest)
  return lines.length === 0 || lines.includes(lineOf(size, x, y)) ? 1 : 0
}

/** Near stones is likelier; the first line, unlikelier. */
function weight (board: Board, x: number, y: number): number {
  let w = 1
  const n = board.size
  near: for (let dy = -NEAR_DISTANCE; dy <= NEAR_DISTANCE; dy++) {
    const yy = y + dy
    if (yy < 0 || yy >= n) continue
    for (let dx = -NEAR_DISTANCE; dx <= NEAR_DISTANCE; dx++) {
      const xx = x + dx
      if (xx < 0 || xx >= n) continue
      const c = board.cells[board.point(xx, yy)]
      if (c === BLACK || c === WHITE) {
        w = NEAR_WEIGHT
        break near
      }
    }
  }
  return lineOf(n, x, y) === 1 ? w * EDGE_WEIGHT : w
}

/** One of `points`, with chances in proportion to `weights`; -1 when there is none to choose. */
function pickWeighted (points: readonly number[], weights: readonly number[], random: () => number): number {
  let total = 0
  for (const w of weights) total += w
  if (points.length === 0 || total <= 0) return -1
  let r = random() * total
  for (let i = 0; i < points.length; i++) {
    r -= weights[i]
    if (r < 0 && weights[i] > 0) return points[i]
  }
  // Rounding can leave r a hair above zero: the last point with any weight takes it.
  for (let i = points.length - 1; i >= 0; i--) if (weights[i] > 0) return points[i]
  return -1
}
