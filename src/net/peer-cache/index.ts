/**
 * @packageDocumentation
 *
 * The peer cache: the peers this node saw working recently (their signed peer records, when each
 * last worked, whether it spoke p2pgo), kept in one file in the home. On start the node dials
 * the best few of them in the background, beside its bootstrap list, so a restart joins in
 * seconds even when every bootstrap peer is down; while none answered and nothing else is
 * connected, it dials them again, less and less often (RETRY_FIRST doubling to RETRY_MAX). The file is bounded (MAX_ENTRIES peers,
 * MAX_FILE_BYTES), peers that have not worked for MAX_AGE or failed MAX_FAILURES dials in a row
 * lose their place, each record's signature is checked on load, and it is written atomically
 * at most every WRITE_INTERVAL and at stop. A file that is not a peer cache is reported once and
 * replaced; a poisoned one costs a few bounded dials and stops nothing.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, peerCache: peerCache({ file: join(home, 'peers.json'), warn: console.error }) } })
 * node.services.peerCache.size()
 * ```
 */
import { PeerCache } from './peer-cache.js'
import type { ComponentLogger, Libp2pEvents, PeerId, PeerStore, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

export { PeerCache } from './peer-cache.js'
export { PEER_CACHE_FILE } from './constants.js'
export { PeerCacheFileError } from './errors.js'

export interface PeerCacheInit {
  /** The cache file (PEER_CACHE_FILE in the home). */
  readonly file: string
  /** Where a damaged file is reported to the user (one line); the debug log otherwise. */
  readonly warn?: (line: string) => void
  /** Keep loopback and link-local addresses (a network on one machine). */
  readonly privateNetwork?: boolean
  /** Time source (tests). */
  readonly now?: () => number
  /** Each dial's limit, ms; default DIAL_TIMEOUT. */
  readonly dialTimeout?: number
  /** The first wait before dialling the cached peers again while none answered and nothing is connected, ms; default RETRY_FIRST. */
  readonly retryFirst?: number
  /** How often a changed cache is written, ms; default WRITE_INTERVAL. */
  readonly writeInterval?: number
}

export interface PeerCacheComponents {
  readonly logger: ComponentLogger
  readonly peerId: PeerId
  readonly peerStore: PeerStore
  readonly connectionManager: ConnectionManager
  readonly events: TypedEventTarget<Libp2pEvents>
}

/** The peer cache as a libp2p service: add `peerCache: peerCache({ file })`. */
export function peerCache (init: PeerCacheInit): (components: PeerCacheComponents) => PeerCache {
  return (components) => new PeerCache(components, init)
}
