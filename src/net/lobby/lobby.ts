import { TopicValidatorResult } from '@libp2p/gossipsub'
import { NotStartedError, serviceDependencies } from '@libp2p/interface'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { CODE_P2P } from '@multiformats/multiaddr'
import { TypedEventEmitter } from 'main-event'
import { UnknownVersionError, WireError } from '../../wire/index.js'
import { LOBBY_TOPIC, MAX_ENTRIES, MAX_RECORD_ADDRESSES, MAX_SEEKS_PER_PEER, MAX_TOMBSTONES_PER_PEER, MAX_TTL, REPUBLISH_INTERVAL, SEEK_ID_BYTES, SWEEP_INTERVAL, TTL, WELCOME_DELAY, WELCOME_INTERVAL } from './constants.js'
import { InvalidLobbyEntryError, LobbyMessageError } from './errors.js'
import { checkLobbyMessage, decodeLobbyMessage, encodeLobbyMessage } from './messages.js'
import { recordProblem } from './peer-record.js'
import { LobbyView, seekKey } from './view.js'
import { selfReach } from '../reach.js'
import { gossipControl } from '../adapters/gossipsub-internals.js'
import type { LobbyComponents, LobbyEvents, LobbyInit, LobbyPresence, LobbySeek, OwnSeek, PresenceInput, SeekInput } from './index.js'
import type { LobbyMessage, PresenceMessage, SeekMessage } from './messages.js'
import type { ViewChange } from './view.js'
import type { Reach } from '../rung.js'
import type { GossipSub, GossipsubMessage, Message } from '@libp2p/gossipsub'
import type { CounterGroup, Logger, PeerId, Startable } from '@libp2p/interface'
import type { LobbyRejectReason } from './errors.js'

/** gossipsub throws plain Errors whose message names the case. */
function isNoPeers (err: unknown): boolean {
  return err instanceof Error && err.message.includes('NoPeersSubscribedToTopic')
}

function positive (value: number | undefined, fallback: number, name: string): number {
  if (value == null) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`lobby ${name} must be a positive number, got ${value}`)
  return value
}

/**
 * The lobby service: publishes this node's presence and seeks on the lobby topic, republishes
 * them before they lapse, and keeps the view of everyone else's from what gossipsub delivers.
 * Incoming messages are checked in gossipsub's topic validator, so a refused message is neither
 * delivered nor forwarded.
 */
export class Lobby extends TypedEventEmitter<LobbyEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:lobby'
  readonly [serviceDependencies]: string[] = ['@libp2p/pubsub']

  private readonly components: LobbyComponents
  private readonly log: Logger
  private readonly now: () => number
  private readonly republishInterval: number
  private readonly sweepInterval: number
  private readonly view: LobbyView
  private readonly rejections?: CounterGroup<LobbyRejectReason>
  private started = false
  private subscribed = false
  private shutdown?: AbortController
  private republishTimer?: ReturnType<typeof setInterval>
  private sweepTimer?: ReturnType<typeof setInterval>
  private presence?: PresenceInput
  /** My open seeks by ID, in the order posted (which is also the order republished). */
  private readonly mine = new Map<string, OwnSeek>()
  private lastSeq = 0
  /** This node's signed peer record as presences carry it, and the addresses it was made from. */
  private record?: Uint8Array
  private recordAddresses = ''
  private reach?: Reach
  private recordUpdate: Promise<void> = Promise.resolve()

  constructor (components: LobbyComponents, init: LobbyInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:lobby')
    this.now = init.now ?? Date.now
    this.republishInterval = positive(init.republishInterval, REPUBLISH_INTERVAL, 'republishInterval')
    this.sweepInterval = positive(init.sweepInterval, SWEEP_INTERVAL, 'sweepInterval')
    this.view = new LobbyView({
      maxEntries: positive(init.maxEntries, MAX_ENTRIES, 'maxEntries'),
      maxSeeksPerPeer: MAX_SEEKS_PER_PEER,
      maxTombstonesPerPeer: MAX_TOMBSTONES_PER_PEER,
      tombstoneTtl: MAX_TTL,
      ttl: TTL
    })
    this.rejections = components.metrics?.registerCounterGroup('p2pgo_lobby_rejected_total', { label: 'reason', help: 'Lobby messages refused, by reason' })
  }

  /** Whether the service is running. */
  isStarted (): boolean {
    return this.started
  }

  /** Starts the timers and joins the topic (or, while gossipsub is still starting, in `afterStart`). */
  start (): void {
    if (this.started) return
    this.started = true
    this.shutdown = new AbortController()
    this.republishTimer = setInterval(() => { this.republish() }, this.republishInterval)
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
    clearInterval(this.republishTimer)
    clearInterval(this.sweepTimer)
    this.republishTimer = undefined
    this.sweepTimer = undefined
    this.shutdown?.abort()
    this.components.events?.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.detach()
    this.view.clear()
    this.presence = undefined
    this.record = undefined
    this.reach = undefined
    this.recordAddresses = ''
    this.mine.clear()
  }

  /** Announces this node's player now and every republish interval until `stop`; replaces an earlier presence. */
  setPresence (input: PresenceInput): void {
    this.assertStarted()
    const sizes = [...new Set(input.sizes)].sort((a, b) => a - b)
    const { bytes, msg } = this.checked(this.presenceMessage({ ...input, sizes }))
    // What was checked, not the caller's objects: a later change on their side cannot reach the wire.
    const { name, ratings, status } = msg
    this.presence = Object.freeze({ name, sizes: msg.sizes, ...(ratings != null ? { ratings } : {}), status })
    this.publish(bytes)
  }

  /**
   * Posts a seek and republishes it until `cancelSeek` or `stop`; returns its ID. With
   * MAX_SEEKS_PER_PEER already open, the oldest is cancelled first, as receivers keep the newest.
   */
  postSeek (input: SeekInput): Uint8Array {
    this.assertStarted()
    const id = crypto.getRandomValues(new Uint8Array(SEEK_ID_BYTES))
    // Checked before anything changes, so a bad seek does not cancel a good one.
    const { msg } = this.checked(this.seekMessage({ ...input, id }))
    const seek: OwnSeek = Object.freeze({ id, terms: msg.terms, color: msg.color, ...(msg.range != null ? { range: msg.range } : {}) })
    while (this.mine.size >= MAX_SEEKS_PER_PEER) {
      const oldest = this.mine.values().next().value as OwnSeek
      this.cancelSeek(oldest.id)
    }
    this.mine.set(seekKey(id), seek)
    this.publish(this.checked(this.seekMessage(seek)).bytes)
    return id.slice()
  }

  /** Withdraws one of this node's seeks; false when it is not open. */
  cancelSeek (id: Uint8Array): boolean {
    const key = seekKey(id)
    if (!this.mine.delete(key)) return false
    // One cancel: if it is lost, the seek still lapses within TTL since it is no longer republished.
    this.publish(this.checked({ t: 'cancel', peer: this.me(), id, seq: this.nextSeq() }).bytes)
    return true
  }

  /** This node's open seeks, oldest first. */
  mySeeks (): OwnSeek[] {
    return [...this.mine.values()].map(s => ({ ...s, id: s.id.slice() }))
  }

  /** Other peers' current presences (this node's own is not in the view). */
  presences (): LobbyPresence[] {
    return this.view.presences(this.now())
  }

  /** How this node can be reached, as its presence says. */
  ownReach (): Reach | undefined {
    return this.reach
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
    if (evt.detail.subscriptions.some(s => s.topic === LOBBY_TOPIC && s.subscribe)) this.welcome()
  }

  /**
   * Republishes this node's entries for a newcomer: a neighbour that joined the topic, or a presence
   * from a peer not in the view (who may sit hops away, behind a bootstrap node). Once per burst,
   * and at most every WELCOME_INTERVAL, so arrivals cost each node a bounded number of messages.
   */
  private welcome (): void {
    if (this.welcomeTimer != null) return
    const wait = Math.max(WELCOME_DELAY, this.lastWelcome + WELCOME_INTERVAL - this.now())
    this.welcomeTimer = setTimeout(() => {
      this.welcomeTimer = undefined
      this.lastWelcome = this.now()
      this.republish()
    }, wait)
  }

  private welcomeTimer?: ReturnType<typeof setTimeout>
  private lastWelcome = -Infinity

  /** This node's addresses may have changed (a relay reservation, a UPnP mapping): re-sign them. */
  private readonly onSelfUpdate = (): void => {
    this.recordUpdate = this.recordUpdate.then(async () => { await this.updateRecord() }).catch(err => {
      this.log.error('could not sign a peer record - %e', err)
    })
  }

  /** Seals a new peer record when the dialable addresses changed, and announces it at once. */
  private async updateRecord (): Promise<void> {
    const { addressManager, privateKey, peerId } = this.components
    if (addressManager == null || privateKey == null || !this.started) return
    const multiaddrs = addressManager.getAddresses().map(ma => ma.decapsulateCode(CODE_P2P)).slice(0, MAX_RECORD_ADDRESSES)
    const reach = selfReach(addressManager)
    if (reach !== this.reach) {
      this.reach = reach
      this.safeDispatchEvent('reach', { detail: reach })
    }
    const key = `${this.reach ?? ''} ${multiaddrs.map(String).join(' ')}`
    if (key === this.recordAddresses) return
    this.recordAddresses = key
    const envelope = multiaddrs.length === 0 ? undefined : await RecordEnvelope.seal(new PeerRecord({ peerId, multiaddrs }), privateKey)
    if (!this.started) return
    this.record = envelope?.marshal()
    this.log('signed a peer record with %d addresses', multiaddrs.length)
    if (this.presence != null) this.publish(this.checked(this.presenceMessage(this.presence)).bytes)
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
    clearTimeout(this.welcomeTimer)
    this.welcomeTimer = undefined
    if (pubsub.topicValidators.get(LOBBY_TOPIC) === this.validate) pubsub.topicValidators.delete(LOBBY_TOPIC)
    if (!this.subscribed) return
    this.subscribed = false
    try {
      pubsub.unsubscribe(LOBBY_TOPIC)
    } catch (err) {
      this.log('could not leave %s - %e', LOBBY_TOPIC, err)
    }
  }

  private me (): Uint8Array {
    return this.components.peerId.toMultihash().bytes
  }

  /** Sequence numbers start from the clock, so a restarted node's messages still replace its old ones. */
  private nextSeq (): number {
    this.lastSeq = Math.max(this.lastSeq + 1, this.now())
    return this.lastSeq
  }

  private presenceMessage (p: PresenceInput): PresenceMessage {
    return {
      t: 'presence',
      peer: this.me(),
      name: p.name,
      sizes: p.sizes,
      ...(p.ratings != null ? { ratings: p.ratings } : {}),
      status: p.status,
      expires: this.now() + TTL,
      seq: this.nextSeq(),
      ...(this.record != null ? { record: this.record } : {}),
      ...(this.reach != null ? { reach: this.reach } : {})
    }
  }

  private seekMessage (s: OwnSeek): SeekMessage {
    return { t: 'seek', peer: this.me(), id: s.id, terms: s.terms, color: s.color, ...(s.range != null ? { range: s.range } : {}), expires: this.now() + TTL, seq: this.nextSeq() }
  }

  /**
   * Encodes my message and runs the receivers' decoder on it: what others would refuse is never
   * sent. Returns the bytes and what they decode to.
   */
  private checked<M extends LobbyMessage> (msg: M): { bytes: Uint8Array, msg: M } {
    try {
      const bytes = encodeLobbyMessage(msg)
      // The type travels in `t`, so what comes back is the same kind of message.
      return { bytes, msg: decodeLobbyMessage(bytes) as M }
    } catch (err) {
      if (err instanceof WireError) throw new InvalidLobbyEntryError(err.message, 'path' in err ? String(err.path) : '')
      if (err instanceof TypeError) throw new InvalidLobbyEntryError(err.message, '')
      throw err
    }
  }

  /** Hands a message to gossipsub; failures are logged, since the next republish tries again. */
  private publish (data: Uint8Array): void {
    const signal = this.shutdown?.signal
    if (signal == null || signal.aborted) return
    this.pubsub.publish(LOBBY_TOPIC, data).then(result => {
      this.log.trace('published %d bytes to %d peers', data.byteLength, result.recipients.length)
    }, err => {
      if (signal.aborted) return
      if (isNoPeers(err)) this.log('no peers on %s yet; the next republish tries again', LOBBY_TOPIC)
      else this.log.error('could not publish on %s - %e', LOBBY_TOPIC, err)
    })
  }

  private republish (): void {
    try {
      if (this.presence != null) this.publish(this.checked(this.presenceMessage(this.presence)).bytes)
      for (const seek of this.mine.values()) this.publish(this.checked(this.seekMessage(seek)).bytes)
    } catch (err) {
      this.log.error('could not republish - %e', err)
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
    let decoded: LobbyMessage
    try {
      decoded = decodeLobbyMessage(msg.data)
      checkLobbyMessage(decoded, { from: msg.from.toMultihash().bytes, now })
    } catch (err) {
      if (err instanceof WireError || err instanceof LobbyMessageError) return this.refuse(msg.from, err)
      throw err
    }
    const record = decoded.t === 'presence' ? decoded.record : undefined
    if (record != null) {
      const why = await recordProblem(record, msg.from)
      if (why != null) return this.refuse(msg.from, new LobbyMessageError('bad-record', why))
    }
    const newcomer = decoded.t === 'presence' && this.view.presenceOf(msg.from, now) == null
    const result = this.view.apply(decoded, msg.from, now)
    // Someone new is here: gossip keeps no history, so they see the others only as they republish.
    if (newcomer && result.outcome !== 'stale') this.welcome()
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

  /**
   * Reports a refused message. A newer version, or an expiry outside this node's window (which
   * depends on its clock and the delay), is not held against the forwarder: `ignore`, not `reject`.
   */
  private refuse (peer: PeerId, err: WireError | LobbyMessageError): TopicValidatorResult {
    const reason = err.reason as LobbyRejectReason
    this.log('refused a lobby message from %p (%s): %s', peer, reason, err.message)
    this.rejections?.increment({ [reason]: true })
    this.safeDispatchEvent('rejected', { detail: { peer, reason, message: err.message } })
    const blameless = err instanceof UnknownVersionError || reason === 'expired' || reason === 'expires-too-far'
    return blameless ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
  }
}
