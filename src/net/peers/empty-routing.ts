// Finding a peer's addresses when the DHT knows nobody to ask. libp2p dials a peer it has no
// address for by asking peer routing (kad-dht's findPeer), and kad-dht's queries wait for peers
// to join instead of failing: a challenge to a peer ID with no known address on a node whose
// routing table is empty waited until the caller's own limit (a minute and more) for an answer
// that could never come. Refused at once instead, the dial ends with NoValidAddressesError and
// the user is told why (queries/query-text.ts). With peers in the table, nothing changes.
import { NotFoundError, peerRoutingSymbol } from '@libp2p/interface'
import type { AbortOptions, PeerId, PeerInfo, PeerRouting } from '@libp2p/interface'

/** A DHT's routing table as kad-dht keeps it (off its published interface). */
interface WithRoutingTable {
  readonly routingTable?: { readonly size: number }
}

/** Peers in a DHT service's routing table; 0 when it has none (or is no DHT). */
export function routingTableSize (dht: unknown): number {
  return (dht as WithRoutingTable | undefined)?.routingTable?.size ?? 0
}

/** Peer routing whose `findPeer` fails at once while `size()` is 0; `getClosestPeers` passes straight through. */
export function refuseWhenEmpty (routing: PeerRouting, size: () => number): PeerRouting {
  return {
    findPeer: async (peer: PeerId, options?: AbortOptions): Promise<PeerInfo> => {
      if (size() === 0) throw new NotFoundError(`no DHT peers to ask where ${peer.toString()} is`)
      return routing.findPeer(peer, options)
    },
    getClosestPeers: (key: Uint8Array, options?: AbortOptions) => routing.getClosestPeers(key, options)
  }
}

/** Wraps a DHT service factory so that the peer routing it gives libp2p refuses at once while its routing table is empty. */
export function withEmptyRoutingRefused<T extends object> (factory: (components: any) => T): (components: any) => T {
  return components => {
    const service = factory(components)
    const routing = (service as { [peerRoutingSymbol]?: PeerRouting })[peerRoutingSymbol]
    if (routing == null) return service
    const guarded = refuseWhenEmpty(routing, () => routingTableSize(service))
    Object.defineProperty(service, peerRoutingSymbol, { get: () => guarded, configurable: true })
    return service
  }
}
