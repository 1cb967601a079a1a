// The player's rating history as the reputation screen shows it above the list: one line per
// board size with rated games, a sparkline of the conservative rating after each game and where
// it stands now. Pure.
import { RATED_SIZES } from '../rating/constants.js'
import { viewOf } from '../rating/display.js'
import { sparkline } from './sparkline.js'
import type { RatingHistory } from '../rating/history.js'

/** Lines of at most `width` columns; `bars` are the sparkline's eight heights. */
export function historyHeadLines (history: RatingHistory, bars: string, width: number): string[] {
  const lines: string[] = []
  for (const size of RATED_SIZES) {
    const points = history[size] ?? []
    if (points.length === 0) continue
    const now = viewOf(points[points.length - 1].rating)
    const n = points.length
    const text = `${size}x${size}: ${now.conservative.toFixed(1)} (${now.rank}) after ${n} rated game${n === 1 ? '' : 's'}`
    const room = Math.max(1, width - [...'Your rating '].length - [...text].length - 2)
    lines.push(`Your rating ${sparkline(points.map(p => viewOf(p.rating).conservative), room, bars)}  ${text}`.slice(0, width))
  }
  return lines.length > 0 ? lines : ['Your rating history: no rated games yet (each rated game adds a point)']
}
