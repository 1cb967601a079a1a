import { hour, minute, second } from '../units.js'

/**
 * Turns before which either player may abort the game without a result: before both have moved,
 * as lichess allows (protocols/game.md, the `abort` row of the act table).
 */
export const ABORT_BEFORE_TURNS = 2

/**
 * How close to zero an accused player's own clock must be for a timeout claim to hold: the lag
 * allowance (protocols/game.md, "Clocks").
 */
export const CLAIM_ALLOWANCE_MS = 1 * second

/**
 * A correspondence game's tolerance for the players' clocks disagreeing and for an act's way
 * through holders (protocols/game.md, "Correspondence clocks"): a timeout claim holds only if the
 * accused's time ran out at least this long before the claim's signed time, and a claim dated more
 * than this after the receiver's own clock is refused. An hour is under 2% of a day-long move and
 * covers an unsynchronised computer clock and a node that is still collecting what waited for it.
 */
export const CORRESPONDENCE_SKEW_MS = 1 * hour

/**
 * How long a player waits on a silent opponent before it may leave the game as abandoned
 * (protocols/game.md, "Abandonment"), by default: long enough for a person thinking in an untimed
 * game, short enough that a vanished opponent does not hold a bot for long. Each node's own
 * setting (`abandonAfterMs`); the receiver of an abandonment checks who waited, not how long.
 */
export const ABANDON_AFTER_MS = 10 * minute

/**
 * A peer whose store lost acts it had acknowledged says so in its hello, and they are sent again;
 * at most this often, so that repeating a low count cannot make a player resend its whole game
 * on every hello (protocols/game.md, "Message flow"): the game protocol's hello interval.
 */
export const REWIND_MIN_MS = 30 * second

/**
 * How many acts ahead of the one being applied a replay starts checking signatures. A key whose
 * check runs off the main thread (ed25519VerifyingKey) then checks them on other cores while the
 * game is replayed; 32 checks (~3 ms of work) keep both cores of a small machine busy without
 * queueing a whole game's worth in front of other users of libuv's thread pool (files, DNS).
 */
export const REPLAY_VERIFY_AHEAD = 32
