// p2pgo's rating namespaces in the DHT: puts that count the peers that took a value, gets that
// keep a value kad-dht found before failing, and reputation-weighted lookups of rating records.
// Every call ends with the rating service's own signal, a DHT_TIMEOUT, and the caller's signal.
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { Key } from 'interface-datastore'
import { toString } from 'uint8arrays/to-string'
import { InvalidRatingRecordError } from '../../rating/errors.js'
import { cosignedResultId, decodeCosignedResult, encodeCosignedResult, type CosignedResult } from '../../rating/cosigned-result.js'
import { DHT_RECORD_PREFIX, DHT_TIMEOUT } from './constants.js'
import { ratingKey, resultKey, type DhtRecords } from './dht-records.js'
import { lookup, type LookupMode, type LookupResult } from './weighted-lookup.js'
import type { SignedRatingRecord } from '../../rating/rating-record.js'
import type { AbortOptions, Logger, PeerId } from '@libp2p/interface'
import type { DualDht } from '../dht/dual-dht.js'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'

export interface RatingDhtInit {
  /** The node's DHTs (LAN and WAN): every put goes to both, every get asks both. */
  readonly dht: () => DualDht
  readonly records: DhtRecords
  readonly log: Logger
  /** The service's own signal: aborted when it stops. */
  readonly signal: () => AbortSignal
  /** A peer's reputation trust in [0, 1]: weights whose answers count. */
  readonly trust: (peer: string) => number
  /** Peers connected now: the trusted among them are asked first. */
  readonly connected: () => readonly string[]
  /** This node's peer ID (its own stored copy of a record counts as an answer). */
  readonly self: string
  /** The datastore kad-dht keeps records in: a lookup reads the node's own copy there as it starts. */
  readonly datastore?: Datastore
  /** How long one put or get may take, ms. Default DHT_TIMEOUT. */
  readonly timeout?: number
}

/** The value of the record kad-dht stores under `key` in `datastore` (both DHTs share it), if any. */
export async function storedValue (datastore: Datastore, key: Uint8Array, options: AbortOptions = {}): Promise<Uint8Array | undefined> {
  const at = new Key(`${DHT_RECORD_PREFIX}/${toString(key, 'base32')}`, false)
  if (!(await datastore.has(at, options))) return undefined
  return DhtRecord.deserialize(await datastore.get(at, options)).value
}

/** Rating records and co-signed results in the DHT. */
export class RatingDht {
  private readonly init: RatingDhtInit

  constructor (init: RatingDhtInit) {
    this.init = init
  }

  /**
   * Puts a value to the DHT; the count of peers that stored it. A put that runs out of time
   * (DHT_TIMEOUT) or fails in the DHT counts the peers it reached before, perhaps none, so the
   * caller can try again; it throws only when the service stops or the caller gives up.
   */
  async put (key: Uint8Array, value: Uint8Array, options: AbortOptions = {}): Promise<number> {
    const signal = this.signal(options)
    let peers = 0
    try {
      for await (const event of this.init.dht().put(key, value, { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') peers++
      }
    } catch (err) {
      if (this.init.signal().aborted || options.signal?.aborted === true) throw err
      this.init.log('DHT put ended after reaching %d peers - %e', peers, err)
    }
    return peers
  }

  /** Puts a co-signed result under its CID; the count of peers that stored it. */
  async putResult (id: CID, result: CosignedResult): Promise<number> {
    return this.put(resultKey(id), encodeCosignedResult(result))
  }

  /**
   * Gets a value from the DHT (the best valid one); undefined when nobody has it. kad-dht checks
   * every value a peer returns with p2pgo's validators before reporting it; the first value seen
   * is kept when kad-dht fails after finding some (its "correction" of an outdated copy throws
   * when that peer does not take the newer one, before the value is handed over). With
   * `firstValid`, for content-addressed values (a co-signed result, whose key names its content,
   * so every valid copy is the same), the walk stops at the first valid copy a peer returns.
   */
  async get (key: Uint8Array, options: AbortOptions & { firstValid?: boolean } = {}): Promise<Uint8Array | undefined> {
    const outer = this.signal(options)
    const found = new AbortController()
    const signal = AbortSignal.any([outer, found.signal])
    let value: Uint8Array | undefined
    const seen: Uint8Array[] = []
    try {
      for await (const event of this.init.dht().get(key, { signal })) {
        if (event.name === 'VALUE') value = event.value
        else if (event.name === 'PEER_RESPONSE' && event.messageName === 'GET_VALUE' && event.record != null) {
          seen.push(event.record.value)
          if (options.firstValid === true) {
            found.abort()
            return event.record.value
          }
        }
      }
    } catch (err) {
      if (outer.aborted || seen.length === 0) throw err
      this.init.log('DHT get failed after finding %d values; using the first of them - %e', seen.length, err)
      return seen[0]
    }
    return value
  }

  /**
   * Looks a peer's rating record up, reputation-weighted unless `mode` says otherwise (stopping
   * once the answers settle, protocols/rating.md "Reading"), and tells how the lookup went
   * (answers, refusals, what settled it, corrections sent).
   */
  async lookupRecord (peer: PeerId, options: AbortOptions & { mode?: LookupMode } = {}): Promise<{ record?: SignedRatingRecord, lookup: LookupResult }> {
    const key = ratingKey(peer.toMultihash().bytes)
    const { records } = this.init
    const result = await lookup(this.init.dht(), key, {
      mode: options.mode ?? 'weighted',
      trust: this.init.trust,
      connected: this.init.connected,
      self: this.init.self,
      check: async value => (await records.checkRating(key, value)).seq,
      ...(this.init.datastore != null ? { local: async () => storedValue(this.init.datastore!, key) } : {}),
      background: this.init.signal(),
      log: this.init.log,
      signal: this.signal(options)
    })
    if (result.value == null) return { lookup: result }
    return { record: await records.checkRating(key, result.value), lookup: result }
  }

  /** Fetches a co-signed result by CID and checks that it is what the CID names (signatures are the audit's). */
  async fetchResult (id: CID, options: AbortOptions = {}): Promise<CosignedResult> {
    // Every valid copy of a result is the same content (its key names it): the first one settles.
    const value = await this.get(resultKey(id), { ...options, firstValid: true })
    if (value == null) throw new InvalidRatingRecordError('missing-result', id.toString())
    const result = decodeCosignedResult(value)
    if (!cosignedResultId(result).equals(id)) throw new InvalidRatingRecordError('wrong-key', 'the value is not the content its CID names')
    return result
  }

  private signal (options: AbortOptions): AbortSignal {
    return AbortSignal.any([this.init.signal(), AbortSignal.timeout(this.init.timeout ?? DHT_TIMEOUT), ...(options.signal != null ? [options.signal] : [])])
  }
}
