import { day, second, minute } from '../../units.js'

/** The game protocol's ID (protocols/game.md). */
export const GAME_PROTOCOL = '/p2pgo/game/1.0.0'

/** First retry of an unacknowledged act or a lost connection (protocols/game.md, "Message flow"). */
export const RETRY_MS = 1 * second
/** Retries back off by doubling up to this (protocols/game.md, "Message flow"). */
export const MAX_RETRY_MS = 30 * second

/**
 * A hello on an idle stream this often keeps it under yamux's 120 s inactivity timeout
 * (`inactivityTimeout` in @chainsafe/libp2p-yamux src/config.ts; protocols/game.md, "Message flow").
 */
export const KEEPALIVE_MS = 30 * second

/**
 * Resends on one stream that bring no acknowledgement before that stream is given up and a new
 * one opened: a stream can take writes while nothing reads it at the other end (protocols/game.md,
 * "Message flow"). With the backoff from RETRY_MS that is about 7 s after the act first went out.
 */
export const SILENT_STREAM_RESENDS = 3

/** Malformed or refused messages tolerated on one stream before it is closed on the sender (protocols/game.md, "Limits"). */
export const MAX_STRIKES = 20

/** The first frame of a game stream names its game: it must have arrived this long after the stream opened, as a challenge's first message (protocols/game.md, "Protocol ID and streams"). */
export const FIRST_FRAME_MS = 10 * second
/** A frame whose first byte arrived must be complete this much later: 16 KiB in 10 s is a slow relay, a byte a second is a peer holding the stream (protocols/game.md). */
export const FRAME_MS = 10 * second
/** A stream that carries nothing for three keepalive hellos in a row is dead, or not the one its peer uses (protocols/game.md). */
export const IDLE_MS = 3 * KEEPALIVE_MS
/** Game streams one connection may open to this node at once: one a game, two while both players opened one, for a few games (protocols/game.md, "Limits"). */
export const GAME_MAX_INBOUND_STREAMS = 8

/** A dial or stream open may take this long before it counts as failed and is retried (protocols/game.md, "Protocol ID and streams"). */
export const OPEN_TIMEOUT_MS = 10 * second

/** Latency samples are smoothed like TCP's SRTT (RFC 6298): the new sample's weight (protocols/game.md, "Clocks"). */
export const RTT_WEIGHT = 0.25

/** The opponent's turn is credited at most this much of the measured round trip (protocols/game.md, "Clocks"). */
export const MAX_LAG_CREDIT_MS = 1 * second

/** How often a timed game checks whether the opponent's flag has fallen (protocols/game.md, "Clocks"). */
export const FLAG_CHECK_MS = 250

/** How often a game checks whether its opponent has been silent past the limit (protocols/game.md, "Abandonment"): the limit is minutes, a second is close enough. */
export const IDLE_CHECK_MS = 1 * second

/**
 * A game closed without its opponent stays in memory at least this long (or the abandonment
 * limit, if longer), still sending its last acts, so an opponent that comes back can sign its end
 * (protocols/game.md, "Abandonment"); then it is dropped and no longer retried.
 */
export const CLOSED_LINGER_MS = 1 * minute

/** While a game runs over a relay, a direct path is tried this often (protocols/game.md, **Paths** under "Protocol ID and streams"). */
export const DIRECT_RETRY_MS = 60 * second

/**
 * One attempt at a direct or WebRTC path may take this long (protocols/game.md, **Paths** under "Protocol ID and streams"): a WebRTC
 * dial whose ICE checks never fail waits for its abort signal (`readCandidatesUntilConnected` in
 * @libp2p/webrtc src/private-to-private/util.ts).
 */
export const UPGRADE_TIMEOUT_MS = 10 * second

/** After a game moved off a relay, the relayed connection to the opponent closes this much later, so acts in flight on it land first (protocols/game.md, **Paths** under "Protocol ID and streams"). */
export const RELAY_CLOSE_GRACE_MS = 2 * second

/**
 * A WebRTC connection that dies this soon after opening was a half-working ICE path (seen behind
 * symmetric NAT: the data channel opens, then the path stops carrying data). Such a peer is
 * not offered WebRTC again for WEBRTC_BACKOFF_MS, so a game does not bounce between a dead hole
 * and the relay (README.md, "Falling back").
 */
export const WEBRTC_MIN_LIFETIME_MS = 1 * minute
/** How long a peer whose WebRTC path died young gets no WebRTC (README.md, "Falling back"). */
export const WEBRTC_BACKOFF_MS = 10 * minute

/** A correspondence game's act left with the opponent's holders lives as long as an envelope may (30 days, MAX_LIFETIME in src/net/mailbox/wire/limits.ts): a player may be away for its whole time bank (protocols/game.md, "Acts through the mailbox"). */
export const MAIL_LIFETIME_CORRESPONDENCE = 30 * day
/** A live game's act left with the holders lives a day: past that the game was long abandoned (ABANDON_AFTER_MS is 10 minutes) and only its record matters (protocols/game.md, "Acts through the mailbox"). */
export const MAIL_LIFETIME_LIVE = 1 * day
/** On stop, deposits under way get this long to finish (a holder round trip takes milliseconds on a working path; HOLDER_TIMEOUT, 30 s, is the worst case, which a stopping node does not wait for). */
export const MAIL_SETTLE_MS = 5 * second
