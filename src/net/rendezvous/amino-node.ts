// The rendezvous's own small libp2p node: the game node's identity, Amino's DHT protocol as a
// client, and nothing else. Amino's peers and traffic stay in here, away from the game node's
// peer store, routing tables and connection limits (README, "How a new node finds the network").
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { LOOPBACK_ALLOW, PING_MAX_OUTBOUND_STREAMS } from '../constants.js'
import { AMINO_MAX_CONNECTIONS, AMINO_PROTOCOL } from './constants.js'
import type { PrivateKey } from '@libp2p/interface'

export type AminoNode = Libp2p<{ identify: unknown, ping: unknown, dht: KadDHT }>

export interface AminoNodeInit {
  /** The game node's key: provider records name the game node's peer ID. */
  readonly privateKey: PrivateKey
  /**
   * The addresses the node announces, read each time they are needed: the game node's dialable
   * ones. kad-dht's ADD_PROVIDER carries `addressManager.getAddresses()`, which passes them
   * through libp2p's `addresses.announceFilter`; this node listens on nothing of its own.
   */
  readonly addresses: () => readonly string[]
  /** Keep loopback and private addresses (a network on one machine: tests, `--local`). */
  readonly privateNetwork: boolean
}

/** Builds (does not start) the rendezvous node: TCP, Noise, Yamux, identify, ping, kad-dht on /ipfs/kad/1.0.0 in client mode, no listening. */
export async function createAminoNode (init: AminoNodeInit): Promise<AminoNode> {
  return await createLibp2p({
    privateKey: init.privateKey,
    start: false,
    addresses: {
      listen: [],
      announceFilter: (): Multiaddr[] => init.addresses().map(a => multiaddr(a))
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: AMINO_MAX_CONNECTIONS,
      ...(init.privateNetwork ? { allow: [...LOOPBACK_ALLOW] } : {})
    },
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: PING_MAX_OUTBOUND_STREAMS }),
      dht: kadDHT({
        protocol: AMINO_PROTOCOL,
        // A client: it asks and publishes, and serves nobody (no records of others, no inbound streams).
        clientMode: true,
        peerInfoMapper: init.privateNetwork ? passthroughMapper : removePrivateAddressesMapper,
        logPrefix: 'p2pgo:rendezvous:kad-dht',
        metricsPrefix: 'p2pgo_rendezvous_kad_dht'
      })
    }
  }) as AminoNode
}
