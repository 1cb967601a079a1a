// p2pgo's record types in its Kademlia DHT: rating records and co-signed results, with the
// validators and selectors kad-dht runs on every record it stores or receives.
import { equals } from 'multiformats/bytes'
import { CID } from 'multiformats/cid'
import { RATING_NAMESPACE, RESULT_NAMESPACE } from '../../rating/constants.js'
import { InvalidRatingRecordError } from '../../rating/errors.js'
import { checkRatingRecord, decodeRatingRecord, newerRecord } from '../../rating/rating-record.js'
import { cosignedResultId, decodeCosignedResult, verifyCosignedResult } from '../../rating/cosigned-result.js'
import { namespaceOf, type RecordKind, type RecordRules } from '../dht/record-kinds.js'
import type { SignedRatingRecord } from '../../rating/rating-record.js'
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'

const utf8 = new TextEncoder()
const ratingPrefix = utf8.encode(`/${RATING_NAMESPACE}/`)
const resultPrefix = utf8.encode(`/${RESULT_NAMESPACE}/`)

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

function strip (key: Uint8Array, prefix: Uint8Array): Uint8Array {
  if (key.length <= prefix.length || !equals(key.subarray(0, prefix.length), prefix)) throw new InvalidRatingRecordError('wrong-key', 'not a key of this namespace')
  return key.subarray(prefix.length)
}

/** The DHT key of a peer's rating record: `/p2pgo-rating/` + its peer ID multihash bytes. */
export function ratingKey (peer: Uint8Array): Uint8Array {
  return concat(ratingPrefix, peer)
}

/** The DHT key of a co-signed result: `/p2pgo-result/` + its CID bytes. */
export function resultKey (id: CID): Uint8Array {
  return concat(resultPrefix, id.bytes)
}


/**
 * The validators and selectors for p2pgo's namespaces, and the rule the record store applies
 * before it replaces a stored record (`refuseOlder`). Checking holds no state: the newest
 * sequence of a key is the record stored under it (record-store.ts), not a memory of this class.
 */
export class DhtRecords implements RecordRules {
  private readonly now: () => number

  constructor (now: () => number = Date.now) {
    this.now = now
  }

  /** Checks a rating record stored under `key`: everything checkRatingRecord checks. */
  async checkRating (key: Uint8Array, value: Uint8Array): Promise<SignedRatingRecord> {
    const subject = strip(key, ratingPrefix)
    return checkRatingRecord(value, subject, this.now())
  }

  /**
   * Throws InvalidRatingRecordError 'stale' when `value` may not replace `stored` under `key`: a
   * rating record older (lower seq, then earlier update) than a valid one stored. A stored copy
   * that no longer checks out (expired, undecodable) is no reason to refuse; co-signed results
   * are immutable (their key names their content), so any valid copy may replace another.
   */
  async refuseOlder (key: Uint8Array, value: Uint8Array, stored: Uint8Array): Promise<void> {
    if (namespaceOf(key) !== RATING_NAMESPACE) return
    let kept: SignedRatingRecord
    try {
      kept = await this.checkRating(key, stored)
    } catch {
      return
    }
    const incoming = decodeRatingRecord(value)
    if (newerRecord(incoming, kept) !== incoming) {
      throw new InvalidRatingRecordError('stale', `seq ${incoming.seq}, this node holds seq ${kept.seq}`)
    }
  }

  /** When a stored copy stops counting: a rating record at its expiry; undefined for a result (kad-dht's 48 h). */
  keepUntil (key: Uint8Array, value: Uint8Array): number | undefined {
    return namespaceOf(key) === RATING_NAMESPACE ? expiryOf(value) : undefined
  }

  /** The two kinds of record this class checks, for the node's RecordKinds. */
  kinds (): RecordKind[] {
    return [{
      namespace: RATING_NAMESPACE,
      validate: async (key, value) => { await this.checkRating(key, value) },
      select: (_key, values) => this.newestIndex(values),
      refuseOlder: async (key, value, stored) => { await this.refuseOlder(key, value, stored) },
      keepUntil: expiryOf
    }, {
      // Co-signed results are immutable (their key names their content): any valid copy is as good.
      namespace: RESULT_NAMESPACE,
      validate: async (key, value) => { await this.checkResult(key, value) },
      select: () => 0
    }]
  }

  /** Checks a co-signed result stored under `key`: it is the content the key names and both players signed it. */
  async checkResult (key: Uint8Array, value: Uint8Array): Promise<void> {
    const id = strip(key, resultPrefix)
    let named: CID
    try {
      named = CID.decode(id)
    } catch {
      throw new InvalidRatingRecordError('wrong-key', 'the key holds no valid CID')
    }
    const result = decodeCosignedResult(value)
    if (!cosignedResultId(result).equals(named)) throw new InvalidRatingRecordError('wrong-key', 'the value is not the content its CID names')
    await verifyCosignedResult(result)
  }

  /** kad-dht validators, keyed by namespace. */
  validators (): Record<string, ValidateFn> {
    return Object.fromEntries(this.kinds().map(k => [k.namespace, k.validate]))
  }

  /** The index of the newest rating record among values already validated (highest seq, then latest). */
  newestIndex (values: readonly Uint8Array[]): number {
    let best = 0
    let bestRecord: SignedRatingRecord | undefined
    values.forEach((value, i) => {
      try {
        const r = decodeRatingRecord(value)
        if (bestRecord == null || newerRecord(r, bestRecord) === r) { best = i; bestRecord = r }
      } catch {}
    })
    return best
  }

  /** kad-dht selectors: the newest rating record (highest seq); any copy of a result (they are identical). */
  selectors (): Record<string, SelectFn> {
    return Object.fromEntries(this.kinds().map(k => [k.namespace, k.select]))
  }

}

/** A rating record's expiry, or undefined when its bytes do not decode. */
function expiryOf (value: Uint8Array): number | undefined {
  try {
    return decodeRatingRecord(value).expires
  } catch {
    return undefined
  }
}
