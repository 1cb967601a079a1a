import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { autoNATv2 } from '@libp2p/autonat-v2'
import { bootstrap } from '@libp2p/bootstrap'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { gossipsub } from '@libp2p/gossipsub'
import { identify, identifyPush } from '@libp2p/identify'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, removePublicAddressesMapper } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { uPnPNAT } from '@libp2p/upnp-nat'
import { webRTC } from '@libp2p/webrtc'
import { circuitRelayTransportOnHostAddresses } from './adapters/circuit-relay-addresses.js'
import { addressOrderWith } from './address-order.js'
import { gossipMessageId } from './gossip-message-id.js'
import { GOSSIP_MAX_DATA, REPUTATION_SCORE_WEIGHT, RNA_TOPIC, RNA_TOPIC_SCORE } from './rna/constants.js'
import { applyPublicRanges } from './public-ranges.js'
import { withPacedPeerRouting } from './paced-routing.js'
import { BOOTSTRAP_DELAY, DHT_LAN_PROTOCOL, DHT_PROTOCOL, RELAY_MAX_RESERVATIONS, LOOPBACK_ALLOW, PING_MAX_INBOUND_STREAMS, PING_MAX_OUTBOUND_STREAMS } from './constants.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { GossipSub, GossipsubOpts } from '@libp2p/gossipsub'
import type { Identify, IdentifyPush } from '@libp2p/identify'
import type { ConnectionGater, PeerDiscovery, PrivateKey } from '@libp2p/interface'
import type { KadDHT, SelectFn, ValidateFn } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { UPnPNATClient } from '@libp2p/upnp-nat'
import type { Datastore } from 'interface-datastore'
import type { Libp2pOptions } from 'libp2p'

/** The services every p2pgo node runs; `lanDht`, `relay` and `upnp` only where configured. */
export type P2pgoServices = {
  identify: Identify
  /** Tells connected peers at once when this node's addresses change (a UPnP mapping mid-game: the opponent moves the game to it). */
  identifyPush: IdentifyPush
  ping: Ping
  dht: KadDHT
  /** The LAN DHT (src/net/dht/dual-dht.ts); absent on a private network only (`--local`), where `dht` keeps every address. */
  lanDht?: KadDHT
  pubsub: GossipSub
  autoNAT: unknown
  relay?: CircuitRelayService
  upnp?: unknown
}

/** The circuit relay server's own limits (the bootstrap relay makes them configurable; per-IP and per-peer caps are its connection gater's). */
export interface RelayServerLimits {
  readonly maxReservations?: number
  readonly durationLimitMs?: number
  readonly dataLimitBytes?: bigint
  readonly reservationTtlMs?: number
  readonly hopTimeoutMs?: number
  /** HOP streams one connection may have open at once (libp2p's default: 32); each may buffer up to 4 MiB until the hop timeout. */
  readonly maxInboundHopStreams?: number
  /** Circuits the relay carries at once (the bootstrap relay's quota enforces it); reported in its load report. */
  readonly maxCircuits?: number
}

/** What differs between the client, a bot and the bootstrap relay. */
export interface NodeInit {
  readonly privateKey: PrivateKey
  /** Shared with p2pgo's own data; in memory when absent (tests). */
  readonly datastore?: Datastore
  readonly listen: readonly string[]
  readonly announce?: readonly string[]
  /** Bootstrap peers (multiaddrs ending in /p2p/ID). */
  readonly bootstrap?: readonly string[]
  /** Multicast DNS on the local network. Tests must leave it off: it multicasts off the machine. */
  readonly mdns?: boolean
  /** UPnP port mapping; `gateways` pins the gateway's description URL (the NAT lab does). Tests leave it off. */
  readonly upnp?: false | { readonly gateways?: readonly string[], readonly portMappingClient?: UPnPNATClient }
  /** Offer circuit relay v2 service to others. */
  readonly relayServer?: false | RelayServerLimits
  /** STUN servers for WebRTC hole punching ('stun:host:port'); never third-party defaults. */
  readonly stun?: readonly string[]
  /** DHT client only (no records stored for others), or a server; unset, decided by reachability. */
  readonly dhtClientMode?: boolean
  /** Keep private and loopback addresses (a LAN or tests on 127.0.0.1); public internet nodes drop them. */
  readonly privateNetwork?: boolean
  /**
   * libp2p's connection monitor (a ping on every connection every 10 s, closing those that do not
   * answer). On by default; many nodes sharing one thread (tests, benchmarks) turn it off.
   */
  readonly connectionMonitor?: boolean
  /** Which peers may connect (tests wire exact topologies with it); libp2p's default gater when unset. */
  readonly connectionGater?: ConnectionGater
  /** Gossipsub options over p2pgo's (benchmarks: a metrics register, a flooding mesh). */
  readonly gossip?: Partial<GossipsubOpts>
  /** libp2p's connection limit (inbound connections past it are refused); libp2p's default (300) when unset. */
  readonly maxConnections?: number
  /** How far this node trusts a peer (its reputation), 0 to 1, 0.5 for a stranger: orders relays when dialling through one. */
  readonly trust?: (peer: string) => number
  /** A peer's application-specific gossipsub score (reputation), from −1 to +1; 0 when unset. */
  readonly appSpecificScore?: (peer: string) => number
  /** Validators and selectors of p2pgo's DHT record namespaces (rating records, co-signed results). */
  readonly dhtRecords?: { readonly validators: Record<string, ValidateFn>, readonly selectors: Record<string, SelectFn> }
}

/**
 * A fresh libp2p configuration for a p2pgo node: TCP, Noise, Yamux, identify, ping, p2pgo's own
 * Kademlia DHT, gossipsub with signed messages, AutoNAT v2, the circuit relay transport,
 * WebRTC, UPnP, and discovery in the order local network (mDNS), bootstrap peers, then the DHT.
 * Each caller adjusts what it needs: the client, bots and the bootstrap relay start from here.
 */
export function libp2pDefaults (init: NodeInit): Libp2pOptions<P2pgoServices> {
  // A testbed may declare its documentation ranges public (P2PGO_PUBLIC_RANGES); unset, a no-op.
  applyPublicRanges()
  const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
  if (init.mdns === true) peerDiscovery.push(mdns())
  if (init.bootstrap != null && init.bootstrap.length > 0) peerDiscovery.push(bootstrap({ list: [...init.bootstrap], timeout: BOOTSTRAP_DELAY }))
  const records = init.dhtRecords != null ? { validators: init.dhtRecords.validators, selectors: init.dhtRecords.selectors } : {}
  const services: Libp2pOptions<P2pgoServices>['services'] = {
    identify: identify(),
    // A player in a game has left the lobby, so its presence no longer carries new addresses to the
    // opponent: libp2p's identify push does, over the relayed connection too.
    identifyPush: identifyPush(),
    ping: ping({ maxInboundStreams: PING_MAX_INBOUND_STREAMS, maxOutboundStreams: PING_MAX_OUTBOUND_STREAMS }),
    // The WAN DHT: peers by their public addresses (all of them on a private network: `--local`).
    dht: withPacedPeerRouting(kadDHT({
      protocol: DHT_PROTOCOL,
      // Unset, kad-dht decides by itself: a server once the node has a confirmed public address, a client
      // behind NAT (where nobody could reach its DHT service). On a private network every node serves.
      ...(init.dhtClientMode != null ? { clientMode: init.dhtClientMode } : init.privateNetwork === true ? { clientMode: false } : {}),
      peerInfoMapper: init.privateNetwork === true ? passthroughMapper : removePrivateAddressesMapper,
      ...records
    })),
    pubsub: gossipsub({
      // Every lobby and training-data message is signed by its origin and checked on receipt.
      globalSignaturePolicy: 'StrictSign',
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      // RNA validation replays whole games: it runs off gossipsub's path, which forwards a message
      // only once told it is valid (the lobby tells at once, its checks are synchronous).
      asyncValidation: true,
      // An RNA's message ID is its content ID (the same game published by both players is one
      // message), and so is a watched game's act (published by both seeds).
      msgIdFn: gossipMessageId,
      maxInboundDataLength: GOSSIP_MAX_DATA,
      scoreParams: {
        topics: { [RNA_TOPIC]: { ...RNA_TOPIC_SCORE } },
        appSpecificScore: peer => init.appSpecificScore?.(peer) ?? 0,
        appSpecificWeight: REPUTATION_SCORE_WEIGHT,
        // On one machine or a LAN every peer shares an address: colocation is not a Sybil sign there.
        ...(init.privateNetwork === true ? { IPColocationFactorWeight: 0 } : {})
      },
      ...init.gossip
    }),
    autoNAT: autoNATv2(),
    // No @libp2p/dcutr: from Node it cannot punch TCP between two NATed peers (Node dials from an
    // ephemeral port), p2pgo's own bounded upgrade makes the one-sided upgrade it can make (the
    // NATed side dials the reachable one), and in the NAT lab it broke symmetric-NAT games: it
    // dials the peer's WebRTC address from both sides at once and, when ICE reports a path that
    // then carries nothing, closes the relayed connection the game was on (README, known limits).
  }
  if (init.privateNetwork !== true) {
    // The LAN DHT, as kubo runs one: peers by their private addresses, every node a server (on a
    // LAN everyone can reach everyone). A club with no internet rates and matches through it.
    services.lanDht = withPacedPeerRouting(kadDHT({
      protocol: DHT_LAN_PROTOCOL,
      clientMode: false,
      peerInfoMapper: removePublicAddressesMapper,
      logPrefix: 'libp2p:kad-dht:lan',
      metricsPrefix: 'libp2p_kad_dht_lan',
      ...records
    }))
  }
  if (init.relayServer != null && init.relayServer !== false) {
    const r = init.relayServer
    services.relay = circuitRelayServer({
      ...(r.hopTimeoutMs != null ? { hopTimeout: r.hopTimeoutMs } : {}),
      ...(r.maxInboundHopStreams != null ? { maxInboundHopStreams: r.maxInboundHopStreams } : {}),
      reservations: {
        ...(r.reservationTtlMs != null ? { reservationTtl: r.reservationTtlMs } : {}),
        maxReservations: r.maxReservations ?? RELAY_MAX_RESERVATIONS,
        // The library's defaults (2 minutes, 128 KiB: DEFAULT_DURATION_LIMIT and DEFAULT_DATA_LIMIT in
        // @libp2p/circuit-relay-v2/dist/src/constants.js) would cut a game off.
        defaultDurationLimit: r.durationLimitMs ?? 6 * 60 * 60 * 1000,
        defaultDataLimit: r.dataLimitBytes ?? BigInt(64 * 1024 * 1024)
      }
    })
  }
  if (init.upnp != null && init.upnp !== false) {
    services.upnp = uPnPNAT({
      ...(init.upnp.gateways != null ? { gateways: [...init.upnp.gateways] } : {}),
      ...(init.upnp.portMappingClient != null ? { portMappingClient: init.upnp.portMappingClient } : {}),
      portMappingDescription: 'p2pgo',
      // The router's own word that it forwards the port, on a public external address (upnp-nat
      // refuses a private one: double NAT), is the confirmation. AutoNAT v2 checks addresses only
      // when it meets a new peer, and the mapping appears seconds after the bootstrap connection.
      autoConfirmAddress: true
    })
  }
  return {
    privateKey: init.privateKey,
    ...(init.datastore != null ? { datastore: init.datastore } : {}),
    addresses: {
      listen: [...init.listen],
      ...(init.announce != null && init.announce.length > 0 ? { announce: [...init.announce] } : {})
    },
    transports: [
      tcp(),
      webRTC({ rtcConfiguration: { iceServers: (init.stun ?? []).map(urls => ({ urls })) } }),
      // A reservation taken over a WebRTC connection must not bring the node down (adapters/circuit-relay-addresses.ts).
      circuitRelayTransportOnHostAddresses()
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    ...(init.connectionMonitor === false ? { connectionMonitor: { enabled: false } } : {}),
    ...(init.connectionGater != null ? { connectionGater: init.connectionGater } : {}),
    connectionManager: {
      addressSorter: addressOrderWith(init.trust),
      ...(init.maxConnections != null ? { maxConnections: init.maxConnections } : {}),
      ...(init.privateNetwork === true ? { allow: [...LOOPBACK_ALLOW] } : {})
    },
    services
  }
}
