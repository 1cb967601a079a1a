import { second } from '../../units.js'

/** The game protocol's ID (protocols/game.md). */
export const GAME_PROTOCOL = '/p2pgo/game/1.0.0'

/** First retry of an unacknowledged act or a lost connection (protocols/game.md). */
export const RETRY_MS = 1 * second
/** Retries back off by doubling up to this. */
export const MAX_RETRY_MS = 30 * second

/** A hello on an idle stream this often keeps it under yamux's 120 s inactivity timeout. */
export const KEEPALIVE_MS = 30 * second

/** Malformed or refused messages tolerated on one stream before it is closed on the sender. */
export const MAX_STRIKES = 20

/** A dial or stream open may take this long before it counts as failed and is retried. */
export const OPEN_TIMEOUT_MS = 10 * second

/** Latency samples are smoothed like TCP's SRTT: the new sample's weight. */
export const RTT_WEIGHT = 0.25

/** How often a timed game checks whether the opponent's flag has fallen. */
export const FLAG_CHECK_MS = 250

/** While a game runs over a relay, a direct path is tried this often (README, "The connectivity ladder": every 60 s). */
export const DIRECT_RETRY_MS = 60 * second

/** One attempt at a direct or WebRTC path may take this long; a failed ICE attempt never rejects on its own, so every attempt is bounded. */
export const UPGRADE_TIMEOUT_MS = 10 * second

/** After a game moved off a relay, the relayed connection to the opponent closes this much later (acts in flight on it land first). */
export const RELAY_CLOSE_GRACE_MS = 2 * second

/**
 * A WebRTC connection that dies this soon after opening was a half-working ICE path (seen behind
 * symmetric NAT: the data channel opens, then the path stops carrying data). Such a peer is
 * not offered WebRTC again for WEBRTC_BACKOFF_MS, so a game does not bounce between a dead hole
 * and the relay.
 */
export const WEBRTC_MIN_LIFETIME_MS = 60 * second
export const WEBRTC_BACKOFF_MS = 10 * 60 * second
