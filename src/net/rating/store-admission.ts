// Whether the DHT record store takes one more record: per-sender and per-address quotas and a
// bounded total, where a full store gives room only to a sender more trusted than the least
// trusted one it holds records of. Pure: the store (record-store.ts) counts and evicts.
import { TRUSTED } from '../../rating/answer-choice.js'
import { ipv6Groups } from '../../wire/ip.js'

/** How many records the store holds, by whom. */
export interface StoreLimits {
  /** New keys one untrusted sender (a peer ID) may have stored at once. */
  readonly perSender: number
  /** The same for a sender trusted at least `trustedAt`. */
  readonly trustedPerSender: number
  /** New keys all untrusted senders from one address (an IPv4 address, an IPv6 /64, a relay) may have stored at once. */
  readonly perAddress: number
  /** Records held in all, the node's own included. */
  readonly total: number
  /** The trust from which a sender counts as trusted. */
  readonly trustedAt: number
}

/**
 * The defaults. A player puts one rating record (replaced, never added to) and one co-signed
 * result per game, spread over the peers closest to each key: 128 new keys per sender covers a
 * busy player's two days (kad-dht keeps a received record 48 h) on a network small enough that
 * one node holds everything; a trusted sender (a bot that has earned reputation) gets 1024. One
 * address holds at most 1024 (a household or a small NAT). 8192 records of at most 4 KiB bound
 * the store at 32 MiB.
 */
export const DEFAULT_STORE_LIMITS: StoreLimits = Object.freeze({
  perSender: 128,
  trustedPerSender: 1024,
  perAddress: 1024,
  total: 8192,
  trustedAt: TRUSTED
})

/** A limits object with `partial` over the defaults; throws RangeError on a limit that is not a positive integer. */
export function createStoreLimits (partial: Partial<StoreLimits> = {}): StoreLimits {
  const limits = { ...DEFAULT_STORE_LIMITS, ...partial }
  for (const name of ['perSender', 'trustedPerSender', 'perAddress', 'total'] as const) {
    if (!Number.isInteger(limits[name]) || limits[name] < 1) throw new RangeError(`${name} must be a positive integer, got ${limits[name]}`)
  }
  if (!(limits.trustedAt >= 0 && limits.trustedAt <= 1)) throw new RangeError(`trustedAt must be in [0, 1], got ${limits.trustedAt}`)
  return limits
}

/** What the store knows of the sender of a record: its peer ID and its address bucket. */
export interface RecordSender {
  readonly peer: string
  readonly address: string
}

/** Why a record was not stored. */
export type Refusal = 'stale' | 'sender-quota' | 'address-quota' | 'store-full'

/** The counts an admission is judged on. */
export interface StoreCounts {
  /** New keys the sender has stored here now. */
  readonly sender: number
  /** The same for its address. */
  readonly address: number
  /** Records held. */
  readonly total: number
  /** The least trusted sender holding a record here, with its trust; undefined when none may be evicted. */
  readonly leastTrusted?: { readonly trust: number }
}

/** The store's decision on a new key from a remote sender: take it (making room by evicting the least trusted if `evict`), or refuse why. */
export type Admission = { readonly admit: true, readonly evict: boolean } | { readonly admit: false, readonly reason: Exclude<Refusal, 'stale'>, readonly detail: string }

/**
 * Admits a new key from a sender with `trust`: within its per-sender quota (larger when trusted),
 * within its address's quota (trusted senders are not counted against their address), and
 * within the total; a full store makes room only for a sender strictly more trusted than the
 * least trusted one it holds records of, so strangers never displace each other's records.
 */
export function admit (counts: StoreCounts, trust: number, limits: StoreLimits = DEFAULT_STORE_LIMITS): Admission {
  const trusted = trust >= limits.trustedAt
  const perSender = trusted ? limits.trustedPerSender : limits.perSender
  if (counts.sender >= perSender) return { admit: false, reason: 'sender-quota', detail: `this sender has ${counts.sender} records stored here, at most ${perSender}` }
  if (!trusted && counts.address >= limits.perAddress) return { admit: false, reason: 'address-quota', detail: `senders from this address have ${counts.address} records stored here, at most ${limits.perAddress}` }
  if (counts.total < limits.total) return { admit: true, evict: false }
  if (counts.leastTrusted != null && trust > counts.leastTrusted.trust) return { admit: true, evict: true }
  return { admit: false, reason: 'store-full', detail: `the store holds ${counts.total} records, at most ${limits.total}, none from a sender less trusted than this one` }
}

/**
 * The address bucket of a connection's remote address: the IPv4 address, the /64 of an IPv6
 * address (one host's share), the relay's for a relayed connection (its first IP), or the peer
 * itself when the address holds no IP (a WebRTC connection shows none).
 */
export function addressBucket (components: ReadonlyArray<{ readonly name: string, readonly value?: string }>, peer: string): string {
  for (const c of components) {
    if (c.name === 'ip4' && c.value != null) return `ip4/${c.value}`
    if (c.name === 'ip6' && c.value != null) {
      const groups = ipv6Groups(c.value)
      return groups != null ? `ip6/${groups.slice(0, 4).map(g => g.toString(16)).join(':')}::/64` : `ip6/${c.value}`
    }
  }
  return `peer/${peer}`
}
