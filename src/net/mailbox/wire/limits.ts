// The limits of store-and-forward (protocols/mailbox.md, "Limits"): what an envelope and each
// stream message may hold, and what one holder keeps for whom. Pure numbers; each says where its
// value comes from.
import { GAME_MAX_BYTES } from '../../../wire/game-messages.js'
import { day, minute, second } from '../../../units.js'

/** The message version of the mailbox protocol; the stream ID carries the same major number. */
export const MAILBOX_VERSION = 1

/** The stream protocol: deposit, collect and delete. */
export const MAILBOX_PROTOCOL = '/p2pgo/mailbox/1.0.0'

/** The signing domain of an envelope. */
export const ENVELOPE_DOMAIN = 'mailbox/envelope'

/** What an envelope may carry: a game act, a challenge, a short message. */
export const KINDS = ['act', 'challenge', 'message'] as const
export type MailboxKind = typeof KINDS[number]

/** Largest payload before sealing: a game act, as the game protocol bounds its frame (16 KiB). */
export const PAYLOAD_MAX_BYTES = GAME_MAX_BYTES

/** The Poly1305 tag the sealed box adds to the payload. */
export const SEAL_TAG_BYTES = 16

/** Largest envelope: the sealed payload and ~250 bytes of header and signature, with room. */
export const ENVELOPE_MAX_BYTES = PAYLOAD_MAX_BYTES + SEAL_TAG_BYTES + 1024

/** Longest life of an envelope (`expires - at`): a correspondence game's month, the bound. */
export const MAX_LIFETIME = 30 * day

/** How far an envelope's `at` may be ahead of the holder's clock (the lobby's skew). */
export const MAX_SKEW = 5 * minute

/** Largest request frame: a deposit's envelope and its head. */
export const REQUEST_MAX_BYTES = ENVELOPE_MAX_BYTES + 64

/** Largest answer frame: a batch of envelopes. */
export const ANSWER_MAX_BYTES = 256 * 1024

/** Most envelopes in one `items` frame. */
export const ITEMS_MAX = 64

/** Most IDs in one `delete`. */
export const DELETE_MAX = 256

/** Longest `message` of a `refused`, in bytes: a sentence. */
export const REFUSED_MESSAGE_MAX_BYTES = 500

/** The request must arrive within this time of the stream's opening, and each answer within this time of the request. */
export const STREAM_DEADLINE = 10 * second

/** Inbound mailbox streams one connection may hold open at once. */
export const STREAMS_PER_CONNECTION = 8
