// The games a player can offer from the lobby (a seek, a challenge): a short list of the usual
// terms rather than a form, and the words the lobby shows for any terms. Pure.
import { day, minute, second } from '../units.js'
import { CORRESPONDENCE_3D } from '../game/correspondence.js'
import { clockSummary } from './clock-text.js'
import type { GameTerms } from '../wire/game-start.js'

/** One offer the player picks from a list. */
export interface Preset {
  readonly label: string
  readonly terms: GameTerms
}

const base = { rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed' } as const

/**
 * The offers, by board size; the first of each size is the default. Byo-yomi as on most Go
 * servers; correspondence as OGS plays it (a day a move on 9x9; 3 days, weekends off, on 13x13
 * and 19x19), played whenever each player comes back, the moves held by relays meanwhile.
 */
export const PRESETS: readonly Preset[] = Object.freeze([
  { label: '9x9, no clock', terms: { ...base, size: 9, tc: { kind: 'none' } } },
  { label: '9x9, 5 min + 5×30 s byo-yomi', terms: { ...base, size: 9, tc: { kind: 'byo-yomi', mainMs: 5 * minute, periodMs: 30 * second, periods: 5 } } },
  { label: '9x9, correspondence: 1 day a move, up to 3 days', terms: { ...base, size: 9, tc: { kind: 'correspondence', perMoveMs: day, maxBankMs: 3 * day } } },
  { label: '13x13, no clock', terms: { ...base, size: 13, tc: { kind: 'none' } } },
  { label: '13x13, 10 min + 5×30 s byo-yomi', terms: { ...base, size: 13, tc: { kind: 'byo-yomi', mainMs: 10 * minute, periodMs: 30 * second, periods: 5 } } },
  { label: '13x13, correspondence: 3 days a move, up to 7, weekends off', terms: { ...base, size: 13, tc: CORRESPONDENCE_3D } },
  { label: '19x19, no clock', terms: { ...base, size: 19, tc: { kind: 'none' } } },
  { label: '19x19, 20 min + 5×30 s byo-yomi', terms: { ...base, size: 19, tc: { kind: 'byo-yomi', mainMs: 20 * minute, periodMs: 30 * second, periods: 5 } } },
  { label: '19x19, correspondence: 3 days a move, up to 7, weekends off', terms: { ...base, size: 19, tc: CORRESPONDENCE_3D } }
] satisfies Preset[])

/** The offers of one board size (a player picked the size first, or challenges someone who plays only that). */
export function presetsFor (size: number): Preset[] {
  return PRESETS.filter(p => p.terms.size === size)
}

/** Terms in a few words: "9x9 · komi 7.5 · chinese · 5:00 + 5×0:30", with the handicap when there is one. */
export function termsText (t: GameTerms): string {
  return [
    `${t.size}x${t.size}`,
    t.handicap > 0 ? `handicap ${t.handicap}` : `komi ${t.komi}`,
    t.rules,
    clockSummary(t.tc)
  ].join(' · ')
}
