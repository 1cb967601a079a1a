import { day, minute, second } from '../../units.js'

/** The cache's file name in the home directory. */
export const PEER_CACHE_FILE = 'peers.json'
/** The file format's version; a file of another version is treated as not a peer cache. */
export const PEER_CACHE_VERSION = 1
/** Peers kept at most: enough to find a few that still answer after weeks away, small enough to load at once. */
export const MAX_ENTRIES = 256
/**
 * Largest signed peer record kept, bytes: an Ed25519 envelope with a dozen addresses is well
 * under 1 KiB; a peer announcing far more addresses is not worth the room.
 */
export const MAX_RECORD_BYTES = 4096
/** Largest file read: every entry at its largest record (base64 grows 4/3) plus its fields. */
export const MAX_FILE_BYTES = MAX_ENTRIES * (Math.ceil(MAX_RECORD_BYTES / 3) * 4 + 256)
/** A peer that has not worked for this long is dropped (kubo's peer store forgets addresses sooner; a player may be away for weeks). */
export const MAX_AGE = 30 * day
/** Dials in a row that failed after which a peer loses its place in the cache. */
export const MAX_FAILURES = 3
/** Cached peers dialled at start: the best ones first. */
export const SAMPLE_SIZE = 16
/** Dials to cached peers in flight at once, so a poisoned cache costs a few sockets at a time, never many. */
export const DIAL_CONCURRENCY = 4
/** Dials at start stop once this many cached peers answered: the rest of discovery takes it from there. */
export const ENOUGH_PEERS = 4
/**
 * While no cached peer has answered and the node holds no connection at all (everyone it knows
 * restarting at the same moment, a network not up yet), the sample is dialled again after this
 * long, the wait doubling up to RETRY_MAX. Only the first round's failures count against a peer,
 * so a machine that is offline for a while does not empty its own cache.
 */
export const RETRY_FIRST = 10 * second
/** The longest wait between rounds of dials to cached peers. */
export const RETRY_MAX = 5 * minute
/** Each dial to a cached peer gives up after this long (a black-holed address otherwise waits for the OS). */
export const DIAL_TIMEOUT = 5 * second
/** The file is written at most this often (when something changed), and at stop. */
export const WRITE_INTERVAL = minute
/** Times in the file more than this far in the future are garbage (clock skew allowed for). */
export const FUTURE_SKEW = day
