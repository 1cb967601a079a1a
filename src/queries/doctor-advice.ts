// `p2pgo doctor`'s judgement: from the facts a node gathered, how it is reached in one word, whether
// it can play with anyone, and one plain sentence per problem. Pure.
import { reachText, type AddressScope } from './reach-text.js'
import type { NatType } from '../net/nat-type/classify.js'
import type { DoubleNatVerdict } from '../net/nat-type/double-nat.js'
import type { Reach } from '../net/rung.js'

/** How others reach this node, as `p2pgo doctor` says it (a public contract: add words, never rename). */
export type DoctorReach = 'public' | 'upnp' | 'hole-punchable' | 'relayed only' | 'local network' | 'unreachable'

/** One relay this node knows: its round trip, its load when it reports it, whether it holds our slot, and how the relay choice ranks it. */
export interface RelayFact {
  readonly peer: string
  readonly rttMs: number | null
  /** Why the ping failed, when it did. */
  readonly pingError?: string
  /** Reservations and circuits the relay reported at the relay choice's last measurement; null when it reports none. */
  readonly reservations: number | null
  readonly circuits: number | null
  /** This node holds a reservation on it (its circuit addresses name it). */
  readonly chosen: boolean
  /** The relay choice's score at its last measurement (src/net/relay-choice/score.ts: lower is better); null when not measured or it did not answer. */
  readonly score?: number | null
  /** Reservations this relay refused this node recently. */
  readonly refusals?: number
  /** The relay choice wants a slot on it (held, or about to move there). */
  readonly preferred?: boolean
}

/** The rendezvous's state, when the node runs one. */
export interface RendezvousFact {
  /** Whether an Amino peer answered (connected, or in the rendezvous DHT's table). */
  readonly ok: boolean
  /** p2pgo peers found through it since start. */
  readonly found: number
  /** Whether this node publishes itself there. */
  readonly providing?: boolean
  /** Amino peers connected now. */
  readonly peers?: number
  /** What went wrong last, when something did. */
  readonly error?: string
}

/** What the node knows of itself and the network, gathered by queries/doctor.ts. */
export interface DoctorFacts {
  /** The lobby's own reach (what the node announces): public, upnp, relayed, or none. */
  readonly reach?: Reach
  /** With reach `relayed`: the first relay's peer ID (as the status line names it). */
  readonly relay?: string
  /** The widest scope of its own addresses (reach-text.ts addressScope). */
  readonly scope: AddressScope
  /** Relay reservations it asks for. */
  readonly relaySlots: number
  /**
   * The NAT type from STUN; null when the node does not probe (a bootstrap relay). `double`: whether
   * another NAT stands beyond the router (its UPnP external address against STUN's), when known.
   */
  readonly nat: { readonly type: NatType, readonly publicAddresses: readonly string[], readonly reason: string, readonly double?: DoubleNatVerdict } | null
  /** STUN servers the node knows. */
  readonly stunServers: number
  readonly upnp: { readonly enabled: boolean, readonly mapped: string | null }
  readonly ipv4: { readonly listening: boolean }
  readonly ipv6: { readonly globalAddress: boolean, readonly listening: boolean }
  readonly relays: readonly RelayFact[]
  readonly dht: { readonly lan: number, readonly wan: number }
  readonly rendezvous: RendezvousFact | null
  readonly peerCache: number | null
  /** Peers connected now. */
  readonly peers: number
  /** Bootstrap peers configured. */
  readonly bootstrap: number
  readonly mdns: boolean
}

const reachable = (r: Reach | undefined): boolean => r === 'public' || r === 'upnp'

/** The double NAT in the doctor's words: the router's own external address, or that it reports none. */
export function doubleNatText (gatewayAddress: string | null): string {
  return gatewayAddress == null || gatewayAddress.trim() === '' || gatewayAddress === '0.0.0.0'
    ? 'the router reports no external address of its own'
    : `the router's own external address is ${gatewayAddress}`
}
const punchable = (t: NatType | undefined): boolean => t === 'none' || t === 'endpoint-independent'

/**
 * The one word for how others reach this node: the lobby's own reach when it has one (a relayed
 * node is hole-punchable when its NAT lets punches through), else where its addresses stand.
 */
export function doctorReach (f: DoctorFacts): DoctorReach {
  if (f.reach === 'public' || f.reach === 'upnp') return f.reach
  if (f.reach === 'relayed') return punchable(f.nat?.type) ? 'hole-punchable' : 'relayed only'
  return f.scope === 'lan' || f.scope === 'loopback' ? 'local network' : 'unreachable'
}

/** The status line's words for the same thing (the wait for AutoNAT, UPnP and relays is over by now). */
export function doctorReachText (f: DoctorFacts): string {
  return reachText(f.reach, f.relay, { scope: f.scope, relaySlots: f.relaySlots, settled: true })
}

/** Whether this node has a path to anyone: peers connected, a relay reservation, or a public or mapped address. */
export function canPlay (f: DoctorFacts): boolean {
  return f.peers > 0 || f.relays.some(r => r.chosen) || reachable(f.reach)
}

/** Whether the facts can still change in the next seconds: the doctor stops waiting once they cannot. */
export function settled (f: DoctorFacts, probed: boolean): boolean {
  if (!probed) return false
  // Nowhere to look for peers: nothing more will come.
  if (f.bootstrap === 0 && !f.mdns) return true
  if (f.peers === 0) return false
  // Connected: wait for the DHT to hold someone, for a reservation if the node asks for one and is
  // not reachable itself, and for a UPnP mapping while UPnP is on (a router maps in seconds; one
  // without UPnP keeps the doctor to its limit; behind a double NAT no mapping can help).
  return f.dht.lan + f.dht.wan > 0 && (f.reach != null || f.relaySlots === 0) && (!f.upnp.enabled || reachable(f.reach) || f.nat?.double?.double === true)
}

/** One plain sentence per problem found, most blocking first; empty when all is well. */
export function adviceOf (f: DoctorFacts): string[] {
  const out: string[] = []
  if (f.peers === 0) {
    out.push(f.bootstrap === 0 && !f.mdns
      ? 'This node has no way to find other players: give a bootstrap relay with --bootstrap MULTIADDR (or in config.json\'s "bootstrap"), or let it look on this network (mDNS, off with --local).'
      : f.bootstrap > 0
        ? 'No peer answered: check that the bootstrap relays in config.json are up and that this machine can reach them.'
        : 'No player answered on this network (mDNS): start another p2pgo here, or give a bootstrap relay with --bootstrap MULTIADDR.')
  } else if (f.dht.lan + f.dht.wan === 0) {
    out.push('No DHT peers yet: ratings and matchmaking have nobody to ask; wait a minute, or add a bootstrap relay.')
  }
  if (f.rendezvous != null && !f.rendezvous.ok && f.peers === 0) out.push('The rendezvous (the public IPFS DHT, which tells a new node where p2pgo peers are) could not be reached: check this machine\'s internet connection, or give a bootstrap relay with --bootstrap MULTIADDR.')
  const nat = f.nat?.type
  const double = f.nat?.double?.double === true
  if (double) out.push(`This node is behind a double NAT (${doubleNatText(f.nat?.double?.gatewayAddress ?? null)}): UPnP mappings cannot make it reachable; ask the provider for a public address or use the relays; hole punching still works when both NATs are endpoint-independent.`)
  if (nat === 'endpoint-dependent') out.push('This node is behind a symmetric NAT: hole punching cannot work, so games with other players behind NAT stay on a relay; turning UPnP on in the router or forwarding a port (--port N) gives a direct path.')
  if (nat === 'udp-blocked') out.push('No STUN server answered over UDP: UDP looks blocked, so hole punching cannot work and games go through relays.')
  if (nat === 'unknown' && f.stunServers < 2) out.push('The NAT type cannot be told with fewer than two STUN servers: list two relays at different addresses in config.json\'s "stun" (or "bootstrap").')
  if (!reachable(f.reach) && f.scope !== 'loopback') {
    if (f.relaySlots === 0) out.push('This node asks no relay for a slot (--no-relay, or a --listen without /p2p-circuit): from behind a NAT nobody can reach it.')
    else if (f.peers > 0 && !f.relays.some(r => r.chosen)) {
      out.push(f.relays.length > 0 && f.relays.every(r => (r.refusals ?? 0) > 0)
        ? 'Every relay this node asked refused it a slot (they are full): players behind NAT cannot reach it; add another bootstrap relay to config.json\'s "bootstrap", or try again later.'
        : 'No relay has given this node a reservation yet: players behind NAT cannot reach it until one does.')
    }
    // Behind a NAT hole punching gets through, a missing mapping costs nothing worth a word.
    if (f.upnp.enabled && f.upnp.mapped == null && !punchable(f.nat?.type) && !double) out.push('The router mapped no port by UPnP: turn UPnP on in its settings, or forward a port to this machine and start with --port N.')
  }
  if (f.relays.length > 0 && f.relays.every(r => r.rttMs == null)) out.push('No relay answered a ping: relayed games may stall; check the relays in config.json.')
  if (f.ipv6.globalAddress && !f.ipv6.listening) out.push('This machine has a global IPv6 address but p2pgo does not listen on IPv6: add /ip6/::/tcp/0 to --listen to be reached over it.')
  return out
}
