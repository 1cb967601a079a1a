// The one place p2pgo patches `netmask` (2.1.1). libp2p decides "private" in one function,
// @libp2p/utils' isPrivateIp (used by identify, AutoNAT, UPnP, the DHT and the address manager),
// which asks netmask's `Netmask.prototype.contains` whether a private range holds the address
// (node_modules/@libp2p/utils/dist/src/private-ip.js). Patching that method is the only way to make
// a NAT lab's documentation ranges count as public. It holds while @libp2p/utils shares this
// package's copy of netmask and calls `contains` with the address as a string; the test in
// test/net/adapters/netmask-public-ranges.test.ts fails, naming both libraries, when that changes.
import { Netmask } from 'netmask'

type Contains = (this: Netmask, ip: string | Netmask) => boolean

let original: Contains | undefined

/** Makes every `Netmask` answer "no" for an address inside one of `publicRanges`; replaces an earlier patch. */
export function treatAsPublic (publicRanges: readonly Netmask[]): void {
  restoreNetmask()
  if (publicRanges.length === 0) return
  const contains = Netmask.prototype.contains as Contains
  if (typeof contains !== 'function') throw new Error('netmask has no Netmask.prototype.contains: P2PGO_PUBLIC_RANGES needs netmask 2.1')
  original = contains
  Netmask.prototype.contains = function (this: Netmask, ip: string | Netmask): boolean {
    if (typeof ip === 'string' && publicRanges.some(r => r !== this && contains.call(r, ip))) return false
    return contains.call(this, ip)
  }
}

/** Undoes `treatAsPublic`. */
export function restoreNetmask (): void {
  if (original != null) Netmask.prototype.contains = original
  original = undefined
}
