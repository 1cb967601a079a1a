// Whether a second NAT stands beyond the home router (a double NAT), told as tailscale netcheck
// tells it: the router's own external address, which it reports over UPnP IGD, against the public
// address the STUN servers see. Pure.

/**
 * The verdict:
 * - `true`: the router's external address is private or shared address space (or it reports none)
 *   while the STUN servers see a public one: another NAT (often the provider's carrier-grade NAT)
 *   sits beyond it, and UPnP mappings on the router cannot make this node reachable;
 * - `false`: the router's external address is public (it is the only NAT);
 * - `null`: cannot be told (no UPnP gateway answered, or no STUN server did).
 */
export interface DoubleNatVerdict {
  readonly double: boolean | null
  /** The router's external address as it reported it ('' when it reported none); null when no gateway answered. */
  readonly gatewayAddress: string | null
  /** Why, in a few words a person can read. */
  readonly reason: string
}

/** IPv4 ranges a router's WAN address may be in without being on the internet: RFC 1918 and RFC 6598 (carrier-grade NAT). */
const NON_PUBLIC: ReadonlyArray<readonly [number, number]> = [
  [0x0A000000, 8], // 10.0.0.0/8
  [0xAC100000, 12], // 172.16.0.0/12
  [0xC0A80000, 16], // 192.168.0.0/16
  [0x64400000, 10] // 100.64.0.0/10, shared address space
]

const ipv4 = (address: string): number | undefined => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address)
  if (m == null) return undefined
  const parts = m.slice(1).map(Number)
  return parts.every(p => p <= 255) ? ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3] : undefined
}

/** Whether an IPv4 address is private (RFC 1918) or shared (RFC 6598) address space; false for anything else, IPv6 included. */
export function isPrivateOrShared (address: string): boolean {
  const n = ipv4(address)
  if (n == null) return false
  return NON_PUBLIC.some(([base, bits]) => (n >>> (32 - bits)) === (base >>> (32 - bits)))
}

/** A router that reports no external address: an empty answer, or 0.0.0.0 (miniupnpd's answer when its WAN address is private). */
const none = (address: string): boolean => address.trim() === '' || address === '0.0.0.0'

/** The IP of a STUN answer written as `IP:port` or `[IPv6]:port`. */
export function ipOfMapped (mapped: string): string {
  const v6 = /^\[(.*)\]:\d+$/.exec(mapped)
  if (v6 != null) return v6[1]
  const i = mapped.lastIndexOf(':')
  return i < 0 ? mapped : mapped.slice(0, i)
}

/**
 * Tells a double NAT from the external address the UPnP gateway reported (undefined when no
 * gateway answered) and the public addresses the STUN servers saw (`IP:port`, as NatClassification
 * holds them).
 */
export function classifyDoubleNat (gatewayAddress: string | undefined, stunAddresses: readonly string[]): DoubleNatVerdict {
  if (gatewayAddress == null) return { double: null, gatewayAddress: null, reason: 'no UPnP gateway answered: a double NAT cannot be told' }
  const seen = [...new Set(stunAddresses.map(ipOfMapped))].filter(ip => ipv4(ip) != null && !isPrivateOrShared(ip))
  const stun = seen.length > 0 ? `the STUN servers see ${seen.join(', ')}` : undefined
  if (!none(gatewayAddress) && !isPrivateOrShared(gatewayAddress)) {
    return { double: false, gatewayAddress, reason: `the router's own external address ${gatewayAddress} is public` }
  }
  const router = none(gatewayAddress) ? 'the router reports no external address of its own' : `the router's own external address is ${gatewayAddress}`
  if (stun == null) return { double: null, gatewayAddress, reason: `${router}, and no STUN server saw a public address: a double NAT cannot be told` }
  return { double: true, gatewayAddress, reason: `${router} while ${stun}: another NAT stands beyond the router` }
}
