// Which addresses the rendezvous publishes and dials: pure rules on strings.
import { isPublicAddress } from '../reach.js'
import { MAX_PUBLISHED_ADDRESSES } from './constants.js'
import type { Reach } from '../rung.js'

const CIRCUIT = '/p2p-circuit'

/**
 * Whether others on the internet could dial `address`: a public IP, a DNS name, or a circuit
 * through a relay that is itself so. On a private network (`--local`, tests) every address is.
 */
export function isDialable (address: string, privateNetwork: boolean): boolean {
  if (privateNetwork) return true
  const direct = address.includes(CIRCUIT) ? address.slice(0, address.indexOf(CIRCUIT)) : address
  if (/^\/(dns|dns4|dns6|dnsaddr)\//.test(direct)) return !/^\/(dns|dns4|dns6|dnsaddr)\/localhost\//.test(direct)
  return isPublicAddress(direct)
}

/** This node's addresses as a provider record carries them: dialable ones only, direct ones first, at most MAX_PUBLISHED_ADDRESSES. */
export function publishable (addresses: readonly string[], privateNetwork: boolean): string[] {
  const kept = [...new Set(addresses)].filter(a => isDialable(a, privateNetwork))
  const direct = kept.filter(a => !a.includes(CIRCUIT))
  const relayed = kept.filter(a => a.includes(CIRCUIT))
  return [...direct, ...relayed].slice(0, MAX_PUBLISHED_ADDRESSES)
}

/** Who provides: 'always' (a bootstrap relay) whenever it has dialable addresses; 'when-reachable' (a player) only with a public or UPnP-mapped address. */
export type ProvideMode = 'always' | 'when-reachable'

/** Whether this node should publish a provider record now. */
export function shouldProvide (context: { mode: ProvideMode, reach: Reach | undefined, privateNetwork: boolean, published: readonly string[] }): boolean {
  if (context.published.length === 0) return false
  if (context.mode === 'always') return true
  // On a private network nobody has a public address; a direct one (not through a relay) is reachable there.
  if (context.privateNetwork) return context.published.some(a => !a.includes(CIRCUIT))
  return context.reach === 'public' || context.reach === 'upnp'
}

/** A found provider's addresses worth a dial: dialable, each ending in its peer ID, at most MAX_PUBLISHED_ADDRESSES. */
export function dialAddresses (peer: string, addresses: readonly string[], privateNetwork: boolean): string[] {
  const suffix = `/p2p/${peer}`
  const out = new Set<string>()
  for (const a of addresses) {
    if (!isDialable(a, privateNetwork)) continue
    const withPeer = a.endsWith(suffix) ? a : a.includes('/p2p/') && !a.includes(CIRCUIT) ? undefined : `${a}${suffix}`
    if (withPeer != null) out.add(withPeer)
  }
  return [...out].slice(0, MAX_PUBLISHED_ADDRESSES)
}

/** Whether a peer's protocols (identify) make it a p2pgo node. */
export function speaksP2pgo (protocols: readonly string[]): boolean {
  return protocols.some(p => p.startsWith('/p2pgo/'))
}
