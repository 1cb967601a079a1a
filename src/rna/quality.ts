// The quality of a finished game as training data, in [0, 1] (protocols/rna.md, "Quality").
// Pure: the game's features, its novelty among known games, and how many peers used it.
import { FULL_LENGTH_FRACTION, HANDICAP_FACTOR, INITIAL_SIGMA, OTHER_SIZE_WEIGHT, QUALITY_PRECISION, SIZE_WEIGHTS, STRONG_CONSERVATIVE, USES_SCALE, USE_WEIGHT, WEIGHTS } from './quality-constants.js'
import { MAX_SIZE, MIN_SIZE } from '../game/constants.js'
import type { Vertex } from '../game/vertex.js'

/** What quality looks at in a game. */
export interface GameFeatures {
  readonly size: number
  /** Turns in play order; null is a pass. */
  readonly moves: ReadonlyArray<Vertex | null>
  readonly end: 'score' | 'resign' | 'timeout' | 'void'
  /** Both players signed the result. */
  readonly cosigned: boolean
  readonly handicap: number
  /** TrueSkill in thousandths (mu 25000 is 25.000), in a rated game. */
  readonly ratings?: { readonly B: { readonly mu: number, readonly sigma: number }, readonly W: { readonly mu: number, readonly sigma: number } }
}

/** What the node knows besides the game: novelty in [0, 1], and peers that found it useful. */
export interface QualityInputs {
  readonly novelty: number
  readonly uses: number
}

/** Each term of the score, for display and tests. */
export interface QualityParts {
  readonly completed: boolean
  readonly length: number
  readonly sizeWeight: number
  readonly strength: number
  readonly certainty: number
  readonly base: number
  readonly novelty: number
  readonly usefulness: number
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x))

/** Throws RangeError on features no game has. */
export function featuresCheck (f: GameFeatures): void {
  if (!Number.isInteger(f.size) || f.size < MIN_SIZE || f.size > MAX_SIZE) throw new RangeError(`board size ${f.size} is out of range`)
  if (!Number.isInteger(f.handicap) || f.handicap < 0) throw new RangeError(`handicap ${f.handicap} is not a count`)
  for (const m of f.moves) {
    if (m != null && !(Number.isInteger(m.x) && Number.isInteger(m.y) && m.x >= 0 && m.y >= 0 && m.x < f.size && m.y < f.size)) {
      throw new RangeError(`move ${JSON.stringify(m)} is off a ${f.size}x${f.size} board`)
    }
  }
  for (const r of f.ratings != null ? [f.ratings.B, f.ratings.W] : []) {
    if (!Number.isFinite(r.mu) || !Number.isFinite(r.sigma) || r.sigma <= 0) throw new RangeError('a rating is not a number')
  }
}

/**
 * The quality of a game as training data:
 * completed (a co-signed, non-void result) × novelty × base, where base weighs length
 * (turns / (0.35 × size²)), board size, the players' strength (mean mu − 3·sigma over 50) and
 * certainty (1 − mean sigma / 8.333), times 0.9 with a handicap; then use lifts it towards 1:
 * quality = fresh + (1 − fresh) × 0.5 × (1 − e^(−uses/5)) × novelty.
 */
export function qualityOf (f: GameFeatures, inputs: QualityInputs): { quality: number, parts: QualityParts } {
  featuresCheck(f)
  const novelty = clamp01(Number.isFinite(inputs.novelty) ? inputs.novelty : 0)
  const uses = Math.max(0, Number.isFinite(inputs.uses) ? inputs.uses : 0)
  const completed = f.cosigned && f.end !== 'void'
  const length = clamp01(f.moves.length / (FULL_LENGTH_FRACTION * f.size * f.size))
  const sizeWeight = SIZE_WEIGHTS[f.size] ?? OTHER_SIZE_WEIGHT
  let strength = 0
  let certainty = 0
  if (f.ratings != null) {
    const { B, W } = f.ratings
    const conservative = ((B.mu - 3 * B.sigma) + (W.mu - 3 * W.sigma)) / 2 / 1000
    strength = clamp01(conservative / STRONG_CONSERVATIVE)
    certainty = clamp01(1 - (B.sigma + W.sigma) / 2 / 1000 / INITIAL_SIGMA)
  }
  const weighted = WEIGHTS.length * length + WEIGHTS.size * sizeWeight + WEIGHTS.strength * strength + WEIGHTS.certainty * certainty
  const base = f.handicap > 0 ? weighted * HANDICAP_FACTOR : weighted
  const fresh = (completed ? 1 : 0) * novelty * base
  const usefulness = 1 - Math.exp(-uses / USES_SCALE)
  const quality = clamp01(fresh + (1 - fresh) * USE_WEIGHT * usefulness * novelty * (completed ? 1 : 0))
  return {
    quality: Math.round(quality * QUALITY_PRECISION) / QUALITY_PRECISION,
    parts: { completed, length, sizeWeight, strength, certainty, base, novelty, usefulness }
  }
}
