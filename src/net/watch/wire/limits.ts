// The limits of watching a live game (protocols/watch.md, "Limits"): what a message may hold and
// the rates and counts the service keeps to. Pure numbers; each says where its value comes from.
import { GAME_MAX_BYTES, MAX_ACTS } from '../../../wire/game-messages.js'
import { START_MAX_BYTES } from '../../../wire/game-start.js'
import { minute, second } from '../../../units.js'

/** The message version of the watch protocol; the topic and the stream ID carry the same number. */
export const WATCH_VERSION = 1

/** Largest message on a game's topic: an act, as the game protocol bounds it (16 KiB). */
export const TOPIC_MAX_BYTES = GAME_MAX_BYTES

/** Largest act an answer may carry: the game protocol's frame. */
export const ACT_MAX_BYTES = GAME_MAX_BYTES

/** Largest start record a `watch-start` may carry: the game protocol's. */
export const START_RECORD_MAX_BYTES = START_MAX_BYTES

/** Acts of each player a request may say it has: the game protocol's bound. */
export const HAVE_MAX = MAX_ACTS

/** Largest request: a CID and three small fields (~70 bytes), with room. */
export const REQUEST_MAX_BYTES = 256

/** Largest answer frame: a long game's acts (~250 bytes each) in a few frames. */
export const ANSWER_MAX_BYTES = 256 * 1024

/** Most acts in one `watch-acts` frame. */
export const ANSWER_MAX_ACTS = 64

/** Longest `message` of a `watch-refused`, in bytes: a sentence, as the game's `reject`. */
export const REFUSED_MESSAGE_MAX_BYTES = 500

/** Largest spectator chat message: a line of text, a name, a peer ID, a CID and a signature (~1.5 KiB at most). */
export const CHAT_MAX_BYTES = 2048

/** Longest chat line, in characters (code points): a spectator line, not a document. */
export const CHAT_TEXT_MAX_CHARS = 280

/** How far a chat's `at` may be from the receiver's clock, either way, before it is ignored (`expired`): the lobby's clock skew. */
export const CHAT_MAX_SKEW = 5 * minute

/** Chat messages per author a watcher passes on in a minute (`CHAT_RATE`); more are ignored (`chat-rate`). */
export const CHAT_RATE = 10

/**
 * Followers a player serves new acts to (`SEED_SLOTS`): its upload is one extra copy of each act
 * (two seeds made it ~2.1x an unwatched game in bench:watch, over the 2x; one is ~1.5x).
 * The game still has two seeds, one per player.
 */
export const SEED_SLOTS = 1

/** Followers a watcher that is itself a follower may take: a chain of seeds. */
export const WATCHER_SEED_SLOTS = 1

/** Requests per asker and game a node answers in a minute; over it the answer is `rate`. */
export const REQUEST_RATE = 6

/** Requests per asker and game in a minute over which the asker is penalised (`watch:flood`). */
export const FLOOD_RATE = 12

/** Inbound watch streams one connection may hold open at once. */
export const STREAMS_PER_CONNECTION = 16

/** Watch streams a node serves at once; more are answered `busy`. */
export const STREAMS_SERVED = 64

/** The request must arrive within this time of the stream's opening. */
export const REQUEST_DEADLINE = 10 * second

/** Each answer frame must arrive within this time of its first byte. */
export const FRAME_DEADLINE = 10 * second

/** A follower with no act for this long in a game not finished asks elsewhere. */
export const FOLLOW_SILENCE = 60 * second

/** The window over which `watchers` counts the distinct peers that asked for a game. */
export const WATCHERS_WINDOW = 5 * minute

/** Acts held per player while their predecessors are missing (`HELD_MAX`). */
export const HELD_MAX = 64

/** A watcher filling a gap or a silence asks another watcher, and a player only every this many asks (or when it knows no other watcher). */
export const PLAYER_ASK_EVERY = 4

/** How long a held act waits before the watcher asks for the missing ones by catch-up (`GAP_WAIT_MS`). */
export const GAP_WAIT_MS = 2 * second
