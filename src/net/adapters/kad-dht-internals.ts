// One of the two places p2pgo reaches past @libp2p/kad-dht's (16.4.5) published `KadDHT` interface (the
// other is its PUT_VALUE handler, src/net/adapters/kad-dht-store.ts): the
// reputation-weighted lookup (src/net/rating/weighted-lookup.ts) asks single peers itself, and
// after stopping early sends the corrections kad-dht sends only at the end of its own walk; its
// first round asks the peers closest to the key in kad-dht's routing table.
// test/net/adapters/kad-dht-internals.test.ts fails, naming the version, when an upgrade drops it.
import { MessageType, Record as DhtRecord } from '@libp2p/kad-dht'
import { equals } from 'multiformats/bytes'
import { sha256 } from 'multiformats/hashes/sha2'
import type { KadDHT, QueryEvent } from '@libp2p/kad-dht'
import type { AbortOptions, PeerId } from '@libp2p/interface'

/** Where a one-peer query stands in its walk (kad-dht's `path` option, which its own walks pass). */
export interface QueryPath { readonly index: number, readonly queued: number, readonly running: number, readonly total: number }

/**
 * kad-dht's one-peer GET_VALUE (node_modules/@libp2p/kad-dht/dist/src/peer-routing/index.d.ts,
 * `PeerRouting.getValueOrPeers`): its implementation has it (every walk uses it) but `KadDHT` does not list it.
 */
export type OnePeerGet = (peer: PeerId, key: Uint8Array, options: AbortOptions & { path: QueryPath }) => AsyncIterable<QueryEvent>

/** The DHT's one-peer GET_VALUE, or a clear error when this kad-dht has none. */
export function onePeerGet (dht: KadDHT): OnePeerGet {
  const routing = (dht as unknown as { peerRouting?: { getValueOrPeers?: OnePeerGet } }).peerRouting
  const get = routing?.getValueOrPeers
  if (typeof get !== 'function') throw new Error('this kad-dht has no peerRouting.getValueOrPeers(): p2pgo needs @libp2p/kad-dht 16')
  return get.bind(routing)
}

/** Sends one peer a record to store (a PUT_VALUE, as kad-dht's correction does); whether it took it. */
export type OnePeerPut = (peer: PeerId, key: Uint8Array, value: Uint8Array, options: AbortOptions) => Promise<boolean>

interface DhtNetwork { sendRequest: (peer: PeerId, message: { type: MessageType, key: Uint8Array, record: Uint8Array }, options: AbortOptions & { path: QueryPath }) => AsyncIterable<QueryEvent> }

/**
 * kad-dht's one-peer PUT_VALUE (node_modules/@libp2p/kad-dht/dist/src/network.d.ts,
 * `Network.sendRequest`, which its `sendCorrectionRecord` uses), or a clear error when this kad-dht has none.
 */
export function onePeerPut (dht: KadDHT): OnePeerPut {
  const network = (dht as unknown as { network?: DhtNetwork }).network
  if (typeof network?.sendRequest !== 'function') throw new Error('this kad-dht has no network.sendRequest(): p2pgo needs @libp2p/kad-dht 16')
  return async (peer, key, value, options) => {
    const record = new DhtRecord(key, value, new Date()).serialize()
    const path = { index: -1, queued: 0, running: 0, total: 0 }
    for await (const event of network.sendRequest(peer, { type: MessageType.PUT_VALUE, key, record }, { ...options, path })) {
      if (event.name === 'QUERY_ERROR') throw event.error
      if (event.name === 'PEER_RESPONSE') return event.record != null && equals(event.record.value, value)
    }
    return false
  }
}

/** The peers closest to a key in the DHT's routing table, closest first (kad-dht's own starting peers). */
export type ClosestKnown = (key: Uint8Array, count: number) => Promise<PeerId[]>

/**
 * kad-dht's `routingTable.closestPeers` (node_modules/@libp2p/kad-dht/dist/src/routing-table/index.d.ts),
 * on the key's Kademlia ID (SHA-256 of the key, kad-dht's `convertBuffer`), or a clear error when this kad-dht has none.
 */
export function closestKnown (dht: KadDHT): ClosestKnown {
  const table = (dht as unknown as { routingTable?: { closestPeers?: (kadId: Uint8Array, options: { count: number }) => PeerId[] } }).routingTable
  if (typeof table?.closestPeers !== 'function') throw new Error('this kad-dht has no routingTable.closestPeers(): p2pgo needs @libp2p/kad-dht 16')
  return async (key, count) => table.closestPeers!((await sha256.digest(key)).digest, { count })
}
