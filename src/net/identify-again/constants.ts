import { second } from '../../units.js'

/** How often the node looks for connections identify never finished on. */
export const IDENTIFY_CHECK_INTERVAL = 5 * second

/**
 * A connection is looked at once it is this old: libp2p's identify gives up after 5 s, so by
 * then a connection libp2p sent no `peer:identify` for will not get one.
 */
export const IDENTIFY_GRACE = 10 * second

/** How long a second identify may take: a busy peer is slow, not gone. */
export const IDENTIFY_AGAIN_TIMEOUT = 30 * second

/** Tries per connection after libp2p's own, the waits between them doubling from IDENTIFY_GRACE. */
export const IDENTIFY_AGAIN_TRIES = 3
