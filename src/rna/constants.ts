// RNA: training data made of finished games, gossiped to every node (protocols/rna.md).

import { minute } from '../units.js'

/** The envelope's version, in `v` (gossip has no negotiation). */
export const RNA_VERSION = 1

/** The signing domain of an RNA envelope (protocols/rna.md): a signature made for a game act or a rating record cannot pass as one. */
export const RNA_DOMAIN = 'rna'

/**
 * Largest RNA envelope. A 19x19 game of 300 turns is about 60 KiB of signed acts (each ~190
 * bytes); 256 KiB holds the longest games people play with room for marking and undo rounds,
 * and stays far under gossipsub's 1 MiB message limit. A game larger than this is not published.
 */
export const RNA_MAX_BYTES = 256 * 1024

/** Largest act entry of a transcript: a game protocol message (protocols/game.md, GAME_MAX_BYTES). */
export const ENTRY_MAX_BYTES = 16 * 1024

/** Most acts per player in a transcript, as the game protocol allows (MAX_ACTS). */
export const MAX_ENTRIES = 2000

/** How far in the future an envelope's `at` may be: clock skew between honest peers. */
export const MAX_CLOCK_SKEW = 5 * minute
