import { second } from '../units.js'

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
