import { second } from '../../units.js'

/** Where reputation events live in the node's datastore. */
export const REPUTATION_PREFIX = '/p2pgo/reputation'

/** The peer store tag that carries reputation to the connection manager (0–100: trust × 100). */
export const REPUTATION_TAG = 'p2pgo-reputation'

/** A peer's tag is refreshed at most this often: a burst of events costs one peer store write. */
export const TAG_DEBOUNCE = 1 * second

/**
 * How often the tags of connected peers are brought up to their decayed trust: with half-lives
 * of a week and a month, trust moves by well under one tag point (0.01) in that time.
 */
export const TAG_REFRESH = 10 * 60 * second

/** How often old events are pruned from the book and the datastore. */
export const PRUNE_INTERVAL = 60 * 60 * second

/** Largest stored event: a kind, two peer IDs, a CID, a reason, a time. */
export const EVENT_MAX_BYTES = 1024

/** How long an event is kept on disk: ten of the longer half-life, when it counts for less than 0.1%. */
export const KEEP_HALF_LIVES = 10
