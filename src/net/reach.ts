// How this node is reached, read from libp2p's address manager (the pure rule is in rung.ts).
import { isPrivate } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { reachOf, type Reach } from './rung.js'
import type { AddressManager } from '@libp2p/interface-internal'

/** True when the address's IP is public: not loopback, LAN, link-local or carrier-grade NAT space. */
export function isPublicAddress (address: string): boolean {
  if (!/^\/(ip4|ip6)\//.test(address) || address.includes('/p2p-circuit')) return false
  try {
    return !isPrivate(multiaddr(address))
  } catch {
    return false
  }
}

/** How this node can be reached now: public, by a UPnP mapping, or only through relays. */
export function selfReach (addressManager: AddressManager): Reach | undefined {
  return reachOf(addressManager.getAddressesWithMetadata().map(a => {
    const address = a.multiaddr.toString()
    return { address, verified: a.verified, type: a.type, public: isPublicAddress(address) }
  }))
}
