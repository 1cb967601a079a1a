// The settings two players may agree to play under, as one definition: the game core checks a
// new game with it (validateSettings) and the network checks proposals and seeks with it
// (src/net/challenge, src/net/lobby), so no term the core would refuse is ever agreed or signed.
import { MAX_SIZE, MIN_SIZE } from './constants.js'
import { InvalidSettingError } from './errors.js'
import { maxFixedHandicap } from './handicap.js'
import { validateTimeControl, type TimeControl } from './time-control.js'

/** Largest komi either way: beyond it a game is no longer a contest, and every multiple of 0.5 up to it is exact in a half float (protocols/conventions.md). */
export const MAX_KOMI = 1000

/** Where handicap stones go: the standard points, or wherever Black chooses before play. */
export type HandicapPlacement = 'fixed' | 'free'

/** Agreed settings as the network carries them (GameTerms in src/wire/game-start.ts has this shape, plus the rules). */
export interface TermsToCheck {
  readonly size: number
  readonly komi: number
  readonly handicap: number
  readonly placement: HandicapPlacement
  readonly tc: unknown
}

/** The board size, when it is one the game plays on. */
export function checkSize (size: number): number {
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
    throw new InvalidSettingError('size', `board size must be a whole number from ${MIN_SIZE} to ${MAX_SIZE}, got ${size}`)
  }
  return size
}

/** The komi, when it is a whole or half number within ±MAX_KOMI. */
export function checkKomi (komi: number): number {
  if (typeof komi !== 'number' || !Number.isFinite(komi) || Math.abs(komi) > MAX_KOMI || !Number.isInteger(komi * 2)) {
    throw new InvalidSettingError('komi', `komi must be a whole or half number between -${MAX_KOMI} and ${MAX_KOMI}, got ${String(komi)}`)
  }
  return komi
}

/**
 * The most handicap stones a board of `size` takes. Fixed placement has GTP's table (none below
 * 7x7, 4 on 7x7 and even sizes, else 9); free placement takes as many stones, only placed where
 * Black likes: a free handicap is a choice of points, not a licence to fill the board.
 */
export function maxHandicap (size: number, _placement: HandicapPlacement): number {
  return maxFixedHandicap(size)
}

/** The handicap, when the board takes that many stones in that placement (0 and 1 mean none, on any board). */
export function checkHandicap (size: number, handicap: number, placement: HandicapPlacement): number {
  if (placement !== 'fixed' && placement !== 'free') throw new InvalidSettingError('handicap', `handicap placement must be 'fixed' or 'free', got ${String(placement)}`)
  if (!Number.isInteger(handicap) || handicap < 0) throw new InvalidSettingError('handicap', `handicap must be a whole number of stones, got ${handicap}`)
  if (handicap <= 1) return handicap
  const max = maxHandicap(size, placement)
  if (handicap > max) {
    const most = max < 2 ? 'no handicap stones' : `at most ${max} ${placement} handicap stones`
    throw new InvalidSettingError('handicap', `a ${size}x${size} board takes ${most}, got ${handicap}`)
  }
  return handicap
}

/**
 * Checks agreed settings: a board the game plays on, komi, a handicap the board takes and a
 * valid clock. Returns the time control as validateTimeControl makes it; throws
 * InvalidSettingError naming the setting ('size', 'komi', 'handicap', 'time-control').
 */
export function validateTerms (terms: TermsToCheck): TimeControl {
  const size = checkSize(terms.size)
  checkKomi(terms.komi)
  checkHandicap(size, terms.handicap, terms.placement)
  return validateTimeControl(terms.tc)
}
