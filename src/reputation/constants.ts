// Discovery reputation's starting values. The gains, the relay boost and the high-quality
// threshold were given as starting points (protocols/reputation.md, "Constants"); the rest are
// this project's judgment, each with its reason.

import { day } from '../units.js'

/** A first delivery of a valid new RNA earns DELIVERY_GAIN × RELAY_BOOST × quality (the given starting point: "0.1 per delivery"). */
export const DELIVERY_GAIN = 0.1
/** Relay boost = 2 × quality (a given starting point): a delivery of average quality (0.5) earns exactly 0.1, the best 0.2. */
export const RELAY_BOOST = 2

/** An origin earns ORIGIN_GAIN × quality: creating data is worth twice passing it on (this project's choice). */
export const ORIGIN_GAIN = 0.2
/** Above this quality an origin gains more (a given starting point: "an origin whose RNA scores above 0.7 quality gains more"). */
export const HIGH_QUALITY = 0.7
/** How much more: twice, the same factor as the relay boost (this project's choice). */
export const HIGH_QUALITY_BONUS = 2

/** An invalid RNA costs its sender 0.5: as much as five average deliveries earn, so forging never pays. */
export const INVALID_PENALTY = 0.5
/** A valid but worthless RNA costs its origin 0.05: small, since novelty depends on what each node has already seen. */
export const SPAM_PENALTY = 0.05
/** A rating record that fails its audit is a lie: it costs 1, a full window's worth of gains (WINDOW_CAP). */
export const AUDIT_PENALTY = 1

/** Caps are counted in fixed windows of one day (floor(at / WINDOW)): games are played in daily rhythms. */
export const WINDOW = day
/** The most a peer can gain in a window from RNA of one origin: three average deliveries, so one prolific origin (or a Sybil) cannot carry a relay. */
export const PER_ORIGIN_CAP = 0.3
/** The most a peer can gain in a window in all: ten average deliveries, one audit failure's worth. */
export const WINDOW_CAP = 1

/** Gains halve every week: reputation is earned again, not banked. */
export const GAIN_HALF_LIFE = 7 * day
/** Penalties halve every 30 days: misbehaviour is remembered longer than help. */
export const PENALTY_HALF_LIFE = 30 * day

/** trust = 1 / (1 + e^(−score / TRUST_SCALE)): score 0 is trust 0.5 (the matchmaker's neutral), +1 is 0.73, −1 is 0.27. */
export const TRUST_SCALE = 1
/** Trust is kept this far inside (0, 1): floats round e^±40 away, and a trust of exactly 0 or 1 would break ratios and logs. */
export const TRUST_EPSILON = Number.EPSILON

/** Events kept per peer (gains dropped oldest first, then penalties): the window cap is reached in ten events, so 10,000 is years of honest history. */
export const MAX_EVENTS_PER_PEER = 10_000
/** Peers tracked; when full, the one whose |score| is smallest (least to remember) goes. 100,000 × a few events is tens of MB at most. */
export const MAX_PEERS = 100_000
/** An event is pruned once it counts for less than 0.1% of its amount: after log2(1000) ≈ 9.97 half-lives (70 days for a gain, 299 for a penalty). */
export const PRUNE_FRACTION = 1e-3
