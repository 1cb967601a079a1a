// The one wait for a first DHT peer, shared by every query that asks the DHT: the rating lookup
// (in the terminal client, over the control socket, or in a one-shot command's own node) and a
// one-shot command joining the network. kad-dht itself would wait for peers until its signal
// ends, so a query with nobody to ask could only say "aborted".
import type { P2pgoNode } from '../net/node.js'
import type { NetworkFacts } from './query-text.js'

/**
 * The network facts once the DHT knows a peer (and, with `connectionFirst`, once a peer is
 * connected: a routing table kept in the home may list peers that are gone), or after `ms`; at
 * once when nothing could bring one (no connection, no bootstrap peer, no LAN search). Identify
 * runs on a new connection before the DHT adds the peer, so a connection alone is not enough.
 */
export async function dhtPeersSoon (node: P2pgoNode, options: { ms: number, signal?: AbortSignal, connectionFirst?: boolean }): Promise<NetworkFacts> {
  const deadline = Date.now() + options.ms
  const waiting = (f: NetworkFacts): boolean =>
    (f.dhtPeers === 0 || (options.connectionFirst === true && f.connections === 0)) && (f.connections > 0 || f.bootstrap > 0 || f.mdns)
  let facts = node.networkFacts()
  while (waiting(facts) && Date.now() < deadline && options.signal?.aborted !== true) {
    await new Promise(resolve => setTimeout(resolve, 100))
    facts = node.networkFacts()
  }
  return facts
}
