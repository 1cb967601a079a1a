import { second } from '../../units.js'

/** Where the rating service keeps its state in the node's datastore. */
export const RATING_PREFIX = '/p2pgo/rating'
/** How long one DHT put or get may take before it is given up. */
export const DHT_TIMEOUT = 30 * second
/** Cited results fetched at once during an audit. */
export const AUDIT_CONCURRENCY = 4
/** How long stopping waits for a publish in flight before cutting it off: a put takes well under a second on a healthy network (bench). */
export const STOP_GRACE_MS = 5 * second
/** A publish that reached no DHT peer is tried again after this, doubling up to MAX_PUBLISH_RETRY_MS. */
export const PUBLISH_RETRY_MS = 30 * second
export const MAX_PUBLISH_RETRY_MS = 30 * 60 * second
/** A record received for others is kept this long (kad-dht's PROVIDERS_VALIDITY, which its GET handler enforces): the store may drop it after. */
export const RECORD_KEEP = 48 * 60 * 60 * second
/** Where kad-dht keeps the records it stores: its datastore prefix (`/dht`, p2pgo keeps the default) and `/record`. */
export const DHT_RECORD_PREFIX = '/dht/record'
