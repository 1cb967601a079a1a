// What `p2pgo reputation` asks a node, as plain JSON answers (a public contract, README "Commands
// scripts can rely on"): the top peers, or one peer with its RNA, rating and games with this node.
// Answered over the control socket when a node runs in the home, in-process otherwise.
import { peerIdFromString } from '@libp2p/peer-id'
import { fixed, iso, short } from './query-text.js'
import { ratingAnswer, type RatingAnswer } from './rating-queries.js'
import { pathOf, type RnaDetail } from './rna-queries.js'
import type { P2pgoNode } from '../net/node.js'
import type { ReputationBreakdown } from '../reputation/score.js'

/** A peer's reputation as `p2pgo reputation PEER --json` shows it. */
export interface ReputationDetail {
  readonly peer: string
  readonly known: boolean
  readonly score: number
  readonly trust: number
  readonly originated: ReputationBreakdown['originated']
  readonly delivered: ReputationBreakdown['delivered']
  readonly penalties: ReputationBreakdown['penalties']
  readonly capped: number
  /** RNA it originated that this node holds, newest first (at most 20), with paths. */
  readonly rna: Array<{ readonly id: string, readonly quality: number, readonly receivedAt: string, readonly path: RnaDetail['path'] }>
  /** Its rating record from the DHT, verified; null when none was found. */
  readonly rating: RatingAnswer | null
  /** Why `rating` is null (no record, nobody to ask, no answer in time); absent when there is a rating. */
  readonly ratingError?: string
  /** Games it played with this node. */
  readonly games: Array<{ readonly id: string, readonly me: 'B' | 'W', readonly result: string | null }>
}

export interface ReputationQuery {
  readonly peer?: string
  readonly limit?: number
}

export type ReputationAnswer =
  | { readonly top: Array<{ readonly peer: string } & ReputationBreakdown> }
  | ReputationDetail

const EMPTY: ReputationBreakdown = { score: 0, trust: 0.5, originated: { count: 0, gain: 0, meanQuality: 0 }, delivered: { count: 0, gain: 0 }, penalties: { invalid: 0, spam: 0, auditFailed: 0, loss: 0, reasons: {} }, capped: 0 }

/** Answers a `reputation` query: the top peers, or one peer in detail. */
export async function reputationAnswer (node: P2pgoNode, q: ReputationQuery, signal: AbortSignal): Promise<ReputationAnswer> {
  if (q.peer == null) return { top: node.reputation.top(q.limit ?? 20) }
  const peer = peerIdFromString(q.peer).toString()
  const breakdown = node.reputation.breakdown(peer)
  const b = breakdown ?? EMPTY
  const rna = (await node.rna.list()).filter(r => r.meta.origin === peer).slice(0, 20).map(r => ({
    id: r.id.toString(),
    quality: r.quality,
    receivedAt: iso(r.meta.receivedAt),
    path: pathOf(r.meta)
  }))
  const games: ReputationDetail['games'] = []
  for (const id of await node.games.storage.ids()) {
    const g = await node.games.storage.get(id).catch(() => undefined)
    if (g?.meta.opponent === peer) games.push({ id: id.toString(), me: g.meta.me, result: g.meta.result ?? null })
  }
  let rating: RatingAnswer | null = null
  let ratingError: string | undefined
  try {
    rating = await ratingAnswer(node, { peer }, signal)
  } catch (err) {
    ratingError = (err as Error).message
  }
  return { peer, known: breakdown != null, score: b.score, trust: b.trust, originated: b.originated, delivered: b.delivered, penalties: b.penalties, capped: b.capped, rna, rating, ...(ratingError != null ? { ratingError } : {}), games }
}

/** Lines for `p2pgo reputation` without --json. */
/** ` (lobby:wrong-peer 2, game:bad-signature 1)`, or nothing without reasons. */
function reasonsOf (reasons: Readonly<Record<string, number>>): string {
  const parts = Object.entries(reasons).map(([reason, n]) => `${reason} ${n}`)
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`
}

export function formatReputationAnswer (a: ReputationAnswer): string[] {
  if ('top' in a) {
    if (a.top.length === 0) return ['no reputation recorded yet: it comes from RNA (finished games) and rating audits']
    return a.top.map(t => `${t.peer}  score ${fixed(t.score).padStart(7)}  trust ${fixed(t.trust, 2)}  originated ${t.originated.count}, delivered first ${t.delivered.count}, penalties ${t.penalties.invalid + t.penalties.spam + t.penalties.auditFailed}`)
  }
  return [
    `peer        ${a.peer}${a.known ? '' : ' (nothing recorded: a stranger)'}`,
    `score       ${fixed(a.score)} (trust ${fixed(a.trust, 2)})`,
    `originated  ${a.originated.count} RNA, +${fixed(a.originated.gain)}, mean quality ${fixed(a.originated.meanQuality, 2)}`,
    `delivered   ${a.delivered.count} first, +${fixed(a.delivered.gain)}`,
    `penalties   ${a.penalties.invalid} invalid${reasonsOf(a.penalties.reasons)}, ${a.penalties.spam} worthless, ${a.penalties.auditFailed} failed audits, -${fixed(a.penalties.loss)}`,
    `capped      ${fixed(a.capped)} of gains cut by the caps`,
    `rating      ${a.rating == null ? a.ratingError ?? 'no record found' : Object.entries(a.rating.sizes).map(([size, s]) => `${size}x${size} ${s?.rank ?? '?'} (${fixed(s?.conservative ?? 0, 1)})`).join(', ') || 'no rated games'}`,
    `games       ${a.games.length === 0 ? 'none with this node' : a.games.map(g => `${g.id.slice(0, 12)}… as ${g.me} ${g.result ?? 'unfinished'}`).join('; ')}`,
    ...a.rna.map(r => `rna         ${r.id.slice(0, 16)}… q ${fixed(r.quality, 2)} ${r.path == null ? '' : `path ${r.path.hops.map(h => short(h.peer)).join(' → ')}`}`)
  ]
}
