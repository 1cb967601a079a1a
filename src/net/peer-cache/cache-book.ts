// Which peers the cache keeps and which it dials first. Pure: no network, no file, no clock of
// its own (every call takes `now`). The service tells it what worked and what failed.
import { FUTURE_SKEW, MAX_AGE, MAX_ENTRIES, MAX_FAILURES } from './constants.js'
import type { StoredEntry } from './cache-file.js'

/** A cached peer: its ID (from its verified record) with what the file holds. */
export interface CacheEntry extends StoredEntry {
  readonly peer: string
}

/** The cache's bounds; the defaults are in constants.ts. */
export interface CacheLimits {
  readonly maxEntries: number
  readonly maxAge: number
  readonly maxFailures: number
}

export const defaultCacheLimits: CacheLimits = { maxEntries: MAX_ENTRIES, maxAge: MAX_AGE, maxFailures: MAX_FAILURES }

/**
 * Best first: peers that speak p2pgo, then those with fewer failed dials since they last
 * worked, then the most recently working; the peer ID breaks ties so the order is stable.
 */
export function compareEntries (a: CacheEntry, b: CacheEntry): number {
  if (a.p2pgo !== b.p2pgo) return a.p2pgo ? -1 : 1
  if (a.failures !== b.failures) return a.failures - b.failures
  if (a.lastWorked !== b.lastWorked) return b.lastWorked - a.lastWorked
  return a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0
}

/** The entries worth keeping at `now`, best first: not stale, not failed too often, not from the future, one per peer, at most `maxEntries`. */
export function prune (entries: Iterable<CacheEntry>, now: number, limits: CacheLimits = defaultCacheLimits): CacheEntry[] {
  const byPeer = new Map<string, CacheEntry>()
  for (const e of entries) {
    if (e.lastWorked < now - limits.maxAge || e.lastWorked > now + FUTURE_SKEW || e.failures >= limits.maxFailures) continue
    const seen = byPeer.get(e.peer)
    if (seen == null || e.lastWorked > seen.lastWorked) byPeer.set(e.peer, e)
  }
  return [...byPeer.values()].sort(compareEntries).slice(0, limits.maxEntries)
}

/** The peers to dial first at start: the best `size` of those worth keeping. */
export function chooseSample (entries: Iterable<CacheEntry>, now: number, size: number, limits: CacheLimits = defaultCacheLimits): CacheEntry[] {
  return prune(entries, now, limits).slice(0, size)
}

/** The cache's state: one entry per peer, updated as connections work or dials fail. */
export class CacheBook {
  private readonly limits: CacheLimits
  private readonly byPeer = new Map<string, CacheEntry>()

  constructor (limits: Partial<CacheLimits> = {}) {
    this.limits = { ...defaultCacheLimits, ...limits }
  }

  /** Takes entries read from the file (their records verified); returns how many were kept. */
  load (entries: Iterable<CacheEntry>, now: number): number {
    for (const e of prune([...this.byPeer.values(), ...entries], now, this.limits)) this.byPeer.set(e.peer, e)
    this.trim(now)
    return this.byPeer.size
  }

  /** A connection to `peer` opened and identified: its newest record, now, failures forgotten. */
  worked (peer: string, record: Uint8Array, p2pgo: boolean, now: number): void {
    this.byPeer.set(peer, { peer, record, p2pgo, lastWorked: now, failures: 0 })
    if (this.byPeer.size > this.limits.maxEntries) this.trim(now)
  }

  /** A dial to `peer` failed: one failure more; at `maxFailures` in a row the peer loses its place. */
  failed (peer: string): void {
    const e = this.byPeer.get(peer)
    if (e == null) return
    if (e.failures + 1 >= this.limits.maxFailures) this.byPeer.delete(peer)
    else this.byPeer.set(peer, { ...e, failures: e.failures + 1 })
  }

  /** Whether `peer` is cached. */
  has (peer: string): boolean {
    return this.byPeer.has(peer)
  }

  /** How many peers the cache holds. */
  get size (): number {
    return this.byPeer.size
  }

  /** Every entry worth keeping at `now`, best first (what the file gets). */
  entries (now: number): CacheEntry[] {
    this.trim(now)
    return [...this.byPeer.values()].sort(compareEntries)
  }

  /** The peers to dial first. */
  sample (now: number, size: number): CacheEntry[] {
    return chooseSample(this.byPeer.values(), now, size, this.limits)
  }

  private trim (now: number): void {
    const kept = prune(this.byPeer.values(), now, this.limits)
    if (kept.length === this.byPeer.size) return
    this.byPeer.clear()
    for (const e of kept) this.byPeer.set(e.peer, e)
  }
}
