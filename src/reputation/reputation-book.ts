// The reputation of every peer a node knows, in memory: events in, scores out. No I/O (the node
// keeps the events on disk; src/net/reputation/).
import { MAX_EVENTS_PER_PEER, MAX_PEERS } from './constants.js'
import { checkEvent, type ReputationEvent } from './events.js'
import { defaultReputationParams, type ReputationParams } from './params.js'
import { prune, scoreOf, type ReputationBreakdown } from './score.js'

/**
 * A cached score is reused for this long: decay over a minute changes a score by less than
 * 0.01% (a week's half-life), and any new event about the peer clears its cache.
 */
const CACHE_MS = 60_000

/** Peers looked at when one must be forgotten to make room. */
const EVICTION_SAMPLE = 64

export class ReputationBook {
  readonly params: ReputationParams
  private readonly events = new Map<string, ReputationEvent[]>()
  private readonly cache = new Map<string, { at: number, breakdown: ReputationBreakdown }>()
  private readonly maxEventsPerPeer: number
  private readonly maxPeers: number

  constructor (params: ReputationParams = defaultReputationParams, limits: { maxEventsPerPeer?: number, maxPeers?: number } = {}) {
    this.params = params
    this.maxEventsPerPeer = limits.maxEventsPerPeer ?? MAX_EVENTS_PER_PEER
    this.maxPeers = limits.maxPeers ?? MAX_PEERS
  }

  /** Records an event (checked first); the peer's oldest events go beyond the per-peer limit. */
  add (event: ReputationEvent): void {
    checkEvent(event)
    let list = this.events.get(event.peer)
    if (list == null) {
      if (this.events.size >= this.maxPeers) this.forgetLeastKnown(event.at)
      list = []
      this.events.set(event.peer, list)
    }
    list.push(event)
    if (list.length > this.maxEventsPerPeer) {
      list.sort((a, b) => a.at - b.at)
      list.splice(0, list.length - this.maxEventsPerPeer)
    }
    this.cache.delete(event.peer)
  }

  /** A peer's events as recorded. */
  eventsOf (peer: string): readonly ReputationEvent[] {
    return this.events.get(peer) ?? []
  }

  /** Every peer with events. */
  peers (): string[] {
    return [...this.events.keys()]
  }

  /** A peer's score and breakdown at `now` (a stranger's is all zeros, trust 0.5). */
  scoreOf (peer: string, now: number): ReputationBreakdown {
    const cached = this.cache.get(peer)
    if (cached != null && Math.abs(now - cached.at) < CACHE_MS) return cached.breakdown
    const breakdown = scoreOf(this.eventsOf(peer), now, this.params)
    this.cache.set(peer, { at: now, breakdown })
    return breakdown
  }

  /** A peer's trust at `now`: 0.5 for a stranger. */
  trustOf (peer: string, now: number): number {
    return this.scoreOf(peer, now).trust
  }

  /** The `n` peers with the highest scores, highest first. */
  top (n: number, now: number): Array<{ peer: string, breakdown: ReputationBreakdown }> {
    return this.peers()
      .map(peer => ({ peer, breakdown: this.scoreOf(peer, now) }))
      .sort((a, b) => b.breakdown.score - a.breakdown.score || (a.peer < b.peer ? -1 : 1))
      .slice(0, n)
  }

  /** Drops events that no longer count (and peers left with none). */
  prune (now: number): void {
    for (const [peer, list] of this.events) {
      const kept = prune(list, now, this.params)
      if (kept.length === 0) this.events.delete(peer)
      else this.events.set(peer, kept)
      this.cache.delete(peer)
    }
  }

  /**
   * Makes room: among the EVICTION_SAMPLE peers known longest, forgets the one whose score is
   * nearest 0 (least to remember). A sample, so that a flood of new identities costs a bounded
   * amount of work per identity.
   */
  private forgetLeastKnown (now: number): void {
    let least: string | undefined
    let leastAbs = Infinity
    let checked = 0
    for (const peer of this.events.keys()) {
      if (checked++ >= EVICTION_SAMPLE) break
      const abs = Math.abs(this.scoreOf(peer, now).score)
      if (abs < leastAbs) {
        least = peer
        leastAbs = abs
      }
    }
    if (least != null) {
      this.events.delete(least)
      this.cache.delete(least)
    }
  }
}
