import { opponent } from './color.js'
import { BLACK, WHITE } from './constants.js'
import { GamePhaseError, InvalidSettingError } from './errors.js'
import { validateTimeControl } from './time-control.js'
import { countedBetween } from './correspondence.js'
import type { Color } from './color.js'
import type { ClockReading } from './game-record.js'
import type { TimeControl } from './time-control.js'

/*
 * A Go clock as immutable data. Nothing here reads the system time or sets a timer: every function
 * takes the moment `at` (milliseconds on any monotonic scale the caller picks), so the game, the
 * network and the tests each drive it with their own time source.
 *
 * Boundary rule, the same everywhere: a player runs out only when strictly more time has been used
 * than was available. A move made with exactly 0 ms left is in time, and a byo-yomi move that takes
 * exactly one period keeps that period, as the rules say a period is lost only by exceeding it.
 *
 * A correspondence clock (correspondence.ts) is a Fischer clock whose `at` must be wall time in
 * ms since the epoch, as the signed act times are: its weekend pause falls on real weekends.
 */

/** Clock tunables. */
export interface ClockOptions {
  /**
   * The most measured network delay refunded on one move. Like lichess's lag compensation
   * (scalachess `LagTracker` refunds lag up to a quota), so a slow link does not cost thinking
   * time, but capped, so a peer cannot claim unlimited lag to gain time.
   */
  readonly maxLagCompensationMs: number
}

/** Largest accepted `maxLagCompensationMs`: beyond this a peer could add seconds to every move of a blitz game. */
export const MAX_LAG_COMPENSATION_MS = 10_000

/** Default tunables. */
export const defaultClockOptions: ClockOptions = Object.freeze({
  // lichess regains 1 s of lag quota per move (scalachess LagTracker.quotaGain): this is that steady state, without the banked burst.
  maxLagCompensationMs: 1000
})

/** Default tunables overridden by `partial`, validated. */
export function createClockOptions (partial: Partial<ClockOptions> = {}): ClockOptions {
  const options = { ...defaultClockOptions, ...partial }
  validateClockOptions(options)
  return Object.freeze(options)
}

/** Throws `InvalidSettingError` ('clock') when a tunable is out of range. */
export function validateClockOptions (options: ClockOptions): void {
  const lag = options.maxLagCompensationMs
  if (typeof lag !== 'number' || !Number.isFinite(lag) || lag < 0 || lag > MAX_LAG_COMPENSATION_MS) {
    throw new InvalidSettingError('clock', `maxLagCompensationMs must be a number from 0 to ${MAX_LAG_COMPENSATION_MS}, got ${String(lag)}`)
  }
}

/** One player's time between turns (while their turn runs, the elapsed time is derived, not stored). */
export interface PlayerClock {
  /** Main time left. */
  readonly mainMs: number
  /** Byo-yomi: periods left, counting the one in use. 0 for other kinds. */
  readonly periods: number
  /** Canadian: stones still to play in the current block. 0 for other kinds. */
  readonly stones: number
  /** Canadian: time left in the current block; byo-yomi: the period length (it starts afresh every move). 0 otherwise. */
  readonly periodMs: number
}

/** The whole clock: settings, both players' time, and whose turn is being timed since when. */
export interface ClockState {
  readonly tc: TimeControl
  readonly options: ClockOptions
  readonly players: Readonly<Record<Color, PlayerClock>>
  /** The player whose turn is being timed; null until `startClock`. */
  readonly turn: Color | null
  /** When the current stretch of the turn began; null before the start, while paused, and after a flag. */
  readonly runningSince: number | null
  /** Time spent on the current turn before the last pause: a pause stops the clock without forgetting it. */
  readonly turnUsedMs: number
  /** The player who ran out of time, once the clock has seen it at a press. */
  readonly flagged: Color | null
}

/** Where the clock stands. */
export type ClockPhase = 'not-started' | 'running' | 'paused' | 'flagged'

/** What a player has left at a moment, for display. */
export interface Remaining {
  /** Main time left. */
  readonly mainMs: number
  /** Whether main time is used up, so overtime rules apply (always false for none, absolute and Fischer). */
  readonly inOvertime: boolean
  /** Time left in the current byo-yomi period or Canadian block; 0 for other kinds. */
  readonly periodMs: number
  /** Byo-yomi periods left, counting the one in use; 0 for other kinds. */
  readonly periods: number
  /** Canadian stones still to play in the current block; 0 for other kinds. */
  readonly stones: number
  /** Time until the flag falls if no move is made: Infinity with no time limit, 0 once out of time. */
  readonly totalMs: number
}

/** What pressing the clock did: the move was in time, or the mover had already run out. */
export type PressResult =
  | { readonly kind: 'moved', readonly state: ClockState }
  | { readonly kind: 'timeout', readonly color: Color, readonly state: ClockState }

/** A clock for `tc` (validated), not yet running: call `startClock` for the first player. */
export function createClock (tc: TimeControl, options: ClockOptions = defaultClockOptions): ClockState {
  const valid = validateTimeControl(tc)
  validateClockOptions(options)
  const player = initialPlayer(valid)
  return freeze({
    tc: valid,
    options,
    players: Object.freeze({ [BLACK]: player, [WHITE]: player }) as Record<Color, PlayerClock>,
    turn: null,
    runningSince: null,
    turnUsedMs: 0,
    flagged: null
  })
}

/** Where the clock stands: not started, running, paused or flagged. */
export function clockPhase (state: ClockState): ClockPhase {
  if (state.flagged != null) return 'flagged'
  if (state.turn == null) return 'not-started'
  return state.runningSince == null ? 'paused' : 'running'
}

/** Starts the first turn (Black's, or White's after handicap stones) at `at`. */
export function startClock (state: ClockState, color: Color, at: number): ClockState {
  checkTime(at)
  const phase = clockPhase(state)
  if (phase !== 'not-started') throw new GamePhaseError(phase, 'the clock has already been started')
  return freeze({ ...state, turn: color, runningSince: at, turnUsedMs: 0 })
}

/**
 * Ends `color`'s turn after a move made at `at`: charges the time used, less the measured network
 * delay `lagMs` (capped by `maxLagCompensationMs`, never below 0 used), applies the increment,
 * period or stone count, and starts the opponent's turn at `at`. A move that comes too late
 * returns a timeout with the mover's clock at zero and stopped.
 */
export function pressClock (state: ClockState, color: Color, at: number, { lagMs = 0 }: { lagMs?: number } = {}): PressResult {
  checkTime(at)
  const phase = clockPhase(state)
  if (phase === 'not-started') throw new GamePhaseError(phase, 'the clock has not been started')
  if (phase === 'flagged') throw new GamePhaseError(phase, `${name(state.flagged as Color)} has already run out of time`)
  if (phase === 'paused') throw new GamePhaseError(phase, 'the clock is paused: resume it before the next move')
  if (state.turn !== color) throw new GamePhaseError(phase, `the clock is timing ${name(state.turn as Color)}, not ${name(color)}`)
  // A lag that is missing, negative or not a number refunds nothing rather than failing the move.
  const refund = Number.isFinite(lagMs) && lagMs > 0 ? Math.min(lagMs, state.options.maxLagCompensationMs) : 0
  const usedMs = Math.max(0, elapsed(state, at) - refund)
  const after = afterMove(state.tc, state.players[color], usedMs)
  if (after == null) {
    return { kind: 'timeout', color, state: flag(state, color) }
  }
  return {
    kind: 'moved',
    state: freeze({
      ...state,
      players: withPlayer(state.players, color, after),
      turn: opponent(color),
      runningSince: at,
      turnUsedMs: 0
    })
  }
}

/** What `color` has left at `at` (their live turn counted if it is theirs). */
export function remaining (state: ClockState, color: Color, at: number): Remaining {
  checkTime(at)
  if (state.flagged === color) return OUT_OF_TIME
  const used = state.turn === color ? elapsed(state, at) : 0
  const r = live(state.tc, state.players[color], used)
  return r.totalMs < 0 ? { ...r, totalMs: 0 } : r
}

/**
 * The player who has run out of time at `at`, or null. Only the player whose turn is being timed
 * can run out; a paused clock counts the time used before the pause. Meant to be polled by the
 * game or the network, which add whatever grace for moves in flight they choose.
 */
export function checkTimeout (state: ClockState, at: number): Color | null {
  checkTime(at)
  if (state.flagged != null) return state.flagged
  if (state.turn == null || state.tc.kind === 'none') return null
  return live(state.tc, state.players[state.turn], elapsed(state, at)).totalMs < 0 ? state.turn : null
}

/**
 * Stops the clock at `at` (a disconnect, an agreed break), keeping the time already used on this
 * turn. Does nothing unless the clock is running, so it may be called again safely.
 */
export function pauseClock (state: ClockState, at: number): ClockState {
  checkTime(at)
  if (clockPhase(state) !== 'running') return state
  return freeze({ ...state, turnUsedMs: elapsed(state, at), runningSince: null })
}

/** Restarts a paused clock at `at`; the turn goes on from the time it had used. Does nothing unless paused. */
export function resumeClock (state: ClockState, at: number): ClockState {
  checkTime(at)
  if (clockPhase(state) !== 'paused') return state
  return freeze({ ...state, runningSince: at })
}

/**
 * The SGF BL/WL (seconds left in main time or the current period, floored to the millisecond so a
 * record never overstates it) and OB/OW values of `color`'s clock at `at`, in the shape the game
 * record stores; undefined with no time limit.
 */
export function clockReading (state: ClockState, color: Color, at: number): ClockReading | undefined {
  if (state.tc.kind === 'none') return undefined
  const r = remaining(state, color, at)
  const left = Math.floor(r.inOvertime ? r.periodMs : r.mainMs) / 1000
  if (!r.inOvertime) return { left }
  return { left, overtime: state.tc.kind === 'byo-yomi' ? r.periods : r.stones }
}

const OUT_OF_TIME: Remaining = Object.freeze({ mainMs: 0, inOvertime: false, periodMs: 0, periods: 0, stones: 0, totalMs: 0 })

const UNLIMITED: Remaining = Object.freeze({ mainMs: Infinity, inOvertime: false, periodMs: 0, periods: 0, stones: 0, totalMs: Infinity })

function initialPlayer (tc: TimeControl): PlayerClock {
  switch (tc.kind) {
    case 'none':
      return Object.freeze({ mainMs: 0, periods: 0, stones: 0, periodMs: 0 })
    case 'absolute': case 'fischer':
      return Object.freeze({ mainMs: tc.mainMs, periods: 0, stones: 0, periodMs: 0 })
    case 'correspondence':
      return Object.freeze({ mainMs: tc.perMoveMs, periods: 0, stones: 0, periodMs: 0 })
    case 'byo-yomi':
      return Object.freeze({ mainMs: tc.mainMs, periods: tc.periods, stones: 0, periodMs: tc.periodMs })
    case 'canadian':
      return Object.freeze({ mainMs: tc.mainMs, periods: 0, stones: tc.stones, periodMs: tc.periodMs })
  }
}

/**
 * What a player has after thinking `used` ms from `p` with no move made yet. `totalMs` goes
 * negative exactly when they have run out; the other fields are clamped for display.
 */
function live (tc: TimeControl, p: PlayerClock, used: number): Remaining {
  switch (tc.kind) {
    case 'none':
      return UNLIMITED
    case 'absolute': case 'fischer': case 'correspondence': {
      const left = p.mainMs - used
      return { mainMs: Math.max(0, left), inOvertime: false, periodMs: 0, periods: 0, stones: 0, totalMs: left }
    }
    case 'byo-yomi': {
      const totalMs = p.mainMs + p.periods * tc.periodMs - used
      const over = used - p.mainMs
      if (over <= 0) {
        return { mainMs: p.mainMs - used, inOvertime: over === 0, periodMs: tc.periodMs, periods: p.periods, stones: 0, totalMs }
      }
      if (totalMs < 0) return { ...OUT_OF_TIME, inOvertime: true, totalMs }
      // Whole periods overrun so far; a period used to the last millisecond still counts as kept.
      const lost = Math.ceil(over / tc.periodMs) - 1
      return { mainMs: 0, inOvertime: true, periodMs: (lost + 1) * tc.periodMs - over, periods: p.periods - lost, stones: 0, totalMs }
    }
    case 'canadian': {
      const totalMs = p.mainMs + p.periodMs - used
      const over = used - p.mainMs
      // With main time gone before the move, even an instant move is made in the period.
      const inOvertime = over >= 0
      return {
        mainMs: Math.max(0, -over),
        inOvertime,
        periodMs: inOvertime ? Math.max(0, p.periodMs - over) : p.periodMs,
        periods: 0,
        stones: p.stones,
        totalMs
      }
    }
  }
}

/** A player's clock after a move that took `used` ms; null when it came too late. */
function afterMove (tc: TimeControl, p: PlayerClock, used: number): PlayerClock | null {
  if (tc.kind === 'none') return p
  const now = live(tc, p, used)
  if (now.totalMs < 0) return null
  switch (tc.kind) {
    case 'absolute':
      return Object.freeze({ ...p, mainMs: now.mainMs })
    case 'fischer':
      return Object.freeze({ ...p, mainMs: Math.min(now.mainMs + tc.incrementMs, tc.maxMs ?? Infinity) })
    case 'correspondence':
      // Every move earns another turn's time; the bank never holds more than maxBankMs.
      return Object.freeze({ ...p, mainMs: Math.min(now.mainMs + tc.perMoveMs, tc.maxBankMs) })
    case 'byo-yomi':
      // The period in use starts afresh for the next move; only overrun periods are gone.
      return Object.freeze({ ...p, mainMs: now.mainMs, periods: now.periods })
    case 'canadian': {
      // A move in main time counts no stone, even one that uses main time exactly up.
      if (!inCanadianPeriod(p, used)) return Object.freeze({ ...p, mainMs: now.mainMs })
      const stones = p.stones - 1
      if (stones === 0) return Object.freeze({ ...p, mainMs: 0, stones: tc.stones, periodMs: tc.periodMs })
      return Object.freeze({ ...p, mainMs: 0, stones, periodMs: now.periodMs })
    }
  }
}

/** Whether a Canadian move was made in the overtime block: main time was gone before it, or ran out during it. */
function inCanadianPeriod (p: PlayerClock, used: number): boolean {
  return p.mainMs === 0 || used > p.mainMs
}

/**
 * Time used on the current turn at `at`. A clock read before its start (a time source that stepped
 * back) gives no time back; a correspondence clock does not count its weekend pause.
 */
function elapsed (state: ClockState, at: number): number {
  if (state.runningSince == null) return state.turnUsedMs
  if (state.tc.kind === 'correspondence') return state.turnUsedMs + countedBetween(state.tc, state.runningSince, at)
  return state.turnUsedMs + Math.max(0, at - state.runningSince)
}

function flag (state: ClockState, color: Color): ClockState {
  const zero = Object.freeze({ ...state.players[color], mainMs: 0, periods: 0, periodMs: 0 })
  return freeze({ ...state, players: withPlayer(state.players, color, zero), runningSince: null, turnUsedMs: 0, flagged: color })
}

function withPlayer (players: Readonly<Record<Color, PlayerClock>>, color: Color, p: PlayerClock): Readonly<Record<Color, PlayerClock>> {
  return Object.freeze({ ...players, [color]: p })
}

function checkTime (at: number): void {
  // NaN would silently poison every later reading, so a bad time source fails loudly at once.
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new RangeError(`clock time must be a finite number of milliseconds, got ${String(at)}`)
}

function name (color: Color): string {
  return color === BLACK ? 'Black' : 'White'
}

function freeze (state: ClockState): ClockState {
  return Object.freeze(state)
}
