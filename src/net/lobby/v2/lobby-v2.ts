import { TopicValidatorResult } from '@libp2p/gossipsub'
import { NotStartedError, serviceDependencies } from '@libp2p/interface'
import { TypedEventEmitter } from 'main-event'
import { MAX_ENTRIES, MAX_SEEKS_PER_PEER, MAX_TOMBSTONES_PER_PEER, SWEEP_INTERVAL } from '../constants.js'
import { LobbyMessageError } from '../errors.js'
import { refusalResult } from '../rules.js'
import { OwnRecord } from '../own-record.js'
import { LobbyView } from '../view.js'
import { gossipControl, publishReached } from '../../adapters/gossipsub-internals.js'
import { Penalties } from '../../reputation/penalties.js'
import { optional } from '../../components.js'
import { maxLife, topicPeriod } from './budget.js'
import { Census } from './census.js'
import { fits, followTopics } from './follow.js'
import { catchUpEntries, onTopic, topicLoad } from './topic-entries.js'
import { checkLobbyV2, encodeLobbyV2, type LobbyV2Message } from './messages.js'
import { LobbyV2Publisher } from './publisher.js'
import { LiveLobby } from './live-lobby.js'
import { emitChanges } from './changes.js'
import { peerIdOfBytes } from './sign.js'
import { Following } from './following.js'
import { ReachBook } from './reach-book.js'
import { LobbySync } from './sync.js'
import { LOBBY_V2_CENSUS_TOPIC, lobbyV2Topic, parseLobbyV2Topic, type LobbyV2Topic } from './topics.js'
import type { LobbyCounts, LobbyV2Components, LobbyV2Init } from './index.js'
import type { LobbyEvents, LobbyLiveGame, LobbyPresence, LobbySeek, OwnSeek, PresenceInput, SeekInput } from '../index.js'
import type { LobbyRejectReason } from '../errors.js'
import type { LobbySize } from '../messages.js'
import type { ViewChange } from '../view.js'
import type { LiveChange } from './live-view.js'
import type { Reach } from '../../rung.js'
import type { WireError } from '../../../wire/index.js'
import type { GossipSub, GossipsubMessage, Message } from '@libp2p/gossipsub'
import type { CounterGroup, Logger, PeerId, PrivateKey, Startable } from '@libp2p/interface'

const key = (t: LobbyV2Topic): string => lobbyV2Topic(t.size, t.bucket)

/**
 * Lobby version 2 as a libp2p service (protocols/lobby.md, "Version 2"): a player open to games
 * announces itself on its own (size, bucket) topics, each republished on a period that keeps the
 * topic within its byte budget; a node listens to its bucket and the two next to it, catches up
 * from a neighbour when it joins a topic, and counts who is online from a sampled census. The
 * public face is version 1's, so the client, the bot and the matchmaker use either.
 */
export class LobbyV2 extends TypedEventEmitter<LobbyEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:lobby'
  readonly [serviceDependencies]: string[] = ['@libp2p/pubsub']

  private readonly components: LobbyV2Components
  private readonly init: LobbyV2Init
  private readonly log: Logger
  private readonly now: () => number
  private readonly maxTtl: number
  private readonly view: LobbyView
  private readonly rejections?: CounterGroup<LobbyRejectReason>
  /** First copies' bytes taken from gossip (gossipsub drops duplicates before the validator), by kind. */
  private readonly received?: CounterGroup<'lobby' | 'census'>
  private readonly own: OwnRecord
  private readonly publisher: LobbyV2Publisher
  private readonly live: LiveLobby
  private readonly census: Census
  private readonly sync: LobbySync
  private readonly follows: Following
  private readonly reaches: ReachBook
  private readonly penalties: Penalties
  private started = false
  private sweepTimer?: ReturnType<typeof setInterval>
  /** The sizes the player looks at; undefined: those of its presence. */
  private shown?: readonly LobbySize[]
  private lastPresence?: PresenceInput

  constructor (components: LobbyV2Components, init: LobbyV2Init = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:lobby')
    this.now = init.now ?? Date.now
    this.maxTtl = maxLife(init)
    this.view = new LobbyView({
      maxEntries: init.maxEntries ?? MAX_ENTRIES,
      maxSeeksPerPeer: MAX_SEEKS_PER_PEER,
      maxTombstonesPerPeer: MAX_TOMBSTONES_PER_PEER,
      tombstoneTtl: this.maxTtl,
      ttl: this.maxTtl
    })
    this.penalties = new Penalties({ source: 'lobby', reputation: () => optional(() => components.reputation), now: this.now })
    this.rejections = components.metrics?.registerCounterGroup('p2pgo_lobby_rejected_total', { label: 'reason', help: 'Lobby messages refused, by reason' })
    this.received = components.metrics?.registerCounterGroup('p2pgo_lobby_first_copy_bytes_total', { label: 'kind', help: 'Bytes of lobby messages received for the first time (duplicates are dropped before), by kind' })
    const sign = async (msg: Parameters<typeof encodeLobbyV2>[0]): Promise<Uint8Array> => await encodeLobbyV2(msg, this.key)
    this.own = new OwnRecord(components, this.log, {
      running: () => this.started,
      onReach: reach => { this.safeDispatchEvent('reach', { detail: reach }) },
      onRecord: () => { this.publisher.announcePresence() }
    })
    // What this node's presences, seeks and live entries are published with.
    const sending = { peerId: components.peerId, log: this.log, now: this.now, sign, publish: async (topic: LobbyV2Topic, bytes: Uint8Array) => await this.publish(key(topic), bytes), period: (topic: LobbyV2Topic) => this.period(topic) }
    this.publisher = new LobbyV2Publisher({ ...sending, own: () => this.own })
    this.live = new LiveLobby({ maxGames: init.maxEntries ?? MAX_ENTRIES, tombstoneTtl: this.maxTtl, ttl: this.maxTtl }, {
      ...sending,
      nextSeq: () => this.publisher.nextSeq(),
      onLeave: () => { this.publisher.announcePresence() },
      ...(init.live != null ? { source: init.live } : {})
    })
    this.census = new Census({
      peerId: components.peerId,
      log: this.log,
      now: this.now,
      sign,
      publish: async bytes => { await this.publish(LOBBY_V2_CENSUS_TOPIC, bytes) },
      state: () => ({ state: this.publisher.open ? 'open' : this.lastPresence?.status === 'playing' ? 'playing' : 'online', sizes: this.lastPresence?.sizes ?? [] }),
      ...(init.censusPeriod != null ? { period: init.censusPeriod } : {})
    })
    this.sync = new LobbySync(components, {
      log: this.log,
      now: this.now,
      maxTtl: this.maxTtl,
      entries: (topic, mu) => this.entriesOf(topic, mu),
      onFlood: peer => { this.penalties.penalize(peer, 'sync-flood') }
    })
    this.reaches = new ReachBook(components, () => this.own.reach, this.log, init.maxEntries ?? MAX_ENTRIES)
    this.follows = new Following({
      log: this.log,
      pubsub: () => this.pubsub,
      validate: this.validate,
      ask: async (peer, topic) => await this.catchUp(peer, topic)
    })
  }

  isStarted (): boolean {
    return this.started
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.publisher.start()
    this.sweepTimer = setInterval(() => { this.sweep() }, this.init.sweepInterval ?? SWEEP_INTERVAL)
    this.components.events?.addEventListener('self:peer:update', this.onSelfUpdate)
    await this.sync.start()
    await this.reaches.start()
  }

  /** gossipsub runs by now: join the census and the topics wanted, and start counting. */
  afterStart (): void {
    if (!this.started) return
    const pubsub = this.pubsub
    pubsub.addEventListener('gossipsub:message', this.onAccepted)
    pubsub.addEventListener('subscription-change', this.onSubscriptionChange)
    this.follows.start([LOBBY_V2_CENSUS_TOPIC])
    this.refollow()
    this.census.start()
    this.live.start()
    this.onSelfUpdate()
  }

  /** Says `leave` while gossipsub can still carry it, then leaves the topics. */
  async beforeStop (): Promise<void> {
    await Promise.all([this.publisher.stop(), this.live.stop()])
    this.census.stop()
    const pubsub = this.pubsub
    pubsub.removeEventListener('gossipsub:message', this.onAccepted)
    pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    this.follows.stop()
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    clearInterval(this.sweepTimer)
    this.components.events?.removeEventListener('self:peer:update', this.onSelfUpdate)
    await this.sync.stop().catch(err => { this.log('could not stop serving catch-up - %e', err) })
    await this.reaches.stop().catch(err => { this.log('could not stop answering reach questions - %e', err) })
    this.view.clear()
    this.live.clear()
    this.own.clear()
  }

  /** Open (`idle`) announces the player on its topics; `playing` takes it out with one `leave`. */
  setPresence (input: PresenceInput): void {
    this.assertStarted()
    this.publisher.setPresence(input)
    this.lastPresence = this.publisher.current ?? input
    // Its `leave` (a game started) drops older entries: the live ones go again after it.
    this.live.refresh()
    this.live.announce()
    this.refollow()
  }

  /** The player's presence while open to games (what this node publishes); undefined while not open. */
  ownPresence (): PresenceInput | undefined {
    return this.publisher.current
  }

  /** Listens to these sizes (the ones on the player's screen) instead of those of its presence. */
  follow (sizes: readonly LobbySize[] | undefined): void {
    this.shown = sizes
    this.refollow()
  }

  postSeek (input: SeekInput): Uint8Array {
    this.assertStarted()
    return this.publisher.postSeek(input)
  }

  cancelSeek (id: Uint8Array): boolean {
    return this.publisher.cancelSeek(id)
  }

  mySeeks (): OwnSeek[] {
    return this.publisher.mySeeks()
  }

  presences (): LobbyPresence[] {
    return this.view.presences(this.now())
  }

  /** Games in progress that players on the followed topics announce (protocols/watch.md, "Live games in the lobby"). */
  liveGames (): LobbyLiveGame[] {
    return this.live.games()
  }

  ownReach (): Reach | undefined {
    return this.own.reach
  }

  presenceOf (peer: PeerId): LobbyPresence | undefined {
    return this.view.presenceOf(peer, this.now())
  }

  /** How a peer said it can be reached: from its presence, or remembered after it left (it is in a game, maybe with us). */
  reachOf (peer: PeerId): Reach | undefined {
    return this.presenceOf(peer)?.reach ?? this.reaches.get(peer)
  }

  seeks (): LobbySeek[] {
    return this.view.seeks(this.now())
  }

  /**
   * Asks a connected peer that is not in the lobby (a player in a game: with us, say) how it is
   * reached now, and remembers the answer for `reachOf`; its presence would have said so.
   */
  async learnReach (peer: PeerId): Promise<Reach | undefined> {
    if (this.presenceOf(peer) != null) return this.reachOf(peer)
    return await this.reaches.learn(peer)
  }

  /** How many nodes are online (open to games, playing, or only connected), and by size, as the census estimates. */
  online (): LobbyCounts {
    return this.census.counts()
  }

  /** The (size, bucket) topics this node listens to now. */
  topics (): LobbyV2Topic[] {
    return this.follows.followed().map(parseLobbyV2Topic).filter(t => t != null)
  }

  private get pubsub (): GossipSub {
    const pubsub = this.components.pubsub
    if (pubsub == null) throw new Error('the lobby needs gossipsub as the node service "pubsub"')
    return pubsub
  }

  private get key (): PrivateKey {
    const key = this.components.privateKey
    if (key == null) throw new Error('lobby version 2 signs its messages: it needs the node\'s private key')
    return key
  }

  private assertStarted (): void {
    if (!this.started) throw new NotStartedError('the lobby is not started')
  }

  /** The topics wanted now: around the player's buckets for the sizes shown, or of its presence. */
  private refollow (): void {
    if (!this.started) return
    // A node with no player on screen and no presence (a test's node, a one-shot command) follows
    // nothing but the census: listening costs bytes, and nobody is looking.
    const sizes = this.shown ?? this.lastPresence?.sizes ?? []
    const wanted = followTopics(sizes, this.lastPresence?.ratings).map(key)
    this.follows.set(wanted, this.init.hub === true, [LOBBY_V2_CENSUS_TOPIC])
  }

  /** A hub follows what its neighbours follow. */
  private readonly onSubscriptionChange = (evt: CustomEvent<{ subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    for (const s of evt.detail.subscriptions) {
      if (!s.subscribe || parseLobbyV2Topic(s.topic) == null) continue
      if (this.init.hub === true) this.follows.add(s.topic)
      this.follows.neighbourJoined(s.topic)
    }
  }

  private readonly onSelfUpdate = (): void => {
    this.own.update()
  }

  private period (topic: LobbyV2Topic): number {
    return topicPeriod(topicLoad(this.view.rawEntries(this.now(), onTopic(topic)), this.live.load(topic)), this.init)
  }

  private entriesOf (topic: LobbyV2Topic, mu: number | undefined): Array<{ t: 'presence' | 'seek' | 'live', bytes: Uint8Array }> {
    // This node's own entries first: a neighbour that just joined the topic (a hub) has them from nobody else.
    return [...this.publisher.ownEntries(topic), ...catchUpEntries(this.view.rawEntries(this.now(), onTopic(topic)), topic, mu), ...this.live.entries(topic)]
  }

  private async catchUp (peer: PeerId, topic: string): Promise<number> {
    const t = parseLobbyV2Topic(topic)
    if (t == null) return 0
    const answer = await this.sync.ask(peer, t, this.lastPresence?.ratings?.[t.size]?.mu)
    const now = this.now()
    for (const { message, bytes } of [...answer.presences, ...answer.seeks, ...answer.live]) this.take(message, bytes, now)
    if (answer.refused.length > 0) this.log('%d entries of a catch-up answer from %p refused, the first: %s', answer.refused.length, peer, answer.refused[0].error.message)
    this.log('caught up on %s from %p: %d presences, %d seeks, %d live', topic, peer, answer.presences.length, answer.seeks.length, answer.live.length)
    return answer.presences.length + answer.seeks.length + answer.live.length
  }

  /** Applies a checked entry to the view and reports the changes; whether it was news (not stale). */
  private take (message: LobbyV2Message, bytes: Uint8Array, now: number): boolean {
    if (message.t === 'census') return false
    const author = peerIdOfBytes(message.peer)
    if (author.equals(this.components.peerId)) return false
    if (message.t === 'live') {
      const { news, changes } = this.live.take(message, author, bytes, now)
      this.emit(changes)
      return news
    }
    if (message.t === 'leave') this.emit(this.live.leave(author, message.seq, now))
    const result = message.t === 'presence'
      ? this.view.apply({ ...message, status: 'idle' }, author, now, bytes)
      : message.t === 'seek' ? this.view.apply(message, author, now, bytes) : this.view.apply(message, author, now)
    if (message.t === 'presence' && message.record != null && result.outcome === 'applied') this.learnAddresses(message.record, author)
    this.emit(result.changes)
    return result.outcome !== 'stale'
  }

  /** Hands signed bytes to gossipsub; false when nobody on the topic is known yet (the publisher then tries again soon). */
  private async publish (topic: string, bytes: Uint8Array): Promise<boolean> {
    const reached = await publishReached(this.pubsub, topic, bytes)
    if (!reached) this.log.trace('no peers on %s yet', topic)
    return reached
  }

  /** p2pgo's gossipsub validates asynchronously: a lobby message that passed the validator is passed on. */
  private readonly onAccepted = (evt: CustomEvent<GossipsubMessage>): void => {
    const { msgId, msg, propagationSource } = evt.detail
    if (this.follows.has(msg.topic)) gossipControl(this.pubsub).reportMessageValidationResult(msgId, propagationSource.toString(), TopicValidatorResult.Accept)
  }

  private sweep (): void {
    try {
      this.emit([...this.view.sweep(this.now()), ...this.live.sweep(this.now())])
      if (this.init.hub === true) this.follows.dropUnused()
    } catch (err) {
      this.log.error('could not sweep the lobby - %e', err)
    }
  }

  private emit (changes: ReadonlyArray<ViewChange | LiveChange>): void {
    emitChanges(this, changes, c => { this.reaches.remember(c.presence) })
  }

  /** gossipsub's topic validator for every lobby topic: never throws, whatever arrives. */
  private readonly validate = async (source: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    try {
      return await this.receive(msg)
    } catch (err) {
      this.log.error('could not handle a lobby message from %p - %e', source, err)
      return TopicValidatorResult.Ignore
    }
  }

  private async receive (msg: Message): Promise<TopicValidatorResult> {
    if (msg.type !== 'signed') return TopicValidatorResult.Reject
    if (msg.from.equals(this.components.peerId)) return TopicValidatorResult.Ignore
    this.received?.increment({ [msg.topic === LOBBY_V2_CENSUS_TOPIC ? 'census' : 'lobby']: msg.data.byteLength })
    const now = this.now()
    const checked = await checkLobbyV2(msg.data, now, { from: msg.from, maxTtl: this.maxTtl, ...(this.init.censusPeriod != null ? { censusPeriod: this.init.censusPeriod } : {}) })
    if ('error' in checked) return this.refuse(msg.from, checked.error)
    const message = checked.message
    const topic = parseLobbyV2Topic(msg.topic)
    if (message.t === 'census') {
      if (msg.topic !== LOBBY_V2_CENSUS_TOPIC) return TopicValidatorResult.Ignore
      return this.census.receive(message, msg.from) ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
    }
    // A message on a topic it does not belong to is not forwarded there (a rating that moved: no blame).
    if (topic == null || !fits(message, topic)) return TopicValidatorResult.Ignore
    // Older than what is held: nothing wrong, but not worth forwarding either.
    return this.take(message, msg.data, now) ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
  }

  private learnAddresses (record: Uint8Array, peer: PeerId): void {
    this.components.peerStore?.consumePeerRecord(record, { expectedPeer: peer }).catch(err => {
      this.log('could not store the peer record of %p - %e', peer, err)
    })
  }

  private refuse (peer: PeerId, err: WireError | LobbyMessageError): TopicValidatorResult {
    const reason = err.reason as LobbyRejectReason
    this.log('refused a lobby message from %p (%s): %s', peer, reason, err.message)
    this.rejections?.increment({ [reason]: true })
    this.safeDispatchEvent('rejected', { detail: { peer, reason, message: err.message } })
    const result = refusalResult(err)
    if (result === TopicValidatorResult.Reject) this.penalties.penalize(peer, reason)
    return result
  }
}

