// The result screen's words: who won and how, and what it did to the player's rating.
// Pure.
import { viewOf } from '../rating/display.js'
import type { FixedRating } from '../rating/trueskill.js'

/** "Black wins by 7.5 points", "White wins by resignation", "Black wins on time", "Draw", "No result". */
export function resultText (result: string): string {
  if (result === '0' || result === 'Draw') return 'Draw'
  const m = /^([BW])\+(.*)$/.exec(result)
  if (m == null) return result === 'Void' || result === '?' ? 'No result' : result
  const winner = m[1] === 'B' ? 'Black' : 'White'
  const how = m[2]
  if (how === 'R' || how === 'Resign') return `${winner} wins by resignation`
  if (how === 'T' || how === 'Time') return `${winner} wins on time`
  if (how === 'F' || how === 'Forfeit') return `${winner} wins by forfeit`
  const points = Number(how)
  return Number.isFinite(points) ? `${winner} wins by ${how} ${points === 1 ? 'point' : 'points'}` : `${winner} wins`
}

/**
 * "12.3 (17k) → 13.1 (16k), +0.8": the conservative rating before and after, signed change. The
 * conservative rating is the estimate less three uncertainties, so it can rise after a loss (the
 * uncertainty fell more than the estimate): then the text says so, lest it look like a mistake.
 */
export function ratingChangeText (before: FixedRating, after: FixedRating): string {
  const b = viewOf(before)
  const a = viewOf(after)
  const change = a.conservative - b.conservative
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±'
  const surer = change > 0 && after.mu < before.mu ? ' (your estimated strength fell, but it is surer now)' : ''
  return `${b.conservative.toFixed(1)} (${b.rank}) → ${a.conservative.toFixed(1)} (${a.rank}${a.provisional ? ', provisional' : ''}), ${sign}${Math.abs(change).toFixed(1)}${surer}`
}
