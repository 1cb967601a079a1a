// The GTP commands that set a game's terms, as p2pgo terms: pure, no I/O. The network engine
// (network-engine.ts) offers the terms they build to the network opponent.
import { second } from '../units.js'
import { formatDuration, validateTimeControl, type TimeControl } from '../game/time-control.js'
import { remaining, type ClockState } from '../game/clock.js'
import type { Color } from '../game/color.js'

/** A GTP argument that is not what the command takes, in words for the player. */
export class GtpArgumentError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'GtpArgumentError'
  }
}

/** A whole number of seconds from 0, as GTP's time commands give them. */
function seconds (text: string | undefined, what: string): number {
  if (text == null || !/^\d+$/.test(text)) throw new GtpArgumentError(`${what} must be a whole number of seconds, got ${JSON.stringify(text ?? '')}`)
  return Number(text) * second
}

function count (text: string | undefined, what: string): number {
  if (text == null || !/^\d+$/.test(text)) throw new GtpArgumentError(`${what} must be a whole number, got ${JSON.stringify(text ?? '')}`)
  return Number(text)
}

/** Checks a time control against p2pgo's bounds; their message when it is out of them. */
function checked (tc: TimeControl): TimeControl {
  try {
    return validateTimeControl(tc)
  } catch (err) {
    // The checker names the fields; the player knows them as GTP's words.
    const words: Record<string, string> = { mainMs: 'the main time', periodMs: 'the period time', periods: 'the number of periods', stones: 'the stones per period' }
    throw new GtpArgumentError((err as Error).message.replace(/\b(mainMs|periodMs|periods|stones)\b/g, w => words[w]))
  }
}

/**
 * GTP 2's `time_settings main_time byo_yomi_time byo_yomi_stones` (seconds): byo-yomi time with
 * no stones means no limit; no byo-yomi time means sudden death; otherwise Canadian overtime.
 */
export function timeSettings (args: readonly string[]): TimeControl {
  if (args.length !== 3) throw new GtpArgumentError('time_settings takes three numbers: main time, byo-yomi time (seconds) and byo-yomi stones')
  const mainMs = seconds(args[0], 'the main time')
  const periodMs = seconds(args[1], 'the byo-yomi time')
  const stones = count(args[2], 'the byo-yomi stones')
  if (periodMs > 0 && stones === 0) return { kind: 'none' }
  if (periodMs === 0) return checked({ kind: 'absolute', mainMs })
  return checked({ kind: 'canadian', mainMs, periodMs, stones })
}

/** KGS's `kgs-time_settings none | absolute M | byoyomi M P N | canadian M P S` (seconds). */
export function kgsTimeSettings (args: readonly string[]): TimeControl {
  const [kind, ...rest] = args
  const want = (n: number, shape: string): void => {
    if (rest.length !== n) throw new GtpArgumentError(`kgs-time_settings ${kind} takes ${shape}`)
  }
  switch (kind) {
    case 'none':
      want(0, 'nothing more')
      return { kind: 'none' }
    case 'absolute':
      want(1, 'the main time in seconds')
      return checked({ kind: 'absolute', mainMs: seconds(rest[0], 'the main time') })
    case 'byoyomi':
      want(3, 'the main time, the period time (seconds) and the number of periods')
      return checked({ kind: 'byo-yomi', mainMs: seconds(rest[0], 'the main time'), periodMs: seconds(rest[1], 'the period time'), periods: count(rest[2], 'the number of periods') })
    case 'canadian':
      want(3, 'the main time, the period time (seconds) and the stones per period')
      return checked({ kind: 'canadian', mainMs: seconds(rest[0], 'the main time'), periodMs: seconds(rest[1], 'the period time'), stones: count(rest[2], 'the stones per period') })
    default:
      throw new GtpArgumentError(`kgs-time_settings takes none, absolute, byoyomi or canadian, got ${JSON.stringify(kind ?? '')}`)
  }
}

/** A colour as GTP names it ('b', 'black', 'W', ...), or undefined. */
export function gtpColor (text: string | undefined): 'B' | 'W' | undefined {
  const t = text?.toLowerCase()
  if (t === 'b' || t === 'black') return 'B'
  if (t === 'w' || t === 'white') return 'W'
  return undefined
}

/** The real clock of `color` at `at`, in words ("4:32 of main time left"); 'no time limit' without one. */
export function clockText (clock: ClockState, color: Color, at: number): string {
  if (clock.tc.kind === 'none') return 'no time limit'
  const r = remaining(clock, color, at)
  if (!r.inOvertime) return `${formatDuration(r.mainMs)} of main time left`
  if (clock.tc.kind === 'byo-yomi') return `${formatDuration(r.periodMs)} per period, ${r.periods} period${r.periods === 1 ? '' : 's'} left`
  if (clock.tc.kind === 'canadian') return `${formatDuration(r.periodMs)} left for ${r.stones} stone${r.stones === 1 ? '' : 's'}`
  return `${formatDuration(r.totalMs)} left`
}

/** `time_left`'s shape: the seconds left and the stones (0 in main time), as GTP reports them. */
export function gtpTimeLeft (clock: ClockState, color: Color, at: number): string {
  if (clock.tc.kind === 'none') return ''
  const r = remaining(clock, color, at)
  if (!r.inOvertime) return `${Math.floor(r.mainMs / second)} 0`
  return `${Math.floor(r.periodMs / second)} ${clock.tc.kind === 'canadian' ? r.stones : 1}`
}
