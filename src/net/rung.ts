/** The rungs of the connectivity ladder, from best to last resort. */
export type Rung = 'direct' | 'upnp' | 'hole-punched' | 'relayed'

/** What a connection shows about how it travels (libp2p's Connection, reduced to plain values). */
export interface ConnectionShape {
  /** Relayed connections carry limits; direct ones have none. */
  readonly limited: boolean
  readonly remoteAddr: string
  readonly multiplexer?: string
  /** Another, relayed connection to the same peer was open when this one opened: a DCUtR upgrade. */
  readonly upgradedFromRelay?: boolean
  /** The connection reached us through a port this node mapped on its router by UPnP. */
  readonly viaUpnp?: boolean
}

/** The parts of a libp2p Connection the rung depends on (structural: this file stays libp2p-free). */
export interface ConnectionLike {
  readonly limits?: unknown
  readonly remoteAddr: { toString: () => string }
  readonly multiplexer?: string
}

/** The rung of `connection`, given the other connections open to the same peer. */
export function rungOfConnection (connection: ConnectionLike, others: readonly ConnectionLike[]): Rung {
  return rungOf({
    limited: connection.limits != null,
    remoteAddr: connection.remoteAddr.toString(),
    ...(connection.multiplexer != null ? { multiplexer: connection.multiplexer } : {}),
    upgradedFromRelay: connection.limits == null && others.some(o => o !== connection && o.limits != null)
  })
}

/**
 * Which rung a connection is on. Pure: the ladder, the event stream and `p2pgo peers` all use it.
 * A WebRTC connection (ICE through both NATs) or a direct one that replaced a relayed one is
 * hole-punched; anything with relay limits or a circuit address is relayed.
 */
export function rungOf (c: ConnectionShape): Rung {
  if (c.limited || c.remoteAddr.includes('/p2p-circuit')) return 'relayed'
  if (c.multiplexer === '/webrtc' || /\/webrtc(\/|$)/.test(c.remoteAddr) || c.upgradedFromRelay === true) return 'hole-punched'
  if (c.viaUpnp === true) return 'upnp'
  return 'direct'
}

/** Better rungs first: a game moves up this list whenever it can. */
export const RUNG_ORDER: readonly Rung[] = ['direct', 'upnp', 'hole-punched', 'relayed']

/** True when `a` is a better path than `b`. */
export function betterRung (a: Rung, b: Rung): boolean {
  return RUNG_ORDER.indexOf(a) < RUNG_ORDER.indexOf(b)
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
