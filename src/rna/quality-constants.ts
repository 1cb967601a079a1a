// The tunables of RNA quality and novelty (protocols/rna.md, "Quality"). Each value is a judgment; the comment says whose.
import { FIXED_POINT, TRUESKILL_SIGMA } from '../rating/constants.js'

/** Full length credit at this fraction of size² turns: complete games run ~0.7 × size², so one resigned halfway still earns it (9x9 at ~28 turns, 19x19 at ~126). */
export const FULL_LENGTH_FRACTION = 0.35

/** Size weight per board size: engines train mostly on 19x19; 13x13 and 9x9 games are still useful. */
export const SIZE_WEIGHTS: Readonly<Record<number, number>> = Object.freeze({ 19: 1, 13: 0.8, 9: 0.6 })
/** Size weight of any other board size: legal and playable, but few engines train on it. */
export const OTHER_SIZE_WEIGHT = 0.4

/** Mean conservative rating (mu − 3·sigma) that earns full strength credit: the top of p2pgo's displayed scale (37.5 is 1 dan, 47.5 is 9 dan; rating/constants RANK_STEP). */
export const STRONG_CONSERVATIVE = 50

/** TrueSkill's starting sigma (25/3, rating/constants): certainty is how far the players' sigmas have come down from it. */
export const INITIAL_SIGMA = TRUESKILL_SIGMA

/** Ratings arrive in thousandths (rating/constants FIXED_POINT): mu 25000 is 25.000. */
export const RATING_SCALE = FIXED_POINT

/** Weights of the base score of a game played to full length, summing to 1: a played-out game first, then strength, size, certainty; the length fraction then scales the sum. */
export const BASE_WEIGHTS = Object.freeze({ length: 0.4, size: 0.2, strength: 0.25, certainty: 0.15 } as const)

/** Base score multiplier of a handicap game: still good data, but less typical of even play. */
export const HANDICAP_FACTOR = 0.9

/** Uses at which usefulness reaches 1 − 1/e (≈ 0.63): the first few peers that found an RNA useful matter most. */
export const USES_SCALE = 5

/** Share of the gap to 1 that use can close at most: use lifts quality over time, and a duplicate (novelty 0) stays at 0. */
export const USE_WEIGHT = 0.5

/** Quality is rounded to millionths so every machine stores and compares the same number. */
export const QUALITY_PRECISION = 1e6

/** Prefix lengths the novelty index hashes: powers of two, so a game costs at most 8 hashes (these and the whole) and a shared opening is found to within a factor of 2. */
export const NOVELTY_PREFIXES: readonly number[] = Object.freeze([8, 16, 32, 64, 128, 256, 512])

/** Games the novelty index holds before it evicts the oldest: ~72 MB of heap when full (measured on Node 20: ~720 bytes per 300-move game, its id aside), months of a busy network's games. */
export const NOVELTY_MAX_GAMES = 100_000
