// This node's own side of the lobby: its presence and open seeks, built into messages, checked
// with the receivers' own decoder, handed to gossipsub, and republished before they lapse (on a
// timer, and soon after a newcomer arrives, since gossip keeps no history).
import { WireError } from '../../wire/index.js'
import { LOBBY_TOPIC, MAX_SEEKS_PER_PEER, SEEK_ID_BYTES, TTL, WELCOME_DELAY, WELCOME_INTERVAL } from './constants.js'
import { InvalidLobbyEntryError } from './errors.js'
import { decodeLobbyMessage, encodeLobbyMessage } from './messages.js'
import { seekKey } from './view.js'
import { isNoPeersError } from '../adapters/gossipsub-internals.js'
import type { OwnSeek, PresenceInput, SeekInput } from './index.js'
import type { LobbyMessage, PresenceMessage, SeekMessage } from './messages.js'
import type { OwnRecord } from './own-record.js'
import type { GossipSub } from '@libp2p/gossipsub'
import type { Logger, PeerId } from '@libp2p/interface'

/** What the publisher needs from the lobby service. */
export interface PublisherInit {
  readonly peerId: PeerId
  readonly log: Logger
  readonly now: () => number
  /** The node's gossipsub, looked up at each use (the service checks it is there). */
  readonly pubsub: () => GossipSub
  /** The signed record and reach the presence carries. */
  readonly own: OwnRecord
  readonly republishInterval: number
}

/**
 * Encodes my message and runs the receivers' decoder on it: what others would refuse is never
 * sent. Returns the bytes and what they decode to.
 */
export function checkedMessage<M extends LobbyMessage> (msg: M): { bytes: Uint8Array, msg: M } {
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

/** Publishes and republishes this node's presence and seeks while the lobby runs. */
export class LobbyPublisher {
  private readonly init: PublisherInit
  private shutdown?: AbortController
  private republishTimer?: ReturnType<typeof setInterval>
  private welcomeTimer?: ReturnType<typeof setTimeout>
  private lastWelcome = -Infinity
  private presence?: PresenceInput
  /** My open seeks by ID, in the order posted (which is also the order republished). */
  private readonly mine = new Map<string, OwnSeek>()
  private lastSeq = 0

  constructor (init: PublisherInit) {
    this.init = init
  }

  /** Allows publishing and starts the republish timer. */
  start (): void {
    this.shutdown = new AbortController()
    this.republishTimer = setInterval(() => { this.republish() }, this.init.republishInterval)
  }

  /** Stops the timer, drops what is still being published, and forgets this node's entries. */
  stop (): void {
    clearInterval(this.republishTimer)
    this.republishTimer = undefined
    this.shutdown?.abort()
    this.presence = undefined
    this.mine.clear()
  }

  /** Announces this node's player now and every republish interval; replaces an earlier presence. */
  setPresence (input: PresenceInput): void {
    const sizes = [...new Set(input.sizes)].sort((a, b) => a - b)
    const { bytes, msg } = checkedMessage(this.presenceMessage({ ...input, sizes }))
    // What was checked, not the caller's objects: a later change on their side cannot reach the wire.
    const { name, ratings, status } = msg
    this.presence = Object.freeze({ name, sizes: msg.sizes, ...(ratings != null ? { ratings } : {}), status })
    this.publish(bytes)
  }

  /** Posts a seek and republishes it until cancelled; returns its ID (the oldest goes first past MAX_SEEKS_PER_PEER). */
  postSeek (input: SeekInput): Uint8Array {
    const id = crypto.getRandomValues(new Uint8Array(SEEK_ID_BYTES))
    // Checked before anything changes, so a bad seek does not cancel a good one.
    const { msg } = checkedMessage(this.seekMessage({ ...input, id }))
    const seek: OwnSeek = Object.freeze({ id, terms: msg.terms, color: msg.color, ...(msg.range != null ? { range: msg.range } : {}) })
    while (this.mine.size >= MAX_SEEKS_PER_PEER) {
      const oldest = this.mine.values().next().value as OwnSeek
      this.cancelSeek(oldest.id)
    }
    this.mine.set(seekKey(id), seek)
    this.publish(checkedMessage(this.seekMessage(seek)).bytes)
    return id.slice()
  }

  /** Withdraws one of this node's seeks; false when it is not open. */
  cancelSeek (id: Uint8Array): boolean {
    const key = seekKey(id)
    if (!this.mine.delete(key)) return false
    // One cancel: if it is lost, the seek still lapses within TTL since it is no longer republished.
    this.publish(checkedMessage({ t: 'cancel', peer: this.me(), id, seq: this.nextSeq() }).bytes)
    return true
  }

  /** This node's open seeks, oldest first, as copies. */
  mySeeks (): OwnSeek[] {
    return [...this.mine.values()].map(s => ({ ...s, id: s.id.slice() }))
  }

  /** Sends the presence again now, if there is one (its record or reach changed). */
  announcePresence (): void {
    if (this.presence != null) this.publish(checkedMessage(this.presenceMessage(this.presence)).bytes)
  }

  /**
   * Republishes this node's entries for a newcomer: a neighbour that joined the topic, or a presence
   * from a peer not in the view (who may sit hops away, behind a bootstrap node). Once per burst,
   * and at most every WELCOME_INTERVAL, so arrivals cost each node a bounded number of messages.
   */
  welcome (): void {
    if (this.welcomeTimer != null) return
    const wait = Math.max(WELCOME_DELAY, this.lastWelcome + WELCOME_INTERVAL - this.init.now())
    this.welcomeTimer = setTimeout(() => {
      this.welcomeTimer = undefined
      this.lastWelcome = this.init.now()
      this.republish()
    }, wait)
  }

  /** Drops a pending welcome republish (the lobby leaves the topic). */
  cancelWelcome (): void {
    clearTimeout(this.welcomeTimer)
    this.welcomeTimer = undefined
  }

  private me (): Uint8Array {
    return this.init.peerId.toMultihash().bytes
  }

  /** Sequence numbers start from the clock, so a restarted node's messages still replace its old ones. */
  private nextSeq (): number {
    this.lastSeq = Math.max(this.lastSeq + 1, this.init.now())
    return this.lastSeq
  }

  private presenceMessage (p: PresenceInput): PresenceMessage {
    const { record, reach } = this.init.own
    return {
      t: 'presence',
      peer: this.me(),
      name: p.name,
      sizes: p.sizes,
      ...(p.ratings != null ? { ratings: p.ratings } : {}),
      status: p.status,
      expires: this.init.now() + TTL,
      seq: this.nextSeq(),
      ...(record != null ? { record } : {}),
      ...(reach != null ? { reach } : {})
    }
  }

  private seekMessage (s: OwnSeek): SeekMessage {
    return { t: 'seek', peer: this.me(), id: s.id, terms: s.terms, color: s.color, ...(s.range != null ? { range: s.range } : {}), expires: this.init.now() + TTL, seq: this.nextSeq() }
  }

  /** Hands a message to gossipsub; failures are logged, since the next republish tries again. */
  private publish (data: Uint8Array): void {
    const signal = this.shutdown?.signal
    if (signal == null || signal.aborted) return
    const log = this.init.log
    this.init.pubsub().publish(LOBBY_TOPIC, data).then(result => {
      log.trace('published %d bytes to %d peers', data.byteLength, result.recipients.length)
    }, err => {
      if (signal.aborted) return
      if (isNoPeersError(err)) log('no peers on %s yet; the next republish tries again', LOBBY_TOPIC)
      else log.error('could not publish on %s - %e', LOBBY_TOPIC, err)
    })
  }

  private republish (): void {
    try {
      this.announcePresence()
      for (const seek of this.mine.values()) this.publish(checkedMessage(this.seekMessage(seek)).bytes)
    } catch (err) {
      this.init.log.error('could not republish - %e', err)
    }
  }
}
