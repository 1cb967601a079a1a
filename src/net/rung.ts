/** The rungs of the connectivity ladder, from best to last resort. */
export type Rung = 'direct' | 'upnp' | 'hole-punched' | 'relayed'

/**
 * How a node can be reached from the internet, best first: a confirmed public address of its own,
 * a port mapped on its router by UPnP, or only through circuit relays.
 */
export type Reach = 'public' | 'upnp' | 'relayed'

/** One of a node's own addresses as libp2p's address manager knows it, reduced to plain values. */
export interface AddressShape {
  readonly address: string
  readonly verified: boolean
  /** libp2p's kind: 'transport', 'observed', 'ip-mapping' (UPnP), 'announce', 'dns-mapping'. */
  readonly type: string
  /** The address's IP is a public one (libp2p's isPrivate says no). */
  readonly public: boolean
}

const isCircuit = (address: string): boolean => address.includes('/p2p-circuit')
const reachable = (r: Reach | undefined): boolean => r === 'public' || r === 'upnp'

/** How a node with these addresses can be reached; undefined when it cannot be reached from outside at all. */
export function reachOf (addresses: readonly AddressShape[]): Reach | undefined {
  if (addresses.some(a => a.verified && a.public && a.type === 'ip-mapping')) return 'upnp'
  if (addresses.some(a => a.verified && a.public && !isCircuit(a.address))) return 'public'
  if (addresses.some(a => isCircuit(a.address))) return 'relayed'
  return undefined
}

/** What a connection shows about how it travels (libp2p's Connection, reduced to plain values). */
export interface ConnectionShape {
  /** Relayed connections carry limits; direct ones have none. */
  readonly limited: boolean
  readonly remoteAddr: string
  readonly multiplexer?: string
  readonly direction?: 'inbound' | 'outbound'
  /** Another, relayed connection to the same peer was open when this one opened (an upgrade from the relay). */
  readonly upgradedFromRelay?: boolean
  /** The remote address is a public one (not a LAN, loopback or carrier-grade NAT address). */
  readonly remotePublic?: boolean
  /** How this node is reached: an inbound connection from a public address to a UPnP-mapped node came through the mapping. */
  readonly selfReach?: Reach
  /** How the other peer says it is reached (its lobby presence): dialling a UPnP-mapped peer's public address uses its mapping. */
  readonly peerReach?: Reach
}

/** The parts of a libp2p Connection the rung depends on (structural: this file stays libp2p-free). */
export interface ConnectionLike {
  readonly limits?: unknown
  readonly remoteAddr: { toString: () => string }
  readonly multiplexer?: string
  readonly direction?: 'inbound' | 'outbound'
}

/** What the rung of a connection depends on besides the connection itself. */
export interface RungContext {
  readonly selfReach?: Reach
  readonly peerReach?: Reach
  /** Whether an address is public; without it no connection is called `upnp`. */
  readonly isPublic?: (address: string) => boolean
}

/** The rung of `connection`, given the other connections open to the same peer. */
export function rungOfConnection (connection: ConnectionLike, others: readonly ConnectionLike[], context: RungContext = {}): Rung {
  const remoteAddr = connection.remoteAddr.toString()
  return rungOf({
    limited: connection.limits != null,
    remoteAddr,
    ...(connection.multiplexer != null ? { multiplexer: connection.multiplexer } : {}),
    ...(connection.direction != null ? { direction: connection.direction } : {}),
    upgradedFromRelay: connection.limits == null && others.some(o => o !== connection && o.limits != null),
    remotePublic: context.isPublic?.(remoteAddr) ?? false,
    ...(context.selfReach != null ? { selfReach: context.selfReach } : {}),
    ...(context.peerReach != null ? { peerReach: context.peerReach } : {})
  })
}

/**
 * Which rung a connection is on. Pure: the ladder, the event stream and `p2pgo peers` all use it.
 * A WebRTC connection (ICE through both NATs), or a TCP one that replaced a relayed one between
 * two unreachable peers (a TCP hole punch, as go-libp2p's DCUtR can make), is hole-punched; anything with relay limits or a circuit address is relayed; a direct connection
 * that passes through a UPnP mapping (inbound from the internet to a mapped node, or outbound to
 * a peer that is reached by its mapping) is upnp.
 */
export function rungOf (c: ConnectionShape): Rung {
  // WebRTC first: on the answering side a WebRTC connection's remote address is the circuit
  // address its signalling came through (`.../p2p-circuit/webrtc/...`), yet its data goes direct.
  if (c.multiplexer === '/webrtc') return 'hole-punched'
  if (c.limited || isCircuit(c.remoteAddr)) return 'relayed'
  if (/\/webrtc(\/|$)/.test(c.remoteAddr)) return 'hole-punched'
  // A TCP connection that replaced a relayed one went through both NATs only if neither side is
  // reachable; with a public or mapped side it is an ordinary dial.
  if (c.upgradedFromRelay === true && !reachable(c.selfReach) && !reachable(c.peerReach)) return 'hole-punched'
  if (c.remotePublic === true && ((c.direction === 'inbound' && c.selfReach === 'upnp') || (c.direction === 'outbound' && c.peerReach === 'upnp'))) return 'upnp'
  return 'direct'
}

/** Better rungs first: a game moves up this list whenever it can. */
export const RUNG_ORDER: readonly Rung[] = ['direct', 'upnp', 'hole-punched', 'relayed']

/** True when `a` is a better path than `b`. */
export function betterRung (a: Rung, b: Rung): boolean {
  return RUNG_ORDER.indexOf(a) < RUNG_ORDER.indexOf(b)
}

/**
 * `address` made dialable as `peer`: a circuit address already holds the relay's `/p2p/`, so only
 * an address that ends in the peer's own ID is complete (dialling `<relay>/p2p-circuit/webrtc`
 * as it stands would open WebRTC to the relay itself).
 */
export function addressOfPeer (address: string, peer: string): string {
  return address.endsWith(`/p2p/${peer}`) ? address : `${address}/p2p/${peer}`
}

/**
 * Where to try for a better path to a peer now reached only through a relay, best first:
 * its direct addresses (a public address or a UPnP mapping answers at once), then WebRTC
 * through the relay (ICE hole punching). Pure; the game service dials them in turn.
 */
export function upgradeCandidates (addresses: readonly string[]): string[] {
  const direct = addresses.filter(a => !a.includes('/p2p-circuit') && !a.includes('/webrtc'))
  const webrtc = addresses.filter(a => a.includes('/p2p-circuit/webrtc'))
  return [...direct, ...webrtc]
}
