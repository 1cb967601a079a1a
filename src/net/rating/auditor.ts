// Audits other players' rating records: fetches every co-signed result a record cites and
// recomputes the ratings (src/rating/audit.ts). A record shown false (not just unreachable
// evidence) is remembered; matchmaking then never proposes to its publisher, and it costs the
// publisher reputation once per lie.
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { InvalidRatingRecordError } from '../../rating/errors.js'
import { auditRecord, type AuditReport, type Fetched } from '../../rating/audit.js'
import { AUDIT_CONCURRENCY } from './constants.js'
import type { RatingState, AuditFailure } from './rating-state.js'
import type { RatingParams } from '../../rating/params.js'
import type { CosignedResult } from '../../rating/cosigned-result.js'
import type { SignedRatingRecord } from '../../rating/rating-record.js'
import type { ReputationService } from '../reputation/reputation-service.js'
import type { CID } from 'multiformats/cid'
import type { AbortOptions } from '@libp2p/interface'

/** Audit findings that show a record is false (a missing result may just be churn). */
const FRAUD = new Set(['not-cosigned', 'wrong-game', 'not-a-result', 'not-a-player', 'wrong-size', 'unrated-game', 'duplicate-result', 'broken-chain', 'mismatch'])

export interface AuditorInit {
  readonly state: RatingState
  readonly params: RatingParams
  readonly reputation: Pick<ReputationService, 'record'>
  readonly now: () => number
  readonly fetchResult: (id: CID, options: AbortOptions) => Promise<CosignedResult>
  readonly onAudit: (detail: { peer: string, report: AuditReport, fraud: boolean }) => void
}

export class RatingAuditor {
  private readonly init: AuditorInit
  /** Charges for false records, one at a time (two audits of one record at once charge it once). */
  private frauds: Promise<void> = Promise.resolve()

  constructor (init: AuditorInit) {
    this.init = init
  }

  async audit (record: SignedRatingRecord, options: AbortOptions = {}): Promise<AuditReport> {
    const ids = new Map<string, CID>()
    for (const s of Object.values(record.sizes)) for (const c of s?.cited ?? []) ids.set(c.result.toString(), c.result)
    const fetched = new Map<string, Fetched>()
    const list = [...ids.values()]
    for (let i = 0; i < list.length; i += AUDIT_CONCURRENCY) {
      await Promise.all(list.slice(i, i + AUDIT_CONCURRENCY).map(async id => {
        try {
          fetched.set(id.toString(), await this.init.fetchResult(id, options))
        } catch (err) {
          if (err instanceof InvalidRatingRecordError) fetched.set(id.toString(), err)
          else if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') fetched.set(id.toString(), new InvalidRatingRecordError('missing-result', (err as Error).message))
          else throw err
        }
      }))
    }
    const report = await auditRecord(record, fetched, this.init.params)
    const peer = peerIdFromMultihash(Digest.decode(record.peer)).toString()
    const fraud = report.findings.filter(f => FRAUD.has(f.reason))
    if (fraud.length > 0) await this.rememberFraud(peer, record.seq, fraud.map(f => f.message))
    this.init.onAudit({ peer, report, fraud: fraud.length > 0 })
    return report
  }

  /**
   * Remembers a record found false. A rating record that failed its audit is a lie about a
   * rating and costs reputation, once per lie: auditing the same record again, or an older one
   * of the same peer, charges nothing more; a newer false record does.
   */
  private async rememberFraud (peer: string, seq: number, findings: string[]): Promise<void> {
    const next = this.frauds.then(async () => {
      const known = await this.init.state.auditFailure(peer)
      const charged = known?.seq != null && known.seq >= seq
      await this.init.state.saveAuditFailure(peer, { at: this.init.now(), findings, seq: Math.max(seq, known?.seq ?? 0) })
      if (!charged) this.init.reputation.record({ kind: 'audit-failed', peer, at: this.init.now() })
    })
    this.frauds = next.catch(() => {})
    await next
  }

  async failures (): Promise<Map<string, AuditFailure>> {
    return this.init.state.auditFailures()
  }

  async failed (peer: string): Promise<boolean> {
    return (await this.init.state.auditFailure(peer)) != null
  }
}
