/** Board sizes the whole network treats as first-class (lobby, ratings, handicap tables). */
export const STANDARD_SIZES = [9, 13, 19] as const

/** Smallest board accepted: a 1x1 board has no legal move at all. */
export const MIN_SIZE = 2

/** Largest board accepted: SGF coordinates run out after 52, but 25 is the usual software limit (KGS, Sabaki). */
export const MAX_SIZE = 25

/** Cell contents. A Uint8Array of these is the whole board; BORDER pads it so neighbours need no bounds check. */
export const EMPTY = 0
export const BLACK = 1
export const WHITE = 2
export const BORDER = 3

/** Seed of the Zobrist key generator: fixed so hashes are stable across runs and peers. */
export const ZOBRIST_SEED = 0x9e3779b9

/** A whole-board position seen this many times with the same player to move ends a simple-ko game with no result (triple ko, eternal life). */
export const NO_RESULT_REPETITIONS = 3
