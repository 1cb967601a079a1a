// A player's clock as the board screen shows it. Pure: the reading comes from the game
// core (`remaining`), the text goes to the screen.
import type { Remaining } from '../game/clock.js'
import { formatDays } from '../game/correspondence.js'
import type { TimeControl } from '../game/time-control.js'

/** Below this, seconds show tenths: the last seconds are when a player needs them. */
export const TENTHS_BELOW_MS = 10_000

/** A duration as h:mm:ss, m:ss, or under 10 s as s.t (rounded down: a clock never shows time it lacks). */
export function durationText (ms: number): string {
  if (!(ms > 0)) return '0:00'
  if (ms < TENTHS_BELOW_MS) return `${Math.floor(ms / 1000)}.${Math.floor((ms % 1000) / 100)}`
  const total = Math.floor(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** Days-long time as "2d 5h" (minutes too below a day, "7h 30m"), and the usual clock below an hour. */
export function longDurationText (ms: number): string {
  return ms >= 3_600_000 ? formatDays(ms) : durationText(ms)
}

/**
 * The clock text: "no limit"; main time; main time with what follows it ("9:42 + 5×0:30",
 * "9:42 + 0:30/5" for Canadian); in overtime, the current period and what is left of it
 * ("0:24 (3 left)", "4:12 for 7 stones"); "out of time" once the flag fell.
 */
export function clockText (tc: TimeControl, r: Remaining): string {
  if (tc.kind === 'none') return 'no limit'
  if (r.totalMs <= 0) return 'out of time'
  switch (tc.kind) {
    case 'absolute':
    case 'fischer':
      return durationText(r.mainMs)
    case 'correspondence':
      return longDurationText(r.mainMs)
    case 'byo-yomi':
      return r.inOvertime
        ? `${durationText(r.periodMs)} (${r.periods} left)`
        : `${durationText(r.mainMs)} + ${tc.periods}×${durationText(tc.periodMs)}`
    case 'canadian':
      return r.inOvertime
        ? `${durationText(r.periodMs)} for ${r.stones} ${r.stones === 1 ? 'stone' : 'stones'}`
        : `${durationText(r.mainMs)} + ${durationText(tc.periodMs)}/${tc.stones}`
  }
}

/** A time control before the game: "no clock", "10:00 + 5×0:30", "5:00 + 0:10/move", "10:00 + 5:00/25". */
export function clockSummary (tc: TimeControl): string {
  switch (tc.kind) {
    case 'none': return 'no clock'
    case 'absolute': return `${durationText(tc.mainMs)} sudden death`
    case 'fischer': return `${durationText(tc.mainMs)} + ${durationText(tc.incrementMs)}/move`
    case 'byo-yomi': return `${durationText(tc.mainMs)} + ${tc.periods}×${durationText(tc.periodMs)}`
    case 'canadian': return `${durationText(tc.mainMs)} + ${durationText(tc.periodMs)}/${tc.stones}`
    case 'correspondence': return `${formatDays(tc.perMoveMs)}/move, max ${formatDays(tc.maxBankMs)}${tc.weekendPause != null ? ', weekends off' : ''}`
  }
}
