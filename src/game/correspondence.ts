import { day, hour, minute } from '../units.js'
import { InvalidSettingError } from './errors.js'

/*
 * Correspondence time: days per move, as OGS plays most of its games. Pure data and arithmetic;
 * the clock (clock.ts) does the accounting with it, the session judges claims with it.
 *
 * A correspondence clock counts wall time between the signed act times (ms since the epoch), so
 * both players, and anyone replaying the signed acts, reach the same reading without having been
 * online together. The optional weekend pause is the game's, not a player's: Saturday 00:00 to
 * Monday 00:00 at the UTC offset agreed in the terms (OGS pauses from Saturday 00:00 to Sunday
 * 23:59:59 UTC), and no time passes on either player's clock during it.
 */

/** Shortest time per move: below an hour a game is no longer one a person plays between other things. */
export const MIN_PER_MOVE_MS = 1 * hour

/** Longest time per move: 30 days, a month's absence (OGS's pickers stop at four weeks). */
export const MAX_PER_MOVE_MS = 30 * day

/** Largest time bank: 60 days, twice the longest time per move, so a game cannot be left hanging for a season. */
export const MAX_BANK_MS = 60 * day

/** UTC offsets in use run from UTC-12:00 (Baker Island) to UTC+14:00 (Kiribati), in steps of 15 minutes (Nepal, +5:45). */
export const MIN_UTC_OFFSET_MIN = -12 * 60
export const MAX_UTC_OFFSET_MIN = 14 * 60
export const UTC_OFFSET_STEP_MIN = 15

/** A pause from Saturday 00:00 to Monday 00:00 at `utcOffsetMin` minutes from UTC (0: UTC, as OGS). */
export interface WeekendPause {
  readonly utcOffsetMin: number
}

/**
 * Correspondence time, a Fischer clock in days: each player starts with `perMoveMs`; every move
 * adds `perMoveMs` to what is left, never past `maxBankMs`. With `weekendPause`, weekend hours
 * are not counted.
 */
export interface CorrespondenceTime {
  readonly kind: 'correspondence'
  readonly perMoveMs: number
  readonly maxBankMs: number
  readonly weekendPause?: WeekendPause
}

/** OGS's usual correspondence game: 3 days a move, up to 7 days banked, weekends paused (UTC). */
export const CORRESPONDENCE_3D: CorrespondenceTime = Object.freeze({
  kind: 'correspondence',
  perMoveMs: 3 * day,
  maxBankMs: 7 * day,
  weekendPause: Object.freeze({ utcOffsetMin: 0 })
})

/**
 * Checks the fields of a correspondence time control (an object whose kind is 'correspondence')
 * and returns a clean frozen copy; throws InvalidSettingError ('time-control') saying what is wrong.
 */
export function validateCorrespondence (o: Record<string, unknown>): CorrespondenceTime {
  const perMoveMs = wholeMs(o, 'perMoveMs', MIN_PER_MOVE_MS, MAX_PER_MOVE_MS)
  // A bank below the time per move would take time away on the first move.
  const maxBankMs = wholeMs(o, 'maxBankMs', perMoveMs, MAX_BANK_MS)
  if (o.weekendPause === undefined) return Object.freeze({ kind: 'correspondence', perMoveMs, maxBankMs })
  return Object.freeze({ kind: 'correspondence', perMoveMs, maxBankMs, weekendPause: weekendPauseOf(o.weekendPause) })
}

function weekendPauseOf (v: unknown): WeekendPause {
  // One form only, so a signed record has one encoding: no pause is a missing key, never false.
  if (typeof v !== 'object' || v == null || Array.isArray(v)) {
    throw invalid(`weekendPause must be a map with utcOffsetMin (0 for UTC), or left out for no pause; got ${typeof v === 'boolean' ? String(v) : typeof v}`)
  }
  const w = v as Record<string, unknown>
  const extra = Object.keys(w).filter(k => k !== 'utcOffsetMin')
  if (extra.length > 0) throw invalid(`weekendPause holds only utcOffsetMin, not ${extra.join(', ')}`)
  const off = w.utcOffsetMin
  if (typeof off !== 'number' || !Number.isInteger(off) || off < MIN_UTC_OFFSET_MIN || off > MAX_UTC_OFFSET_MIN || off % UTC_OFFSET_STEP_MIN !== 0) {
    throw invalid(`weekendPause.utcOffsetMin must be whole minutes from ${MIN_UTC_OFFSET_MIN} to ${MAX_UTC_OFFSET_MIN} in steps of ${UTC_OFFSET_STEP_MIN}, got ${String(off)}`)
  }
  return Object.freeze({ utcOffsetMin: off })
}

const WEEK = 7 * day
/** 1970-01-05 00:00 UTC was a Monday: weeks are counted from it. */
const A_MONDAY = 4 * day
/** Saturday 00:00, from the Monday that starts the week. */
const SATURDAY = 5 * day
const WEEKEND = 2 * day

/** Weekend time from a fixed Monday to `t` (either side of it): a step function, steady through the week. */
function weekendTo (t: number, utcOffsetMin: number): number {
  const x = t + utcOffsetMin * minute - A_MONDAY
  const weeks = Math.floor(x / WEEK)
  const into = x - weeks * WEEK
  return weeks * WEEKEND + Math.min(WEEKEND, Math.max(0, into - SATURDAY))
}

/** The weekend time between `from` and `to` that a correspondence clock does not count (0 without a pause). */
export function pausedBetween (tc: CorrespondenceTime, from: number, to: number): number {
  if (tc.weekendPause == null || to <= from) return 0
  return weekendTo(to, tc.weekendPause.utcOffsetMin) - weekendTo(from, tc.weekendPause.utcOffsetMin)
}

/** The time a correspondence clock counts from `from` to `to`: the wall time between them, less any weekend. */
export function countedBetween (tc: CorrespondenceTime, from: number, to: number): number {
  if (to <= from) return 0
  return to - from - pausedBetween(tc, from, to)
}

/** Whether `at` falls in the game's weekend pause (always false without one). */
export function inWeekendPause (tc: CorrespondenceTime, at: number): boolean {
  if (tc.weekendPause == null) return false
  return weekendTo(at + 1, tc.weekendPause.utcOffsetMin) > weekendTo(at, tc.weekendPause.utcOffsetMin)
}

/**
 * The wall time at which `countedMs` of counted time has passed since `from`: when a clock with
 * that much left runs out (its flag falls just after). Skips weekends when the game pauses them.
 */
export function wallTimeAfter (tc: CorrespondenceTime, from: number, countedMs: number): number {
  if (countedMs <= 0 || tc.weekendPause == null) return from + Math.max(0, countedMs)
  // Counted time is steady Monday to Friday (5 days a week) and still through the weekend.
  const off = tc.weekendPause.utcOffsetMin * minute
  const base = (t: number): number => (t - A_MONDAY + off) - weekendTo(t, tc.weekendPause!.utcOffsetMin)
  const target = base(from) + countedMs
  // The latest moment with that much counted: a clock that runs out on Friday night flags on Monday.
  const weeks = Math.floor(target / (5 * day))
  return weeks * WEEK + (target - weeks * 5 * day) + A_MONDAY - off
}

/** A long duration in days, hours and minutes, largest units first: "3d", "2d 5h", "7h 30m", "45m". */
export function formatDays (ms: number): string {
  if (!Number.isFinite(ms)) return '∞'
  const sign = ms < 0 ? '-' : ''
  const total = Math.floor(Math.abs(ms) / minute)
  const d = Math.floor(total / (24 * 60))
  const h = Math.floor((total % (24 * 60)) / 60)
  const m = total % 60
  const parts = [d > 0 ? `${d}d` : '', h > 0 ? `${h}h` : '', m > 0 && d === 0 ? `${m}m` : ''].filter(p => p !== '')
  return sign + (parts.length > 0 ? parts.join(' ') : '0m')
}

/** "3d per move, up to 7d, weekends paused (UTC+1)". */
export function formatCorrespondence (tc: CorrespondenceTime): string {
  const pause = tc.weekendPause == null ? '' : `, weekends paused (${utcOffsetText(tc.weekendPause.utcOffsetMin)})`
  return `${formatDays(tc.perMoveMs)} per move, up to ${formatDays(tc.maxBankMs)}${pause}`
}

/** "UTC", "UTC+1", "UTC-3:30", "UTC+5:45". */
export function utcOffsetText (utcOffsetMin: number): string {
  if (utcOffsetMin === 0) return 'UTC'
  const a = Math.abs(utcOffsetMin)
  const mm = a % 60
  return `UTC${utcOffsetMin < 0 ? '-' : '+'}${Math.floor(a / 60)}${mm === 0 ? '' : `:${String(mm).padStart(2, '0')}`}`
}

function wholeMs (o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = o[key]
  if (v === undefined) throw invalid(`a correspondence time control needs ${key}`)
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(`${key} must be a whole number of milliseconds, got ${String(v)}`)
  if (v < min || v > max) throw invalid(`${key} must be from ${formatDays(min)} to ${formatDays(max)}, got ${formatDays(v)}`)
  return v
}

function invalid (message: string): InvalidSettingError {
  return new InvalidSettingError('time-control', message)
}
