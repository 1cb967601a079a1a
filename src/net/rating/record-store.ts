// The DHT's record store: the datastore kad-dht is given, where every write of a record is
// admitted here first. A record from another peer never replaces a newer one stored under its
// key (the newest sequence lives with the stored record, so no amount of other traffic can make
// the node forget it), and records from others are held within per-sender and per-address
// quotas and a bounded total, a full store making room only for a more trusted sender
// (store-admission.ts). kad-dht's own PUT handler hands the record to the datastore without
// saying who sent it: p2pgo's (src/net/adapters/kad-dht-store.ts) passes the sender in the put's
// options (`StorePutOptions`); a put without one is the node's own.
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { InvalidRatingRecordError } from '../../rating/errors.js'
import { DHT_RECORD_PREFIX, RECORD_KEEP } from './constants.js'
import type { RecordRules } from '../dht/record-kinds.js'
import { RecordRefusedError } from './errors.js'
import { admit, createStoreLimits, type RecordSender, type Refusal, type StoreLimits } from './store-admission.js'
import type { AbortOptions, Logger } from '@libp2p/interface'
import { Key } from 'interface-datastore'
import type { Batch, Datastore, KeyQuery, Pair, Query } from 'interface-datastore'

export interface RecordStoreInit {
  /** The rule a record must meet to replace the one stored under its key. */
  readonly records: RecordRules
  /** A sender's reputation trust in [0, 1]. */
  readonly trust: (peer: string) => number
  /** The clock, ms since the epoch: when records were stored and when they lapse. Default `Date.now`. */
  readonly now?: () => number
  readonly limits?: Partial<StoreLimits>
  /** Where refusals are logged; the adapter sets the node's logger when kad-dht is built. */
  readonly log?: Logger
}

/** Who a held record counts against: a remote sender, the node itself, or nobody known (stored before a restart). */
interface Entry {
  readonly sender?: RecordSender
  readonly own: boolean
  /** When it was stored. */
  at: number
  /** When it no longer counts: kad-dht's 48 h after receipt, or a rating record's expiry if sooner. */
  until: number
}

/** A datastore put that says who sent the record. */
export interface StorePutOptions extends AbortOptions {
  readonly sender?: RecordSender
}

/** What the store holds and what it refused since it started. */
export interface RecordStoreStats {
  readonly records: number
  readonly senders: number
  readonly addresses: number
  readonly refused: Readonly<Record<Refusal, number>>
  readonly evicted: number
}

/** See the file comment. One per node, shared by kad-dht's datastore and its stream handler. */
export class RecordStore {
  readonly limits: StoreLimits
  private readonly init: RecordStoreInit
  private readonly now: () => number
  private readonly entries = new Map<string, Entry>()
  private readonly bySender = new Map<string, number>()
  private readonly byAddress = new Map<string, number>()
  private readonly refused: Record<Refusal, number> = { stale: 0, 'sender-quota': 0, 'address-quota': 0, 'store-full': 0 }
  private evicted = 0
  private log: Logger | undefined
  private loaded: Promise<void> | undefined
  /** Record writes one at a time: each is judged on the store as the previous left it. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor (init: RecordStoreInit) {
    this.init = init
    this.now = init.now ?? Date.now
    this.limits = createStoreLimits(init.limits)
    this.log = init.log
  }

  /** Logs refusals with `log` (the node's, once kad-dht is built with this store). */
  logTo (log: Logger): void {
    this.log ??= log
  }

  /** The datastore to give kad-dht: `inner`, with record writes and deletes going through this store. */
  wrap (inner: Datastore): Datastore {
    return new GuardedDatastore(inner, this)
  }

  stats (): RecordStoreStats {
    return { records: this.entries.size, senders: this.bySender.size, addresses: this.byAddress.size, refused: { ...this.refused }, evicted: this.evicted }
  }

  /** Whether a datastore key is one of kad-dht's records. */
  isRecordKey (key: Key): boolean {
    return key.toString().startsWith(`${DHT_RECORD_PREFIX}/`)
  }

  /** Stores a serialized kad-dht record under `key` if admitted; throws InvalidRatingRecordError ('stale') or RecordRefusedError. */
  async put (inner: Datastore, key: Key, value: Uint8Array, options: StorePutOptions = {}): Promise<Key> {
    const { sender, ...rest } = options
    options = rest
    return this.serial(async () => {
      await this.load(inner)
      const record = DhtRecord.deserialize(value)
      // The node's own writes are its own business (its record, its results, kad-dht's correction
      // of its copy to the best value seen): only what others send is held to the stored record.
      const stored = sender != null ? await getOrUndefined(inner, key, options) : undefined
      if (stored != null) {
        try {
          await this.init.records.refuseOlder(record.key, record.value, DhtRecord.deserialize(stored).value)
        } catch (err) {
          if (err instanceof InvalidRatingRecordError) this.refused.stale++
          throw err
        }
      }
      const id = key.toString()
      const held = this.entries.get(id)
      if (held != null) {
        // A newer copy of a record already held takes no new room; it stays counted against whoever first stored it.
        await inner.put(key, value, options)
        held.at = this.now()
        held.until = this.untilOf(record)
        return key
      }
      if (sender != null) await this.admitFrom(inner, sender)
      else await this.makeRoomForOwn(inner)
      await inner.put(key, value, options)
      this.hold(id, { ...(sender != null ? { sender } : {}), own: sender == null, at: this.now(), until: this.untilOf(record) })
      return key
    })
  }

  /** Deletes a record (kad-dht drops one older than 48 h when asked for it). */
  async delete (inner: Datastore, key: Key, options?: AbortOptions): Promise<void> {
    await this.serial(async () => {
      await inner.delete(key, options)
      this.forget(key.toString())
    })
  }

  private async admitFrom (inner: Datastore, sender: RecordSender): Promise<void> {
    const trust = this.init.trust(sender.peer)
    const counts = { sender: this.bySender.get(sender.peer) ?? 0, address: this.byAddress.get(sender.address) ?? 0, total: this.entries.size }
    let decision = admit(counts, trust, this.limits)
    if (decision.admit && !decision.evict) return
    if (!decision.admit && decision.reason !== 'store-full') return this.refuse(decision.reason, decision.detail, sender)
    await this.sweep(inner)
    const least = this.leastTrusted()
    decision = admit({ ...counts, total: this.entries.size, ...(least != null ? { leastTrusted: least } : {}) }, trust, this.limits)
    if (!decision.admit) return this.refuse(decision.reason, decision.detail, sender)
    if (decision.evict && least != null) await this.evict(inner, least.id)
  }

  /** The node's own records (its rating record, its games' results) are always kept: room is made by lapsed records, then by the least trusted sender's. */
  private async makeRoomForOwn (inner: Datastore): Promise<void> {
    if (this.entries.size < this.limits.total) return
    await this.sweep(inner)
    const least = this.entries.size >= this.limits.total ? this.leastTrusted() : undefined
    if (least != null) await this.evict(inner, least.id)
  }

  private refuse (reason: Exclude<Refusal, 'stale'>, detail: string, sender: RecordSender): never {
    this.refused[reason]++
    this.log?.('refused a record from %s (%s) - %s', sender.peer, sender.address, detail)
    throw new RecordRefusedError(reason, detail)
  }

  /** Drops every record past its time. */
  private async sweep (inner: Datastore): Promise<void> {
    const now = this.now()
    for (const [id, entry] of [...this.entries]) {
      if (entry.until > now) continue
      await Promise.resolve(inner.delete(keyOf(id))).catch(() => {})
      this.forget(id)
    }
  }

  /** The evictable record of the least trusted sender, the oldest on a tie; records of unknown senders count as a stranger's. */
  private leastTrusted (): { id: string, trust: number } | undefined {
    const trusts = new Map<string, number>()
    let best: { id: string, trust: number, at: number } | undefined
    for (const [id, entry] of this.entries) {
      if (entry.own) continue
      const peer = entry.sender?.peer
      let trust = peer != null ? trusts.get(peer) : 0.5
      if (trust == null && peer != null) {
        trust = this.init.trust(peer)
        trusts.set(peer, trust)
      }
      const t = trust ?? 0.5
      if (best == null || t < best.trust || (t === best.trust && entry.at < best.at)) best = { id, trust: t, at: entry.at }
    }
    return best != null ? { id: best.id, trust: best.trust } : undefined
  }

  private async evict (inner: Datastore, id: string): Promise<void> {
    await inner.delete(keyOf(id))
    this.forget(id)
    this.evicted++
  }

  private hold (id: string, entry: Entry): void {
    this.entries.set(id, entry)
    if (entry.sender != null) {
      bump(this.bySender, entry.sender.peer, 1)
      bump(this.byAddress, entry.sender.address, 1)
    }
  }

  private forget (id: string): void {
    const entry = this.entries.get(id)
    if (entry == null) return
    this.entries.delete(id)
    if (entry.sender != null) {
      bump(this.bySender, entry.sender.peer, -1)
      bump(this.byAddress, entry.sender.address, -1)
    }
  }

  private untilOf (record: DhtRecord): number {
    const received = record.timeReceived?.getTime() ?? this.now()
    let until = (Number.isFinite(received) ? received : this.now()) + RECORD_KEEP
    // A rating record counts until its expiry, a presence record (friends) for minutes, not days.
    const sooner = this.init.records.keepUntil(record.key, record.value)
    if (sooner != null) until = Math.min(until, sooner)
    return until
  }

  /** Counts the records a previous run left (their senders are unknown now). */
  private async load (inner: Datastore): Promise<void> {
    this.loaded ??= (async () => {
      for await (const { key, value } of inner.query({ prefix: `${DHT_RECORD_PREFIX}/` })) {
        let until = this.now()
        try {
          until = this.untilOf(DhtRecord.deserialize(value))
        } catch {}
        this.hold(key.toString(), { own: false, at: this.now(), until })
      }
    })()
    await this.loaded
  }

  private async serial<T> (work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work)
    this.queue = next.catch(() => {})
    return next
  }
}

function bump (counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by
  if (n > 0) counts.set(key, n)
  else counts.delete(key)
}

function keyOf (id: string): Key {
  return new Key(id, false)
}

async function getOrUndefined (ds: Datastore, key: Key, options?: AbortOptions): Promise<Uint8Array | undefined> {
  try {
    return await ds.get(key, options)
  } catch (err) {
    if ((err as Error).name === 'NotFoundError') return undefined
    throw err
  }
}

/** A datastore that is `inner` except that kad-dht's record writes and deletes go through the store. */
class GuardedDatastore implements Datastore {
  private readonly inner: Datastore
  private readonly store: RecordStore

  constructor (inner: Datastore, store: RecordStore) {
    this.inner = inner
    this.store = store
  }

  async put (key: Key, value: Uint8Array, options?: StorePutOptions): Promise<Key> {
    return this.store.isRecordKey(key) ? this.store.put(this.inner, key, value, options) : this.inner.put(key, value, options)
  }

  async delete (key: Key, options?: AbortOptions): Promise<void> {
    if (this.store.isRecordKey(key)) await this.store.delete(this.inner, key, options)
    else await this.inner.delete(key, options)
  }

  async * putMany (source: Iterable<Pair> | AsyncIterable<Pair>, options?: AbortOptions): AsyncGenerator<Key> {
    for await (const { key, value } of source) yield await this.put(key, value, options)
  }

  async * deleteMany (source: Iterable<Key> | AsyncIterable<Key>, options?: AbortOptions): AsyncGenerator<Key> {
    for await (const key of source) {
      await this.delete(key, options)
      yield key
    }
  }

  async get (key: Key, options?: AbortOptions): Promise<Uint8Array> {
    return this.inner.get(key, options)
  }

  async has (key: Key, options?: AbortOptions): Promise<boolean> {
    return this.inner.has(key, options)
  }

  getMany (source: Iterable<Key> | AsyncIterable<Key>, options?: AbortOptions): Generator<Pair> | AsyncGenerator<Pair> {
    return this.inner.getMany(source, options)
  }

  /** kad-dht never batches records; a batch goes straight to the inner store. */
  batch (): Batch {
    return this.inner.batch()
  }

  query (query: Query, options?: AbortOptions): Generator<Pair> | AsyncGenerator<Pair> {
    return this.inner.query(query, options)
  }

  queryKeys (query: KeyQuery, options?: AbortOptions): Generator<Key> | AsyncGenerator<Key> {
    return this.inner.queryKeys(query, options)
  }
}
