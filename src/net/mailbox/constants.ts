// The mailbox service's tunables (protocols/mailbox.md, "Limits"), each with where its value comes from.
import { day, hour, minute, second } from '../../units.js'

/** Requests per peer a holder answers in a minute: a burst of a game's acts and a collection, with room; over it the answer is `rate`. */
export const REQUEST_RATE = 60

/** Requests per peer in a minute over which the peer is penalised (`mailbox:flood`): twice the rate. */
export const FLOOD_RATE = 120

/** How long a holder remembers a recipient after its last reservation or collection: an envelope's longest life. */
export const KNOWN_FOR = 30 * day

/** How often a holder drops expired envelopes. */
export const SWEEP_INTERVAL = 10 * minute

/** Holders a sender deposits each envelope with: redundancy against one that drops or goes away. */
export const MAX_HOLDERS = 3

/** Holders a recipient remembers across restarts (the relays it reserved on). */
export const REMEMBERED_HOLDERS = 8

/** An envelope's life when the sender names none: a week, long enough for a correspondence move. */
export const DEFAULT_LIFETIME = 7 * day

/** How long later envelopes wait for a missing one before the recipient gives up on it: the longest life. */
export const GAP_WAIT = 30 * day

/** How often a recipient collects from its holders while online (envelopes deposited meanwhile by a sender that could not reach it). */
export const COLLECT_INTERVAL = 5 * minute

/** How soon after its addresses change (a new reservation) the recipient collects: identify and the reservation settle first. */
export const COLLECT_DELAY = 1 * second

/** Reaching a holder and its answer, per holder: libp2p's dial timeout. */
export const HOLDER_TIMEOUT = 30 * second

/** IDs a recipient remembers having had each holder delete (a holder serving one again replays). */
export const DELETED_REMEMBERED = 4096

/** How often a holder that relays notes the clients holding reservations on it (a reservation is dropped when its client leaves). */
export const RESERVATION_SCAN = 30 * second

/** A known recipient's mark is renewed at most this often (each is a datastore write). */
export const REMEMBER_EVERY = 1 * hour

/** A background collection round ends after this long, whatever holders still owe: twice a holder's own timeout. */
export const COLLECT_ROUND_TIMEOUT = 2 * HOLDER_TIMEOUT
