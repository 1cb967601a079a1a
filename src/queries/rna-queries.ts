// What `p2pgo rna` asks a node, as plain JSON answers (a public contract, README "Commands
// scripts can rely on"). Answered over the control socket when a node runs in the home,
// in-process otherwise. `p2pgo reputation` is answered in reputation-queries.ts.
import { recordToSgf } from '../game/sgf.js'
import { recordOfMrna } from '../rna/mrna-record.js'
import { validateRna } from '../rna/validate.js'
import { fixed, iso, short } from './query-text.js'
import type { P2pgoNode } from '../net/node.js'
import type { RnaMeta } from '../net/rna/rna-store.js'
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

/** The path an RNA took to this node, as the answers show it; null until traced. */
export function pathOf (meta: RnaMeta): RnaDetail['path'] {
  return meta.path == null ? null : { complete: meta.path.complete, hops: meta.path.hops.map(h => ({ peer: h.peer, at: iso(h.at) })) }
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
        path: pathOf(meta),
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
