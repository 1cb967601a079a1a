import { Netmask } from 'netmask'
import { restoreNetmask, treatAsPublic } from './adapters/netmask-public-ranges.js'

/**
 * A testing aid: CIDR ranges that p2pgo and the libp2p services it configures treat as public
 * addresses (comma-separated, e.g. `198.51.100.0/24,203.0.113.0/24`). A NAT lab built on the
 * documentation ranges needs it, because libp2p counts those ranges as private and would then
 * ignore the lab's "internet". Unset, nothing changes.
 */
export const PUBLIC_RANGES_ENV = 'P2PGO_PUBLIC_RANGES'

/** P2PGO_PUBLIC_RANGES holds something that is not an IPv4 CIDR range. */
export class PublicRangesError extends Error {
  static readonly code = 'ERR_CONFIG'
  readonly code = PublicRangesError.code
  constructor (message: string) {
    super(message)
    this.name = 'PublicRangesError'
  }
}

let applied: string[] = []

/** Parses the variable's value into ranges, or throws PublicRangesError naming the bad entry. */
export function parsePublicRanges (value: string | undefined): Netmask[] {
  if (value == null || value.trim() === '') return []
  return value.split(',').map(s => s.trim()).filter(s => s !== '').map(cidr => {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) throw new PublicRangesError(`${PUBLIC_RANGES_ENV}: "${cidr}" is not an IPv4 CIDR range like 203.0.113.0/24`)
    try {
      return new Netmask(cidr)
    } catch (err) {
      throw new PublicRangesError(`${PUBLIC_RANGES_ENV}: "${cidr}" is not an IPv4 CIDR range (${(err as Error).message})`)
    }
  })
}

/**
 * Makes the ranges named in P2PGO_PUBLIC_RANGES count as public to libp2p (through the netmask
 * adapter, src/net/adapters/netmask-public-ranges.ts). Idempotent; returns the ranges in force.
 */
export function applyPublicRanges (env: NodeJS.ProcessEnv = process.env): string[] {
  const ranges = parsePublicRanges(env[PUBLIC_RANGES_ENV])
  const key = ranges.map(r => r.toString())
  if (key.join(',') === applied.join(',')) return applied
  resetPublicRanges()
  if (ranges.length === 0) return applied
  treatAsPublic(ranges)
  applied = key
  return applied
}

/** Undoes `applyPublicRanges` (tests). */
export function resetPublicRanges (): void {
  restoreNetmask()
  applied = []
}
