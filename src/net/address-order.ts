// The order in which libp2p tries a peer's addresses: libp2p's own (direct before relayed, public
// before private, loopback last, certified first, TCP first), with one change: a plain circuit
// address before a WebRTC one. The first contact goes through the relay at once ("the relay is a
// matchmaker"), and the hole punch is tried afterwards, bounded and proven by the game, rather
// than inside a first dial that a half-working ICE path can stall.
import { circuitRelayAddressesLast, loopbackAddressLast, publicAddressesFirst, reliableTransportsFirst } from '@libp2p/utils'
import type { Address } from '@libp2p/interface'
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

/** An `AddressSorter` for the connection manager. */
export function addressOrder (a: Address, b: Address): -1 | 0 | 1 {
  // WebRTC first of all the rules: libp2p's circuitRelayAddressesLast does not count a
  // `/p2p-circuit/webrtc` address as a circuit, and would put it before the plain circuit.
  return loopbackAddressLast(a.multiaddr, b.multiaddr) ||
    webRTCLast(a.multiaddr, b.multiaddr) ||
    publicAddressesFirst(a.multiaddr, b.multiaddr) ||
    circuitRelayAddressesLast(a.multiaddr, b.multiaddr) ||
    certifiedFirst(a, b) ||
    reliableTransportsFirst(a.multiaddr, b.multiaddr)
}
