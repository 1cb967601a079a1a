// The one place p2pgo reaches into @libp2p/circuit-relay-v2's (4.2.13) relay server: its hop
// handler, so a node can add and remove the hop protocol itself (relayServer "auto",
// src/net/relay-switch/). The server binds `onHop` in its constructor and registers exactly it
// for '/libp2p/circuit/relay/0.2.0/hop' (node_modules/@libp2p/circuit-relay-v2/dist/src/server/index.js);
// it is public on the class but not in `CircuitRelayService`. test/net/adapters/circuit-relay-hop.test.ts
// fails, naming the version, when an upgrade renames or unbinds it.
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Connection, Stream } from '@libp2p/interface'

/** What the relay server does with an inbound hop stream. */
export type HopHandler = (stream: Stream, connection: Connection) => Promise<void>

/** The relay server's own hop handler (bound to the server), or a clear error when this circuit-relay-v2 has none. */
export function relayHopHandler (relay: CircuitRelayService): HopHandler {
  const onHop = (relay as unknown as { onHop?: HopHandler }).onHop
  if (typeof onHop !== 'function') throw new Error('this @libp2p/circuit-relay-v2 has no hop handler (server.onHop) to gate: p2pgo needs @libp2p/circuit-relay-v2 4.2')
  return onHop
}
