// The order in which libp2p tries a peer's addresses: libp2p's own (direct before relayed, public
// before private, loopback last, certified first, TCP first), with one change: a plain circuit
// address before a WebRTC one. The first contact goes through the relay at once ("the relay is a
// matchmaker"), and the hole punch is tried afterwards, bounded and proven by the game, rather
// than inside a first dial that a half-working ICE path can stall. Among circuit addresses
// through different relays, the relay this node trusts more (its discovery reputation) first.
import { circuitRelayAddressesLast, loopbackAddressLast, publicAddressesFirst, reliableTransportsFirst } from '@libp2p/utils'
import type { Address, AddressSorter } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const isWebRTC = (ma: Multiaddr): boolean => ma.toString().includes('/webrtc')

function webRTCLast (a: Multiaddr, b: Multiaddr): -1 | 0 | 1 {
  const wa = isWebRTC(a)
  const wb = isWebRTC(b)
  return wa === wb ? 0 : wa ? 1 : -1
}

function certifiedFirst (a: Address, b: Address): -1 | 0 | 1 {
  return a.isCertified === b.isCertified ? 0 : a.isCertified ? -1 : 1
}

/** The relay's peer ID in a circuit address (the last `/p2p/` before `/p2p-circuit`), if any. */
export function relayOf (ma: Multiaddr): string | undefined {
  const components = ma.getComponents()
  const circuit = components.findIndex(c => c.name === 'p2p-circuit')
  if (circuit < 0) return undefined
  return components.slice(0, circuit).reverse().find(c => c.name === 'p2p')?.value
}

/** Two circuit addresses through different relays: the more trusted relay first. */
function trustedRelayFirst (trust: (peer: string) => number): (a: Multiaddr, b: Multiaddr) => -1 | 0 | 1 {
  return (a, b) => {
    const ra = relayOf(a)
    const rb = relayOf(b)
    if (ra == null || rb == null || ra === rb) return 0
    const d = trust(rb) - trust(ra)
    return d > 0 ? 1 : d < 0 ? -1 : 0
  }
}

/**
 * An `AddressSorter` for the connection manager; `trust` (0 to 1, 0.5 for a stranger: the
 * node's reputation of a peer) orders circuit addresses by their relay.
 */
export function addressOrderWith (trust?: (peer: string) => number): AddressSorter {
  const byRelay = trust != null ? trustedRelayFirst(trust) : () => 0 as const
  return (a, b) =>
    // WebRTC first of all the rules: libp2p's circuitRelayAddressesLast does not count a
    // `/p2p-circuit/webrtc` address as a circuit, and would put it before the plain circuit.
    loopbackAddressLast(a.multiaddr, b.multiaddr) ||
    webRTCLast(a.multiaddr, b.multiaddr) ||
    publicAddressesFirst(a.multiaddr, b.multiaddr) ||
    circuitRelayAddressesLast(a.multiaddr, b.multiaddr) ||
    byRelay(a.multiaddr, b.multiaddr) ||
    certifiedFirst(a, b) ||
    reliableTransportsFirst(a.multiaddr, b.multiaddr)
}

/** The order without reputation. */
export const addressOrder: AddressSorter = addressOrderWith()
