import { hour, minute, second } from '../units.js'

/** TrueSkill's published defaults (Herbrich, Minka, Graepel 2007; Moser's "Computing your skill"). */
export const TRUESKILL_MU = 25
export const TRUESKILL_SIGMA = 25 / 3
export const TRUESKILL_BETA = 25 / 6
export const TRUESKILL_TAU = 25 / 300

/**
 * Chance of jigo (a drawn game) when komi is a whole number. With a half-point komi (6.5, 7.5,
 * the usual) a draw cannot happen and p2pgo uses 0, so a win counts in full. Professional games
 * with integer komi (e.g. Ing rules' 8) end in jigo a few percent of the time: 0.05 is that order.
 */
export const JIGO_PROBABILITY = 0.05

/** A rating is provisional while its sigma is above this: from 8.333 that takes 4 games against established opponents, 6 between two newcomers (measured, test/rating). */
export const PROVISIONAL_SIGMA = 4

/**
 * Conservative-rating points per Go rank (README "Ratings"): 0 (a newcomer, 25 − 3·8.33) is 30 kyu
 * and 37.5 is 1 dan, so TrueSkill's usual 0–50 range spans the kyu and amateur dan ranks.
 */
export const RANK_STEP = 1.25
/** Strongest rank shown (9 dan); anything above shows as 9d. */
export const MAX_DAN = 9
/** Weakest rank shown. */
export const MAX_KYU = 30

/** Ratings travel as thousandths (fixed point): every node stores and recomputes the same integers. */
export const FIXED_POINT = 1000

/** The board sizes that have a rating. */
export const RATED_SIZES = [9, 13, 19] as const

/** DHT namespace of rating records: `/p2pgo-rating/<peer ID multihash>`. */
export const RATING_NAMESPACE = 'p2pgo-rating'
/** DHT namespace of co-signed results: `/p2pgo-result/<CID bytes>`. */
export const RESULT_NAMESPACE = 'p2pgo-result'

/** A rating record lives this long after it was signed (the 24 h). */
export const RECORD_TTL = 24 * hour
/** A node re-signs and republishes its record this often: twice per lifetime, so one failed round loses nothing. */
export const REPUBLISH_INTERVAL = 12 * hour
/** How far ahead of the checker's clock a record's `updated` may be (clock skew). */
export const MAX_CLOCK_SKEW = 5 * minute

/** Largest rating record: 3 sizes × 8 changes × ~70 bytes, a peer ID, a signature; 4 KiB caps abuse. */
export const RECORD_MAX_BYTES = 4096
/** Co-signed results a record cites per size: enough to audit the recent history, small enough for one DHT value. */
export const MAX_CITED = 8
/** Largest co-signed result: a start record (≤ 2048 bytes) and two result acts (~250 bytes each). */
export const RESULT_MAX_BYTES = 4096

/** Signing domains (conventions.md): a rating signature can never pass as a game act. */
export const RECORD_DOMAIN = 'rating/record'

/** Largest difference audit tolerates between a published and a recomputed value, in thousandths (float rounding across machines). */
export const AUDIT_TOLERANCE = 1

/** Width of a matchmaking bucket in mu points: about one beta, a fair-game distance (README "Matchmaking"). */
export const BUCKET_WIDTH = 4
/** A seek is provided under the current time window; searchers look at this one and the previous. */
export const SEEK_WINDOW = 10 * minute
/** Buckets a searcher widens to on each side before giving up. */
export const MAX_WIDEN = 6
/** Candidates a search wants before it stops widening. */
export const WANTED_CANDIDATES = 3
/** How long one provider lookup may take. */
export const FIND_TIMEOUT = 10 * second
