/**
 * @packageDocumentation
 *
 * The rendezvous: how a node with no bootstrap peer that answers finds the p2pgo network with no
 * server of this project. p2pgo nodes that others can dial (bootstrap relays; players with a
 * public or UPnP-mapped address) publish provider records in the public IPFS DHT (Amino,
 * /ipfs/kad/1.0.0) under one well-known key, `rendezvousKey()`; a node alone looks them up and
 * dials what it found, then joins p2pgo's own DHT and lobby through them. Amino is spoken by a
 * small libp2p node of its own inside the process (amino-node.ts), with the game node's identity
 * and addresses, so Amino's peers never enter the game node's peer store, routing or connection
 * limits. protocols/rendezvous.md says what is published and when.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...services, rendezvous: rendezvous({ peers: DEFAULT_RENDEZVOUS, provide: 'when-reachable', bootstrap: 0 }) } })
 * node.services.rendezvous.state() // { ok, found, providing, peers }
 * ```
 */
import { Rendezvous } from './rendezvous.js'
import type { ProvideMode } from './addresses.js'
import type { Reach } from '../rung.js'
import type { ComponentLogger, Libp2pEvents, PeerId, PeerStore, PrivateKey, TypedEventTarget } from '@libp2p/interface'
import type { AddressManager, ConnectionManager } from '@libp2p/interface-internal'

export { Rendezvous } from './rendezvous.js'
export { rendezvousKey } from './key.js'
export { AMINO_PROTOCOL, DEFAULT_RENDEZVOUS, KEY_PREFIX, NETWORK_NAME } from './constants.js'
export { dialAddresses, isDialable, publishable, shouldProvide, speaksP2pgo, type ProvideMode } from './addresses.js'

export interface RendezvousInit {
  /** Amino-protocol peers to reach the DHT through (multiaddrs ending in /p2p/ID). */
  readonly peers: readonly string[]
  /** 'always' for a bootstrap relay; 'when-reachable' for a player. */
  readonly provide: ProvideMode
  /** How this node is reached now (the lobby's ownReach); a player provides only when 'public' or 'upnp'. */
  readonly reach?: () => Reach | undefined
  /** Bootstrap peers configured: with none, the first lookup runs at once; otherwise after LOOKUP_GRACE if none answered. */
  readonly bootstrap: number
  /** The network's name in the key; default NETWORK_NAME. */
  readonly network?: string
  /** Keep loopback and private addresses, published and dialled (tests, `--local` with an explicit list). */
  readonly privateNetwork?: boolean
  /** Time source (tests). */
  readonly now?: () => number
}

export interface RendezvousComponents {
  readonly logger: ComponentLogger
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly peerStore: PeerStore
  readonly connectionManager: ConnectionManager
  readonly addressManager: AddressManager
  readonly events: TypedEventTarget<Libp2pEvents>
}

/** The rendezvous as `p2pgo doctor` reports it. */
export interface RendezvousState {
  /** An Amino peer was reached (connected now, or in the Amino routing table). */
  readonly ok: boolean
  /** p2pgo providers the last lookup returned, this node excluded. */
  readonly found: number
  /** This node's provider record is published. */
  readonly providing: boolean
  /** Amino peers connected now. */
  readonly peers: number
  /** The last failure, in words. */
  readonly error?: string
}

/** The rendezvous as a libp2p service: add `rendezvous: rendezvous({ peers, provide, bootstrap })`. */
export function rendezvous (init: RendezvousInit): (components: RendezvousComponents) => Rendezvous {
  return (components) => new Rendezvous(components, init)
}
