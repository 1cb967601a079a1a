// The gossip topics lobby version 2 listens to: joined and left as the player's sizes and rating
// move (and, on a hub, as its neighbours join topics), each with the lobby's validator, and each
// caught up from a neighbour soon after it is joined.
import { PeerRateLimit } from '../../peer-rate-limit.js'
import { SYNC_ASK_RATE, SYNC_ASK_WINDOW } from './sync.js'
import type { GossipSub, Message, TopicValidatorResult } from '@libp2p/gossipsub'
import type { Logger, PeerId } from '@libp2p/interface'

/** Wait after joining a topic before asking a neighbour: about one gossipsub heartbeat, so the subscription has spread. */
export const CATCH_UP_DELAY = 1500

/** Neighbours asked per topic joined: two, so one that holds little or lies by omission is not the only source. */
export const CATCH_UP_PEERS = 2

/**
 * When every neighbour asked had nothing (a relay that joined the topic a moment ago, for us, is
 * still catching up itself), ask again this much later, once.
 */
export const CATCH_UP_RETRY = 1500
export const CATCH_UP_RETRIES = 1

/** What the topic keeper needs from the lobby service. */
export interface FollowingInit {
  readonly log: Logger
  readonly pubsub: () => GossipSub
  readonly validate: (source: PeerId, msg: Message) => Promise<TopicValidatorResult>
  /** Asks a neighbour for a topic's entries; how many it gave (throws when it could not ask). */
  readonly ask: (peer: PeerId, topic: string) => Promise<number>
}

interface Followed {
  /** Kept for the player (its sizes and buckets) rather than only for the neighbours (a hub). */
  wanted: boolean
  /** Neighbours that answered a catch-up for the topic with something. */
  caughtUp: number
  /** Rounds in which every neighbour asked had nothing. */
  emptyRounds: number
  asking: boolean
  timer?: ReturnType<typeof setTimeout>
}

/** Keeps the lobby's subscriptions and their catch-ups. */
export class Following {
  private readonly init: FollowingInit
  private readonly topics = new Map<string, Followed>()
  private readonly asked = new Map<string, Set<string>>()
  /** Asks per neighbour and topic, kept across leaving and joining the topic: the answerer's rate holds whatever we do. */
  private readonly asks = new PeerRateLimit(SYNC_ASK_RATE, SYNC_ASK_WINDOW)
  private running = false

  constructor (init: FollowingInit) {
    this.init = init
  }

  /** Joins the topics always followed (the census) and allows the others. */
  start (fixed: readonly string[]): void {
    this.running = true
    for (const topic of fixed) this.join(topic, true, false)
  }

  /** Leaves every topic. */
  stop (): void {
    this.running = false
    for (const topic of [...this.topics.keys()]) this.leave(topic)
    this.asks.clear()
  }

  has (topic: string): boolean {
    return this.topics.has(topic)
  }

  followed (): string[] {
    return [...this.topics.keys()]
  }

  /**
   * Follows exactly `wanted` among the lobby topics (besides the fixed ones, which `start` marked);
   * with `keepOthers` (a hub) the topics neighbours brought stay until `dropUnused`.
   */
  set (wanted: readonly string[], keepOthers: boolean, fixed: readonly string[]): void {
    if (!this.running) return
    const want = new Set(wanted)
    for (const [topic, f] of this.topics) {
      if (want.has(topic) || fixed.includes(topic)) continue
      if (keepOthers) f.wanted = false
      else this.leave(topic)
    }
    for (const topic of want) this.join(topic, true, true)
  }

  /** A hub follows a topic a neighbour joined. */
  add (topic: string): void {
    if (this.running) this.join(topic, false, true)
  }

  /** A neighbour joined a topic: if it is followed and not yet caught up, ask now. */
  neighbourJoined (topic: string): void {
    const f = this.topics.get(topic)
    if (f != null && f.caughtUp === 0 && f.timer == null) void this.catchUp(topic)
  }

  /** A hub leaves the topics it follows only for neighbours once none of them follows it any more. */
  dropUnused (): void {
    const pubsub = this.init.pubsub()
    for (const [topic, f] of this.topics) {
      if (!f.wanted && pubsub.getSubscribers(topic).length === 0) this.leave(topic)
    }
  }

  private join (topic: string, wanted: boolean, catchUp: boolean): void {
    const held = this.topics.get(topic)
    if (held != null) {
      held.wanted ||= wanted
      return
    }
    const pubsub = this.init.pubsub()
    const f: Followed = { wanted, caughtUp: 0, emptyRounds: 0, asking: false }
    this.topics.set(topic, f)
    pubsub.topicValidators.set(topic, this.init.validate)
    try {
      pubsub.subscribe(topic)
    } catch (err) {
      this.init.log('could not join %s - %e', topic, err)
    }
    if (catchUp) {
      f.timer = setTimeout(() => { f.timer = undefined; void this.catchUp(topic) }, CATCH_UP_DELAY)
      f.timer.unref?.()
    }
  }

  private leave (topic: string): void {
    const f = this.topics.get(topic)
    if (f == null) return
    clearTimeout(f.timer)
    this.topics.delete(topic)
    this.asked.delete(topic)
    const pubsub = this.init.pubsub()
    if (pubsub.topicValidators.get(topic) === this.init.validate) pubsub.topicValidators.delete(topic)
    try {
      pubsub.unsubscribe(topic)
    } catch (err) {
      this.init.log('could not leave %s - %e', topic, err)
    }
  }

  /** Asks up to CATCH_UP_PEERS neighbours on the topic not asked before, one after another. */
  private async catchUp (topic: string): Promise<void> {
    const f = this.topics.get(topic)
    if (f == null || f.asking || f.caughtUp >= CATCH_UP_PEERS || !this.running) return
    f.asking = true
    try {
      const asked = this.asked.get(topic) ?? new Set<string>()
      this.asked.set(topic, asked)
      const candidates = this.init.pubsub().getSubscribers(topic).filter(p => !asked.has(p.toString()))
      const empty: string[] = []
      for (const peer of shuffle(candidates)) {
        if (f.caughtUp >= CATCH_UP_PEERS || this.topics.get(topic) !== f) break
        asked.add(peer.toString())
        if (!this.asks.allow(`${peer.toString()} ${topic}`)) continue
        try {
          if (await this.init.ask(peer, topic) > 0) f.caughtUp++
          else empty.push(peer.toString())
        } catch (err) {
          this.init.log('catch-up on %s from %p failed - %e', topic, peer, err)
        }
      }
      if (f.caughtUp === 0 && empty.length > 0 && f.emptyRounds < CATCH_UP_RETRIES && this.topics.get(topic) === f) {
        f.emptyRounds++
        f.timer = setTimeout(() => {
          f.timer = undefined
          for (const peer of empty) asked.delete(peer)
          void this.catchUp(topic)
        }, CATCH_UP_RETRY)
        f.timer.unref?.()
      }
    } finally {
      f.asking = false
    }
  }
}

function shuffle<T> (items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j], items[i]]
  }
  return items
}
