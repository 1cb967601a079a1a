import { BLACK, EMPTY, WHITE } from './constants.js'
import { GamePhaseError, IllegalMoveError, InvalidSettingError, type IllegalMoveReason } from './errors.js'
import { fixedHandicapPoints } from './handicap.js'
import { Position } from './position.js'
import { score as countScore, type Score } from './scoring.js'
import { onBoard, type Vertex } from './vertex.js'
import { opponent, type Color } from './color.js'
import { checkTimeout, clockPhase, clockReading, createClock, pauseClock, pressClock, resumeClock, startClock, type ClockState } from './clock.js'
import { NO_TIME_LIMIT, type TimeControl } from './time-control.js'
import { validateTerms } from './terms.js'
import type { ClockReading } from './game-record.js'
import type { GameResult } from './result.js'
import type { Ruleset } from './rules.js'

/** Everything two players agree on before the first move. */
export interface GameSettings {
  readonly size: number
  readonly rules: Ruleset
  readonly komi: number
  /** Handicap stones for Black; 0 or 1 means none (1: Black simply moves first, komi as agreed). */
  readonly handicap?: number
  /** 'fixed': the standard points; 'free': Black chooses them with `placeHandicap` before play. */
  readonly handicapPlacement?: 'fixed' | 'free'
  /** The clock; none when absent. */
  readonly timeControl?: TimeControl
}

/**
 * When an action happened, for the clock: `at` in milliseconds on the caller's time source, and the
 * measured network delay to credit back (capped by the clock). Games without a clock ignore it.
 */
export interface Timing {
  readonly at: number
  readonly lagMs?: number
}

/** Where the game stands. */
export type GamePhase = 'handicap' | 'play' | 'scoring' | 'ended'

/** One turn as it happened: a stone (vertex) or a pass (vertex null). */
export interface Move {
  readonly color: Color
  readonly vertex: Vertex | null
  /** Stones this move took off the board. */
  readonly captured: number
  /** The mover's clock just after the move, when the game has a clock and the move was timed. */
  readonly clock?: ClockReading
}

/** Checks settings and returns them with defaults filled in; throws InvalidSettingError with a plain sentence. */
export function validateSettings (s: GameSettings): Required<GameSettings> {
  const handicap = s.handicap ?? 0
  const placement = s.handicapPlacement ?? 'fixed'
  // The same terms the network agrees to (terms.ts): a game the challenge protocol signs always starts.
  const timeControl = validateTerms({ size: s.size, komi: s.komi, handicap, placement, tc: s.timeControl ?? NO_TIME_LIMIT })
  return { size: s.size, rules: s.rules, komi: s.komi, handicap, handicapPlacement: placement, timeControl }
}

/**
 * A game of Go between two players: turns, passes, resignation, time loss, the
 * dead-stone agreement and the result. Pure state: time comes in as `Timing` values from the
 * caller, never from a clock of its own; no I/O. Every refused action throws a named error
 * that says why; nothing changes when it does.
 */
export class Game {
  readonly settings: Required<GameSettings>
  readonly position: Position
  readonly moves: Move[] = []
  /** The handicap stones placed before play. */
  readonly handicapStones: Vertex[] = []
  phase: GamePhase
  toMove: Color
  result: GameResult | undefined
  /** Pass stones handed over (AGA): passStones[BLACK] = stones Black received. */
  readonly passStones: [number, number, number] = [0, 0, 0]
  /** The clock's state (immutable; replaced on every timed action). */
  clock: ClockState

  private consecutivePasses = 0
  private readonly dead = new Set<number>()
  /** Bumped on every change to the dead-stone marking; an acceptance names the version it accepts. */
  private markingVersion = 0
  private readonly accepted: [number, number, number] = [-1, -1, -1]

  constructor (settings: GameSettings) {
    this.settings = validateSettings(settings)
    this.position = new Position(this.settings.size, this.settings.rules)
    this.toMove = BLACK
    this.phase = 'play'
    this.clock = createClock(this.settings.timeControl)
    const { handicap, handicapPlacement, size } = this.settings
    if (handicap >= 2 && handicapPlacement === 'free') {
      this.phase = 'handicap'
    } else if (handicap >= 2) {
      this.setHandicap(fixedHandicapPoints(size, handicap))
    }
  }

  get size (): number {
    return this.settings.size
  }

  /** Stones captured by each colour: captures[BLACK], captures[WHITE]. */
  get captures (): readonly [number, number, number] {
    return this.position.board.captures
  }

  /** Black places free handicap stones (exactly the agreed number, distinct, on the board). */
  placeHandicap (vertices: readonly Vertex[]): void {
    if (this.phase !== 'handicap') throw new GamePhaseError(this.phase, 'handicap stones can only be placed before the first move of a free-handicap game')
    const want = this.settings.handicap
    if (vertices.length !== want) throw new InvalidSettingError('handicap', `expected ${want} handicap stones, got ${vertices.length}`)
    const seen = new Set<string>()
    for (const v of vertices) {
      if (!onBoard(v, this.size)) throw new IllegalMoveError('out-of-bounds', `handicap stone at ${v.x},${v.y}`)
      const k = `${v.x},${v.y}`
      if (seen.has(k)) throw new IllegalMoveError('occupied', `two handicap stones at ${k}`)
      seen.add(k)
    }
    this.setHandicap(vertices)
    this.phase = 'play'
  }

  /** Why `color` may not play at `vertex` now, or null when it may. Changes nothing. */
  check (color: Color, vertex: Vertex): IllegalMoveReason | null {
    if (this.phase !== 'play') return 'game-over'
    if (color !== this.toMove) return 'not-your-turn'
    if (!onBoard(vertex, this.size)) return 'out-of-bounds'
    return this.position.check(color, this.position.board.point(vertex.x, vertex.y))
  }

  /**
   * Starts the clock for the player to move (the first move's thinking time counts from here).
   * A timed move on a clock not yet started starts it at that move instead.
   */
  start (at: number): void {
    if (clockPhase(this.clock) === 'not-started') this.clock = startClock(this.clock, this.toMove, at)
  }

  /**
   * Ends the game on time if the player to move has run out at `at`; returns the loser or null.
   * The network calls this on a timer; moves call it themselves.
   */
  checkTime (at: number): Color | null {
    if (this.phase === 'ended' || clockPhase(this.clock) === 'not-started') return null
    const loser = checkTimeout(this.clock, at)
    if (loser != null) this.end({ kind: 'time', winner: opponent(loser) })
    return loser
  }

  /** Plays a stone; throws IllegalMoveError (with the reason) when the rules or the clock refuse it. */
  play (color: Color, vertex: Vertex, timing?: Timing): Move {
    this.timeUp(timing)
    const reason = this.check(color, vertex)
    if (reason != null) throw new IllegalMoveError(reason)
    const board = this.position.board
    const before = board.captures[BLACK] + board.captures[WHITE]
    this.position.play(color, board.point(vertex.x, vertex.y))
    const clock = this.press(color, timing)
    const move: Move = { color, vertex: { x: vertex.x, y: vertex.y }, captured: board.captures[BLACK] + board.captures[WHITE] - before, ...(clock != null ? { clock } : {}) }
    this.moves.push(move)
    this.consecutivePasses = 0
    this.toMove = opponent(color)
    if (this.position.repetition) this.end({ kind: 'no-result' })
    return move
  }

  /** Passes. Two passes in a row (under AGA rules: ending with White's) move the game to scoring. */
  pass (color: Color, timing?: Timing): Move {
    this.timeUp(timing)
    if (this.phase !== 'play') throw new IllegalMoveError('game-over')
    if (color !== this.toMove) throw new IllegalMoveError('not-your-turn')
    this.position.pass(color)
    if (this.settings.rules.passStones) this.passStones[opponent(color)]++
    const clock = this.press(color, timing)
    const move: Move = { color, vertex: null, captured: 0, ...(clock != null ? { clock } : {}) }
    this.moves.push(move)
    this.consecutivePasses++
    this.toMove = opponent(color)
    const whiteLast = !this.settings.rules.passStones || color === WHITE
    if (this.consecutivePasses >= 2 && whiteLast) {
      // Counting is not thinking: the clock stops while the players agree on dead stones.
      if (timing != null) this.clock = pauseClock(this.clock, timing.at)
      this.phase = 'scoring'
    } else if (this.position.repetition) this.end({ kind: 'no-result' })
    return move
  }

  /** `color` resigns; allowed in any phase before the end. */
  resign (color: Color): void {
    this.requireNotEnded()
    this.end({ kind: 'resign', winner: opponent(color) })
  }

  /** `color` ran out of time (the clock decides; the game records it). */
  timeout (color: Color): void {
    this.requireNotEnded()
    this.end({ kind: 'time', winner: opponent(color) })
  }

  /** `color` forfeits (e.g. left and did not come back within the agreed bound). */
  forfeit (color: Color): void {
    this.requireNotEnded()
    this.end({ kind: 'forfeit', winner: opponent(color) })
  }

  /**
   * Marks or unmarks as dead the group at `vertex`: the stones of that colour reachable from it
   * through its own stones and empty points, up to the opponent's stones. Any change withdraws
   * both players' acceptances. Returns the new marking version.
   */
  toggleDead (vertex: Vertex): number {
    if (this.phase !== 'scoring') throw new GamePhaseError(this.phase, 'dead stones can only be marked after both players pass')
    if (!onBoard(vertex, this.size)) throw new IllegalMoveError('out-of-bounds')
    const board = this.position.board
    const p = board.point(vertex.x, vertex.y)
    const color = board.cells[p]
    if (color !== BLACK && color !== WHITE) throw new InvalidSettingError('dead-stones', 'there is no stone there to mark')
    const group = this.groupFor(p, color)
    const markDead = !this.dead.has(p)
    for (const s of group) {
      if (markDead) this.dead.add(s)
      else this.dead.delete(s)
    }
    this.markingVersion++
    this.accepted[BLACK] = -1
    this.accepted[WHITE] = -1
    return this.markingVersion
  }

  /**
   * Replaces the whole marking with exactly these stones (the network agrees on full sets, so
   * either player's view converges whatever order toggles arrived in). Returns the new version.
   */
  setMarking (dead: readonly Vertex[]): number {
    if (this.phase !== 'scoring') throw new GamePhaseError(this.phase, 'dead stones can only be marked after both players pass')
    const board = this.position.board
    const points = dead.map(v => {
      if (!onBoard(v, this.size)) throw new IllegalMoveError('out-of-bounds')
      const p = board.point(v.x, v.y)
      if (board.cells[p] !== BLACK && board.cells[p] !== WHITE) throw new InvalidSettingError('dead-stones', `there is no stone at ${v.x},${v.y} to mark`)
      return p
    })
    this.dead.clear()
    for (const p of points) this.dead.add(p)
    this.markingVersion++
    this.accepted[BLACK] = -1
    this.accepted[WHITE] = -1
    return this.markingVersion
  }

  /** The stones `toggleDead` would mark or unmark at `vertex` (none on an empty point): for a screen that proposes whole markings. */
  groupAt (vertex: Vertex): Vertex[] {
    if (!onBoard(vertex, this.size)) return []
    const board = this.position.board
    const p = board.point(vertex.x, vertex.y)
    const color = board.cells[p]
    if (color !== BLACK && color !== WHITE) return []
    return this.groupFor(p, color).sort((a, b) => a - b).map(q => board.vertex(q))
  }

  /** The current dead-stone marking as vertices, and its version. */
  get marking (): { readonly version: number, readonly dead: Vertex[] } {
    const board = this.position.board
    return { version: this.markingVersion, dead: [...this.dead].sort((a, b) => a - b).map(p => board.vertex(p)) }
  }

  /**
   * `color` accepts the marking of `version` (the version they saw, so a late change cannot be
   * accepted by mistake). When both accept the same version the game ends with the score.
   */
  acceptScore (color: Color, version: number = this.markingVersion): void {
    if (this.phase !== 'scoring') throw new GamePhaseError(this.phase, 'there is no score to accept before both players pass')
    if (version !== this.markingVersion) throw new GamePhaseError(this.phase, `the marking changed (now version ${this.markingVersion}, accepted ${version}): look again`)
    this.accepted[color] = version
    if (this.accepted[BLACK] === version && this.accepted[WHITE] === version) {
      const s = this.score()
      this.end({ kind: 'score', winner: s.winner, margin: Math.abs(s.margin) })
    }
  }

  /** The players disagree about life and death: play resumes, the marking is dropped, the clock runs again. */
  resumePlay (timing?: Timing): void {
    if (this.phase !== 'scoring') throw new GamePhaseError(this.phase, 'play can only resume from the scoring phase')
    if (timing != null) this.clock = resumeClock(this.clock, timing.at)
    this.dead.clear()
    this.markingVersion++
    this.accepted[BLACK] = -1
    this.accepted[WHITE] = -1
    this.consecutivePasses = 0
    this.phase = 'play'
  }

  /** The count with the current marking (any phase: the screen shows an estimate during scoring). */
  score (): Score {
    return countScore({
      board: this.position.board,
      rules: this.settings.rules,
      komi: this.settings.komi,
      handicap: this.handicapStones.length,
      dead: this.dead,
      passStones: this.passStones
    })
  }

  /**
   * Refuses an action that comes after the player to move ran out of time. Like every refusal it
   * changes nothing: the caller decides the time loss with `checkTime` (a network game needs the
   * opponent's claim for that).
   */
  private timeUp (timing: Timing | undefined): void {
    if (timing == null || this.phase === 'ended') return
    this.start(timing.at)
    const loser = checkTimeout(this.clock, timing.at)
    if (loser != null) throw new IllegalMoveError('game-over', `${loser === BLACK ? 'Black' : 'White'} ran out of time`)
  }

  /** Presses the clock after a legal move by `color`; returns the mover's reading. */
  private press (color: Color, timing: Timing | undefined): ClockReading | undefined {
    if (timing == null || this.settings.timeControl.kind === 'none') return undefined
    const pressed = pressClock(this.clock, color, timing.at, { lagMs: timing.lagMs })
    // timeUp() has just seen this player in time, and the lag refund only lowers the time used.
    this.clock = pressed.state
    return clockReading(this.clock, color, timing.at)
  }

  private setHandicap (vertices: readonly Vertex[]): void {
    const board = this.position.board
    this.position.setup(vertices.map(v => [board.point(v.x, v.y), BLACK] as const), WHITE)
    this.handicapStones.push(...vertices.map(v => ({ x: v.x, y: v.y })))
    this.toMove = WHITE
  }

  private groupFor (p: number, color: number): number[] {
    const board = this.position.board
    const cells = board.cells
    const w = board.width
    const out: number[] = []
    const seen = new Set<number>([p])
    const stack = [p]
    while (stack.length > 0) {
      const q = stack.pop() as number
      if (cells[q] === color) out.push(q)
      for (const m of [q - w, q - 1, q + 1, q + w]) {
        if (!seen.has(m) && (cells[m] === color || cells[m] === EMPTY)) {
          seen.add(m)
          stack.push(m)
        }
      }
    }
    return out
  }

  private requireNotEnded (): void {
    if (this.phase === 'ended') throw new GamePhaseError(this.phase, 'the game is already over')
  }

  private end (result: GameResult): void {
    this.result = result
    this.phase = 'ended'
  }
}
