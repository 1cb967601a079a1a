import { second } from '../../units.js'

/** How long the round-trip ping on a new connection may take before `peer:connected` goes out without it. */
export const PING_TIMEOUT_MS = 2 * second
