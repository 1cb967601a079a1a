// Real nodes on 127.0.0.1 for the relay choice tests: relays (a bootstrap relay's libp2p
// configuration: a circuit relay server and a DHT server), clients that fill a relay's
// reservations, and a player that listens only on relay slots.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { MemoryDatastore } from 'datastore-core'
import { libp2pDefaults, type NodeInit, type P2pgoServices } from '../../../src/net/libp2p-defaults.js'
import { relayOf } from '../../../src/net/address-order.js'
import { createClient } from '../../helpers/relay-clients.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { RelayLoadReport } from '../../../src/net/relay-choice/index.js'
import type { Connection, ConnectionGater, PeerId } from '@libp2p/interface'

export type RelayNode = Libp2p<P2pgoServices & { relay: CircuitRelayService }>

/** A relay as a bootstrap relay runs it: hop always served, at most `maxReservations` reservations held. */
export async function relayNode (maxReservations = 64): Promise<RelayNode> {
  const config = libp2pDefaults({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true, dhtClientMode: false, connectionMonitor: false, relayServer: { maxReservations } })
  return await createLibp2p(config) as RelayNode
}

/** The relay's first address, ending in /p2p/ID. */
export function addressOf (node: Libp2p): string {
  return node.getMultiaddrs()[0].toString()
}

/** `n` plain clients each holding a reservation on `relay` (real load: the relay's own reservation count grows by n). */
export async function fill (relay: RelayNode, n: number, started: Libp2p[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const client = await createClient(started, [`${addressOf(relay)}/p2p-circuit`])
    await client.start()
  }
}

/** Peers in a gater's block list cannot be dialled (nor dial in): a relay "not up yet" without a port race. */
export function blockingGater (blocked: Set<string>): ConnectionGater {
  return {
    denyDialPeer: async (peer: PeerId) => blocked.has(peer.toString()),
    denyInboundEncryptedConnection: async (peer: PeerId) => blocked.has(peer.toString())
  }
}

/** A player listening on two relay slots and nothing else (no direct address: nobody can upgrade past the relay). */
export async function playerNode<S extends Record<string, unknown>> (init: Partial<NodeInit>, extra: ServiceFactoryMap<S> = {} as ServiceFactoryMap<S>): Promise<Libp2p<P2pgoServices & S>> {
  const config = libp2pDefaults({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), listen: ['/p2p-circuit', '/p2p-circuit'], privateNetwork: true, connectionMonitor: false, ...init })
  return await createLibp2p({ ...config, services: { ...(config.services as ServiceFactoryMap<P2pgoServices>), ...extra } }) as unknown as Libp2p<P2pgoServices & S>
}

/** The relays whose circuit addresses a node announces (those holding its reservations), sorted. */
export function relaysOf (node: Libp2p): string[] {
  return [...new Set(node.getMultiaddrs().map(relayOf).filter(r => r != null))].sort()
}

/**
 * A load report read from the relays' own servers (no load protocol here): the reservations each
 * really holds now, out of `max`. `lie` names relays that report themselves empty whatever they hold.
 */
export function loadFrom (relays: readonly RelayNode[], max: number, lie: readonly RelayNode[] = []): (connection: Connection) => Promise<RelayLoadReport> {
  return async (connection) => {
    const relay = relays.find(r => r.peerId.equals(connection.remotePeer))
    if (relay == null) throw new Error(`no load report from ${connection.remotePeer.toString()}`)
    const reservations = lie.includes(relay) ? 0 : relay.services.relay.reservations.size
    return { reservations, maxReservations: max, circuits: 0, refused: 0 }
  }
}
