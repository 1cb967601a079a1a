// The quality of a finished game as training data, in [0, 1] (protocols/rna.md, "Quality").
// Pure: the game's features, its novelty among the games this node holds, and how many peers used it.
import { BASE_WEIGHTS, FULL_LENGTH_FRACTION, HANDICAP_FACTOR, INITIAL_SIGMA, OTHER_SIZE_WEIGHT, QUALITY_PRECISION, RATING_SCALE, SIZE_WEIGHTS, STRONG_CONSERVATIVE, USES_SCALE, USE_WEIGHT } from './quality-constants.js'
import { MAX_SIZE, MIN_SIZE } from '../game/constants.js'
import { onBoard, type Vertex } from '../game/vertex.js'

/** How a game ended; 'void' is an aborted game or one with no result. */
export type GameEnd = 'score' | 'resign' | 'timeout' | 'void'

/** A TrueSkill rating in thousandths (mu 25000 is 25.000, sigma 8333 is 8.333). */
export interface FixedSkill {
  readonly mu: number
  readonly sigma: number
}

/** What quality looks at in a game. */
export interface GameFeatures {
  /** Board size, MIN_SIZE..MAX_SIZE (9, 13 and 19 usual). */
  readonly size: number
  /** Turns in play order; null is a pass. */
  readonly moves: ReadonlyArray<Vertex | null>
  readonly end: GameEnd
  /** Both players signed the result. */
  readonly cosigned: boolean
  readonly handicap: number
  /** The players' ratings on the size when the game started, in a rated game. */
  readonly ratings?: { readonly B: FixedSkill, readonly W: FixedSkill }
}

/** What the node knows besides the game itself. */
export interface QualityInputs {
  /** How new the game is among the games this node holds, in [0, 1] (NoveltyIndex.noveltyOf). */
  readonly novelty: number
  /** Distinct peers that found it useful so far. */
  readonly uses: number
}

/** Every term of the score, for display and tests. */
export interface QualityParts {
  /** Co-signed and not void: otherwise quality is 0. */
  readonly completed: boolean
  readonly length: number
  readonly sizeWeight: number
  readonly strength: number
  readonly certainty: number
  /** The weighted sum of the four above, handicap included. */
  readonly base: number
  readonly novelty: number
  readonly usefulness: number
}

const ENDS: ReadonlySet<string> = new Set<GameEnd>(['score', 'resign', 'timeout', 'void'])

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x))

/** Throws a RangeError on features no game has: a size out of range, a move off the board, a count or rating that is not a number. */
export function featuresCheck (f: GameFeatures): void {
  if (!Number.isInteger(f.size) || f.size < MIN_SIZE || f.size > MAX_SIZE) throw new RangeError(`board size ${f.size} is not in ${MIN_SIZE}..${MAX_SIZE}`)
  if (!Array.isArray(f.moves)) throw new RangeError('moves is not a list')
  for (let i = 0; i < f.moves.length; i++) {
    const m = f.moves[i]
    if (m != null && !onBoard(m, f.size)) throw new RangeError(`move ${i + 1} (${JSON.stringify(m)}) is off a ${f.size}x${f.size} board`)
  }
  if (!ENDS.has(f.end)) throw new RangeError(`unknown game end ${String(f.end)}`)
  if (typeof f.cosigned !== 'boolean') throw new RangeError('cosigned is not a boolean')
  if (!Number.isInteger(f.handicap) || f.handicap < 0) throw new RangeError(`handicap ${f.handicap} is not a count`)
  if (f.ratings != null) {
    for (const [side, r] of [['B', f.ratings.B], ['W', f.ratings.W]] as const) {
      if (r == null || !Number.isFinite(r.mu) || !Number.isFinite(r.sigma) || r.sigma < 0) throw new RangeError(`${side}'s rating is not a rating`)
    }
  }
}

/**
 * The quality of a game as training data, in [0, 1], rounded to millionths; throws a RangeError on nonsense.
 *
 * - completed = co-signed and not void (else quality 0, parts still reported);
 * - length = turns / (0.35 × size²), at most 1; sizeWeight = 1 for 19x19, 0.8 for 13x13, 0.6 for 9x9, else 0.4;
 * - strength = mean (mu − 3·sigma) / 50 and certainty = 1 − mean sigma / (25/3), each clamped to [0, 1], 0 unrated;
 * - base = length × (0.4 + 0.2·sizeWeight + 0.25·strength + 0.15·certainty), × 0.9 with a handicap:
 *   a game is worth what of it was played, so a few moves score little however strong the players;
 * - fresh = completed × novelty × base; usefulness = 1 − e^(−uses/5);
 * - quality = fresh + (1 − fresh) × 0.5 × usefulness × novelty (× completed).
 *
 * A fresh 250-turn 19x19 game scores 0.6 unrated, ~0.81 between established average players (sigma 2).
 */
export function qualityOf (f: GameFeatures, inputs: QualityInputs): { quality: number, parts: QualityParts } {
  featuresCheck(f)
  const { novelty, uses } = inputs
  if (!(novelty >= 0 && novelty <= 1)) throw new RangeError(`novelty ${novelty} is not in [0, 1]`)
  if (!(uses >= 0) || !Number.isFinite(uses)) throw new RangeError(`uses ${uses} is not a count`)

  const completed = f.cosigned && f.end !== 'void'
  const length = clamp01(f.moves.length / (FULL_LENGTH_FRACTION * f.size * f.size))
  const sizeWeight = SIZE_WEIGHTS[f.size] ?? OTHER_SIZE_WEIGHT
  let strength = 0
  let certainty = 0
  if (f.ratings != null) {
    const { B, W } = f.ratings
    const conservative = ((B.mu - 3 * B.sigma) + (W.mu - 3 * W.sigma)) / 2 / RATING_SCALE
    strength = clamp01(conservative / STRONG_CONSERVATIVE)
    certainty = clamp01(1 - (B.sigma + W.sigma) / 2 / RATING_SCALE / INITIAL_SIGMA)
  }
  // Length scales every term: a 19x19 game of two moves, or one between strong players, is still two moves of data.
  const weighted = length * (BASE_WEIGHTS.length + BASE_WEIGHTS.size * sizeWeight + BASE_WEIGHTS.strength * strength + BASE_WEIGHTS.certainty * certainty)
  const base = f.handicap > 0 ? weighted * HANDICAP_FACTOR : weighted
  const usefulness = 1 - Math.exp(-uses / USES_SCALE)
  // An incomplete game is worth nothing however much it is used; so is a duplicate (novelty 0).
  const fresh = completed ? novelty * base : 0
  const quality = completed ? clamp01(fresh + (1 - fresh) * USE_WEIGHT * usefulness * novelty) : 0
  return {
    quality: Math.round(quality * QUALITY_PRECISION) / QUALITY_PRECISION,
    parts: { completed, length, sizeWeight, strength, certainty, base, novelty, usefulness }
  }
}
