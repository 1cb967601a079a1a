// Friends followed by peer ID (protocols/lobby.md, "Friends"): this node puts its player's signed
// presence in the DHT while open to games (every PRESENCE_REFRESH and soon after a change), a
// signed leave ("away") when it stops being open, and reads each friend's record every
// FRIEND_READ_INTERVAL. Cost per node: one put every 10 min, one lookup per friend every 2 min.
import { peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { encodeLobbyV2, type UnsignedLobbyV2Message } from '../lobby/v2/messages.js'
import { FRIEND_READ_INTERVAL, MAX_FRIENDS, OWN_PRESENCE_LOOK, PRESENCE_DHT_TIMEOUT, PRESENCE_LIFE, PRESENCE_REFRESH } from './constants.js'
import { checkPresenceRecord, newestPresenceIndex, presenceKey, type PresenceRecord } from './presence-record.js'
import type { FriendsComponents, FriendsEvents, FriendsInit, FriendStatus } from './index.js'
import type { PresenceInput } from '../lobby/index.js'
import type { Logger, Startable } from '@libp2p/interface'

/** What was last put: the presence's content, or away. */
interface Put { readonly what: string, readonly at: number }

const contentOf = (p: PresenceInput | undefined): string => p == null || p.status !== 'idle' ? 'away' : JSON.stringify([p.name, p.sizes, p.ratings ?? null])

/** The friends service: presence records put and read. */
export class Friends extends TypedEventEmitter<FriendsEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:friends'
  private readonly components: FriendsComponents
  private readonly init: FriendsInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly list = new Set<string>()
  private readonly status = new Map<string, FriendStatus>()
  private started = false
  private controller = new AbortController()
  private timers: Array<ReturnType<typeof setInterval>> = []
  private last?: Put
  private failedAt?: number
  private putting = false
  private lastSeq = 0
  /** Reads done, per friend (tests: removing a friend stops its reads). */
  readonly reads = new Map<string, number>()

  constructor (components: FriendsComponents, init: FriendsInit) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:friends')
    this.now = init.now ?? Date.now
  }

  isStarted (): boolean {
    return this.started
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.controller = new AbortController()
    const every = (ms: number, fn: () => Promise<unknown>): void => {
      const t = setInterval(() => { fn().catch(err => { this.log.error('friends: %e', err) }) }, ms)
      t.unref?.()
      this.timers.push(t)
    }
    every(this.init.lookInterval ?? OWN_PRESENCE_LOOK, async () => this.putOwn())
    every(this.init.readInterval ?? FRIEND_READ_INTERVAL, async () => this.readAll())
    void this.readAll().catch(err => { this.log.error('friends: %e', err) })
  }

  /** Stops reading and putting. Nothing is put on stop: the record lapses within PRESENCE_LIFE (a put while stopping would hold the stop up to a DHT timeout). */
  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.controller.abort()
  }

  /** What this node last put and when (ms), or undefined before its first put: `open` (a presence) or `away` (a leave). */
  get lastPut (): { readonly kind: 'open' | 'away', readonly at: number } | undefined {
    return this.last == null ? undefined : { kind: this.last.what === 'away' ? 'away' : 'open', at: this.last.at }
  }

  /** The friends followed, with what is known of each, in the order added. */
  statuses (): FriendStatus[] {
    return [...this.list].map(peer => this.status.get(peer) ?? { peer, state: 'unknown' })
  }

  /** Follows `peer` (peer ID text) and reads its record now; false when it was followed already. Throws on a bad peer ID or past MAX_FRIENDS. */
  follow (peer: string, options: { read?: boolean } = {}): boolean {
    const id = peerIdFromString(peer).toString()
    if (this.list.has(id)) return false
    if (this.list.size >= MAX_FRIENDS) throw new RangeError(`at most ${MAX_FRIENDS} friends can be followed`)
    this.list.add(id)
    if (this.started && options.read !== false) void this.read(id).catch(err => { this.log.error('friends: %e', err) })
    return true
  }

  /** Stops following `peer`: no more reads of its record. */
  unfollow (peer: string): boolean {
    const had = this.list.delete(peer)
    const known = this.status.get(peer)
    this.status.delete(peer)
    if (had) this.safeDispatchEvent('friend:removed', { detail: known ?? { peer, state: 'unknown' } })
    return had
  }

  /** Reads the friends list again from its source (the home's file), following new ones (read at once unless `read` is false) and dropping removed ones. */
  async reload (options: { read?: boolean } = {}): Promise<void> {
    if (this.init.list == null) return
    const wanted = new Set((await this.init.list()).slice(0, MAX_FRIENDS))
    for (const peer of [...this.list]) if (!wanted.has(peer)) this.unfollow(peer)
    for (const peer of wanted) {
      try {
        this.follow(peer, options)
      } catch (err) {
        this.log('friends: %s is not a peer ID - %e', peer, err)
      }
    }
  }

  /** Reads every friend's record (the list reloaded first). */
  async readAll (): Promise<void> {
    await this.reload({ read: false })
    await Promise.all([...this.list].map(async peer => this.read(peer)))
  }

  /** Reads one friend's record from the DHT and emits `friend` with what it says. */
  async read (peer: string): Promise<FriendStatus> {
    const key = presenceKey(peerIdFromString(peer).toMultihash().bytes)
    this.reads.set(peer, (this.reads.get(peer) ?? 0) + 1)
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.dhtTimeout ?? PRESENCE_DHT_TIMEOUT)])
    const values: Uint8Array[] = []
    try {
      for await (const event of this.init.dht().get(key, { signal })) {
        if (event.name === 'VALUE') values.push(event.value)
      }
    } catch (err) {
      if (this.controller.signal.aborted) throw err
      if (values.length === 0) this.log('no presence record of %s found - %e', peer, err)
    }
    let record: PresenceRecord | undefined
    const now = this.now()
    const valid: Uint8Array[] = []
    for (const v of values) {
      // kad-dht checked what peers sent; its own stored copy it did not.
      const ok = await checkPresenceRecord(key, v, now).then(() => true, () => false)
      if (ok) valid.push(v)
    }
    if (valid.length > 0) record = await checkPresenceRecord(key, valid[newestPresenceIndex(valid)], now)
    const status: FriendStatus = record == null
      ? { peer, state: 'not-found', checkedAt: now, ...nameOf(this.status.get(peer)) }
      : record.kind === 'open'
        ? { peer, state: 'open', checkedAt: now, name: record.message.name, sizes: record.message.sizes, ...(record.message.ratings != null ? { ratings: record.message.ratings } : {}), expires: record.message.expires }
        : { peer, state: 'away', checkedAt: now, ...nameOf(this.status.get(peer)) }
    if (!this.list.has(peer)) return status
    this.status.set(peer, status)
    this.safeDispatchEvent('friend', { detail: status })
    return status
  }

  /**
   * Puts this player's record when it is due: while open, when the presence changed or
   * PRESENCE_REFRESH passed; once not open after having been, a leave. A failed put is tried
   * again a minute later. Returns whether something was put.
   */
  async putOwn (): Promise<boolean> {
    if (!this.started || this.putting) return false
    const now = this.now()
    if (this.failedAt != null && now - this.failedAt < 60_000) return false
    const own = this.init.own()
    const what = contentOf(own)
    const due = what === 'away'
      ? this.last != null && this.last.what !== 'away'
      : this.last?.what !== what || now - this.last.at >= (this.init.refresh ?? PRESENCE_REFRESH)
    if (!due) return false
    this.putting = true
    try {
      const me = this.components.peerId.toMultihash().bytes
      this.lastSeq = Math.max(this.lastSeq + 1, now)
      const msg: UnsignedLobbyV2Message = what === 'away' || own == null
        ? { t: 'leave', peer: me, seq: this.lastSeq }
        : { t: 'presence', peer: me, name: own.name, sizes: [...new Set(own.sizes)].sort((a, b) => a - b), ...(own.ratings != null ? { ratings: own.ratings } : {}), expires: now + PRESENCE_LIFE, seq: this.lastSeq }
      const value = await encodeLobbyV2(msg, this.key())
      const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.dhtTimeout ?? PRESENCE_DHT_TIMEOUT)])
      let peers = 0
      for await (const event of this.init.dht().put(presenceKey(me), value, { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') peers++
      }
      if (peers === 0) throw new Error('no DHT peer took the presence record')
      this.last = { what, at: now }
      this.failedAt = undefined
      this.log('put the presence record (%s) on %d peers', msg.t, peers)
      return true
    } catch (err) {
      this.failedAt = now
      if (this.started) this.log('could not put the presence record - %e', err)
      return false
    } finally {
      this.putting = false
    }
  }

  private key (): NonNullable<FriendsComponents['privateKey']> {
    const key = this.components.privateKey
    if (key == null) throw new Error('the friends service needs the node\'s private key to sign its presence record')
    return key
  }
}

function nameOf (s: FriendStatus | undefined): { name?: string } {
  return s?.name != null ? { name: s.name } : {}
}
