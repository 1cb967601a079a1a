// The rating service's state on disk: the player's own rating book and the results applied to
// it, the last published sequence, and the peers whose records failed an audit here.
import { Key } from 'interface-datastore'
import { decodeCanonical, encodeCanonical } from '../../wire/cbor.js'
import { asMap, field, optional, uint, arrayOf, text } from '../../wire/schema.js'
import { decodeRatingRecord, encodeRatingRecord, type SignedRatingRecord } from '../../rating/rating-record.js'
import { RATING_PREFIX } from './constants.js'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'

const SEQ_MAX_BYTES = 64
const AUDIT_MAX_BYTES = 8192

/** A failed audit as remembered: when, the findings in words, and the highest sequence found false (absent in entries written before it was kept). */
export interface AuditFailure {
  readonly at: number
  readonly findings: readonly string[]
  readonly seq?: number
}

/**
 * Persistence for the rating service. The own record is stored signed, exactly as published: it
 * is the book (its sizes) and the sequence at once, and it is checked like any record on load.
 */
export class RatingState {
  private readonly ds: Datastore

  constructor (datastore: Datastore) {
    this.ds = datastore
  }

  async loadOwn (): Promise<SignedRatingRecord | undefined> {
    const key = new Key(`${RATING_PREFIX}/own`)
    if (!(await this.ds.has(key))) return undefined
    return decodeRatingRecord(await this.ds.get(key))
  }

  async saveOwn (record: SignedRatingRecord): Promise<void> {
    await this.ds.put(new Key(`${RATING_PREFIX}/own`), encodeRatingRecord(record))
  }

  /** The highest sequence ever published, kept apart so that it never goes back even if `own` is lost. */
  async loadSeq (): Promise<number> {
    const key = new Key(`${RATING_PREFIX}/seq`)
    if (!(await this.ds.has(key))) return 0
    return field(asMap(decodeCanonical(await this.ds.get(key), { maxBytes: SEQ_MAX_BYTES }), 'seq'), 'seq', uint(), 'seq')
  }

  async saveSeq (seq: number): Promise<void> {
    await this.ds.put(new Key(`${RATING_PREFIX}/seq`), encodeCanonical({ seq }))
  }

  async isApplied (result: CID): Promise<boolean> {
    return this.ds.has(new Key(`${RATING_PREFIX}/applied/${result.toString()}`))
  }

  /** Marks a game's result as handled (applied, or refused for good), so a restart does not apply it twice. */
  async markApplied (result: CID, outcome: string): Promise<void> {
    await this.ds.put(new Key(`${RATING_PREFIX}/applied/${result.toString()}`), encodeCanonical({ outcome }))
  }

  async saveAuditFailure (peer: string, failure: AuditFailure): Promise<void> {
    await this.ds.put(new Key(`${RATING_PREFIX}/audit-failed/${peer}`), encodeCanonical({ at: failure.at, findings: failure.findings.map(f => f.slice(0, 400)).slice(0, 16), ...(failure.seq != null ? { seq: failure.seq } : {}) }))
  }

  async auditFailure (peer: string): Promise<AuditFailure | undefined> {
    const key = new Key(`${RATING_PREFIX}/audit-failed/${peer}`)
    if (!(await this.ds.has(key))) return undefined
    const m = asMap(decodeCanonical(await this.ds.get(key), { maxBytes: AUDIT_MAX_BYTES }), 'audit')
    const seq = optional(m, 'seq', uint(), 'audit')
    return { at: field(m, 'at', uint(), 'audit'), findings: field(m, 'findings', arrayOf(text(400), 16), 'audit'), ...(seq != null ? { seq } : {}) }
  }

  /** Every peer whose record failed an audit here. */
  async auditFailures (): Promise<Map<string, AuditFailure>> {
    const out = new Map<string, AuditFailure>()
    for await (const key of this.ds.queryKeys({ prefix: `${RATING_PREFIX}/audit-failed/` })) {
      const peer = key.toString().split('/').at(-1) as string
      const f = await this.auditFailure(peer)
      if (f != null) out.set(peer, f)
    }
    return out
  }
}
