// This node's own side of lobby version 2: while its player is open to games, its presence and
// seeks go to its own (size, bucket) topics, each republished on that topic's budgeted period
// (budget.ts); when the player stops being open (a game, the lobby closed, the node stopping) one
// `leave` tells the others at once instead of letting the entry lapse.
import { MAX_SEEKS_PER_PEER, SEEK_ID_BYTES } from '../constants.js'
import { checkedMessage } from '../rules.js'
import { seekKey } from '../view.js'
import { entryLife, nextDelay } from './budget.js'
import { publishTopics } from './follow.js'
import type { UnsignedLobbyV2Message } from './messages.js'
import type { LobbyV2Topic } from './topics.js'
import type { OwnSeek, PresenceInput, SeekInput } from '../index.js'
import type { LobbySize } from '../messages.js'
import type { Reach } from '../../rung.js'
import type { Logger, PeerId } from '@libp2p/interface'

/** What the publisher needs from the lobby service. */
export interface PublisherV2Init {
  readonly peerId: PeerId
  readonly log: Logger
  readonly now: () => number
  readonly random?: () => number
  /** Signs and encodes a message (the receivers' checks run on it first). */
  readonly sign: (msg: UnsignedLobbyV2Message) => Promise<Uint8Array>
  /** Hands signed bytes to gossipsub on a topic: false when no peer on it is known yet; failures are the caller's to log. */
  readonly publish: (topic: LobbyV2Topic, bytes: Uint8Array) => Promise<boolean>
  /** The topic's current period, from the publishers this node holds for it. */
  readonly period: (topic: LobbyV2Topic) => number
  /** The signed record and reach the presence carries. */
  readonly own: () => { readonly record?: Uint8Array, readonly reach?: Reach }
}

/** Tries after a publish that reached nobody (the topic's peers are not known yet, just after start): 2, 4, 8 and 16 s later, before the topic's period takes over. */
export const NO_PEER_RETRIES = 4
const NO_PEER_RETRY_MS = 2000

/** A topic this node publishes on: its republish timer, and a sooner retry after a publish that reached nobody. */
interface OwnTopic { readonly key: LobbyV2Topic, timer?: ReturnType<typeof setTimeout>, retry?: ReturnType<typeof setTimeout>, retries: number }

function topicId (t: LobbyV2Topic): string {
  return `${t.size}/${t.bucket}`
}

/** Publishes this node's entries on its topics, each on its own budgeted timer. */
export class LobbyV2Publisher {
  private readonly init: PublisherV2Init
  private readonly random: () => number
  private running = false
  /** The player's presence while open to games; undefined while not open. */
  private presence?: PresenceInput
  /** Open seeks by ID, in the order posted. */
  private readonly mine = new Map<string, OwnSeek>()
  /** Topics published on (presence or seeks), with their republish timers. */
  private readonly topics = new Map<string, OwnTopic>()
  private lastSeq = 0
  /** The last signed presence and seeks sent on each topic, for a neighbour's catch-up: a node's own entries are not in its view. */
  private readonly signed = new Map<string, { presence?: Uint8Array, readonly seeks: Map<string, Uint8Array> }>()

  constructor (init: PublisherV2Init) {
    this.init = init
    this.random = init.random ?? Math.random
  }

  start (): void {
    this.running = true
  }

  /** Says `leave` where it published (best effort: the node is stopping), then forgets everything. */
  async stop (): Promise<void> {
    if (!this.running) return
    const sent = this.presence != null || this.mine.size > 0 ? this.sendLeave([...this.topics.values()].map(t => t.key)) : Promise.resolve()
    this.running = false
    for (const t of this.topics.values()) {
      clearTimeout(t.timer)
      clearTimeout(t.retry)
    }
    this.topics.clear()
    this.signed.clear()
    this.presence = undefined
    this.mine.clear()
    await sent
  }

  /** Whether the player is open to games (its presence is published). */
  get open (): boolean {
    return this.presence != null
  }

  /** The presence while open; undefined otherwise. */
  get current (): PresenceInput | undefined {
    return this.presence
  }

  /**
   * Open (`idle`): announces the player on its topics now and on their periods after. Not open
   * (`playing`): one `leave` on the topics it was on, then nothing. A rating that moved the player
   * to another bucket leaves the old topic and joins the new one. Invalid input throws
   * InvalidLobbyEntryError before anything is sent.
   */
  setPresence (input: PresenceInput): void {
    const sizes = [...new Set(input.sizes)].sort((a, b) => a - b)
    const { msg } = checkedMessage({ t: 'presence', peer: this.me(), name: input.name, sizes, ...(input.ratings != null ? { ratings: input.ratings } : {}), status: input.status, expires: this.init.now() + 1, seq: 1 })
    if (msg.status === 'playing') {
      if (this.presence == null) return
      this.presence = undefined
      const left = [...this.topics.values()].map(t => t.key)
      this.reconcile()
      void this.sendLeave(left)
      return
    }
    const before = new Set(this.topics.keys())
    this.presence = Object.freeze({ name: msg.name, sizes: msg.sizes, ...(msg.ratings != null ? { ratings: msg.ratings } : {}), status: 'idle' })
    const gone = [...before].filter(id => !this.wanted().has(id)).map(id => this.topics.get(id)?.key).filter(k => k != null)
    if (gone.length > 0) void this.sendLeave(gone)
    this.reconcile()
    this.announcePresence()
  }

  /** Posts a seek on its size's topic and republishes it until cancelled; returns its ID. */
  postSeek (input: SeekInput): Uint8Array {
    const id = crypto.getRandomValues(new Uint8Array(SEEK_ID_BYTES))
    const { msg } = checkedMessage({ t: 'seek', peer: this.me(), id, terms: input.terms, color: input.color, ...(input.range != null ? { range: input.range } : {}), expires: this.init.now() + 1, seq: 1 })
    const seek: OwnSeek = Object.freeze({ id, terms: msg.terms, color: msg.color, ...(msg.range != null ? { range: msg.range } : {}) })
    while (this.mine.size >= MAX_SEEKS_PER_PEER) {
      const oldest = this.mine.values().next().value as OwnSeek
      this.cancelSeek(oldest.id)
    }
    this.mine.set(seekKey(id), seek)
    this.reconcile()
    void this.send(this.seekTopic(seek), this.seekMessage(seek))
    return id.slice()
  }

  /** Withdraws one of this node's seeks; false when it is not open. */
  cancelSeek (id: Uint8Array): boolean {
    const seek = this.mine.get(seekKey(id))
    if (seek == null) return false
    this.mine.delete(seekKey(id))
    void this.send(this.seekTopic(seek), { t: 'cancel', peer: this.me(), id: seek.id, seq: this.nextSeq() })
    this.reconcile()
    return true
  }

  /** This node's own entries on a topic as last signed (presence first), for a catch-up answer. */
  ownEntries (topic: LobbyV2Topic): Array<{ t: 'presence' | 'seek', bytes: Uint8Array }> {
    const held = this.signed.get(topicId(topic))
    if (held == null) return []
    return [...(held.presence != null ? [{ t: 'presence' as const, bytes: held.presence }] : []), ...[...held.seeks.values()].map(bytes => ({ t: 'seek' as const, bytes }))]
  }

  /** This node's open seeks, oldest first, as copies. */
  mySeeks (): OwnSeek[] {
    return [...this.mine.values()].map(s => ({ ...s, id: s.id.slice() }))
  }

  /** Sends the presence again now on every topic it belongs to (its record or reach changed, or it was just set). */
  announcePresence (): void {
    if (this.presence == null) return
    for (const key of this.presenceTopics()) void this.send(key, this.presenceMessage(this.presence, key))
  }

  private me (): Uint8Array {
    return this.init.peerId.toMultihash().bytes
  }

  /** The author's next seq, for every message it signs (its live entries too): strictly rising, at least the clock. */
  nextSeq (): number {
    this.lastSeq = Math.max(this.lastSeq + 1, this.init.now())
    return this.lastSeq
  }

  private presenceTopics (): LobbyV2Topic[] {
    return this.presence == null ? [] : publishTopics(this.presence.sizes, this.presence.ratings)
  }

  /** A seek goes on its size's topic at the player's bucket there. */
  private seekTopic (seek: OwnSeek): LobbyV2Topic {
    const size = seek.terms.size as LobbySize
    return publishTopics([size], this.presence?.ratings)[0]
  }

  private wanted (): Map<string, LobbyV2Topic> {
    const out = new Map<string, LobbyV2Topic>()
    for (const key of this.presenceTopics()) out.set(topicId(key), key)
    for (const seek of this.mine.values()) {
      const key = this.seekTopic(seek)
      out.set(topicId(key), key)
    }
    return out
  }

  /** Starts a timer for each topic now needed and stops the others. */
  private reconcile (): void {
    if (!this.running) return
    const wanted = this.wanted()
    for (const [id, t] of this.topics) {
      if (wanted.has(id)) continue
      clearTimeout(t.timer)
      clearTimeout(t.retry)
      this.topics.delete(id)
    }
    for (const [id, key] of wanted) {
      if (this.topics.has(id)) continue
      const entry: OwnTopic = { key, retries: 0 }
      this.topics.set(id, entry)
      this.schedule(entry)
    }
  }

  private schedule (entry: OwnTopic): void {
    const delay = nextDelay(this.init.period(entry.key), this.random)
    entry.timer = setTimeout(() => {
      if (!this.running || this.topics.get(topicId(entry.key)) !== entry) return
      this.republish(entry.key)
      this.schedule(entry)
    }, delay)
    entry.timer.unref?.()
  }

  private republish (key: LobbyV2Topic): void {
    const id = topicId(key)
    if (this.presence != null && this.presenceTopics().some(k => topicId(k) === id)) void this.send(key, this.presenceMessage(this.presence, key))
    for (const seek of this.mine.values()) {
      if (topicId(this.seekTopic(seek)) === id) void this.send(key, this.seekMessage(seek))
    }
  }

  private expires (key: LobbyV2Topic): number {
    return this.init.now() + entryLife(this.init.period(key))
  }

  private presenceMessage (p: PresenceInput, key: LobbyV2Topic): UnsignedLobbyV2Message {
    const { record, reach } = this.init.own()
    return {
      t: 'presence',
      peer: this.me(),
      name: p.name,
      sizes: p.sizes,
      ...(p.ratings != null ? { ratings: p.ratings } : {}),
      expires: this.expires(key),
      seq: this.nextSeq(),
      ...(record != null ? { record } : {}),
      ...(reach != null ? { reach } : {})
    }
  }

  private seekMessage (s: OwnSeek): UnsignedLobbyV2Message {
    return { t: 'seek', peer: this.me(), id: s.id, terms: s.terms, color: s.color, ...(s.range != null ? { range: s.range } : {}), expires: this.expires(this.seekTopic(s)), seq: this.nextSeq() }
  }

  private async sendLeave (topics: readonly LobbyV2Topic[]): Promise<void> {
    if (topics.length === 0) return
    const leave: UnsignedLobbyV2Message = { t: 'leave', peer: this.me(), seq: this.nextSeq() }
    await Promise.all(topics.map(async key => { await this.send(key, leave) }))
  }

  /** Remembers what was last signed for a topic (a leave or cancel forgets). */
  private note (key: LobbyV2Topic, msg: UnsignedLobbyV2Message, bytes: Uint8Array): void {
    const id = topicId(key)
    const held = this.signed.get(id) ?? { seeks: new Map<string, Uint8Array>() }
    this.signed.set(id, held)
    if (msg.t === 'presence') held.presence = bytes
    else if (msg.t === 'seek') held.seeks.set(seekKey(msg.id), bytes)
    else if (msg.t === 'cancel') held.seeks.delete(seekKey(msg.id))
    else if (msg.t === 'leave') this.signed.delete(id)
  }

  /** Signs and publishes; failures are logged, since the next republish tries again. */
  private async send (key: LobbyV2Topic, msg: UnsignedLobbyV2Message): Promise<void> {
    if (!this.running) return
    try {
      const bytes = await this.init.sign(msg)
      this.note(key, msg, bytes)
      const reached = await this.init.publish(key, bytes)
      if (msg.t === 'presence' || msg.t === 'seek') this.reached(key, reached)
    } catch (err) {
      this.init.log('could not publish a %s on %s - %e', msg.t, topicId(key), err)
    }
  }

  /** A presence or seek reached nobody: the topic is tried again soon, a few times, instead of a whole period later. */
  private reached (key: LobbyV2Topic, reached: boolean): void {
    const entry = this.topics.get(topicId(key))
    if (entry == null) return
    if (reached) {
      entry.retries = 0
      return
    }
    if (entry.retry != null || entry.retries >= NO_PEER_RETRIES) return
    const delay = NO_PEER_RETRY_MS * 2 ** entry.retries
    entry.retries++
    entry.retry = setTimeout(() => {
      entry.retry = undefined
      if (this.running && this.topics.get(topicId(key)) === entry) this.republish(key)
    }, delay)
    entry.retry.unref?.()
  }
}
