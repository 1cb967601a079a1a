import { randomBytes } from 'node:crypto'
import { Key } from 'interface-datastore'
import { decodeCanonical, encodeCanonical } from '../../wire/cbor.js'
import { asMap, field, noExtraKeys, oneOf, optional, text, uint } from '../../wire/schema.js'
import { EVENT_MAX_BYTES, REPUTATION_PREFIX } from './constants.js'
import type { Datastore } from 'interface-datastore'
import type { ReputationEvent } from '../../reputation/events.js'

/** Quality is stored in millionths: canonical CBOR here carries no floats. */
const MILLION = 1_000_000
/** Times are zero-padded in keys so a prefix query returns a peer's events in order. */
const PAD = 15

/**
 * Reputation events on disk, one key each (`/p2pgo/reputation/<peer>/<at>-<run>-<n>`), written as
 * they happen: a crash loses nothing already recorded. `n` counts this store's writes and `run` is
 * random per store, so an event written after a restart never lands on a key written before it
 * (the count starts again at 0; the clock may repeat a millisecond or step back). Old ones are
 * deleted by time.
 */
export class EventStore {
  private readonly ds: Datastore
  private readonly run = randomBytes(8).toString('hex')
  private n = 0

  constructor (datastore: Datastore) {
    this.ds = datastore
  }

  async put (event: ReputationEvent): Promise<void> {
    const key = new Key(`${REPUTATION_PREFIX}/${event.peer}/${String(event.at).padStart(PAD, '0')}-${this.run}-${(this.n++).toString(36)}`)
    await this.ds.put(key, encodeEvent(event))
  }

  /** Every stored event (undecodable ones are skipped and deleted: they are not ours). */
  async * all (): AsyncGenerator<ReputationEvent> {
    for await (const { key, value } of this.ds.query({ prefix: REPUTATION_PREFIX + '/' })) {
      try {
        yield decodeEvent(value)
      } catch {
        await this.ds.delete(key)
      }
    }
  }

  /** Deletes events older than `before` (ms since the epoch). */
  async deleteBefore (before: number): Promise<number> {
    let deleted = 0
    for await (const key of this.ds.queryKeys({ prefix: REPUTATION_PREFIX + '/' })) {
      const at = Number(key.baseNamespace().split('-')[0])
      if (Number.isFinite(at) && at < before) {
        await this.ds.delete(key)
        deleted++
      }
    }
    return deleted
  }
}

const peer = text(128)

function encodeEvent (e: ReputationEvent): Uint8Array {
  const { quality, ...rest } = e as ReputationEvent & { quality?: number }
  return encodeCanonical({ ...rest, ...(quality != null ? { quality: Math.round(quality * MILLION) } : {}) })
}

function decodeEvent (data: Uint8Array): ReputationEvent {
  const m = asMap(decodeCanonical(data, { maxBytes: EVENT_MAX_BYTES }), 'event')
  noExtraKeys(m, ['kind', 'peer', 'rna', 'origin', 'quality', 'reason', 'at'], 'event')
  const kind = field(m, 'kind', oneOf('originated', 'delivered', 'invalid', 'spam', 'audit-failed'), 'event')
  const base = { peer: field(m, 'peer', peer, 'event'), at: field(m, 'at', uint(), 'event') }
  const quality = (): number => field(m, 'quality', uint(MILLION), 'event') / MILLION
  const rna = (): string => field(m, 'rna', text(128), 'event')
  switch (kind) {
    case 'originated': return { kind, ...base, rna: rna(), quality: quality() }
    case 'delivered': return { kind, ...base, rna: rna(), origin: field(m, 'origin', peer, 'event'), quality: quality() }
    case 'spam': return { kind, ...base, rna: rna(), quality: quality() }
    case 'audit-failed': return { kind, ...base }
    case 'invalid': {
      const id = optional(m, 'rna', text(128), 'event')
      return { kind, ...base, reason: field(m, 'reason', text(64), 'event'), ...(id != null ? { rna: id } : {}) }
    }
  }
}
