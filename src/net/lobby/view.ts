// The lobby as this node sees it: other peers' presences and seeks, replaced by sequence number,
// removed on expiry, bounded against floods. No network and no clock of its own: the service
// feeds it checked messages and the time, so tests drive it directly.
import type { LobbyPresence, LobbySeek, PresenceRemovalReason, SeekRemovalReason } from './index.js'
import type { LobbyMessage, PresenceMessage, SeekMessage, CancelMessage } from './messages.js'
import type { PeerId } from '@libp2p/interface'

/** How much the view holds; the service passes the constants, tests pass small numbers. */
export interface ViewLimits {
  readonly maxEntries: number
  readonly maxSeeksPerPeer: number
  readonly maxTombstonesPerPeer: number
  /** How long a cancelled seek ID is remembered: as long as any older seek message could still be accepted. */
  readonly tombstoneTtl: number
  /** The TTL honest publishers use: when the view is full, no entry ranks as living longer than this from its arrival. */
  readonly ttl: number
}

/** One change to the view, for the service to emit as an event. */
export type ViewChange =
  | { readonly type: 'presence', readonly presence: LobbyPresence }
  | { readonly type: 'presence:removed', readonly presence: LobbyPresence, readonly reason: PresenceRemovalReason }
  | { readonly type: 'seek', readonly seek: LobbySeek }
  | { readonly type: 'seek:removed', readonly seek: LobbySeek, readonly reason: SeekRemovalReason }

/** What became of a message: taken (maybe without a visible change), older than what is held, or no room for a new peer. */
export interface ApplyResult {
  readonly outcome: 'applied' | 'stale' | 'full'
  readonly changes: ViewChange[]
}

/** An entry, its seq, how long it counts as living when the view must drop someone (see `ttl`), and its signed bytes when it came with them (version 2: handed on to catching-up peers). */
interface Held<T> { readonly entry: T, readonly seq: number, readonly rank: number, readonly raw?: Uint8Array }

/** "No longer open to games" (version 2): everything of the peer older than `seq` goes. */
export interface LeaveMessage {
  readonly t: 'leave'
  readonly seq: number
}

/** A held entry with the bytes it was signed in, for a catch-up answer. */
export interface RawEntry {
  readonly presence?: LobbyPresence
  readonly seek?: LobbySeek
  readonly raw: Uint8Array
}

interface PeerRecord {
  readonly peer: PeerId
  presence?: Held<LobbyPresence>
  readonly seeks: Map<string, Held<LobbySeek>>
  /** Cancelled seek IDs and the cancel's seq, until a seek message that old can no longer arrive. */
  readonly tombstones: Map<string, { readonly seq: number, readonly until: number }>
  /** The seq of the peer's last `leave`, until anything older can no longer arrive: older entries are stale. */
  left?: { readonly seq: number, readonly until: number }
}

/** A seek ID as a map key. */
export function seekKey (id: Uint8Array): string {
  let s = ''
  for (const b of id) s += b.toString(16).padStart(2, '0')
  return s
}

const stale: ApplyResult = Object.freeze({ outcome: 'stale', changes: [] })

/** The latest ranked expiry among a peer's entries; a record holding only tombstones is the first to give up. */
function lastRank (rec: PeerRecord): number {
  let last = rec.presence?.rank ?? -Infinity
  for (const { rank } of rec.seeks.values()) last = Math.max(last, rank)
  return last
}

function presenceContent (p: LobbyPresence): string {
  return JSON.stringify([p.name, p.sizes, p.ratings ?? null, p.status, p.reach ?? null])
}

function seekContent (s: LobbySeek): string {
  return JSON.stringify([s.terms, s.color, s.range ?? null])
}

/**
 * Other peers' lobby entries. Every entry announced with a `presence` or `seek` change leaves
 * with exactly one removal change, so a consumer of the changes always holds the same set.
 */
export class LobbyView {
  private readonly limits: ViewLimits
  private readonly peers = new Map<string, PeerRecord>()

  constructor (limits: ViewLimits) {
    this.limits = limits
  }

  /** Peers tracked (with any entry or tombstone). */
  get size (): number {
    return this.peers.size
  }

  /** The current presence of `peer`, if it has an unexpired one. */
  presenceOf (peer: PeerId, now: number): LobbyPresence | undefined {
    const held = this.peers.get(peer.toString())?.presence
    return held != null && held.entry.expires > now ? held.entry : undefined
  }

  /**
   * Takes a message already checked (schema, signer, expiry) from `peer`, its signer; `raw`, the
   * bytes it was signed in, is kept with a presence or seek to hand on (version 2).
   */
  apply (msg: LobbyMessage | LeaveMessage, peer: PeerId, now: number, raw?: Uint8Array): ApplyResult {
    const key = peer.toString()
    let rec = this.peers.get(key)
    const changes: ViewChange[] = []
    if (rec == null) {
      if (this.peers.size >= this.limits.maxEntries) {
        // Full: the peer whose entries expire soonest goes, unless the newcomer's would expire sooner still.
        const victim = this.soonest()
        const incoming = msg.t === 'cancel' || msg.t === 'leave' ? -Infinity : this.rank(msg.expires, now)
        if (victim == null || lastRank(victim) >= incoming) return { outcome: 'full', changes: [] }
        changes.push(...this.drop(victim))
      }
      rec = { peer, seeks: new Map(), tombstones: new Map() }
      this.peers.set(key, rec)
    }
    if (msg.t !== 'leave' && msg.t !== 'cancel' && rec.left != null && msg.seq <= rec.left.seq) return stale
    const result = msg.t === 'presence'
      ? this.applyPresence(rec, msg, now, raw)
      : msg.t === 'seek' ? this.applySeek(rec, msg, now, raw) : msg.t === 'cancel' ? this.applyCancel(rec, msg, now) : this.applyLeave(rec, msg, now)
    if (result.outcome === 'stale' && changes.length === 0) return result
    return { outcome: result.outcome, changes: [...changes, ...result.changes] }
  }

  /**
   * An expiry as it counts for eviction: at most `ttl` after arrival. Otherwise a flood of fresh
   * identities announcing the 5-minute maximum would push out honest peers, which use 90 s.
   */
  private rank (expires: number, now: number): number {
    return Math.min(expires, now + this.limits.ttl)
  }

  private applyPresence (rec: PeerRecord, msg: PresenceMessage, now: number, raw: Uint8Array | undefined): ApplyResult {
    const held = rec.presence
    if (held != null && msg.seq <= held.seq) return stale
    const entry: LobbyPresence = Object.freeze({
      peer: rec.peer,
      name: msg.name,
      sizes: Object.freeze([...msg.sizes]),
      ...(msg.ratings != null ? { ratings: Object.freeze({ ...msg.ratings }) } : {}),
      status: msg.status,
      ...(msg.reach != null ? { reach: msg.reach } : {}),
      expires: msg.expires
    })
    rec.presence = { entry, seq: msg.seq, rank: this.rank(msg.expires, now), ...(raw != null ? { raw } : {}) }
    // A plain republish only moves the expiry: not a change anyone needs to redraw for.
    const changed = held == null || presenceContent(held.entry) !== presenceContent(entry)
    return { outcome: 'applied', changes: changed ? [{ type: 'presence', presence: entry }] : [] }
  }

  private applySeek (rec: PeerRecord, msg: SeekMessage, now: number, raw: Uint8Array | undefined): ApplyResult {
    const key = seekKey(msg.id)
    const tomb = rec.tombstones.get(key)
    if (tomb != null && msg.seq <= tomb.seq) return stale
    const held = rec.seeks.get(key)
    if (held != null && msg.seq <= held.seq) return stale
    const changes: ViewChange[] = []
    if (held == null && rec.seeks.size >= this.limits.maxSeeksPerPeer) {
      // Newest kept: the seek sent longest ago (lowest seq) goes, unless this one is older still.
      let oldestKey = ''
      let oldest: Held<LobbySeek> | undefined
      for (const [k, h] of rec.seeks) {
        if (oldest == null || h.seq < oldest.seq) { oldestKey = k; oldest = h }
      }
      if (oldest != null && oldest.seq > msg.seq) return stale
      if (oldest != null) {
        rec.seeks.delete(oldestKey)
        changes.push({ type: 'seek:removed', seek: oldest.entry, reason: 'limit' })
      }
    }
    const entry: LobbySeek = Object.freeze({
      peer: rec.peer,
      id: msg.id,
      terms: msg.terms,
      color: msg.color,
      ...(msg.range != null ? { range: Object.freeze({ ...msg.range }) } : {}),
      expires: msg.expires
    })
    rec.seeks.set(key, { entry, seq: msg.seq, rank: this.rank(msg.expires, now), ...(raw != null ? { raw } : {}) })
    rec.tombstones.delete(key)
    if (held == null || seekContent(held.entry) !== seekContent(entry)) changes.push({ type: 'seek', seek: entry })
    return { outcome: 'applied', changes }
  }

  private applyCancel (rec: PeerRecord, msg: CancelMessage, now: number): ApplyResult {
    const key = seekKey(msg.id)
    const held = rec.seeks.get(key)
    if (held != null && msg.seq <= held.seq) return stale
    const tomb = rec.tombstones.get(key)
    if (tomb != null && msg.seq <= tomb.seq) return stale
    const changes: ViewChange[] = []
    if (held != null) {
      rec.seeks.delete(key)
      changes.push({ type: 'seek:removed', seek: held.entry, reason: 'cancelled' })
    }
    // Remembered even when the seek is unknown: gossip may deliver the cancel before the seek.
    rec.tombstones.delete(key)
    rec.tombstones.set(key, { seq: msg.seq, until: now + this.limits.tombstoneTtl })
    if (rec.tombstones.size > this.limits.maxTombstonesPerPeer) {
      // Insertion order is expiry order, since every tombstone lives equally long.
      const first = rec.tombstones.keys().next()
      if (first.done !== true) rec.tombstones.delete(first.value)
    }
    return { outcome: 'applied', changes }
  }

  private applyLeave (rec: PeerRecord, msg: LeaveMessage, now: number): ApplyResult {
    if (rec.left != null && msg.seq <= rec.left.seq) return stale
    const changes: ViewChange[] = []
    if (rec.presence != null && rec.presence.seq < msg.seq) {
      changes.push({ type: 'presence:removed', presence: rec.presence.entry, reason: 'left' })
      rec.presence = undefined
    }
    for (const [key, held] of rec.seeks) {
      if (held.seq >= msg.seq) continue
      rec.seeks.delete(key)
      changes.push({ type: 'seek:removed', seek: held.entry, reason: 'left' })
    }
    rec.left = { seq: msg.seq, until: now + this.limits.tombstoneTtl }
    return { outcome: 'applied', changes }
  }

  /** Removes what has expired by `now` and forgets peers left with nothing. */
  sweep (now: number): ViewChange[] {
    const changes: ViewChange[] = []
    for (const [key, rec] of this.peers) {
      if (rec.presence != null && rec.presence.entry.expires <= now) {
        changes.push({ type: 'presence:removed', presence: rec.presence.entry, reason: 'expired' })
        rec.presence = undefined
      }
      for (const [id, { entry }] of rec.seeks) {
        if (entry.expires <= now) {
          rec.seeks.delete(id)
          changes.push({ type: 'seek:removed', seek: entry, reason: 'expired' })
        }
      }
      for (const [id, tomb] of rec.tombstones) {
        if (tomb.until <= now) rec.tombstones.delete(id)
      }
      if (rec.left != null && rec.left.until <= now) rec.left = undefined
      if (rec.presence == null && rec.seeks.size === 0 && rec.tombstones.size === 0 && rec.left == null) this.peers.delete(key)
    }
    return changes
  }

  /** Current presences (unexpired at `now`). */
  presences (now: number): LobbyPresence[] {
    const out: LobbyPresence[] = []
    for (const rec of this.peers.values()) {
      if (rec.presence != null && rec.presence.entry.expires > now) out.push(rec.presence.entry)
    }
    return out
  }

  /** Current seeks (unexpired at `now`). */
  seeks (now: number): LobbySeek[] {
    const out: LobbySeek[] = []
    for (const rec of this.peers.values()) {
      for (const { entry } of rec.seeks.values()) {
        if (entry.expires > now) out.push(entry)
      }
    }
    return out
  }

  /**
   * The unexpired presences `wanted` picks, each with its peer's unexpired seeks, in the bytes they
   * were signed in (entries that came without them are left out): a catch-up answer's material.
   */
  rawEntries (now: number, wanted: (presence: LobbyPresence) => boolean): RawEntry[] {
    const out: RawEntry[] = []
    for (const rec of this.peers.values()) {
      const presence = rec.presence
      if (presence?.raw == null || presence.entry.expires <= now || !wanted(presence.entry)) continue
      out.push({ presence: presence.entry, raw: presence.raw })
      for (const { entry, raw } of rec.seeks.values()) {
        if (raw != null && entry.expires > now) out.push({ seek: entry, raw })
      }
    }
    return out
  }

  /** Forgets everything, without changes (the service is stopping). */
  clear (): void {
    this.peers.clear()
  }

  private soonest (): PeerRecord | undefined {
    let victim: PeerRecord | undefined
    let victimExpiry = Infinity
    for (const rec of this.peers.values()) {
      const e = lastRank(rec)
      if (victim == null || e < victimExpiry) { victim = rec; victimExpiry = e }
    }
    return victim
  }

  private drop (rec: PeerRecord): ViewChange[] {
    const changes: ViewChange[] = []
    if (rec.presence != null) changes.push({ type: 'presence:removed', presence: rec.presence.entry, reason: 'limit' })
    for (const { entry } of rec.seeks.values()) changes.push({ type: 'seek:removed', seek: entry, reason: 'limit' })
    this.peers.delete(rec.peer.toString())
    return changes
  }
}
