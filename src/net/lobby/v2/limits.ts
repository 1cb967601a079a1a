// The wire limits of lobby version 2 (protocols/lobby.md, "Version 2"): what a message and a
// catch-up answer may hold. The service's tunables (budgets, periods it publishes at) are not here.
import { minute } from '../../../units.js'

/** The message version of lobby version 2; its topics carry the same number (`/p2pgo/lobby/2/...`). */
export const LOBBY_V2_VERSION = 2

/** Largest version 2 message, as version 1's: a presence with a record of a few relay addresses is ~500 bytes. */
export const LOBBY_V2_MAX_BYTES = 4096

/** Length of the census period a census message names (`period` = floor(ms / CENSUS_PERIOD) of the sender's clock). */
export const CENSUS_PERIOD = minute

/**
 * How far a census's period may be from the receiver's own (in ms of clock): the clock skew the
 * lobby tolerates. A census outside it is refused (`expired` or `expires-too-far`), so an old one
 * replayed cannot be counted again in a later period.
 */
export const CENSUS_MAX_SKEW = 5 * minute

/** Largest |bucket| of a rating bucket a topic or a catch-up request names (the matchmaker's mu/4 bucket needs |bucket| ≤ 250). */
export const MAX_ABS_BUCKET = 1000

/** Presences a catch-up answer may hold (protocols/lobby.md: at most 200, nearest rating first). */
export const SYNC_MAX_PRESENCES = 200

/** Seeks a catch-up answer may hold: three per player of SYNC_MAX_PRESENCES. */
export const SYNC_MAX_SEEKS = 600

/** Live games' entries a catch-up answer may hold (protocols/watch.md, "Live games in the lobby"): two per game of 100 games. */
export const SYNC_MAX_LIVE = 200

/** Largest catch-up answer: 200 presences of ~500 bytes and a few hundred seeks of ~350 bytes, with room; a peer cannot make a node read more. */
export const SYNC_ANSWER_MAX_BYTES = 512 * 1024

/** Largest catch-up request: three small fields; 256 bytes leaves room and still caps abuse. */
export const SYNC_REQUEST_MAX_BYTES = 256
