// This node's live entries (protocols/watch.md, "Live games in the lobby"): while its player is in
// a game, a signed `live` entry goes on the player's topic of the game's size, republished on the
// topic's budgeted period with the turns played and the watchers counted then; when the game ends
// one `leave` there withdraws it. The games come from a source the composition passes in.
import { entryLife, nextDelay } from './budget.js'
import { liveTopic } from './live.js'
import type { LiveFacts, LiveV2 } from './live.js'
import type { UnsignedLobbyV2Message } from './messages.js'
import type { LobbyV2Topic } from './topics.js'
import type { LobbyRating, LobbySize } from '../messages.js'
import type { Logger, PeerId } from '@libp2p/interface'

export type { LiveFacts } from './live.js'

/** Where the lobby learns which games this node plays: the games now, and a call when that may have changed. */
export interface LiveSource {
  readonly games: () => readonly LiveFacts[]
  /** Calls `listener` when a game starts or ends; returns how to stop. */
  readonly onChange?: (listener: () => void) => () => void
}

export interface LivePublisherInit {
  readonly peerId: PeerId
  readonly log: Logger
  readonly now: () => number
  readonly random?: () => number
  readonly sign: (msg: UnsignedLobbyV2Message) => Promise<Uint8Array>
  readonly publish: (topic: LobbyV2Topic, bytes: Uint8Array) => Promise<boolean>
  readonly period: (topic: LobbyV2Topic) => number
  /** The author's next seq, shared with its presence and seeks (a `leave` drops what is older). */
  readonly nextSeq: () => number
  /** A `leave` went out on these topics (the presence, if open, is sent again after it). */
  readonly onLeave?: (topics: readonly LobbyV2Topic[]) => void
  readonly source?: LiveSource
}

const topicId = (t: LobbyV2Topic): string => `${t.size}/${t.bucket}`

/** Tries after a live entry reached nobody (the topic's peers not known yet): 2, 4, 8 and 16 s later, as the presence's. */
const NO_PEER_RETRIES = 4
const NO_PEER_RETRY_MS = 2000

export class LivePublisher {
  private readonly init: LivePublisherInit
  private readonly random: () => number
  private running = false
  private unsubscribe?: () => void
  /** The games announced, by game ID, and the topic each is on. */
  private readonly games = new Map<string, LobbyV2Topic>()
  /** Republish timers by topic. */
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** The last signed entry of each game, for a neighbour's catch-up. */
  private readonly signed = new Map<string, { readonly topic: LobbyV2Topic, readonly bytes: Uint8Array }>()
  /** Sooner tries by topic after a live entry reached nobody, and how many were made. */
  private readonly retries = new Map<string, { timer?: ReturnType<typeof setTimeout>, count: number }>()

  constructor (init: LivePublisherInit) {
    this.init = init
    this.random = init.random ?? Math.random
  }

  /** Starts following the source (gossipsub runs by now). */
  start (): void {
    if (this.running || this.init.source == null) return
    this.running = true
    this.unsubscribe = this.init.source.onChange?.(() => { this.refresh() })
    this.refresh()
  }

  /** Says `leave` where live entries were published (best effort), then forgets them. */
  async stop (): Promise<void> {
    if (!this.running) return
    const topics = this.topics()
    this.unsubscribe?.()
    for (const t of this.timers.values()) clearTimeout(t)
    for (const r of this.retries.values()) clearTimeout(r.timer)
    this.timers.clear()
    this.retries.clear()
    const sent = Promise.all(topics.map(async t => { await this.send(t, { t: 'leave', peer: this.me(), seq: this.init.nextSeq() }) }))
    this.running = false
    this.games.clear()
    this.signed.clear()
    await sent
  }

  /** This node's live entries on a topic as last signed. */
  ownEntries (topic: LobbyV2Topic): Uint8Array[] {
    return [...this.signed.values()].filter(s => topicId(s.topic) === topicId(topic)).map(s => s.bytes)
  }

  /** How many live entries this node publishes on a topic (they count in its budget). */
  count (topic: LobbyV2Topic): number {
    return [...this.games.values()].filter(t => topicId(t) === topicId(topic)).length
  }

  /** Sends every live entry again now (after a `leave` of the presence, which would drop older ones). */
  announce (): void {
    if (!this.running) return
    for (const t of new Set(this.games.values())) this.republish(t)
  }

  /** Takes the games from the source: announces new ones, withdraws ended ones, keeps timers per topic. */
  refresh (): void {
    if (!this.running || this.init.source == null) return
    let facts: readonly LiveFacts[]
    try {
      facts = this.init.source.games()
    } catch (err) {
      this.init.log('could not read the games in progress - %e', err)
      return
    }
    const now = new Map(facts.map(f => [f.game.toString(), f]))
    const left = new Map<string, LobbyV2Topic>()
    for (const [g, topic] of [...this.games]) {
      if (now.has(g)) continue
      this.games.delete(g)
      this.signed.delete(g)
      left.set(topicId(topic), topic)
    }
    const fresh: LiveFacts[] = []
    for (const [g, f] of now) {
      if (this.games.has(g)) continue
      this.games.set(g, liveTopic({ ...f, peer: this.me() }))
      fresh.push(f)
    }
    this.reconcile()
    if (left.size > 0) {
      const topics = [...left.values()]
      const leave: UnsignedLobbyV2Message = { t: 'leave', peer: this.me(), seq: this.init.nextSeq() }
      for (const t of topics) void this.send(t, leave)
      this.init.onLeave?.(topics)
      // The leave drops this node's older entries there: the games still going are sent again after it.
      for (const t of topics) if (this.count(t) > 0) this.republish(t)
    }
    for (const f of fresh) void this.send(this.games.get(f.game.toString()) as LobbyV2Topic, this.message(f))
  }

  private me (): Uint8Array {
    return this.init.peerId.toMultihash().bytes
  }

  private topics (): LobbyV2Topic[] {
    return [...new Map([...this.games.values()].map(t => [topicId(t), t])).values()]
  }

  private reconcile (): void {
    const wanted = new Map(this.topics().map(t => [topicId(t), t]))
    for (const [id, timer] of [...this.timers]) {
      if (wanted.has(id)) continue
      clearTimeout(timer)
      this.timers.delete(id)
    }
    for (const [id, t] of wanted) if (!this.timers.has(id)) this.schedule(t)
  }

  private schedule (topic: LobbyV2Topic): void {
    const timer = setTimeout(() => {
      this.timers.delete(topicId(topic))
      if (!this.running || this.count(topic) === 0) return
      this.refresh()
      this.republish(topic)
      if (this.count(topic) > 0 && !this.timers.has(topicId(topic))) this.schedule(topic)
    }, nextDelay(this.init.period(topic), this.random))
    timer.unref?.()
    this.timers.set(topicId(topic), timer)
  }

  /** Sends the current entry of every game on `topic`, with its ply and watchers now. */
  private republish (topic: LobbyV2Topic): void {
    const facts = this.init.source?.games() ?? []
    for (const f of facts) {
      const t = this.games.get(f.game.toString())
      if (t != null && topicId(t) === topicId(topic)) void this.send(t, this.message(f))
    }
  }

  private message (f: LiveFacts): Omit<LiveV2, 'sig'> {
    const topic = liveTopic({ ...f, peer: this.me() })
    return {
      t: 'live',
      peer: this.me(),
      game: f.game,
      size: f.size,
      black: f.black,
      white: f.white,
      names: f.names,
      ...(f.ratings != null ? { ratings: f.ratings } : {}),
      ply: f.ply,
      watchers: f.watchers,
      expires: this.init.now() + entryLife(this.init.period(topic)),
      seq: this.init.nextSeq()
    }
  }

  private async send (topic: LobbyV2Topic, msg: UnsignedLobbyV2Message): Promise<void> {
    if (!this.running) return
    try {
      const bytes = await this.init.sign(msg)
      if (msg.t === 'live' && this.games.has(msg.game.toString())) this.signed.set(msg.game.toString(), { topic, bytes })
      const reached = await this.init.publish(topic, bytes)
      if (msg.t === 'live') this.reached(topic, reached)
    } catch (err) {
      this.init.log('could not publish a %s on %s - %e', msg.t, topicId(topic), err)
    }
  }

  /** A live entry reached nobody: the topic is tried again soon, a few times, instead of a whole period later. */
  private reached (topic: LobbyV2Topic, reached: boolean): void {
    const id = topicId(topic)
    const r = this.retries.get(id) ?? { count: 0 }
    this.retries.set(id, r)
    if (reached) r.count = 0
    if (reached || r.timer != null || r.count >= NO_PEER_RETRIES || !this.running) return
    r.timer = setTimeout(() => {
      r.timer = undefined
      if (this.running && this.count(topic) > 0) this.republish(topic)
    }, NO_PEER_RETRY_MS * 2 ** r.count++)
    r.timer.unref?.()
  }
}
