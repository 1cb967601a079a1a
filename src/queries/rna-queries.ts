// What `p2pgo rna` and `p2pgo reputation` ask a node, as plain JSON answers (a public contract,
// README "Commands scripts can rely on"). Answered over the control socket when a node runs in
// the home, in-process otherwise.
import { peerIdFromString } from '@libp2p/peer-id'
import { recordToSgf } from '../game/sgf.js'
import { recordOfMrna } from '../rna/mrna-record.js'
import { validateRna } from '../rna/validate.js'
import { ratingAnswer, type RatingAnswer } from './rating-queries.js'
import type { P2pgoNode } from '../net/node.js'
import type { RnaMeta } from '../net/rna/rna-store.js'
import type { ReputationBreakdown } from '../reputation/score.js'
import type { CID } from 'multiformats/cid'

/** One RNA as `p2pgo rna ls --json` lists it. */
export interface RnaItem {
  readonly id: string
  readonly kind: 'mrna'
  readonly origin: string
  /** The peer that delivered it; null when this node published it. */
  readonly from: string | null
  readonly receivedAt: string
  readonly publishedAt: string
  readonly expires: string
  /** Quality now (uses included), 0 to 1. */
  readonly quality: number
  readonly size: number
  readonly turns: number
  readonly result: string | null
  readonly players: { readonly B: string, readonly W: string }
  readonly uses: number
}

/** `p2pgo rna show ID --json`: the item, what its quality is made of, its path, its game. */
export interface RnaDetail extends RnaItem {
  readonly gameId: string
  readonly end: string
  readonly handicap: number
  readonly novelty: number
  readonly ratings: RnaMeta['ratings'] | null
  readonly path: { readonly complete: boolean, readonly hops: ReadonlyArray<{ readonly peer: string, readonly at: string }> } | null
  readonly bytes: number
}

export interface RnaQuery {
  readonly op: 'ls' | 'show' | 'export'
  readonly id?: string
  /** export: 'sgf' (an SGF collection), 'json' (one JSON object per line), 'cbor' (each signed envelope as hex, one per line). */
  readonly format?: 'sgf' | 'json' | 'cbor'
  readonly minQuality?: number
}

export type RnaAnswer =
  | { readonly op: 'ls', readonly rna: RnaItem[] }
  | { readonly op: 'show', readonly rna: RnaDetail }
  | { readonly op: 'export', readonly format: 'sgf' | 'json' | 'cbor', readonly count: number, readonly text: string }

/** An answer the command turns into exit status 1. */
export class RnaQueryError extends Error {
  readonly code = 'ERR_RNA'
}

const iso = (ms: number): string => new Date(ms).toISOString()

function itemOf (id: CID, meta: RnaMeta, quality: number): RnaItem {
  return {
    id: id.toString(),
    kind: meta.kind,
    origin: meta.origin,
    from: meta.from ?? null,
    receivedAt: iso(meta.receivedAt),
    publishedAt: iso(meta.publishedAt),
    expires: iso(meta.expires),
    quality,
    size: meta.size,
    turns: meta.moves.length,
    result: meta.result ?? null,
    players: { B: meta.names.B, W: meta.names.W },
    uses: meta.uses.length
  }
}

/** Answers an `rna` query from the node's store. */
export async function rnaAnswer (node: P2pgoNode, q: RnaQuery): Promise<RnaAnswer> {
  if (q.op === 'ls') return { op: 'ls', rna: (await node.rna.list()).map(r => itemOf(r.id, r.meta, r.quality)) }
  if (q.op === 'show') {
    const stored = q.id != null ? await node.rna.get(q.id) : undefined
    if (stored == null) throw new RnaQueryError(`no RNA ${q.id ?? ''} here (or the prefix is not unique): see p2pgo rna ls`)
    const { meta } = stored
    return {
      op: 'show',
      rna: {
        ...itemOf(stored.id, meta, node.rna.qualityOf(meta)),
        gameId: meta.gameId,
        end: meta.end,
        handicap: meta.handicap,
        novelty: meta.novelty,
        ratings: meta.ratings ?? null,
        path: meta.path == null ? null : { complete: meta.path.complete, hops: meta.path.hops.map(h => ({ peer: h.peer, at: iso(h.at) })) },
        bytes: stored.bytes.length
      }
    }
  }
  const format = q.format ?? 'sgf'
  const lines: string[] = []
  let count = 0
  for (const { id, meta, quality } of (await node.rna.list()).reverse()) {
    if (q.minQuality != null && quality < q.minQuality) continue
    const stored = await node.rna.store.get(id)
    count++
    if (format === 'cbor') {
      lines.push(Buffer.from(stored.bytes).toString('hex'))
      continue
    }
    // Checked again on the way out: what a pipeline gets replays under its rules.
    const valid = await validateRna(stored.bytes, Date.now())
    const sgf = recordToSgf(recordOfMrna(valid.game, id.toString()), 'p2pgo').trimEnd()
    lines.push(format === 'json' ? JSON.stringify({ ...itemOf(id, meta, quality), sgf }) : sgf)
  }
  return { op: 'export', format, count, text: lines.join('\n') }
}

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

const EMPTY: ReputationBreakdown = { score: 0, trust: 0.5, originated: { count: 0, gain: 0, meanQuality: 0 }, delivered: { count: 0, gain: 0 }, penalties: { invalid: 0, spam: 0, auditFailed: 0, loss: 0 }, capped: 0 }

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
    path: r.meta.path == null ? null : { complete: r.meta.path.complete, hops: r.meta.path.hops.map(h => ({ peer: h.peer, at: iso(h.at) })) }
  }))
  const games: ReputationDetail['games'] = []
  for (const id of await node.games.storage.ids()) {
    const g = await node.games.storage.get(id).catch(() => undefined)
    if (g?.meta.opponent === peer) games.push({ id: id.toString(), me: g.meta.me, result: g.meta.result ?? null })
  }
  const rating = await ratingAnswer(node, { peer }, signal).catch(() => null)
  return { peer, known: breakdown != null, score: b.score, trust: b.trust, originated: b.originated, delivered: b.delivered, penalties: b.penalties, capped: b.capped, rna, rating, games }
}

const short = (peer: string): string => `${peer.slice(0, 8)}…${peer.slice(-6)}`
const fixed = (x: number, digits = 3): string => x.toFixed(digits)

/** Lines for `p2pgo rna ls` / `show` / `export` without --json. */
export function formatRnaAnswer (a: RnaAnswer): string[] {
  if (a.op === 'export') return a.text === '' ? [] : [a.text]
  if (a.op === 'ls') {
    if (a.rna.length === 0) return ['no RNA yet: finished games arrive here as the network plays']
    return a.rna.map(r => `${r.id.slice(0, 16)}…  q ${fixed(r.quality, 2)}  ${r.size}x${r.size} ${String(r.turns).padStart(3)} turns ${(r.result ?? '?').padEnd(7)} ${r.players.B} vs ${r.players.W}  from ${r.from == null ? 'here' : short(r.from)}  ${r.receivedAt}`)
  }
  const r = a.rna
  return [
    `RNA       ${r.id}`,
    `game      ${r.gameId} (${r.size}x${r.size}, ${r.turns} turns, ${r.result ?? 'no result'}, ${r.end}${r.handicap > 0 ? `, handicap ${r.handicap}` : ''})`,
    `players   ${r.players.B} (B) vs ${r.players.W} (W)${r.ratings != null ? `, rated ${fixed(r.ratings.B.mu / 1000, 1)}±${fixed(r.ratings.B.sigma / 1000, 1)} / ${fixed(r.ratings.W.mu / 1000, 1)}±${fixed(r.ratings.W.sigma / 1000, 1)}` : ''}`,
    `origin    ${r.origin}`,
    `quality   ${fixed(r.quality)} (novelty ${fixed(r.novelty)}, used by ${r.uses} peers)`,
    `received  ${r.receivedAt} from ${r.from ?? 'this node (published here)'}; kept until ${r.expires}`,
    ...(r.path == null
      ? ['path      not traced yet']
      : [`path      ${r.path.complete ? 'complete' : 'incomplete'}, ${r.path.hops.length - 1} hops:`, ...r.path.hops.map((h, i) => `  ${i === 0 ? 'origin' : `hop ${i}  `} ${h.peer}  ${h.at}`)])
  ]
}

/** Lines for `p2pgo reputation` without --json. */
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
    `penalties   ${a.penalties.invalid} invalid, ${a.penalties.spam} worthless, ${a.penalties.auditFailed} failed audits, -${fixed(a.penalties.loss)}`,
    `capped      ${fixed(a.capped)} of gains cut by the caps`,
    `rating      ${a.rating == null ? 'no record found' : Object.entries(a.rating.sizes).map(([size, s]) => `${size}x${size} ${s?.rank ?? '?'} (${fixed(s?.conservative ?? 0, 1)})`).join(', ') || 'no rated games'}`,
    `games       ${a.games.length === 0 ? 'none with this node' : a.games.map(g => `${g.id.slice(0, 12)}… as ${g.me} ${g.result ?? 'unfinished'}`).join('; ')}`,
    ...a.rna.map(r => `rna         ${r.id.slice(0, 16)}… q ${fixed(r.quality, 2)} ${r.path == null ? '' : `path ${r.path.hops.map(h => short(h.peer)).join(' → ')}`}`)
  ]
}
