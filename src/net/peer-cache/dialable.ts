// Which of a peer's addresses a stranger could dial later: the only ones worth a place in the
// cache. No network here, only multiaddr inspection.
import { isLinkLocal, isLoopback } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The addresses worth dialling from the cache: public and LAN addresses, DNS names and circuit
 * addresses (through a relay that is itself dialable); loopback and link-local ones only on a
 * private network (tests, one machine), where they are all there is.
 */
export function dialableAddresses (addresses: readonly Multiaddr[], privateNetwork: boolean): Multiaddr[] {
  if (privateNetwork) return [...addresses]
  // A circuit address starts with its relay's address, so these look at the relay's host.
  return addresses.filter(a => !isLoopback(a) && !isLinkLocal(a))
}

/** The address with the peer's ID at its end, as a dial to a known peer needs it. */
export function withPeer (address: Multiaddr, peer: string): Multiaddr {
  return address.getComponents().at(-1)?.name === 'p2p' ? address : address.encapsulate(`/p2p/${peer}`)
}
