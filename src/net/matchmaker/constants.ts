import { second } from '../../units.js'

/** Candidate records fetched at once during a search: enough to fill a screen in one DHT round. */
export const FETCH_CONCURRENCY = 8
/** How long fetching one candidate's record may take in a search: a healthy DHT get takes well under a second (README, benchmarks). */
export const CANDIDATE_FETCH_TIMEOUT = 5 * second
