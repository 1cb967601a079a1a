// Offline challenges and direct messages (protocols/post.md): the tunables, each with where its
// value comes from.
import { day, hour, minute, second } from '../../units.js'

/** The direct stream: one signed item to a peer that is online, answered ok or refused. */
export const POST_PROTOCOL = '/p2pgo/post/1.0.0'

/** The message version of the post protocol and of a message payload. */
export const POST_VERSION = 1

/** The signing domain of a direct item (the mailbox's envelope has its own). */
export const POST_DOMAIN = 'post/direct'

/** A message is short: about a paragraph, as a chat line is (500 characters). */
export const TEXT_MAX_CHARS = 500

/** 500 characters of UTF-8 can take 2000 bytes. */
export const TEXT_MAX_BYTES = 2000

/** Largest direct item frame: a challenge message (4 KiB at most) and its header and signature, with room. */
export const DIRECT_MAX_BYTES = 8 * 1024

/** Largest answer frame: a refusal's sentence. */
export const ANSWER_MAX_BYTES = 1024

/** A refusal's sentence, in bytes. */
export const REFUSAL_MAX_BYTES = 500

/** How long an offline challenge waits by default: a week, as OGS's open challenges linger. */
export const DEFAULT_OFFER_LIFETIME = 7 * day

/** Shortest offline challenge: an hour; below that a live challenge is the tool. */
export const MIN_OFFER_LIFETIME = 1 * hour

/** How long an accept or a confirm waits for its recipient: a week, the time a player may stay away. */
export const ANSWER_LIFETIME = 7 * day

/**
 * The challenger keeps an expired offer this long to honour an accept made in time that it has
 * not collected yet (it was offline): the accept's own life.
 */
export const ACCEPT_GRACE = ANSWER_LIFETIME

/** How far an accept's `created` may be past the offer's expiry: the mailbox's clock skew. */
export const ACCEPT_SKEW = 5 * minute

/** A message waits a week by default, then its holders drop it. */
export const DEFAULT_MESSAGE_LIFETIME = 7 * day

/** How long a direct delivery may take before the item goes to the mailbox instead. */
export const DIRECT_TIMEOUT = 5 * second

/** Expired items are swept this often while the node runs. */
export const SWEEP_INTERVAL = 10 * minute

/** Items kept in a node's inbox at most: older ones are dropped first. */
export const INBOX_MAX = 500
