import { second } from '../../units.js'

/**
 * While a node has no connection at all, it dials its bootstrap peers again this often, and so
 * it dials those it is not connected to while it holds fewer relay reservations than it listens
 * for: @libp2p/bootstrap dials once at start, so a bootstrap peer that was busy or unreachable
 * then (or a relay that restarted) would be left out for good. One dial per peer per interval,
 * each bounded by the interval itself.
 */
export const BOOTSTRAP_REDIAL_INTERVAL = 10 * second
