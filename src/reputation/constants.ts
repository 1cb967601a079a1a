// Discovery reputation's starting values (protocols/reputation.md). Issue 6 gave the first four
// as starting points; the rest are this project's judgment, each with its reason.

/** Units, in milliseconds. */
export const hour = 60 * 60 * 1000
export const day = 24 * hour

/** A first delivery of a valid new RNA earns 0.1 × RELAY_BOOST × quality (issue 6: "0.1 per delivery"). */
export const DELIVERY_GAIN = 0.1
/** Relay boost = 2 × quality (issue 6): a delivery of average quality (0.5) earns exactly 0.1, the best 0.2. */
export const RELAY_BOOST = 2

/** An origin earns 0.2 × quality: creating data is worth more than passing it on. */
export const ORIGIN_GAIN = 0.2
/** Above this quality an origin earns HIGH_QUALITY_BONUS times as much (issue 6: "above 0.7 … gains more"). */
export const HIGH_QUALITY = 0.7
export const HIGH_QUALITY_BONUS = 2

/** An invalid RNA costs its sender 0.5: as much as five average deliveries earn. */
export const INVALID_PENALTY = 0.5
/** A worthless RNA costs its origin 0.05: small, since novelty depends on what each node has seen. */
export const SPAM_PENALTY = 0.05
/** A rating record that fails its audit is a lie about a rating: it costs 1, a day's worth of gains. */
export const AUDIT_PENALTY = 1

/** Caps are counted in fixed windows of one day (floor(at / WINDOW)). */
export const WINDOW = day
/** The most a peer can gain in a window from RNA of one origin: three average deliveries. */
export const PER_ORIGIN_CAP = 0.3
/** The most a peer can gain in a window in all: ten average deliveries. */
export const WINDOW_CAP = 1

/** Gains halve every week: reputation is earned again, not banked. */
export const GAIN_HALF_LIFE = 7 * day
/** Penalties halve every 30 days: misbehaviour is remembered longer than help. */
export const PENALTY_HALF_LIFE = 30 * day

/** trust = 1 / (1 + e^(−score / TRUST_SCALE)): score 0 is trust 0.5 (a stranger), +1 is 0.73, −1 is 0.27. */
export const TRUST_SCALE = 1

/** Events kept per peer; the oldest are dropped first. A day's cap is reached in ten events, so 10,000 is years of history. */
export const MAX_EVENTS_PER_PEER = 10_000
/** Peers tracked; when full, the one whose score is nearest 0 (least to remember) goes. */
export const MAX_PEERS = 100_000
/** An event is pruned once its contribution is below this fraction of its amount (about ten half-lives). */
export const PRUNE_FRACTION = 1e-3
