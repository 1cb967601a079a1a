import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lobbyV2, lobbyV2Topic, type LobbyV2, type LobbyV2Init } from '../../../../src/net/lobby/v2/index.js'
import { libp2pDefaults, type P2pgoServices } from '../../../../src/net/libp2p-defaults.js'
import { reputation, type ReputationService } from '../../../../src/net/reputation/index.js'
import { ReputationBook } from '../../../../src/reputation/reputation-book.js'
import { SYNC_FLOOD } from '../../../../src/net/lobby/v2/sync.js'
import { encodeSyncRequest, LOBBY_SYNC_PROTOCOL } from '../../../../src/net/lobby/v2/sync-messages.js'
import { encodeFrame } from '../../../../src/wire/frame.js'
import type { LobbyEvents } from '../../../../src/net/lobby/index.js'
import type { GameTerms } from '../../../../src/wire/game-start.js'

type Services = P2pgoServices & { lobby: LobbyV2, reputation: ReputationService }
type Node = Libp2p<Services>

/**
 * Republishing is pushed far out (10 min) so that whatever a node sees within a test came by the
 * first announcement, a leave, or a catch-up; the census runs every second.
 */
const timings: LobbyV2Init = { minPeriod: 600_000, maxPeriod: 600_000, sweepInterval: 100, censusPeriod: 1000 }

/** A p2pgo node on 127.0.0.1 with lobby version 2, no DHT (its queries would connect the players to each other). */
async function node (init: LobbyV2Init = {}): Promise<Node> {
  const privateKey = await generateKeyPair('Ed25519')
  const config = libp2pDefaults({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true })
  const { dht: _dht, lobby: _v1, ...rest } = config.services as unknown as ServiceFactoryMap<P2pgoServices & { lobby: unknown }>
  // A reputation book, where the lobby's penalties go.
  const services = { ...rest, reputation: reputation({ book: new ReputationBook() }), lobby: lobbyV2({ ...timings, ...init }) } as unknown as ServiceFactoryMap<Services>
  return await createLibp2p({ ...config, services })
}

async function until (what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const signal = AbortSignal.timeout(ms)
  while (!check()) {
    if (signal.aborted) throw new Error(`gave up waiting: ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** Every presence event a node's lobby emits, as text: `presence Alice`, `presence:removed Alice left`. */
function record (n: Node): string[] {
  const seen: string[] = []
  const l = n.services.lobby
  for (const type of ['presence', 'presence:removed', 'seek', 'seek:removed'] as Array<keyof LobbyEvents>) {
    l.addEventListener(type, (evt: CustomEvent<any>) => {
      const d = evt.detail
      if (type === 'presence') seen.push(`presence ${d.name as string}`)
      else if (type === 'presence:removed') seen.push(`presence:removed ${d.presence.name as string} ${d.reason as string}`)
      else if (type === 'seek') seen.push(`seek ${d.peer.toString() as string}`)
      else seen.push(`seek:removed ${d.seek.peer.toString() as string} ${d.reason as string}`)
    })
  }
  return seen
}

const names = (n: Node): string[] => n.services.lobby.presences().map(p => p.name).sort()
const terms: GameTerms = { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 600_000, periodMs: 30_000, periods: 5 } }

describe('lobby version 2 on real nodes: players behind one hub', () => {
  let hub: Node
  let alice: Node
  let bob: Node
  let carol: Node
  const events = new Map<Node, string[]>()

  beforeAll(async () => {
    hub = await node({ hub: true })
    // Alice and Bob sit in bucket 6 (mu 25 and 26); Carol, mu 41, in bucket 10: not near them.
    ;[alice, bob, carol] = await Promise.all([node(), node(), node()])
    for (const n of [alice, bob, carol]) {
      events.set(n, record(n))
      await n.dial(hub.getMultiaddrs()[0])
    }
    alice.services.lobby.setPresence({ name: 'Alice', sizes: [19], ratings: { 19: { mu: 25, sigma: 3 } }, status: 'idle' })
    bob.services.lobby.setPresence({ name: 'Bob', sizes: [19], ratings: { 19: { mu: 26, sigma: 3 } }, status: 'idle' })
    carol.services.lobby.setPresence({ name: 'Carol', sizes: [19], ratings: { 19: { mu: 41, sigma: 3 } }, status: 'idle' })
  })

  afterAll(async () => {
    await Promise.all([hub, alice, bob, carol].map(async n => n?.stop()))
  })

  it('listens to the player\'s bucket and the two next to it; the hub follows what its neighbours follow', async () => {
    expect(alice.services.lobby.topics().map(t => t.bucket).sort()).toEqual([5, 6, 7])
    expect(carol.services.lobby.topics().map(t => t.bucket).sort()).toEqual([10, 11, 9])
    await until('the hub follows bucket 6 and bucket 10', () => {
      const buckets = hub.services.lobby.topics().map(t => t.bucket)
      return buckets.includes(6) && buckets.includes(10)
    })
  })

  it('players near each other see each other through the hub; a player far away is never heard', async () => {
    await until('Alice and Bob see each other', () => names(alice).includes('Bob') && names(bob).includes('Alice'))
    // Carol's presence went to bucket 10, which Alice and Bob do not follow (the hub does).
    await until('the hub holds Carol', () => names(hub).includes('Carol'))
    expect(names(alice)).toEqual(['Bob'])
    expect(names(carol)).toEqual([])
  })

  it('a seek reaches the players of its bucket, and a leave takes the player and its seeks out at once', async () => {
    alice.services.lobby.postSeek({ terms, color: 'random' })
    await until('Bob sees Alice\'s seek', () => bob.services.lobby.seeks().some(s => s.peer.equals(alice.peerId)))
    alice.services.lobby.setPresence({ name: 'Alice', sizes: [19], ratings: { 19: { mu: 25, sigma: 3 } }, status: 'playing' })
    await until('Bob sees Alice leave', () => !names(bob).includes('Alice') && bob.services.lobby.seeks().length === 0)
    expect(events.get(bob)).toContain('presence:removed Alice left')
    expect(events.get(bob)).toContain(`seek:removed ${alice.peerId.toString()} left`)
    // Open again: announced at once, not at the next period (ten minutes away).
    alice.services.lobby.setPresence({ name: 'Alice', sizes: [19], ratings: { 19: { mu: 25, sigma: 3 } }, status: 'idle' })
    await until('Bob sees Alice again', () => names(bob).includes('Alice'))
  })

  it('a newcomer catches up from a neighbour instead of waiting for the next republish', async () => {
    const dave = await node()
    try {
      await dave.dial(hub.getMultiaddrs()[0])
      dave.services.lobby.setPresence({ name: 'Dave', sizes: [19], ratings: { 19: { mu: 24, sigma: 3 } }, status: 'idle' })
      // Nobody republishes within the test (10 min periods): Dave learns Alice and Bob only by asking.
      await until('Dave holds Alice and Bob', () => names(dave).includes('Alice') && names(dave).includes('Bob'))
      expect(names(dave)).toEqual(['Alice', 'Bob'])
    } finally {
      await dave.stop()
    }
  })

  it('a hub that joins a topic after a player announced itself gets the presence from the player', async () => {
    // Eve announces herself before she has any neighbour: the message goes nowhere. The hub she
    // then dials joins her topic because she follows it, and asks her: her own entries are part
    // of her catch-up answer (nobody else holds them, and nobody republishes for ten minutes).
    const [hub2, eve] = await Promise.all([node({ hub: true }), node()])
    try {
      eve.services.lobby.setPresence({ name: 'Eve', sizes: [19], ratings: { 19: { mu: 25, sigma: 3 } }, status: 'idle' })
      // Past gossipsub's message cache (5 heartbeats), which would otherwise offer it to the hub.
      await new Promise(resolve => setTimeout(resolve, 6000))
      await eve.dial(hub2.getMultiaddrs()[0])
      await until('the second hub holds Eve', () => names(hub2).includes('Eve'))
    } finally {
      await Promise.all([hub2.stop(), eve.stop()])
    }
  })

  it('a seek posted by a node that follows nothing, before it knows anyone on the topic, is sent again soon and reaches a player', async () => {
    // Frank follows no lobby topic (a one-shot command, a bot that only seeks): his seek goes out
    // on his bucket's topic by fanout, to peers he knows follow it. Posted before he is connected,
    // it reached nobody; republishing waits ten minutes here, and nobody asks Frank for a catch-up
    // (he is on no topic), so only a retry after the publish that reached nobody brings it.
    const frank = await node()
    try {
      frank.services.lobby.follow([])
      frank.services.lobby.postSeek({ terms, color: 'random' })
      await frank.dial(hub.getMultiaddrs()[0])
      await until('Alice sees Frank\'s seek', () => alice.services.lobby.seeks().some(s => s.peer.equals(frank.peerId)), 60_000)
    } finally {
      await frank.stop()
    }
  })

  it('a player who leaves and rejoins its topics around quick games is answered and never penalised; a peer flooding catch-up is', async () => {
    // Every rated game moves a newcomer's rating by a few points, and its topics with it: the
    // topics left after one game are joined again after the next, and each join asks a
    // neighbour for a catch-up (twice when the first answer was empty). Quick games are honest.
    const gus = await node()
    const flooder = await node()
    try {
      await gus.dial(hub.getMultiaddrs()[0])
      const rated = (mu: number): void => { gus.services.lobby.setPresence({ name: 'Gus', sizes: [19], ratings: { 19: { mu, sigma: 3 } }, status: 'idle' }) }
      rated(25)
      await until('Gus holds Alice', () => names(gus).includes('Alice'))
      const near = gus.services.lobby.topics().map(t => t.bucket)
      for (let game = 0; game < 4; game++) {
        rated(60)
        await until('Gus moved to other topics', () => gus.services.lobby.topics().every(t => !near.includes(t.bucket)))
        rated(25)
        // Past the catch-up's delay and its one retry.
        await new Promise(resolve => setTimeout(resolve, 3500))
      }
      expect(names(gus)).toContain('Alice')
      expect(hub.services.reputation.eventsOf(gus.peerId.toString())).toEqual([])
      // A peer that asks the hub for one topic over and over is reset and loses reputation.
      const { size, bucket } = hub.services.lobby.topics().find(t => t.size === 19)!
      await flooder.dial(hub.getMultiaddrs()[0])
      for (let i = 0; i < 2 * SYNC_FLOOD; i++) {
        const stream = await flooder.dialProtocol(hub.peerId, LOBBY_SYNC_PROTOCOL)
        stream.send(encodeFrame(encodeSyncRequest({ size, bucket }), { maxBytes: 256 }))
        await stream.close().catch(() => {})
        try { for await (const _ of stream) {} } catch {}
      }
      await until('the hub penalised the flooder', () => hub.services.reputation.eventsOf(flooder.peerId.toString()).some(e => e.kind === 'invalid' && e.reason === 'lobby:sync-flood'))
    } finally {
      await Promise.all([gus.stop(), flooder.stop()])
    }
  })

  it('counts the nodes online from the census', async () => {
    // Five or fewer nodes: each sends every period (p = 1), so the estimate is the count.
    // Early periods may still hold Dave, or players before they announced a size: waited past.
    await until('Alice counts the four nodes, three of them playing 19x19', () => {
      const online = alice.services.lobby.online()
      return Math.round(online.total) === 4 && Math.round(online.bySize['19'] ?? 0) === 3
    }, 20_000)
  })
})
