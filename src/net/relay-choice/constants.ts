import { minute, second } from '../../units.js'

/**
 * How often a node measures its relay candidates again and may move a slot: "every few
 * minutes", so a move costs nothing noticeable (a move reconnects one relay) while a relay that
 * filled up or slowed down is left within minutes. Tests set it short.
 */
export const RELAY_CHOICE_INTERVAL = 5 * minute

/**
 * The first measurement after start: a few seconds, long enough for the bootstrap dials and
 * identify to have told which peers relay, short enough that the first slots move early (before
 * games sit on them).
 */
export const RELAY_CHOICE_FIRST_DELAY = 5 * second

/** Relays measured per round at most (the brief's "about 8"): a round pings each, so more is only traffic. */
export const MAX_RELAY_CANDIDATES = 8

/** One measurement (a dial if needed, pings, the load report) is abandoned after this: a relay this slow is no candidate. */
export const RELAY_MEASURE_TIMEOUT = 10 * second

/** Pings per measurement; the smallest round trip is kept (one ping can wait behind a stream opening). */
export const PINGS_PER_MEASURE = 2

/**
 * How long a reservation refusal (or a failed reservation) at a relay counts against it: half
 * an hour, long past one re-evaluation, so a full relay is not tried again at every round, and
 * short enough that a relay that freed up is back in play the same evening.
 */
export const REFUSAL_MEMORY = 30 * minute

/** A move's steps (the old reservation released, the new one taken) are abandoned after this; the next round decides afresh. */
export const RELAY_MOVE_TIMEOUT = 15 * second
