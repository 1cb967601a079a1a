import { minute, second } from '../../units.js'

/** The load protocol: a relay says how full it is. */
export const RELAY_LOAD_PROTOCOL = '/p2pgo/relay-load/1.0.0'

/** The report's version (`v`); a new field means a new version. */
export const RELAY_LOAD_VERSION = 1

/** Largest report accepted: the largest one there can be is 94 bytes (every number at MAX_LOAD_NUMBER, protocols/relay-load.md), so 256 leaves room and nothing more. */
export const RELAY_LOAD_MAX_BYTES = 256

/** Largest number a report may carry: far above any relay's limits (bootstrap relays allow at most 100,000 reservations), small enough that a lie cannot weigh more than a full relay. */
export const MAX_LOAD_NUMBER = 1_000_000

/** How long an asker waits for the report: one small frame on an open connection, so a relay that takes longer is too busy to choose. */
export const RELAY_LOAD_TIMEOUT = 10 * second

/**
 * Reports one peer may ask for per RELAY_LOAD_RATE_WINDOW: a client re-evaluates its relays every
 * few minutes and `p2pgo doctor` asks a few times; 10 a minute covers both, and more is a flood
 * (its streams are reset).
 */
export const RELAY_LOAD_RATE_LIMIT = 10
export const RELAY_LOAD_RATE_WINDOW = minute

/** Load streams one connection may have open at once (a report is answered at once; more are a flood). */
export const RELAY_LOAD_MAX_STREAMS = 4

/** The text hashed into the relays' provider key (protocols/relay-load.md): change the version, change the key. */
export const RELAY_KEY_PREFIX = 'p2pgo relays v1: '

/** Relays findRelays yields at most unless told: a node keeps two or three slots, so a score needs a handful of candidates, not hundreds. */
export const MAX_RELAYS_FOUND = 20

/** Addresses kept of one found relay: a DHT answer may carry any number, a relay needs few. */
export const MAX_RELAY_ADDRESSES = 16

/** How often a relay renews its provider record in each DHT: kad-dht keeps one 48 h; the closest peers change as the network does. */
export const ADVERTISE_INTERVAL = 30 * minute

/** How often a relay looks for a DHT to advertise in (one that knew nobody at the last look, or has grown): a check of two numbers. */
export const ADVERTISE_CHECK = second

/**
 * A DHT whose routing table has doubled since the last provide gets the record again, at most
 * this often: a bootstrap relay starts alone, and its first provide reaches only the first peers.
 */
export const ADVERTISE_REGROW_GAP = minute

/** Longest one provide walk may take before it is given up and tried again later. */
export const ADVERTISE_TIMEOUT = 2 * minute
