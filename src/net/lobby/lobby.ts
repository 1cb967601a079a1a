import { TopicValidatorResult } from '@libp2p/gossipsub'
import { NotStartedError, serviceDependencies } from '@libp2p/interface'
import { TypedEventEmitter } from 'main-event'
import { LOBBY_TOPIC, MAX_ENTRIES, MAX_SEEKS_PER_PEER, MAX_TOMBSTONES_PER_PEER, MAX_TTL, REPUBLISH_INTERVAL, SWEEP_INTERVAL, TTL } from './constants.js'
import { LobbyMessageError } from './errors.js'
import { checkIncoming, refusalResult } from './incoming.js'
import { OwnRecord } from './own-record.js'
import { LobbyPublisher } from './publisher.js'
import { LobbyView } from './view.js'
import { gossipControl } from '../adapters/gossipsub-internals.js'
import { Penalties } from '../reputation/penalties.js'
import { optional } from '../components.js'
import type { LobbyComponents, LobbyEvents, LobbyInit, LobbyPresence, LobbySeek, OwnSeek, PresenceInput, SeekInput } from './index.js'
import type { ViewChange } from './view.js'
import type { Reach } from '../rung.js'
import type { WireError } from '../../wire/index.js'
import type { GossipSub, GossipsubMessage, Message } from '@libp2p/gossipsub'
import type { CounterGroup, Logger, PeerId, Startable } from '@libp2p/interface'
import type { LobbyRejectReason } from './errors.js'

function positive (value: number | undefined, fallback: number, name: string): number {
  if (value == null) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`lobby ${name} must be a positive number, got ${value}`)
  return value
}

/**
 * The lobby service: publishes this node's presence and seeks on the lobby topic, republishes
 * them before they lapse, and keeps the view of everyone else's from what gossipsub delivers.
 * Incoming messages are checked in gossipsub's topic validator, so a refused message is neither
 * delivered nor forwarded. The own entries live in `LobbyPublisher`, the signed peer record in
 * `OwnRecord`, the stateless checks in `incoming.ts`; this class ties them to libp2p's lifecycle.
 */
export class Lobby extends TypedEventEmitter<LobbyEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:lobby'
  readonly [serviceDependencies]: string[] = ['@libp2p/pubsub']

  private readonly components: LobbyComponents
  private readonly log: Logger
  private readonly now: () => number
  private readonly sweepInterval: number
  private readonly view: LobbyView
  private readonly rejections?: CounterGroup<LobbyRejectReason>
  private readonly own: OwnRecord
  private readonly publisher: LobbyPublisher
  private readonly penalties: Penalties
  private started = false
  private subscribed = false
  private sweepTimer?: ReturnType<typeof setInterval>

  constructor (components: LobbyComponents, init: LobbyInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:lobby')
    this.now = init.now ?? Date.now
    const republishInterval = positive(init.republishInterval, REPUBLISH_INTERVAL, 'republishInterval')
    this.sweepInterval = positive(init.sweepInterval, SWEEP_INTERVAL, 'sweepInterval')
    this.view = new LobbyView({
      maxEntries: positive(init.maxEntries, MAX_ENTRIES, 'maxEntries'),
      maxSeeksPerPeer: MAX_SEEKS_PER_PEER,
      maxTombstonesPerPeer: MAX_TOMBSTONES_PER_PEER,
      tombstoneTtl: MAX_TTL,
      ttl: TTL
    })
    this.penalties = new Penalties({ source: 'lobby', reputation: () => optional(() => components.reputation), now: this.now })
    this.rejections = components.metrics?.registerCounterGroup('p2pgo_lobby_rejected_total', { label: 'reason', help: 'Lobby messages refused, by reason' })
    this.own = new OwnRecord(components, this.log, {
      running: () => this.started,
      onReach: reach => { this.safeDispatchEvent('reach', { detail: reach }) },
      onRecord: () => { this.publisher.announcePresence() }
    })
    this.publisher = new LobbyPublisher({
      peerId: components.peerId,
      log: this.log,
      now: this.now,
      pubsub: () => this.pubsub,
      own: this.own,
      republishInterval
    })
  }

  /** Whether the service is running. */
  isStarted (): boolean {
    return this.started
  }

  /** Starts the timers and joins the topic (or, while gossipsub is still starting, in `afterStart`). */
  start (): void {
    if (this.started) return
    this.started = true
    this.publisher.start()
    this.sweepTimer = setInterval(() => { this.sweep() }, this.sweepInterval)
    this.components.events?.addEventListener('self:peer:update', this.onSelfUpdate)
    this.attach()
  }

  /** libp2p starts services side by side: gossipsub is surely running by now, and the transports listen. */
  afterStart (): void {
    if (!this.started) return
    this.attach()
    this.onSelfUpdate()
  }

  /** Leaves the topic while gossipsub can still tell the peers. */
  beforeStop (): void {
    this.detach()
  }

  /** Stops republishing, leaves the topic and forgets the view and this node's own entries. */
  stop (): void {
    if (!this.started) return
    this.started = false
    clearInterval(this.sweepTimer)
    this.sweepTimer = undefined
    this.publisher.stop()
    this.components.events?.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.detach()
    this.view.clear()
    this.own.clear()
  }

  /** Announces this node's player now and every republish interval until `stop`; replaces an earlier presence. */
  setPresence (input: PresenceInput): void {
    this.assertStarted()
    this.publisher.setPresence(input)
  }

  /**
   * Posts a seek and republishes it until `cancelSeek` or `stop`; returns its ID. With
   * MAX_SEEKS_PER_PEER already open, the oldest is cancelled first, as receivers keep the newest.
   */
  postSeek (input: SeekInput): Uint8Array {
    this.assertStarted()
    return this.publisher.postSeek(input)
  }

  /** Withdraws one of this node's seeks; false when it is not open. */
  cancelSeek (id: Uint8Array): boolean {
    return this.publisher.cancelSeek(id)
  }

  /** This node's open seeks, oldest first. */
  mySeeks (): OwnSeek[] {
    return this.publisher.mySeeks()
  }

  /** Other peers' current presences (this node's own is not in the view). */
  presences (): LobbyPresence[] {
    return this.view.presences(this.now())
  }

  /** How this node can be reached, as its presence says. */
  ownReach (): Reach | undefined {
    return this.own.reach
  }

  /** A peer's current presence, if it is in the lobby. */
  presenceOf (peer: PeerId): LobbyPresence | undefined {
    return this.view.presenceOf(peer, this.now())
  }

  /** How a peer in the lobby says it can be reached, if it is there and said so. */
  reachOf (peer: PeerId): Reach | undefined {
    return this.presenceOf(peer)?.reach
  }

  /** Other peers' current seeks. */
  seeks (): LobbySeek[] {
    return this.view.seeks(this.now())
  }

  /** The node's gossipsub; libp2p checks the dependency when it builds the node. */
  private get pubsub (): GossipSub {
    const pubsub = this.components.pubsub
    if (pubsub == null) throw new Error('the lobby needs gossipsub as the node service "pubsub"')
    return pubsub
  }

  private assertStarted (): void {
    if (!this.started) throw new NotStartedError('the lobby is not started')
  }

  /**
   * A peer that joins the topic would otherwise wait up to a republish interval to see us:
   * republish shortly after (once per burst of joins; gossipsub needs a heartbeat to add it).
   */
  private readonly onSubscriptionChange = (evt: CustomEvent<{ subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    if (evt.detail.subscriptions.some(s => s.topic === LOBBY_TOPIC && s.subscribe)) this.publisher.welcome()
  }

  /** This node's addresses may have changed (a relay reservation, a UPnP mapping): re-sign them. */
  private readonly onSelfUpdate = (): void => {
    this.own.update()
  }

  private attach (): void {
    const pubsub = this.pubsub
    pubsub.topicValidators.set(LOBBY_TOPIC, this.validate)
    pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    pubsub.addEventListener('subscription-change', this.onSubscriptionChange)
    pubsub.removeEventListener('gossipsub:message', this.onAccepted)
    pubsub.addEventListener('gossipsub:message', this.onAccepted)
    if (this.subscribed) return
    try {
      pubsub.subscribe(LOBBY_TOPIC)
      this.subscribed = true
    } catch (err) {
      this.log('gossipsub is not running yet, joining %s after start - %e', LOBBY_TOPIC, err)
    }
  }

  /**
   * p2pgo's gossipsub validates asynchronously (RNA needs the time) and forwards a message only
   * once told to. A lobby message gets here only after the topic validator accepted it: pass it on.
   */
  private readonly onAccepted = (evt: CustomEvent<GossipsubMessage>): void => {
    const { msgId, msg, propagationSource } = evt.detail
    if (msg.topic === LOBBY_TOPIC) gossipControl(this.pubsub).reportMessageValidationResult(msgId, propagationSource.toString(), TopicValidatorResult.Accept)
  }

  private detach (): void {
    const pubsub = this.pubsub
    pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    pubsub.removeEventListener('gossipsub:message', this.onAccepted)
    this.publisher.cancelWelcome()
    if (pubsub.topicValidators.get(LOBBY_TOPIC) === this.validate) pubsub.topicValidators.delete(LOBBY_TOPIC)
    if (!this.subscribed) return
    this.subscribed = false
    try {
      pubsub.unsubscribe(LOBBY_TOPIC)
    } catch (err) {
      this.log('could not leave %s - %e', LOBBY_TOPIC, err)
    }
  }

  private sweep (): void {
    try {
      this.emit(this.view.sweep(this.now()))
    } catch (err) {
      this.log.error('could not sweep the lobby - %e', err)
    }
  }

  private emit (changes: readonly ViewChange[]): void {
    for (const c of changes) {
      if (c.type === 'presence') this.safeDispatchEvent('presence', { detail: c.presence })
      else if (c.type === 'seek') this.safeDispatchEvent('seek', { detail: c.seek })
      else if (c.type === 'presence:removed') this.safeDispatchEvent('presence:removed', { detail: { presence: c.presence, reason: c.reason } })
      else this.safeDispatchEvent('seek:removed', { detail: { seek: c.seek, reason: c.reason } })
    }
  }

  /** gossipsub's topic validator: never throws, whatever arrives. */
  private readonly validate = async (source: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    try {
      return await this.receive(source, msg)
    } catch (err) {
      // A bug of ours, not the peer's fault: do not forward, do not penalise.
      this.log.error('could not handle a lobby message from %p - %e', source, err)
      return TopicValidatorResult.Ignore
    }
  }

  private async receive (source: PeerId, msg: Message): Promise<TopicValidatorResult> {
    // StrictSign already refuses unsigned messages; this holds if the policy ever changes.
    if (msg.type !== 'signed') return this.refuse(source, new LobbyMessageError('unsigned'))
    if (msg.from.equals(this.components.peerId)) return TopicValidatorResult.Ignore
    const now = this.now()
    const checked = await checkIncoming(msg.data, msg.from, now)
    if ('error' in checked) return this.refuse(msg.from, checked.error)
    const decoded = checked.message
    const record = decoded.t === 'presence' ? decoded.record : undefined
    const newcomer = decoded.t === 'presence' && this.view.presenceOf(msg.from, now) == null
    const result = this.view.apply(decoded, msg.from, now)
    // Someone new is here: gossip keeps no history, so they see the others only as they republish.
    if (newcomer && result.outcome !== 'stale') this.publisher.welcome()
    if (record != null && result.outcome !== 'stale') this.learnAddresses(record, msg.from)
    this.emit(result.changes)
    if (result.outcome === 'full') this.log('lobby full: dropped a %s from %p', decoded.t, msg.from)
    // Older than what is held: nothing wrong, but not worth forwarding either.
    return result.outcome === 'stale' ? TopicValidatorResult.Ignore : TopicValidatorResult.Accept
  }

  /** Puts a checked peer record into the peer store (which keeps it only if it is newer than the one held). */
  private learnAddresses (record: Uint8Array, peer: PeerId): void {
    this.components.peerStore?.consumePeerRecord(record, { expectedPeer: peer }).then(fresh => {
      this.log.trace('peer record of %p %s', peer, fresh ? 'stored' : 'not newer than the one held')
    }, err => {
      this.log('could not store the peer record of %p - %e', peer, err)
    })
  }

  /** Reports a refused message to the log, the metrics, the `rejected` event and the signer's reputation; `refusalResult` says whether to blame it. */
  private refuse (peer: PeerId, err: WireError | LobbyMessageError): TopicValidatorResult {
    const reason = err.reason as LobbyRejectReason
    this.log('refused a lobby message from %p (%s): %s', peer, reason, err.message)
    this.rejections?.increment({ [reason]: true })
    this.safeDispatchEvent('rejected', { detail: { peer, reason, message: err.message } })
    const result = refusalResult(err)
    // Gossipsub scores the forwarder; the reputation book remembers the signer (the peer it speaks for is not blamed).
    if (result === TopicValidatorResult.Reject) this.penalties.penalize(peer, reason)
    return result
  }
}
