import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { MAX_ENTRIES, MAX_SEEKS_PER_PEER, MAX_TOMBSTONES_PER_PEER, MAX_TTL, TTL } from '../../../src/net/lobby/constants.js'
import { LobbyView, seekKey, type ViewChange, type ViewLimits } from '../../../src/net/lobby/view.js'
import type { CancelMessage, PresenceMessage, SeekMessage } from '../../../src/net/lobby/messages.js'
import type { PeerId } from '@libp2p/interface'
import type { GameTerms } from '../../../src/wire/game-start.js'

const t0 = 1_767_225_600_000
const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
const limits: ViewLimits = { maxEntries: MAX_ENTRIES, maxSeeksPerPeer: MAX_SEEKS_PER_PEER, maxTombstonesPerPeer: MAX_TOMBSTONES_PER_PEER, tombstoneTtl: MAX_TTL, ttl: TTL }

async function peers (n: number): Promise<PeerId[]> {
  return Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
}

const [alice, bob] = await peers(2)

function presence (peer: PeerId, seq: number, fields: Partial<PresenceMessage> = {}): PresenceMessage {
  return { t: 'presence', peer: peer.toMultihash().bytes, name: 'Alice', sizes: [9], status: 'idle', expires: t0 + TTL, seq, ...fields }
}

function seekId (n: number): Uint8Array {
  return Uint8Array.of(0, 0, 0, 0, 0, 0, 0, n)
}

function seek (peer: PeerId, n: number, seq: number, fields: Partial<SeekMessage> = {}): SeekMessage {
  return { t: 'seek', peer: peer.toMultihash().bytes, id: seekId(n), terms, color: 'random', expires: t0 + TTL, seq, ...fields }
}

function cancel (peer: PeerId, n: number, seq: number): CancelMessage {
  return { t: 'cancel', peer: peer.toMultihash().bytes, id: seekId(n), seq }
}

/** Changes as short strings: `presence Alice`, `seek:removed 07 cancelled`. */
function show (changes: readonly ViewChange[]): string[] {
  return changes.map(c => {
    if (c.type === 'presence') return `presence ${c.presence.name}`
    if (c.type === 'presence:removed') return `presence:removed ${c.presence.name} ${c.reason}`
    if (c.type === 'seek') return `seek ${seekKey(c.seek.id).slice(-2)}`
    return `seek:removed ${seekKey(c.seek.id).slice(-2)} ${c.reason}`
  })
}

describe('LobbyView: presences', () => {
  it('adds a presence, keeps it through plain republishes, and reports real changes', () => {
    const view = new LobbyView(limits)
    expect(show(view.apply(presence(alice, 1), alice, t0).changes)).toEqual(['presence Alice'])
    // Same content, later expiry: applied, but nothing to redraw.
    const refresh = view.apply(presence(alice, 2, { expires: t0 + 2 * TTL }), alice, t0)
    expect(refresh).toEqual({ outcome: 'applied', changes: [] })
    expect(view.presences(t0).map(p => p.expires)).toEqual([t0 + 2 * TTL])
    expect(show(view.apply(presence(alice, 3, { status: 'playing' }), alice, t0).changes)).toEqual(['presence Alice'])
    expect(show(view.apply(presence(alice, 4, { status: 'playing', ratings: { 9: { mu: 25, sigma: 8 } } }), alice, t0).changes)).toEqual(['presence Alice'])
    const [p] = view.presences(t0)
    expect(p).toMatchObject({ name: 'Alice', sizes: [9], status: 'playing', ratings: { 9: { mu: 25, sigma: 8 } } })
    expect(p.peer.equals(alice)).toBe(true)
  })

  it('never lets an older or equal seq replace a newer one', () => {
    const view = new LobbyView(limits)
    view.apply(presence(alice, 10, { name: 'New' }), alice, t0)
    expect(view.apply(presence(alice, 9, { name: 'Old' }), alice, t0)).toEqual({ outcome: 'stale', changes: [] })
    expect(view.apply(presence(alice, 10, { name: 'Same seq' }), alice, t0).outcome).toBe('stale')
    expect(view.presences(t0).map(p => p.name)).toEqual(['New'])
  })

  it('hides an expired presence at once, and the sweep removes it with one event', () => {
    const view = new LobbyView(limits)
    view.apply(presence(alice, 1), alice, t0)
    view.apply(presence(bob, 1, { name: 'Bob', expires: t0 + 2 * TTL }), bob, t0)
    expect(view.presences(t0 + TTL).map(p => p.name)).toEqual(['Bob'])
    expect(view.size).toBe(2)
    expect(show(view.sweep(t0 + TTL))).toEqual(['presence:removed Alice expired'])
    expect(view.size).toBe(1)
    expect(view.sweep(t0 + TTL)).toEqual([])
    expect(show(view.sweep(t0 + 2 * TTL))).toEqual(['presence:removed Bob expired'])
    expect(view.size).toBe(0)
  })
})

describe('LobbyView: seeks', () => {
  it('adds, refreshes, changes and cancels a seek', () => {
    const view = new LobbyView(limits)
    expect(show(view.apply(seek(alice, 1, 1), alice, t0).changes)).toEqual(['seek 01'])
    expect(view.apply(seek(alice, 1, 2, { expires: t0 + 2 * TTL }), alice, t0).changes).toEqual([])
    expect(show(view.apply(seek(alice, 1, 3, { color: 'white' }), alice, t0).changes)).toEqual(['seek 01'])
    expect(view.seeks(t0)).toMatchObject([{ color: 'white', expires: t0 + TTL, terms }])
    expect(view.apply(seek(alice, 1, 2), alice, t0).outcome).toBe('stale')
    expect(show(view.apply(cancel(alice, 1, 4), alice, t0).changes)).toEqual(['seek:removed 01 cancelled'])
    expect(view.seeks(t0)).toEqual([])
  })

  it('does not bring a cancelled seek back when an older republish arrives after the cancel', () => {
    const view = new LobbyView(limits)
    view.apply(seek(alice, 1, 1), alice, t0)
    view.apply(cancel(alice, 1, 3), alice, t0)
    expect(view.apply(seek(alice, 1, 2), alice, t0)).toEqual({ outcome: 'stale', changes: [] })
    expect(view.seeks(t0)).toEqual([])
  })

  it('remembers a cancel that arrives before its seek', () => {
    const view = new LobbyView(limits)
    expect(view.apply(cancel(alice, 1, 5), alice, t0)).toEqual({ outcome: 'applied', changes: [] })
    expect(view.apply(seek(alice, 1, 4), alice, t0).outcome).toBe('stale')
    expect(view.seeks(t0)).toEqual([])
    // An older cancel after a newer seek does nothing.
    view.apply(seek(alice, 2, 7), alice, t0)
    expect(view.apply(cancel(alice, 2, 6), alice, t0).outcome).toBe('stale')
    expect(view.seeks(t0)).toHaveLength(1)
  })

  it('forgets cancelled IDs after MAX_TTL and beyond the per-peer limit', () => {
    const view = new LobbyView(limits)
    for (let n = 1; n <= MAX_TOMBSTONES_PER_PEER + 1; n++) view.apply(cancel(alice, n, 100 + n), alice, t0)
    // The first tombstone was pushed out: a seek with that ID is taken again.
    expect(view.apply(seek(alice, 1, 50), alice, t0).outcome).toBe('applied')
    expect(view.apply(seek(alice, 2, 50), alice, t0).outcome).toBe('stale')
    view.sweep(t0 + MAX_TTL)
    expect(view.apply(seek(alice, 2, 50, { expires: t0 + MAX_TTL + TTL }), alice, t0 + MAX_TTL).outcome).toBe('applied')
  })

  it('keeps at most three seeks per peer, the newest', () => {
    const view = new LobbyView(limits)
    for (let n = 1; n <= 3; n++) view.apply(seek(alice, n, 10 + n), alice, t0)
    // A republish of seek 1 makes it newer than 2 and 3.
    view.apply(seek(alice, 1, 20), alice, t0)
    expect(show(view.apply(seek(alice, 4, 21), alice, t0).changes)).toEqual(['seek:removed 02 limit', 'seek 04'])
    expect(view.seeks(t0).map(s => seekKey(s.id).slice(-2)).sort()).toEqual(['01', '03', '04'])
    // Older than all three kept: not taken.
    expect(view.apply(seek(alice, 5, 12), alice, t0)).toEqual({ outcome: 'stale', changes: [] })
    // Another peer's seeks count apart.
    view.apply(seek(bob, 1, 1), bob, t0)
    expect(view.seeks(t0)).toHaveLength(4)
  })

  it('sweeps expired seeks with one removal each, and keeps the peer while anything is left', () => {
    const view = new LobbyView(limits)
    view.apply(seek(alice, 1, 1), alice, t0)
    view.apply(seek(alice, 2, 2, { expires: t0 + 2 * TTL }), alice, t0)
    expect(view.seeks(t0 + TTL)).toHaveLength(1)
    expect(show(view.sweep(t0 + TTL))).toEqual(['seek:removed 01 expired'])
    expect(view.size).toBe(1)
    expect(show(view.sweep(t0 + 2 * TTL))).toEqual(['seek:removed 02 expired'])
    expect(view.size).toBe(0)
  })
})

describe('LobbyView: the peer limit', () => {
  it('drops the peer whose entries expire soonest, with a removal for each of its entries', async () => {
    const [p1, p2, p3, p4, p5] = await peers(5)
    const view = new LobbyView({ ...limits, maxEntries: 3 })
    view.apply(presence(p1, 1, { name: 'p1', expires: t0 + 30_000 }), p1, t0)
    view.apply(seek(p1, 1, 2, { expires: t0 + 40_000 }), p1, t0)
    view.apply(presence(p2, 1, { name: 'p2', expires: t0 + 20_000 }), p2, t0)
    view.apply(seek(p2, 1, 2, { expires: t0 + 50_000 }), p2, t0)
    view.apply(presence(p3, 1, { name: 'p3', expires: t0 + 60_000 }), p3, t0)
    // p1's latest expiry (40 s) is the soonest: it goes, presence and seek.
    const result = view.apply(presence(p4, 1, { name: 'p4', expires: t0 + 70_000 }), p4, t0)
    expect(show(result.changes)).toEqual(['presence:removed p1 limit', 'seek:removed 01 limit', 'presence p4'])
    expect(view.size).toBe(3)
    // A newcomer expiring sooner than everyone tracked is not taken.
    expect(view.apply(presence(p5, 1, { name: 'p5', expires: t0 + 10_000 }), p5, t0)).toEqual({ outcome: 'full', changes: [] })
    // Known peers still update while the view is full.
    expect(view.apply(presence(p2, 2, { name: 'p2 again', expires: t0 + 20_000 }), p2, t0).outcome).toBe('applied')
    expect(view.presences(t0).map(p => p.name).sort()).toEqual(['p2 again', 'p3', 'p4'])
  })

  it('ranks an entry as living at most TTL from its arrival, so announcing MAX_TTL buys no place', async () => {
    const [honest, sybil1, sybil2] = await peers(3)
    const view = new LobbyView({ ...limits, maxEntries: 2 })
    view.apply(presence(sybil1, 1, { name: 'sybil1', expires: t0 + MAX_TTL }), sybil1, t0)
    // Arrives later with the ordinary TTL: it ranks after the first sybil's entry, which counts as t0 + TTL.
    view.apply(presence(honest, 1, { name: 'honest', expires: t0 + 10_000 + TTL }), honest, t0 + 10_000)
    const result = view.apply(presence(sybil2, 1, { name: 'sybil2', expires: t0 + 20_000 + MAX_TTL }), sybil2, t0 + 20_000)
    expect(show(result.changes)).toEqual(['presence:removed sybil1 limit', 'presence sybil2'])
    expect(view.presences(t0 + 20_000).map(p => p.name).sort()).toEqual(['honest', 'sybil2'])
  })

  it(`holds ${MAX_ENTRIES} peers by default and no more`, async () => {
    const many = await peers(MAX_ENTRIES + 1)
    const view = new LobbyView(limits)
    many.forEach((peer, i) => view.apply(presence(peer, 1, { name: `p${i}`, expires: t0 + 1000 + i }), peer, t0))
    expect(view.size).toBe(MAX_ENTRIES)
    expect(view.presences(t0).some(p => p.name === 'p0')).toBe(false)
    expect(view.presences(t0).some(p => p.name === `p${MAX_ENTRIES}`)).toBe(true)
  })

  it('drops everything on clear, without changes', () => {
    const view = new LobbyView(limits)
    view.apply(presence(alice, 1), alice, t0)
    view.clear()
    expect(view.size).toBe(0)
    expect(view.sweep(t0 + TTL)).toEqual([])
  })
})

describe('LobbyView: version 2 leave and signed bytes', () => {
  it('a leave removes the presence and the seeks sent before it, and older copies arriving late stay out', () => {
    const view = new LobbyView(limits)
    view.apply(presence(alice, 1), alice, t0)
    view.apply(seek(alice, 1, 2), alice, t0)
    view.apply(seek(alice, 2, 3), alice, t0)
    expect(show(view.apply({ t: 'leave', seq: 3 }, alice, t0).changes)).toEqual(['presence:removed Alice left', 'seek:removed 01 left'])
    // The seek sent with seq 3 is not older than the leave: it stays.
    expect(view.seeks(t0).map(s => seekKey(s.id).slice(-2))).toEqual(['02'])
    // A catch-up answer or a slow forwarder hands on the presence from before the leave: stale.
    expect(view.apply(presence(alice, 1), alice, t0).outcome).toBe('stale')
    expect(view.apply(seek(alice, 1, 2), alice, t0).outcome).toBe('stale')
    expect(view.apply({ t: 'leave', seq: 3 }, alice, t0).outcome).toBe('stale')
    // Opening again is a newer presence.
    expect(show(view.apply(presence(alice, 4), alice, t0).changes)).toEqual(['presence Alice'])
  })

  it('forgets a leave once nothing older can arrive, and the peer with it', () => {
    const view = new LobbyView(limits)
    view.apply(presence(alice, 1), alice, t0)
    view.apply({ t: 'leave', seq: 2 }, alice, t0)
    expect(view.size).toBe(1)
    view.sweep(t0 + MAX_TTL + 1)
    expect(view.size).toBe(0)
  })

  it('hands on the signed bytes of the presences asked for, with their seekers\' seeks', () => {
    const view = new LobbyView(limits)
    view.apply(presence(alice, 1), alice, t0, Uint8Array.of(1))
    view.apply(seek(alice, 1, 2), alice, t0, Uint8Array.of(2))
    view.apply(presence(bob, 1, { name: 'Bob' }), bob, t0, Uint8Array.of(3))
    // An entry that came without its signed bytes (version 1) is not handed on.
    view.apply(seek(bob, 1, 2), bob, t0)
    const all = view.rawEntries(t0, () => true)
    expect(all.map(e => [...e.raw])).toEqual([[1], [2], [3]])
    expect(view.rawEntries(t0, p => p.name === 'Bob').map(e => e.presence?.name)).toEqual(['Bob'])
    expect(view.rawEntries(t0 + TTL, () => true)).toEqual([])
  })
})
