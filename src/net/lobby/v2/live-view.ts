// The live games a node holds (protocols/watch.md, "Live games in the lobby"): each player's
// `live` entry, newest seq per author, withdrawn by the author's `leave`, swept on expiry, bounded
// like presences. A game both players announce is listed once (the entry further in the game).
// No network and no clock of its own: the service feeds it checked messages and the time.
import { peerIdOfBytes } from './sign.js'
import { liveTopic, type LiveV2 } from './live.js'
import type { LobbyLiveGame, LiveRemovalReason } from '../index.js'
import type { LobbyV2Topic } from './topics.js'
import type { PeerId } from '@libp2p/interface'

/** Live games one author may have listed at once: a player is in one game, an engine in a few. */
export const MAX_LIVE_PER_AUTHOR = 4

/** One change to the live games, for the service to emit. */
export type LiveChange =
  | { readonly type: 'live', readonly live: LobbyLiveGame }
  | { readonly type: 'live:removed', readonly live: LobbyLiveGame, readonly reason: LiveRemovalReason }

export interface LiveViewLimits {
  /** Most games held. */
  readonly maxGames: number
  /** How long an author's `leave` is remembered: as long as an older entry could still be accepted. */
  readonly tombstoneTtl: number
  /** The life honest publishers announce at most: when full, no entry ranks as living longer than this from its arrival. */
  readonly ttl: number
}

interface Held { readonly entry: LobbyLiveGame, readonly seq: number, readonly rank: number, readonly raw: Uint8Array, readonly topic: LobbyV2Topic }

/** The entry a game is listed by: the one furthest in the game, then the latest received. */
function best (authors: ReadonlyMap<string, Held> | undefined): Held | undefined {
  let out: Held | undefined
  for (const h of authors?.values() ?? []) {
    if (out == null || h.entry.ply > out.entry.ply || (h.entry.ply === out.entry.ply && h.entry.received > out.entry.received)) out = h
  }
  return out
}

function content (e: LobbyLiveGame): string {
  return JSON.stringify([e.ply, e.watchers, e.names, e.ratings ?? null])
}

function lastRank (authors: ReadonlyMap<string, Held>): number {
  let last = -Infinity
  for (const h of authors.values()) last = Math.max(last, h.rank)
  return last
}

export class LiveView {
  private readonly limits: LiveViewLimits
  /** By game ID, then by author. */
  private readonly games = new Map<string, Map<string, Held>>()
  /** Each author's last `leave` seq, until anything older can no longer arrive. */
  private readonly left = new Map<string, { readonly seq: number, readonly until: number }>()

  constructor (limits: LiveViewLimits) {
    this.limits = limits
  }

  /** Games held. */
  get size (): number {
    return this.games.size
  }

  /** Takes a checked live entry from its author; `raw` is the bytes it was signed in (handed on in catch-up answers). */
  apply (msg: LiveV2, author: PeerId, now: number, raw: Uint8Array): { outcome: 'applied' | 'stale' | 'full', changes: LiveChange[] } {
    const a = author.toString()
    const gone = this.left.get(a)
    if (gone != null && msg.seq <= gone.seq) return { outcome: 'stale', changes: [] }
    const g = msg.game.toString()
    const held = this.games.get(g)?.get(a)
    if (held != null && msg.seq <= held.seq) return { outcome: 'stale', changes: [] }
    const rank = Math.min(msg.expires, now + this.limits.ttl)
    const changes: LiveChange[] = []
    if (!this.games.has(g) && this.games.size >= this.limits.maxGames) {
      // Full: the game whose entries expire soonest goes, unless the newcomer's would expire sooner still.
      let victim: string | undefined
      let soonest = Infinity
      for (const [id, authors] of this.games) {
        const r = lastRank(authors)
        if (r < soonest) { victim = id; soonest = r }
      }
      if (victim == null || soonest >= rank) return { outcome: 'full', changes: [] }
      changes.push(...this.change(victim, () => { this.games.delete(victim) }, 'limit'))
    }
    if (held == null) {
      const mine = [...this.games.entries()].filter(([, authors]) => authors.has(a))
      if (mine.length >= MAX_LIVE_PER_AUTHOR) {
        // Newest kept: the author's entry sent longest ago goes, unless this one is older still.
        const [oldestGame, authors] = mine.reduce((x, y) => ((x[1].get(a)?.seq ?? 0) <= (y[1].get(a)?.seq ?? 0) ? x : y))
        if ((authors.get(a)?.seq ?? 0) > msg.seq) return { outcome: 'stale', changes }
        changes.push(...this.change(oldestGame, () => { this.remove(oldestGame, a) }, 'limit'))
      }
    }
    const entry: LobbyLiveGame = Object.freeze({
      gameId: msg.game,
      size: msg.size,
      black: peerIdOfBytes(msg.black),
      white: peerIdOfBytes(msg.white),
      names: Object.freeze({ ...msg.names }),
      ...(msg.ratings != null ? { ratings: Object.freeze({ B: { ...msg.ratings.B }, W: { ...msg.ratings.W } }) } : {}),
      ply: msg.ply,
      watchers: msg.watchers,
      author,
      received: now,
      age: 0,
      expires: msg.expires
    })
    changes.push(...this.change(g, () => {
      const authors = this.games.get(g) ?? new Map<string, Held>()
      authors.set(a, { entry, seq: msg.seq, rank, raw, topic: liveTopic(msg) })
      this.games.set(g, authors)
    }, 'limit'))
    return { outcome: 'applied', changes }
  }

  /** The author's `leave`: its entries older than `seq` go, and older ones arriving later are stale. */
  leave (author: PeerId, seq: number, now: number): LiveChange[] {
    const a = author.toString()
    const gone = this.left.get(a)
    if (gone != null && seq <= gone.seq) return []
    const changes: LiveChange[] = []
    for (const [g, authors] of [...this.games]) {
      const held = authors.get(a)
      if (held != null && held.seq < seq) changes.push(...this.change(g, () => { this.remove(g, a) }, 'left'))
    }
    this.left.delete(a)
    this.left.set(a, { seq, until: now + this.limits.tombstoneTtl })
    // Bounded: past the limit the oldest leaves are forgotten (Map keeps insertion order).
    if (this.left.size > this.limits.maxGames * 2) {
      const first = this.left.keys().next()
      if (first.done !== true) this.left.delete(first.value)
    }
    return changes
  }

  /** Removes what has expired by `now`. */
  sweep (now: number): LiveChange[] {
    const changes: LiveChange[] = []
    for (const [g, authors] of [...this.games]) {
      for (const [a, held] of [...authors]) {
        if (held.entry.expires <= now) changes.push(...this.change(g, () => { this.remove(g, a) }, 'expired'))
      }
    }
    for (const [a, gone] of [...this.left]) if (gone.until <= now) this.left.delete(a)
    return changes
  }

  /** The games held, one entry each, unexpired at `now`, with their age; most watched first, then furthest in. */
  list (now: number): LobbyLiveGame[] {
    const out: LobbyLiveGame[] = []
    for (const authors of this.games.values()) {
      const h = best(new Map([...authors].filter(([, x]) => x.entry.expires > now)))
      if (h != null) out.push({ ...h.entry, age: Math.max(0, now - h.entry.received) })
    }
    return out.sort((x, y) => y.watchers - x.watchers || y.ply - x.ply)
  }

  /** The signed bytes of every unexpired entry on `topic`, for a catch-up answer. */
  rawEntries (now: number, topic: LobbyV2Topic): Uint8Array[] {
    const out: Uint8Array[] = []
    for (const authors of this.games.values()) {
      for (const h of authors.values()) {
        if (h.entry.expires > now && h.topic.size === topic.size && h.topic.bucket === topic.bucket) out.push(h.raw)
      }
    }
    return out
  }

  /** Forgets everything, without changes (the service is stopping). */
  clear (): void {
    this.games.clear()
    this.left.clear()
  }

  private remove (g: string, a: string): void {
    const authors = this.games.get(g)
    authors?.delete(a)
    if (authors?.size === 0) this.games.delete(g)
  }

  /** Runs `edit` on one game and says how its listing changed: appeared or changed, or gone (for `reason`). */
  private change (g: string, edit: () => void, reason: LiveRemovalReason): LiveChange[] {
    const before = best(this.games.get(g))
    edit()
    const after = best(this.games.get(g))
    if (after == null) return before != null ? [{ type: 'live:removed', live: before.entry, reason }] : []
    if (before == null || content(before.entry) !== content(after.entry)) return [{ type: 'live', live: after.entry }]
    return []
  }
}
