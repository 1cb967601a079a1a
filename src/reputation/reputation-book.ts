// The reputation of every peer a node knows, in memory: events in, scores out. No I/O and no clock
// of its own (the node keeps the events on disk and passes the time in; src/net/reputation/).
import { MAX_EVENTS_PER_PEER, MAX_PEERS } from './constants.js'
import { checkEvent, isGain, type ReputationEvent } from './events.js'
import { defaultReputationParams, type ReputationParams } from './params.js'
import { prune } from './prune.js'
import { ageBreakdown, decay, EMPTY_BREAKDOWN, scoreOf, type ReputationBreakdown } from './score.js'

/** How much a book holds. */
export interface ReputationBookLimits {
  /** Events kept per peer (MAX_EVENTS_PER_PEER). */
  readonly maxEventsPerPeer?: number
  /** Peers tracked (MAX_PEERS). */
  readonly maxPeers?: number
}

/** A peer and its score. */
export interface RankedPeer {
  readonly peer: string
  readonly breakdown: ReputationBreakdown
}

/** One peer's events, oldest first, and its breakdown as last computed (cleared on any change). */
interface Entry {
  readonly peer: string
  events: ReputationEvent[]
  /** Gains and loss are kept flat too, so the eviction scan reads two numbers. */
  cached?: { readonly now: number, readonly breakdown: ReputationBreakdown, readonly gain: number, readonly loss: number }
}

/**
 * Every known peer's events, each peer's kept oldest first, with scores on demand. A score is
 * cached with the time it was computed at and aged exactly (ageBreakdown) for later times, which
 * is valid while no event is dated after that time; any change to a peer's events clears its cache.
 */
export class ReputationBook {
  readonly params: ReputationParams
  private readonly maxEventsPerPeer: number
  private readonly maxPeers: number
  private readonly entries = new Map<string, Entry>()
  /** The latest time the book has seen (an event's or a caller's `now`): evictions are judged then. */
  private latest = 0

  constructor (params: ReputationParams = defaultReputationParams, limits: ReputationBookLimits = {}) {
    this.params = params
    this.maxEventsPerPeer = limits.maxEventsPerPeer ?? MAX_EVENTS_PER_PEER
    this.maxPeers = limits.maxPeers ?? MAX_PEERS
    if (!Number.isInteger(this.maxEventsPerPeer) || this.maxEventsPerPeer < 1) throw new RangeError(`maxEventsPerPeer must be a positive integer, got ${this.maxEventsPerPeer}`)
    if (!Number.isInteger(this.maxPeers) || this.maxPeers < 1) throw new RangeError(`maxPeers must be a positive integer, got ${this.maxPeers}`)
  }

  /**
   * Records an event (checkEvent first: throws InvalidReputationEventError). Beyond the per-peer
   * limit the peer's oldest gain goes, or its oldest penalty when it has no gain left: a flood of
   * gains cannot wash out a penalty. Beyond the peer limit the peer with the smallest |score|
   * goes, which may be the newcomer itself: new identities can push out only peers that matter
   * less than they do. That choice costs O(peers), and only once the book is full.
   */
  add (event: ReputationEvent): void {
    checkEvent(event)
    let entry = this.entries.get(event.peer)
    if (entry == null) {
      entry = { peer: event.peer, events: [] }
      this.entries.set(event.peer, entry)
    }
    const list = entry.events
    insertInOrder(list, event)
    if (list.length > this.maxEventsPerPeer) {
      const oldestGain = list.findIndex(isGain)
      list.splice(oldestGain === -1 ? 0 : oldestGain, 1)
    }
    entry.cached = undefined
    this.latest = Math.max(this.latest, event.at)
    if (this.entries.size > this.maxPeers) {
      const least = this.leastKnown()
      if (least != null) this.entries.delete(least)
    }
  }

  /** A copy of a peer's events, oldest first (empty for a stranger). */
  eventsOf (peer: string): ReputationEvent[] {
    return this.entries.get(peer)?.events.slice() ?? []
  }

  /** Every peer with events, in the order they were first recorded. */
  peers (): string[] {
    return [...this.entries.keys()]
  }

  /** How many peers are tracked. */
  get size (): number {
    return this.entries.size
  }

  /** A peer's score and breakdown at `now` (a stranger's is all zeros, trust 0.5). */
  scoreOf (peer: string, now: number): ReputationBreakdown {
    const entry = this.entries.get(peer)
    if (entry == null) return EMPTY_BREAKDOWN
    this.latest = Math.max(this.latest, now)
    const cached = entry.cached
    if (cached != null && now >= cached.now && cached.now >= lastAt(entry)) {
      return ageBreakdown(cached.breakdown, now - cached.now, this.params)
    }
    const breakdown = scoreOf(entry.events, now, this.params)
    entry.cached = { now, breakdown, gain: breakdown.originated.gain + breakdown.delivered.gain, loss: breakdown.penalties.loss }
    return breakdown
  }

  /** A peer's trust at `now`: 0.5 for a stranger. */
  trustOf (peer: string, now: number): number {
    return this.scoreOf(peer, now).trust
  }

  /** The `n` peers with the highest scores at `now`, highest first (ties by peer ID). */
  top (n: number, now: number): RankedPeer[] {
    return this.peers()
      .map(peer => ({ peer, breakdown: this.scoreOf(peer, now) }))
      .sort((a, b) => b.breakdown.score - a.breakdown.score || (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0))
      .slice(0, Math.max(0, n))
  }

  /** Drops the events that no longer count at `now` (prune), and the peers left with none. */
  prune (now: number): void {
    this.latest = Math.max(this.latest, now)
    for (const [peer, entry] of this.entries) {
      const kept = prune(entry.events, now, this.params)
      if (kept.length === entry.events.length) continue
      if (kept.length === 0) this.entries.delete(peer)
      else this.entries.set(peer, { peer, events: kept })
    }
  }

  /** The peer with the smallest |score| at the latest time seen; on a tie the one recorded last. */
  private leastKnown (): string | undefined {
    const t = this.latest
    // Cached scores are aged without building breakdowns, with the decay factors computed once
    // per distinct cache time (after one pass nearly every peer shares one).
    let factorsAt = Number.NaN
    let g = 1
    let l = 1
    let least: string | undefined
    let leastAbs = Infinity
    for (const entry of this.entries.values()) {
      const cached = entry.cached
      let abs: number
      if (cached != null && t >= cached.now && cached.now >= lastAt(entry)) {
        if (cached.now !== factorsAt) {
          factorsAt = cached.now
          g = decay(t - cached.now, this.params.gainHalfLife)
          l = decay(t - cached.now, this.params.penaltyHalfLife)
        }
        abs = Math.abs(cached.gain * g - cached.loss * l)
      } else {
        abs = Math.abs(this.scoreOf(entry.peer, t).score)
      }
      if (abs <= leastAbs) {
        least = entry.peer
        leastAbs = abs
      }
    }
    return least
  }
}

const lastAt = (entry: Entry): number => entry.events[entry.events.length - 1].at

/** Inserts after every event at the same time or earlier: events mostly arrive in order, so this is O(1) then. */
function insertInOrder (list: ReputationEvent[], e: ReputationEvent): void {
  let i = list.length
  while (i > 0 && list[i - 1].at > e.at) i--
  if (i === list.length) list.push(e)
  else list.splice(i, 0, e)
}
