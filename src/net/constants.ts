/** p2pgo's own Kademlia protocol: p2pgo peers form their own DHT instead of joining the IPFS one. */
export const DHT_PROTOCOL = '/p2pgo/kad/1.0.0'
/** The LAN DHT's protocol: peers by their private addresses (kubo's /ipfs/lan/kad/1.0.0, for p2pgo). */
export const DHT_LAN_PROTOCOL = '/p2pgo/lan/kad/1.0.0'

/** libp2p's ping allows one outbound stream (MAX_OUTBOUND_STREAMS in @libp2p/ping/dist/src/constants.js) and kad-dht's routing table pings too: room for both. */
export const PING_MAX_OUTBOUND_STREAMS = 16
/**
 * Ping streams a peer may have open to this node at once. libp2p's default is 2, and a p2pgo node
 * pings a relay from several places at once (the connection monitor, kad-dht's routing table, the
 * relay choice, `p2pgo doctor`): a third ping was reset ("Cannot write to a stream that is
 * closed") and doctor reported a live relay as not answering. A ping is 32 bytes echoed.
 */
export const PING_MAX_INBOUND_STREAMS = 16

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
