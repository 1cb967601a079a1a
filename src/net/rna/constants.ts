import { minute, second } from '../../units.js'

/** The gossipsub topic of RNA; the trailing 1 is the envelope version. */
export const RNA_TOPIC = '/p2pgo/rna/1'

/** The propagation path protocol: "from whom did you get this RNA, and when?" */
export const PATH_PROTOCOL = '/p2pgo/rna-path/1.0.0'

/** Largest path request or answer: a CID, a peer ID, a time, and a path of up to MAX_PATH_DEPTH + 1 hops of ~50 bytes. */
export const PATH_MAX_BYTES = 2048

/** Hops a path is traced back at most: gossipsub reaches 10,000 peers in about log_6(10^4) ≈ 5 hops, so 8 leaves room. */
export const MAX_PATH_DEPTH = 8

/** How long one hop may take to answer. */
export const PATH_QUERY_TIMEOUT = 5 * second

/**
 * Path questions one peer may ask this node per PATH_RATE_WINDOW: tracing a path costs one
 * question per hop and a node traces each RNA once, so 30 a minute serves a busy network while
 * bounding what a peer can make this node do.
 */
export const PATH_RATE_LIMIT = 30
export const PATH_RATE_WINDOW = minute

/** Paths traced at once in the background (each is up to MAX_PATH_DEPTH round trips). */
export const PATH_CONCURRENCY = 2

/** Delay before tracing a new RNA's path: the hops have it stored by then. */
export const PATH_TRACE_DELAY = 2 * second

/** RNA validations run at once (each replays a game: ~0.3 ms per signed act). */
export const VALIDATION_CONCURRENCY = 4

/** RNA waiting for validation; beyond this, new arrivals are ignored (not forwarded, nobody penalized). */
export const VALIDATION_QUEUE_MAX = 256

/**
 * Forwarding of RNA at or below the priority threshold: at most FORWARD_RATE per second, best
 * first. gossipsub keeps an unvalidated message for 5 heartbeats (5 s) only, so one that waited
 * FORWARD_MAX_WAIT is stored but not forwarded: under a flood of middling RNA, the best goes on.
 */
export const FORWARD_RATE = 20
export const FORWARD_MAX_WAIT = 3 * second

/**
 * After a game, the player who won (Black after a draw) publishes its mRNA at once; the other
 * publishes it after this delay unless it has arrived by gossip, so a game is published once even
 * when its designated player left.
 */
export const PUBLISH_FALLBACK_DELAY = 20 * second

/** Largest gossipsub message this node accepts: an RNA and its protobuf framing. */
export const GOSSIP_MAX_DATA = 256 * 1024 + 1024

/** Where RNA lives in the node's datastore. */
export const RNA_PREFIX = '/p2pgo/rna'

/**
 * Gossipsub's score for the RNA topic (gossipsub v1.1 P1–P4; defaults elsewhere). RNA is rare
 * and bursty, so there is no mesh-delivery quota (P3, P3b: zero): it would punish quiet honest
 * peers. An invalid RNA (P4) costs -10 × count²: one puts a peer below 0 (pruned from the mesh at
 * the next heartbeat), three below the graylist threshold (-80: its messages are dropped), and the
 * count decays by 0.3% a second (about four minutes to halve). Good first deliveries (P2) earn up to
 * +20 and fade over ~12 minutes; time in the mesh (P1) adds up to 3.6 over an hour.
 */
export const RNA_TOPIC_SCORE = {
  topicWeight: 1,
  timeInMeshWeight: 0.001,
  timeInMeshQuantum: 1000,
  timeInMeshCap: 3600,
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: 0.999,
  firstMessageDeliveriesCap: 20,
  meshMessageDeliveriesWeight: 0,
  meshMessageDeliveriesDecay: 0.5,
  meshMessageDeliveriesCap: 100,
  meshMessageDeliveriesThreshold: 1,
  meshMessageDeliveriesWindow: 10,
  meshMessageDeliveriesActivation: 5000,
  meshFailurePenaltyWeight: 0,
  meshFailurePenaltyDecay: 0.5,
  invalidMessageDeliveriesWeight: -10,
  invalidMessageDeliveriesDecay: 0.997
} as const

/**
 * Weight of reputation in a peer's gossipsub score (P5): the application score is
 * 2 × (trust − 0.5), from −1 to +1, so reputation moves a peer's score by up to ±10 — a distrusted
 * peer (trust below 0.5) falls below 0 and leaves this node's meshes; a trusted one is kept.
 */
export const REPUTATION_SCORE_WEIGHT = 10

/** How long stopping waits for a game's RNA being published: signing, checking and sending take milliseconds. */
export const STOP_GRACE = 5 * second
