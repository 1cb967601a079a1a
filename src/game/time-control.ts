import { MAX_SIZE, MIN_SIZE } from './constants.js'
import { hour, minute, second } from '../units.js'
import { InvalidSettingError } from './errors.js'
import { formatCorrespondence, utcOffsetText, validateCorrespondence, type CorrespondenceTime } from './correspondence.js'


/** Longest main time of a live clock: one sitting. Days-long play is the correspondence kind (correspondence.ts), with its own bounds. */
export const MAX_MAIN_MS = 24 * hour

/** Shortest main time for absolute and Fischer, which have no overtime: less than this flags on the first network round trip. */
export const MIN_MAIN_MS = 1 * second

/** Shortest byo-yomi or Canadian period: OGS's blitz pickers start at 1 s. */
export const MIN_PERIOD_MS = 1 * second

/** Longest byo-yomi or Canadian period, and largest Fischer increment: OGS's live period pickers stop at one hour. */
export const MAX_PERIOD_MS = 1 * hour

/** Most byo-yomi periods or Canadian stones per period: far past real settings (1-10 periods, 10-25 stones), low enough to catch typos. */
export const MAX_OVERTIME_COUNT = 100

/** No clock at all: nobody ever runs out of time. */
export interface NoTimeLimit {
  readonly kind: 'none'
}

/** Sudden death: one fixed budget for the whole game. */
export interface AbsoluteTime {
  readonly kind: 'absolute'
  readonly mainMs: number
}

/** A starting budget that grows by `incrementMs` after every move, never past `maxMs` when that is set. */
export interface FischerTime {
  readonly kind: 'fischer'
  readonly mainMs: number
  readonly incrementMs: number
  readonly maxMs?: number
}

/**
 * Japanese byo-yomi: after main time, `periods` periods of `periodMs`. A move made within the current
 * period keeps it (the next move gets a full one); each whole period a move overruns is used up.
 */
export interface ByoYomiTime {
  readonly kind: 'byo-yomi'
  readonly mainMs: number
  readonly periodMs: number
  readonly periods: number
}

/** Canadian overtime: after main time, `stones` moves within each `periodMs` block, which starts afresh once they are made. */
export interface CanadianTime {
  readonly kind: 'canadian'
  readonly mainMs: number
  readonly periodMs: number
  readonly stones: number
}

export type { CorrespondenceTime, WeekendPause } from './correspondence.js'

/** How long each player may think, as plain data for the wire, the lobby and SGF. Durations are whole milliseconds. */
export type TimeControl = NoTimeLimit | AbsoluteTime | FischerTime | ByoYomiTime | CanadianTime | CorrespondenceTime

/** The kinds of time control, in the order the lobby offers them. */
export const TIME_CONTROL_KINDS = Object.freeze(['none', 'absolute', 'fischer', 'byo-yomi', 'canadian', 'correspondence'] as const)

/** Untimed play. */
export const NO_TIME_LIMIT: NoTimeLimit = Object.freeze({ kind: 'none' })

/** Fast 9x9: OGS's blitz byo-yomi default (0:30 + 5 periods), with 10 s periods instead of its 5 s, as a peer-to-peer round trip eats too much of 5 s. */
export const BLITZ_9X9: ByoYomiTime = Object.freeze({ kind: 'byo-yomi', mainMs: 30 * second, periodMs: 10 * second, periods: 5 })

/** An ordinary 19x19 game: OGS's live byo-yomi default, 10:00 + 5×0:30. */
export const LIVE_19X19: ByoYomiTime = Object.freeze({ kind: 'byo-yomi', mainMs: 10 * minute, periodMs: 30 * second, periods: 5 })

/** Live Fischer: OGS's live Fischer default, 2:00 + 0:30 a move, capped at 5:00. */
export const FISCHER_LIVE: FischerTime = Object.freeze({ kind: 'fischer', mainMs: 2 * minute, incrementMs: 30 * second, maxMs: 5 * minute })

/** Live Canadian: OGS's live Canadian default, 10:00 then 10 stones every 3:00. */
export const CANADIAN_LIVE: CanadianTime = Object.freeze({ kind: 'canadian', mainMs: 10 * minute, periodMs: 3 * minute, stones: 10 })

/**
 * The time control offered by default for a board size: LIVE_19X19 with main time scaled by the
 * number of points (a 9x9 game has about a quarter of the moves), rounded to whole minutes.
 */
export function defaultTimeControl (size: number): ByoYomiTime {
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
    throw new InvalidSettingError('size', `board size must be a whole number from ${MIN_SIZE} to ${MAX_SIZE}, got ${size}`)
  }
  const minutes = Math.max(1, Math.round(LIVE_19X19.mainMs / minute * (size * size) / (19 * 19)))
  return Object.freeze({ ...LIVE_19X19, mainMs: minutes * minute })
}

/**
 * Checks a time control from anywhere (wire, config, lobby) and returns a clean frozen copy with
 * only the known fields; throws `InvalidSettingError` ('time-control') saying what is wrong.
 */
export function validateTimeControl (tc: unknown): TimeControl {
  if (typeof tc !== 'object' || tc == null || Array.isArray(tc)) {
    throw invalid(`a time control must be an object with a kind, got ${describe(tc)}`)
  }
  const o = tc as Record<string, unknown>
  switch (o.kind) {
    case 'none':
      return NO_TIME_LIMIT
    case 'absolute':
      return Object.freeze({ kind: 'absolute', mainMs: duration(o, 'mainMs', MIN_MAIN_MS, MAX_MAIN_MS) })
    case 'fischer': {
      const mainMs = duration(o, 'mainMs', MIN_MAIN_MS, MAX_MAIN_MS)
      const incrementMs = duration(o, 'incrementMs', 0, MAX_PERIOD_MS)
      if (o.maxMs === undefined) return Object.freeze({ kind: 'fischer', mainMs, incrementMs })
      // A cap below the starting time would take time away on the first move.
      const maxMs = duration(o, 'maxMs', mainMs, MAX_MAIN_MS)
      return Object.freeze({ kind: 'fischer', mainMs, incrementMs, maxMs })
    }
    case 'byo-yomi':
      return Object.freeze({
        kind: 'byo-yomi',
        mainMs: duration(o, 'mainMs', 0, MAX_MAIN_MS),
        periodMs: duration(o, 'periodMs', MIN_PERIOD_MS, MAX_PERIOD_MS),
        periods: count(o, 'periods')
      })
    case 'canadian':
      return Object.freeze({
        kind: 'canadian',
        mainMs: duration(o, 'mainMs', 0, MAX_MAIN_MS),
        periodMs: duration(o, 'periodMs', MIN_PERIOD_MS, MAX_PERIOD_MS),
        stones: count(o, 'stones')
      })
    case 'correspondence':
      return validateCorrespondence(o)
    default:
      throw invalid(`unknown time control kind ${describe(o.kind)}; expected one of ${TIME_CONTROL_KINDS.join(', ')}`)
  }
}

/** A duration as a clock shows it: m:ss, or h:mm:ss from an hour up; fractions of a second only when there are any. */
export function formatDuration (ms: number): string {
  if (!Number.isFinite(ms)) return '∞'
  const sign = ms < 0 ? '-' : ''
  // Whole milliseconds first, so 59.9996 s cannot print as "0:60".
  const abs = Math.round(Math.abs(ms))
  const h = Math.floor(abs / hour)
  const m = Math.floor((abs % hour) / minute)
  const s = (abs % minute) / second
  const ss = (s < 10 ? '0' : '') + String(Math.round(s * 1000) / 1000)
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${ss}` : `${sign}${m}:${ss}`
}

/** A time control for people, e.g. "10:00 + 5×0:30 byo-yomi". */
export function formatTimeControl (tc: TimeControl): string {
  switch (tc.kind) {
    case 'none':
      return 'no time limit'
    case 'absolute':
      return `${formatDuration(tc.mainMs)} absolute`
    case 'fischer':
      return `${formatDuration(tc.mainMs)} + ${formatDuration(tc.incrementMs)} Fischer` +
        (tc.maxMs === undefined ? '' : `, max ${formatDuration(tc.maxMs)}`)
    case 'byo-yomi':
      return `${mainPrefix(tc.mainMs)}${tc.periods}×${formatDuration(tc.periodMs)} byo-yomi`
    case 'canadian':
      return `${mainPrefix(tc.mainMs)}${tc.stones} stones/${formatDuration(tc.periodMs)} Canadian`
    case 'correspondence':
      return `correspondence, ${formatCorrespondence(tc)}`
  }
}

/**
 * The SGF TM (main time in seconds) and OT (overtime) properties of a time control, in the forms
 * KGS and OGS write: "5x30 byo-yomi", "25/600 Canadian", and "fischer 10" (plus " max 300" when capped).
 * Correspondence is TM[per move] OT["correspondence 259200 max 604800"], plus " weekends UTC+1"
 * when weekends are paused: its own word, since a Fischer reading would lose the pause and the
 * days-long bounds.
 */
export function toSgfTime (tc: TimeControl): { TM?: string, OT?: string } {
  switch (tc.kind) {
    case 'none':
      return {}
    case 'absolute':
      return { TM: seconds(tc.mainMs) }
    case 'fischer':
      return {
        TM: seconds(tc.mainMs),
        OT: `fischer ${seconds(tc.incrementMs)}` + (tc.maxMs === undefined ? '' : ` max ${seconds(tc.maxMs)}`)
      }
    case 'byo-yomi':
      return { TM: seconds(tc.mainMs), OT: `${tc.periods}x${seconds(tc.periodMs)} byo-yomi` }
    case 'canadian':
      return { TM: seconds(tc.mainMs), OT: `${tc.stones}/${seconds(tc.periodMs)} Canadian` }
    case 'correspondence':
      return {
        TM: seconds(tc.perMoveMs),
        OT: `correspondence ${seconds(tc.perMoveMs)} max ${seconds(tc.maxBankMs)}` +
          (tc.weekendPause == null ? '' : ` weekends ${utcOffsetText(tc.weekendPause.utcOffsetMin)}`)
      }
  }
}

/**
 * Reads SGF TM and OT back into a time control. Lenient about spelling ("5x30", "5×30s byoyomi",
 * "Canadian 25/10min", "10 fischer"), but returns undefined for anything it does not recognise or
 * that fails validation, and never throws: an odd record must still open.
 */
export function fromSgfTime (TM?: string, OT?: string): TimeControl | undefined {
  try {
    const tmText = typeof TM === 'string' ? TM.trim() : ''
    const otText = typeof OT === 'string' ? OT.trim() : ''
    const mainMs = tmText === '' ? undefined : parseDuration(tmText)
    // A TM that is there but unreadable means we do not know the main time: better no answer than a wrong one.
    if (tmText !== '' && mainMs === undefined) return undefined
    if (otText === '') {
      // TM alone is sudden death; TM[0] alone is no playable clock, and no SGF convention says it means untimed.
      return mainMs === undefined ? undefined : validOrUndefined({ kind: 'absolute', mainMs })
    }
    const overtime = parseOvertime(otText.toLowerCase())
    if (overtime === undefined) return undefined
    return validOrUndefined({ ...overtime, mainMs: mainMs ?? 0 })
  } catch {
    return undefined
  }
}

/** A number (or m:ss, h:mm:ss) and an optional unit word. Group 1 is the number, group 2 the unit. */
const TIME = String.raw`(\d+(?:\.\d+)?(?::\d+(?:\.\d+)?){0,2})(?![\d.:])\s*(?:(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z]))?`

const CANADIAN_OT = new RegExp(String.raw`(\d+)\s*(?:stones?|moves?)?\s*(?:/|per|in)\s*${TIME}`)
const BYO_YOMI_OT = new RegExp(String.raw`(\d+)\s*(?:[x×*]|periods?\s*(?:of|x|×)?)\s*${TIME}`)
const FISCHER_MAX = new RegExp(String.raw`(?:max(?:imum)?|cap|up to)\s*:?\s*${TIME}`)
const FISCHER_OT = new RegExp(TIME)

/** The overtime part of an SGF OT (lower case), without main time; undefined when not recognised. */
function parseOvertime (ot: string): Record<string, unknown> | undefined {
  // A named system decides; otherwise the shape does ("5x30" is byo-yomi, "25/600" Canadian, "+10" Fischer).
  if (ot.includes('correspondence')) return correspondenceOvertime(ot)
  if (ot.includes('canadian')) return canadianOvertime(ot)
  if (/fischer|increment/.test(ot)) return fischerOvertime(ot)
  return byoYomiOvertime(ot) ?? canadianOvertime(ot) ?? (ot.startsWith('+') ? fischerOvertime(ot) : undefined)
}

const CORRESPONDENCE_OT = /correspondence\s+(\d+)\s+max\s+(\d+)(?:\s+weekends\s+utc(?:([+-])(\d{1,2})(?::(\d{2}))?)?)?/

/** "correspondence 259200 max 604800 weekends utc+1" (seconds; the pause optional). */
function correspondenceOvertime (ot: string): Record<string, unknown> | undefined {
  const m = CORRESPONDENCE_OT.exec(ot)
  if (m == null) return undefined
  const result: Record<string, unknown> = { kind: 'correspondence', perMoveMs: Number(m[1]) * second, maxBankMs: Number(m[2]) * second }
  if (ot.includes('weekends')) {
    const off = m[3] == null ? 0 : (m[3] === '-' ? -1 : 1) * (Number(m[4]) * 60 + Number(m[5] ?? 0))
    result.weekendPause = { utcOffsetMin: off }
  }
  return result
}

function byoYomiOvertime (ot: string): Record<string, unknown> | undefined {
  const m = BYO_YOMI_OT.exec(ot)
  return m == null ? undefined : { kind: 'byo-yomi', periods: Number(m[1]), periodMs: timeMatch(m[2], m[3]) }
}

function canadianOvertime (ot: string): Record<string, unknown> | undefined {
  const m = CANADIAN_OT.exec(ot)
  return m == null ? undefined : { kind: 'canadian', stones: Number(m[1]), periodMs: timeMatch(m[2], m[3]) }
}

function fischerOvertime (ot: string): Record<string, unknown> | undefined {
  const max = FISCHER_MAX.exec(ot)
  // Take the cap out first so its number is not read as the increment.
  const rest = max == null ? ot : ot.slice(0, max.index) + ot.slice(max.index + max[0].length)
  const increment = FISCHER_OT.exec(rest)
  if (increment == null) return undefined
  const result: Record<string, unknown> = { kind: 'fischer', incrementMs: timeMatch(increment[1], increment[2]) }
  if (max != null) result.maxMs = timeMatch(max[1], max[2])
  return result
}

/** Milliseconds from a TM value: plain or decimal seconds, a unit, or m:ss / h:mm:ss; undefined when unreadable. */
function parseDuration (text: string): number | undefined {
  const m = new RegExp(`^${TIME}$`).exec(text.toLowerCase())
  if (m == null) return undefined
  const ms = timeMatch(m[1], m[2])
  return Number.isFinite(ms) ? ms : undefined
}

/** Milliseconds from TIME's number and unit groups; bare numbers are seconds, as in SGF. */
function timeMatch (value: string, unit: string | undefined): number {
  // m:ss and h:mm:ss: each part is a sixty-fold of the next.
  const secs = value.split(':').reduce((acc, part) => acc * 60 + Number(part), 0)
  const scale = unit == null ? 1 : unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1
  return Math.round(secs * scale * second)
}

function validOrUndefined (tc: Record<string, unknown>): TimeControl | undefined {
  try {
    return validateTimeControl(tc)
  } catch {
    return undefined
  }
}

function seconds (ms: number): string {
  return String(ms / second)
}

function mainPrefix (mainMs: number): string {
  return mainMs > 0 ? `${formatDuration(mainMs)} + ` : ''
}

function duration (o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = o[key]
  if (v === undefined) throw invalid(`a ${String(o.kind)} time control needs ${key}`)
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${key} must be a finite number of milliseconds, got ${describe(v)}`)
  if (!Number.isInteger(v)) throw invalid(`${key} must be a whole number of milliseconds, got ${v}`)
  if (v < 0) throw invalid(`${key} must not be negative, got ${v}`)
  if (v < min || v > max) throw invalid(`${key} must be from ${formatDuration(min)} to ${formatDuration(max)}, got ${formatDuration(v)}`)
  return v
}

function count (o: Record<string, unknown>, key: string): number {
  const v = o[key]
  if (v === undefined) throw invalid(`a ${String(o.kind)} time control needs ${key}`)
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_OVERTIME_COUNT) {
    throw invalid(`${key} must be a whole number from 1 to ${MAX_OVERTIME_COUNT}, got ${describe(v)}`)
  }
  return v
}

function invalid (message: string): InvalidSettingError {
  return new InvalidSettingError('time-control', message)
}

/** A short rendering of an untrusted value for an error message. */
function describe (v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (v === null || typeof v !== 'object') return String(v)
  return Array.isArray(v) ? 'an array' : 'an object'
}
