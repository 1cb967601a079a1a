// The checks after a scale run with churn or Sybils: games lost, rating records lost, ratings
// changed. Each counts what it checked beside what failed, so a zero means something.
import { FIXED_POINT } from '../../src/rating/constants.js'
import type { Seat, Fleet } from './churn.js'
import type { Worker } from './fleet.js'
import type { NodeRatings, Reply } from './messages.js'

/** A game the run asked for: who proposed, to whom, and what the proposer's worker answered. */
export interface PlayedGame { readonly by: Seat, readonly to: Seat, readonly reply: Extract<Reply, { t: 'play' }> }

/**
 * Lost games: of the games started (a game ID agreed) whose two players are both still up, those
 * that did not end with a co-signed result on both sides. A game with a player who left is not
 * checked; a proposal that failed started no game and is counted apart (`unstarted`).
 */
export async function checkGames (games: readonly PlayedGame[]): Promise<{ checked: number, lost: number, unstarted: number, why: string[] }> {
  let checked = 0
  let unstarted = 0
  const why: string[] = []
  for (const g of games) {
    if (!g.by.up || !g.to.up) continue
    if (g.reply.game == null) { unstarted++; continue }
    checked++
    const ends = await Promise.all([g.by, g.to].map(async s => (await s.w.ask({ t: 'ended', game: g.reply.game as string }, 'ended')).at[s.i]))
    if (ends.some(t => t == null)) why.push(`${g.reply.game.slice(-8)}: no co-signed end on ${ends[0] == null ? 'the proposer' : ''}${ends.every(t => t == null) ? ' and ' : ''}${ends[1] == null ? 'the opponent' : ''}`)
  }
  return { checked, lost: why.length, unstarted, why }
}

/** Every node's ratings, by peer ID. */
export async function ratingsOf (workers: readonly Worker[]): Promise<Map<string, NodeRatings>> {
  const out = new Map<string, NodeRatings>()
  for (const w of workers) for (const n of (await w.ask({ t: 'ratings' }, 'ratings')).nodes) out.set(n.peer, n)
  return out
}

/** A publisher of a rating record and the sequence it published. */
export interface Publication { readonly seat: Seat, readonly seq: number | null }

export interface RecordCheck {
  checked: number
  lost: number
  /** Found, but not the publisher's own (another rating, or a sequence it never signed). */
  wrong: number
  why: string[]
}

/**
 * Lost records: each live publisher's record read by two other live nodes (a node that joined
 * during the run first, when there is one). Not found is lost; found with a rating other than the
 * one the publisher holds, or a sequence beyond the clock, is wrong.
 */
export async function checkRecords (fleet: Fleet, published: readonly Publication[], own: Map<string, NodeRatings>): Promise<RecordCheck> {
  const out: RecordCheck = { checked: 0, lost: 0, wrong: 0, why: [] }
  const live = fleet.live()
  const fresh = live.filter(s => s.joinedAt > 0)
  let k = 0
  for (const p of published) {
    const seq = p.seq
    if (!p.seat.up || seq == null) continue
    const readers = [fresh[k % Math.max(1, fresh.length)], live[(k * 13 + 5) % live.length], live[(k * 29 + 11) % live.length]]
      .filter((s): s is Seat => s != null && s !== p.seat).filter((s, j, a) => a.indexOf(s) === j).slice(0, 2)
    k++
    await Promise.all(readers.map(async r => {
      out.checked++
      const got = await r.w.ask({ t: 'get', node: r.i, peer: p.seat.peer }, 'get')
      const mine = own.get(p.seat.peer)
      if (got.ms == null || got.seq == null) { out.lost++; out.why.push(`${p.seat.peer.slice(-6)} from ${r.peer.slice(-6)}: ${got.error ?? 'not found'}`); return }
      if (got.seq < seq || got.seq > Date.now() + 60_000 || (mine != null && got.mu != null && got.mu !== mine.mu)) {
        out.wrong++
        out.why.push(`${p.seat.peer.slice(-6)} from ${r.peer.slice(-6)}: seq ${got.seq} (published ${seq}), mu ${String(got.mu)} (holds ${String(mine?.mu)})`)
      }
    }))
  }
  return out
}

export interface RatingCheck {
  /** Honest nodes up throughout that played no game: their own rating before and after. */
  checkedOwn: number
  changedOwn: number
  /** Entries for such nodes in the honest views: the rating shown must be theirs. */
  checkedShown: number
  changedShown: number
  /** Entries for Sybils in honest views (a Sybil's own, validly signed presence may be listed). */
  sybilsShown: number
  /** The census: players online as the honest nodes estimate them, mean and max (the truth is N). */
  onlineMean: number
  onlineMax: number
  /** Lobby messages refused by the honest nodes, by reason. */
  refused: Record<string, number>
}

/** Compares the ratings before and after: a rating no game explains changed. */
export function compareRatings (before: Map<string, NodeRatings>, after: Map<string, NodeRatings>, played: ReadonlySet<string>, sybils: ReadonlySet<string>): RatingCheck {
  const out: RatingCheck = { checkedOwn: 0, changedOwn: 0, checkedShown: 0, changedShown: 0, sybilsShown: 0, onlineMean: 0, onlineMax: 0, refused: {} }
  const steady = new Set<string>()
  for (const [peer, b] of before) {
    const a = after.get(peer)
    if (a == null || !a.up || !b.up || played.has(peer)) continue
    steady.add(peer)
    out.checkedOwn++
    if (a.mu !== b.mu || a.sigma !== b.sigma) out.changedOwn++
  }
  let online = 0
  let viewers = 0
  for (const a of after.values()) {
    for (const [reason, n] of Object.entries(a.refused)) out.refused[reason] = (out.refused[reason] ?? 0) + n
    if (!a.up) continue
    viewers++
    online += a.online
    out.onlineMax = Math.max(out.onlineMax, a.online)
    for (const [peer, mu] of Object.entries(a.view)) {
      if (sybils.has(peer)) { out.sybilsShown++; continue }
      const them = after.get(peer)
      if (!steady.has(peer) || them == null) continue
      out.checkedShown++
      // No rating shown is right for a player who shows none; a rating shown must be its own.
      if (mu != null && Math.abs(mu - them.mu / FIXED_POINT) > 1e-6) out.changedShown++
    }
  }
  out.onlineMean = Math.round(online / Math.max(1, viewers))
  out.onlineMax = Math.round(out.onlineMax)
  return out
}
