// The games a player can offer from the lobby (a seek, a challenge): a short list of the usual
// terms rather than a form, and the words the lobby shows for any terms. Pure.
import { minute, second } from '../units.js'
import { clockSummary } from './clock-text.js'
import type { GameTerms } from '../wire/game-start.js'

/** One offer the player picks from a list. */
export interface Preset {
  readonly label: string
  readonly terms: GameTerms
}

const base = { rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed' } as const

/** The offers, by board size; the first of each size is the default. Byo-yomi as on most Go servers. */
export const PRESETS: readonly Preset[] = Object.freeze([
  { label: '9x9, no clock', terms: { ...base, size: 9, tc: { kind: 'none' } } },
  { label: '9x9, 5 min + 5×30 s byo-yomi', terms: { ...base, size: 9, tc: { kind: 'byo-yomi', mainMs: 5 * minute, periodMs: 30 * second, periods: 5 } } },
  { label: '13x13, no clock', terms: { ...base, size: 13, tc: { kind: 'none' } } },
  { label: '13x13, 10 min + 5×30 s byo-yomi', terms: { ...base, size: 13, tc: { kind: 'byo-yomi', mainMs: 10 * minute, periodMs: 30 * second, periods: 5 } } },
  { label: '19x19, no clock', terms: { ...base, size: 19, tc: { kind: 'none' } } },
  { label: '19x19, 20 min + 5×30 s byo-yomi', terms: { ...base, size: 19, tc: { kind: 'byo-yomi', mainMs: 20 * minute, periodMs: 30 * second, periods: 5 } } }
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
