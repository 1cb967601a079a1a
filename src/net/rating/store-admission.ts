// Whether the DHT record store takes one more record: per-sender and per-address quotas and a
// bounded total, where a full store gives room only to a sender more trusted than the least
// trusted one it holds records of. Pure: the store (record-store.ts) counts and evicts.
import { TRUSTED } from '../../rating/answer-choice.js'

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
