// The quality function's constants (protocols/rna.md, "Quality"). Each is a judgment, stated.

/** A game earns full length credit at this fraction of size²: complete games run ~0.7 × size² turns, so one resigned halfway still counts as full. */
export const FULL_LENGTH_FRACTION = 0.35

/** Engines train mostly on 19x19; 13x13 and 9x9 games are still useful, other sizes less so. */
export const SIZE_WEIGHTS: Readonly<Record<number, number>> = { 19: 1, 13: 0.8, 9: 0.6 }
export const OTHER_SIZE_WEIGHT = 0.4

/** A conservative rating (mu − 3·sigma) this high counts as full strength: about the top of p2pgo's displayed scale (1 dan is 37.5). */
export const STRONG_CONSERVATIVE = 50

/** TrueSkill's starting sigma: certainty is how far the players' sigmas have come down from it. */
export const INITIAL_SIGMA = 25 / 3

/** Weights of the base score; length matters most (a complete game is the point), then strength. They sum to 1. */
export const WEIGHTS = { length: 0.4, size: 0.2, strength: 0.25, certainty: 0.15 } as const

/** Handicap games are good data but less typical of even play. */
export const HANDICAP_FACTOR = 0.9

/** Peers that found an RNA useful: the first few matter most (1 − e^(−uses/5)). */
export const USES_SCALE = 5

/** How far use can lift quality towards 1: half of the remaining gap at most. */
export const USE_WEIGHT = 0.5

/** Quality is rounded to millionths so every machine computes the same number. */
export const QUALITY_PRECISION = 1e6

/** Prefix lengths compared for near-duplicates: powers of two, so a game costs at most 7 hashes and the memory stays small. */
export const NOVELTY_PREFIXES = [8, 16, 32, 64, 128, 256, 512] as const

/** Games the novelty index holds; the oldest goes first. 100,000 games × ~8 hashes is a few tens of MB at most. */
export const NOVELTY_MAX_GAMES = 100_000
