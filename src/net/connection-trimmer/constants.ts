import { second } from '../../units.js'

/**
 * Connections a player's node keeps: above `high` peers it closes the least valued down to
 * `low` (go-libp2p's connection manager's watermarks, scaled to a Go player's needs: a few
 * bootstrap relays, the DHT's closest peers, gossip meshes of 6 to 12 per topic, opponents).
 * A connection younger than `graceMs` is left alone: its peer's tags are not known yet.
 */
export const PLAYER_CONNECTIONS = Object.freeze({ low: 120, high: 160, graceMs: 30 * second })

/** The same for a bootstrap relay, which everyone joins through (bootstrap.json's relay limits make its caps configurable, bootstrap/README.md). */
export const BOOTSTRAP_CONNECTIONS = Object.freeze({ low: 1600, high: 2000, graceMs: 30 * second })

/** libp2p refuses inbound connections past its own maximum: set above `high` so the trimmer, not a refusal, decides. */
export const CONNECTION_HEADROOM = 1.25

/** Tag circuit-relay-v2 puts on relays this node holds a reservation on: the trimmer never closes those. */
export const RELAY_RESERVATION_TAG = 'keep-alive-circuit-relay'
