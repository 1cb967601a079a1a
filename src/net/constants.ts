import { second } from '../units.js'

/** p2pgo's own Kademlia protocol: p2pgo peers form their own DHT instead of joining the IPFS one. */
export const DHT_PROTOCOL = '/p2pgo/kad/1.0.0'

/** libp2p's ping allows one outbound stream (MAX_OUTBOUND_STREAMS in @libp2p/ping/dist/src/constants.js) and kad-dht's routing table pings too: room for both. */
export const PING_MAX_OUTBOUND_STREAMS = 16

/** Loopback hosts share one IP, so libp2p's per-IP inbound limit (5/s, INBOUND_CONNECTION_THRESHOLD in libp2p/dist/src/connection-manager/constants.defaults.js) would refuse local peers. */
export const LOOPBACK_ALLOW = ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128']

/** @libp2p/bootstrap waits 1 s before dialling by default; the services are up well before 100 ms. */
export const BOOTSTRAP_DELAY = 100

/**
 * Reservations a relay holds at once (libp2p's default is 15, which a handful of games exhausts,
 * since a reservation outlives its client's connection by two hours). One costs a map entry and
 * a timer; refused reservations are the bootstrap daemon's abuse caps (bootstrap/relay-quota.ts), not this bound.
 */
export const RELAY_MAX_RESERVATIONS = 1024

/**
 * While a node has no connection at all, it dials its bootstrap peers again this often, and so
 * it dials those it is not connected to while it holds fewer relay reservations than it listens
 * for: @libp2p/bootstrap dials once at start, so a bootstrap peer that was busy or unreachable
 * then (or a relay that restarted) would be left out for good. One dial per peer per interval,
 * each bounded by the interval itself.
 */
export const BOOTSTRAP_REDIAL_INTERVAL = 10 * second

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
