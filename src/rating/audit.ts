// Audit: recompute a published rating from the co-signed results it cites. Pure apart from
// signature checks: the caller fetches the results (from the DHT) and passes them in.
import { otherSide } from '../wire/game-messages.js'
import { AUDIT_TOLERANCE, MAX_CITED } from './constants.js'
import { InvalidRatingRecordError, ratingProblemMessage, type RatingProblem } from './errors.js'
import { sideOf, verifyCosignedResult, winnerOf, type CosignedResult } from './cosigned-result.js'
import { initialRating, rateGame, type FixedRating, type Outcome } from './trueskill.js'
import { defaultRatingParams, type RatingParams } from './params.js'
import type { RatedSize, SignedRatingRecord } from './rating-record.js'
import type { Side } from '../wire/game-messages.js'

/** One thing wrong with a record, tied to the cited result where there is one. */
export interface AuditFinding {
  readonly size: RatedSize
  readonly result?: string
  readonly reason: RatingProblem
  readonly message: string
}

/** What an audit found: ok only if every size's cited history recomputes to the published rating. */
export interface AuditReport {
  readonly ok: boolean
  /** Cited results checked, over all sizes. */
  readonly checked: number
  /** Distinct opponents among the cited games, per size (few opponents is what collusion looks like). */
  readonly opponents: Partial<Record<RatedSize, number>>
  readonly findings: readonly AuditFinding[]
}

/** A cited result as fetched: the decoded result, or why it could not be had. */
export type Fetched = CosignedResult | InvalidRatingRecordError

const near = (a: number, b: number): boolean => Math.abs(a - b) <= AUDIT_TOLERANCE
const sameRating = (a: FixedRating, b: FixedRating): boolean => near(a.mu, b.mu) && near(a.sigma, b.sigma)
const show = (r: FixedRating): string => `${(r.mu / 1000).toFixed(3)}/${(r.sigma / 1000).toFixed(3)}`

/** The outcome of a game for one side. */
export function outcomeFor (side: Side, result: string): Outcome | undefined {
  const w = winnerOf(result)
  if (w === 'void') return undefined
  if (w === 'draw') return 'draw'
  return w === side ? 'win' : 'loss'
}

/**
 * The rating change a co-signed result makes for `peer`: its rating before (as the start record
 * states it) and after, or the reason the game does not count. Signatures must be checked first.
 */
export function changeFrom (r: CosignedResult, peer: Uint8Array, params: RatingParams = defaultRatingParams): { before: FixedRating, after: FixedRating, opponent: Uint8Array } | { problem: RatingProblem, detail: string } {
  const side = sideOf(r, peer)
  if (side == null) return { problem: 'not-a-player', detail: 'neither Black nor White' }
  const { terms, ratings } = r.start
  if (ratings == null) return { problem: 'unrated-game', detail: 'the start record holds no ratings' }
  if (terms.handicap > 0) return { problem: 'unrated-game', detail: `handicap ${terms.handicap}` }
  const outcome = outcomeFor(side, r.acts[side].result ?? '')
  if (outcome == null) return { problem: 'unrated-game', detail: 'the game ended without result' }
  const other = otherSide(side)
  const before = ratings[side]
  return { before, after: rateGame(before, ratings[other], outcome, terms.komi, params), opponent: side === 'B' ? r.start.white : r.start.black }
}

/**
 * Audits a verified record against the results it cites (keyed by CID text). For each size:
 * every cited result is co-signed, is a rated game of that size the subject played, starts from
 * the rating the previous cited change ended with, and recomputes (TrueSkill) to the published
 * `after`; the last `after` is the published rating.
 */
export async function auditRecord (record: SignedRatingRecord, results: ReadonlyMap<string, Fetched>, params: RatingParams = defaultRatingParams): Promise<AuditReport> {
  const findings: AuditFinding[] = []
  const opponents: Partial<Record<RatedSize, number>> = {}
  let checked = 0
  for (const [key, s] of Object.entries(record.sizes)) {
    if (s == null) continue
    const size = Number(key) as RatedSize
    const find = (reason: RatingProblem, result: string | undefined, detail: string): void => {
      findings.push({ size, ...(result != null ? { result } : {}), reason, message: `${ratingProblemMessage(reason)}: ${detail}` })
    }
    const seen = new Set<string>()
    const opp = new Set<string>()
    // When the record cites its whole history, the first game must start from a newcomer's rating.
    let previous: FixedRating | undefined = s.games === s.cited.length ? initialRating(params) : undefined
    for (const c of s.cited.slice(-MAX_CITED)) {
      const id = c.result.toString()
      checked++
      if (seen.has(id)) { find('duplicate-result', id, 'cited twice'); continue }
      seen.add(id)
      const fetched = results.get(id)
      if (fetched == null) { find('missing-result', id, 'not fetched'); previous = c.after; continue }
      if (fetched instanceof InvalidRatingRecordError) { find(fetched.reason === 'missing-result' ? 'missing-result' : fetched.reason, id, fetched.message); previous = c.after; continue }
      try {
        await verifyCosignedResult(fetched)
      } catch (err) {
        if (!(err instanceof InvalidRatingRecordError)) throw err
        find(err.reason, id, err.message)
        previous = c.after
        continue
      }
      if (fetched.start.terms.size !== size) { find('wrong-size', id, `played on ${fetched.start.terms.size}x${fetched.start.terms.size}`); previous = c.after; continue }
      const change = changeFrom(fetched, record.peer, params)
      if ('problem' in change) { find(change.problem, id, change.detail); previous = c.after; continue }
      opp.add(Buffer.from(change.opponent).toString('hex'))
      if (previous != null && !sameRating(previous, change.before)) find('broken-chain', id, `started at ${show(change.before)}, the previous change ended at ${show(previous)}`)
      if (!sameRating(change.after, c.after)) find('mismatch', id, `cites ${show(c.after)}, the result gives ${show(change.after)}`)
      previous = c.after
    }
    const last = s.cited.at(-1)
    if (last != null && !sameRating(last.after, s.rating)) find('mismatch', undefined, `publishes ${show(s.rating)}, its last cited change ends at ${show(last.after)}`)
    opponents[size] = opp.size
  }
  return { ok: findings.length === 0, checked, opponents, findings }
}
