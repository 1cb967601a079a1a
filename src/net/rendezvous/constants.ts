import { hour, minute, second } from '../../units.js'

/** The public IPFS DHT's protocol (Amino): the rendezvous speaks it, as a client only. */
export const AMINO_PROTOCOL = '/ipfs/kad/1.0.0'

/** The network whose players meet under the rendezvous key; another name is another network. */
export const NETWORK_NAME = 'p2pgo'

/** The text hashed into the rendezvous key (protocols/rendezvous.md): change the version, change the key. */
export const KEY_PREFIX = 'p2pgo rendezvous v1: '

/**
 * Amino's public bootstrap peers, as helia lists them today (packages/helia/src/utils/bootstrappers.ts,
 * from kubo's config/bootstrap_peers.go), minus its WebSocket-only entry (p2pgo speaks TCP).
 */
export const DEFAULT_RENDEZVOUS: readonly string[] = [
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN',
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb',
  '/dnsaddr/bootstrap.libp2p.io/p2p/QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt',
  '/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ'
]

/** How long a node with bootstrap peers waits for a p2pgo peer before it asks the rendezvous ("a few seconds"). */
export const LOOKUP_GRACE = 5 * second

/** First wait before looking up again while the node has no p2pgo peer; doubles up to LOOKUP_RETRY_MAX. */
export const LOOKUP_RETRY_MIN = 15 * second

/** Longest wait between lookups while alone: a bounded backoff, so Amino hears from a lonely node at most a few times an hour. */
export const LOOKUP_RETRY_MAX = 10 * minute

/** Longest a lookup walks Amino (a findProviders query usually answers in seconds). */
export const LOOKUP_TIMEOUT = 60 * second

/** Providers taken from one lookup: a handful of p2pgo peers is enough to join; more only costs dials. */
export const MAX_FOUND = 16

/** Dials to found providers in flight at once. */
export const DIAL_CONCURRENCY = 4

/** Each dial to a found provider (an address that never answers costs at most this). */
export const DIAL_TIMEOUT = 10 * second

/** How long a connected provider has to say (identify) which protocols it speaks. */
export const IDENTIFY_TIMEOUT = 10 * second

/** Dialling stops once this many p2pgo peers were joined from one lookup. */
export const ENOUGH_PEERS = 4

/** How long the rendezvous waits to reach an Amino peer before a provide or a lookup. */
export const JOIN_TIMEOUT = 20 * second

/** Longest a provide walks Amino. */
export const PROVIDE_TIMEOUT = 2 * minute

/** How often the node checks whether it should (re)provide. */
export const PROVIDE_CHECK_INTERVAL = 1 * minute

/** Shortest time between two provides when the published addresses change (a walk of ~20 Amino peers each). */
export const REPROVIDE_MIN = 10 * minute

/** Provides are renewed at least this often; Amino servers keep a provider record 48 hours (kubo reprovides every 22). */
export const REPROVIDE_INTERVAL = 12 * hour

/** Addresses published in one provider record at most (a peer record's worth). */
export const MAX_PUBLISHED_ADDRESSES = 8

/** Connections the Amino node keeps at most: walks open a few dozen; Amino's thousands of peers never reach the game node. */
export const AMINO_MAX_CONNECTIONS = 32
