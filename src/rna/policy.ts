// What a node does with an RNA of a given quality: the pure policy the gossip service follows.
import { day } from '../units.js'
import type { MrnaGame } from './mrna.js'
import type { GameFeatures } from './quality.js'

/** Below this quality an RNA is ignored: stored nowhere, forwarded by nobody, and its origin is charged with spam. A game of a few moves or a near-duplicate lands here. */
export const QUALITY_FLOOR = 0.2

/** Above this quality an RNA is forwarded the moment it validates; the rest waits its turn in the forwarding queue (a given starting point, protocols/reputation.md, "Constants"). */
export const PRIORITY_QUALITY = 0.8

/** How long the worst RNA that is kept lives; quality extends it (TTL extension = 5 × quality, a given starting point: protocols/reputation.md, "Constants"). */
export const BASE_TTL = 7 * day
export const TTL_EXTENSION = 5

/** What to do with a valid RNA. */
export type Handling = 'priority' | 'forward' | 'ignore'

/** Priority forwarding above PRIORITY_QUALITY, plain forwarding down to QUALITY_FLOOR, ignored below. */
export function handlingOf (quality: number): Handling {
  if (quality > PRIORITY_QUALITY) return 'priority'
  if (quality >= QUALITY_FLOOR) return 'forward'
  return 'ignore'
}

/** How long an RNA of this quality is kept and forwarded after its origin published it: BASE_TTL × (1 + 5 × quality), 7 to 42 days. */
export function ttlOf (quality: number): number {
  return Math.round(BASE_TTL * (1 + TTL_EXTENSION * quality))
}

/** The quality function's view of a replayed game. */
export function featuresOf (game: MrnaGame): GameFeatures {
  const { terms, ratings } = game.start
  return {
    size: terms.size,
    moves: game.moves,
    end: game.end,
    cosigned: game.cosigned,
    handicap: terms.handicap,
    ...(ratings != null ? { ratings: { B: { mu: ratings.B.mu, sigma: ratings.B.sigma }, W: { mu: ratings.W.mu, sigma: ratings.W.sigma } } } : {})
  }
}
