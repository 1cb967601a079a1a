// Discovery reputation on a node: records what the node saw (RNA events, failed rating audits),
// keeps them on disk, and puts the score to work — as gossipsub's application score, as a peer
// store tag the connection manager keeps high-reputation peers by, and as the trust that orders
// matchmaking candidates, relays and DHT answers. The maths is src/reputation/'s.
import { peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { KEEP_HALF_LIVES, PRUNE_INTERVAL, REPUTATION_TAG, TAG_DEBOUNCE, TAG_REFRESH } from './constants.js'
import { EventStore } from './event-store.js'
import type { ReputationComponents, ReputationInit, ReputationServiceEvents } from './index.js'
import type { ReputationBook } from '../../reputation/reputation-book.js'
import type { ReputationEvent } from '../../reputation/events.js'
import type { ReputationBreakdown } from '../../reputation/score.js'
import type { Logger, PeerId, Startable } from '@libp2p/interface'

/** The application-specific gossipsub score of a trust: 2 × (trust − 0.5), from −1 to +1. */
export function appScore (trust: number): number {
  return 2 * (trust - 0.5)
}

/** See `reputation()` in index.ts. */
export class ReputationService extends TypedEventEmitter<ReputationServiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:reputation'
  private readonly components: ReputationComponents
  private readonly log: Logger
  private readonly now: () => number
  private readonly book: ReputationBook
  private readonly events: EventStore
  private readonly tagTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private pruneTimer: ReturnType<typeof setInterval> | undefined
  private refreshTimer: ReturnType<typeof setInterval> | undefined
  private readonly tagRefresh: number
  private writes: Promise<void> = Promise.resolve()
  private started = false

  constructor (components: ReputationComponents, init: ReputationInit) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:reputation')
    this.now = init.now ?? Date.now
    this.book = init.book
    this.tagRefresh = init.tagRefresh ?? TAG_REFRESH
    this.events = new EventStore(components.datastore)
  }

  /** Loads every stored event, and tags peers as they connect. */
  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    for await (const event of this.events.all()) {
      try {
        this.book.add(event)
      } catch (err) {
        this.log('skipping a stored reputation event - %e', err)
      }
    }
    this.book.prune(this.now())
    this.components.events.addEventListener('peer:connect', this.onConnect)
    this.pruneTimer = setInterval(() => { this.prune().catch(err => { this.log.error('could not prune reputation events - %e', err) }) }, PRUNE_INTERVAL)
    this.pruneTimer.unref?.()
    this.refreshTimer = setInterval(() => { this.refreshTags().catch(err => { this.log('could not refresh reputation tags - %e', err) }) }, this.tagRefresh)
    this.refreshTimer.unref?.()
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.components.events.removeEventListener('peer:connect', this.onConnect)
    clearInterval(this.pruneTimer)
    clearInterval(this.refreshTimer)
    for (const t of this.tagTimers.values()) clearTimeout(t)
    this.tagTimers.clear()
    await this.writes
  }

  /** Records what this node saw about a peer: kept at once, on disk as soon as it can be written. */
  record (event: ReputationEvent): void {
    if (event.peer === this.components.peerId.toString()) return
    this.book.add(event)
    this.writes = this.writes.then(async () => { await this.events.put(event) }).catch(err => {
      this.log.error('could not store a reputation event - %e', err)
    })
    this.safeDispatchEvent('reputation', { detail: { peer: event.peer, event } })
    this.retag(event.peer)
  }

  /** Waits until every recorded event is on disk. */
  async flush (): Promise<void> {
    await this.writes
  }

  /** A peer's trust in [0, 1]: 0.5 for a peer this node knows nothing about. */
  trust (peer: string): number {
    return this.book.trustOf(peer, this.now())
  }

  /** The application-specific gossipsub score: 2 × (trust − 0.5), from −1 to +1. */
  appScore (peer: string): number {
    return appScore(this.trust(peer))
  }

  /** A peer's score with its breakdown, or undefined when nothing was recorded about it. */
  breakdown (peer: string): ReputationBreakdown | undefined {
    if (this.book.eventsOf(peer).length === 0) return undefined
    return this.book.scoreOf(peer, this.now())
  }

  /** The peers with the highest scores. */
  top (n: number): Array<{ peer: string } & ReputationBreakdown> {
    return this.book.top(n, this.now()).map(entry => ({ ...entry.breakdown, peer: entry.peer }))
  }

  /** A peer's recorded events, oldest first. */
  eventsOf (peer: string): readonly ReputationEvent[] {
    return this.book.eventsOf(peer)
  }

  private readonly onConnect = (e: CustomEvent<PeerId>): void => {
    this.retag(e.detail.toString())
  }

  /** Puts the peer's trust in the peer store as a tag (debounced per peer). */
  private retag (peer: string): void {
    if (!this.started || this.tagTimers.has(peer)) return
    const timer = setTimeout(() => {
      this.tagTimers.delete(peer)
      const value = Math.round(this.trust(peer) * 100)
      this.components.peerStore.merge(peerIdFromString(peer), { tags: { [REPUTATION_TAG]: { value } } }).catch(err => {
        this.log('could not tag %s - %e', peer, err)
      })
    }, TAG_DEBOUNCE)
    timer.unref?.()
    this.tagTimers.set(peer, timer)
  }

  /**
   * Brings each connected peer's tag to its trust now: trust decays between events, and the
   * connection trimmer reads the tag. Only tags that changed are written.
   */
  private async refreshTags (): Promise<void> {
    const peers = new Map<string, PeerId>()
    for (const c of this.components.connectionManager.getConnections()) peers.set(c.remotePeer.toString(), c.remotePeer)
    for (const [peer, id] of peers) {
      if (!this.started || this.tagTimers.has(peer)) continue
      const value = Math.round(this.trust(peer) * 100)
      const tagged = await this.components.peerStore.get(id).then(p => p.tags.get(REPUTATION_TAG)?.value, () => undefined)
      if (tagged !== value) await this.components.peerStore.merge(id, { tags: { [REPUTATION_TAG]: { value } } })
    }
  }

  private async prune (): Promise<void> {
    const now = this.now()
    this.book.prune(now)
    const halfLife = Math.max(this.book.params.gainHalfLife, this.book.params.penaltyHalfLife)
    await this.events.deleteBefore(now - KEEP_HALF_LIVES * halfLife)
  }
}
