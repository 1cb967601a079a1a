// One worker process of the scale benchmark: runs its share of full p2pgo nodes (the real
// protocol stack on 127.0.0.1; no UPnP, mDNS or rendezvous: privateNetwork) as idle players in
// the lobby, and does what the coordinator asks of them (bench/scale/messages.ts). Every node
// accepts any challenge and plays its games by itself: the first legal point in a seeded order,
// resigning after SCALE_TURNS turns.
import '../../src/polyfill.js'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { MemoryDatastore } from 'datastore-core'
import { CID } from 'multiformats/cid'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { ByteMeter } from './byte-meter.js'
import { RNA_TOPIC } from '../../src/net/rna/constants.js'
import { lobbyV2Topic } from '../../src/net/lobby/v2/index.js'

const LOBBY_TOPIC = lobbyV2Topic(9, 6)
import { churnRequest } from './churn-worker.js'
import type { Reply, Request, NodeSample } from './messages.js'
import type { GameTerms } from '../../src/wire/game-start.js'

/** Turns of a benchmark game before the player to move resigns: long enough to be worth publishing as RNA. */
export const SCALE_TURNS = 24
export const SCALE_TERMS: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
/** Nodes started at once: hundreds of handshakes together on two cores run past libp2p's dial timeout. */
const START_BATCH = 5

export interface Member {
  readonly node: P2pgoNode
  readonly meter: ByteMeter
  /** Seek ID (hex) → when this node first saw it. */
  readonly seen: Map<string, number>
  /** Game ID → when this node first held an RNA of it. */
  readonly rna: Map<string, number>
  /** Game ID → when it ended here with a co-signed result. */
  readonly ended: Map<string, number>
  /** RNA gossip messages received, first copies and duplicates (counted as gossipsub takes each RPC in). */
  rnaCopies: number
  /** False once it left (churn); `last` is its sample then. */
  up: boolean
  last?: NodeSample
}

const members: Member[] = []
const cpuStart = process.cpuUsage()
const lag = monitorEventLoopDelay({ resolution: 20 })
lag.enable()

function send (reply: Reply): void { process.send?.(reply) }
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

async function startMember (index: number, bootstrap: string[]): Promise<Member> {
  const meter = new ByteMeter()
  const config = { ...defaultConfig({ userName: `n${index}` }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true, metrics: meter.metrics })
  node.decide = async () => ({ accept: true })
  const member: Member = { node, meter, seen: new Map(), rna: new Map(), ended: new Map(), rnaCopies: 0, up: true }
  // Past gossipsub's published interface (a benchmark's count only): every RNA message that arrives, duplicates too.
  const pubsub = node.libp2p.services.pubsub as unknown as { handleReceivedRpc: (from: unknown, rpc: { messages: Array<{ topic?: string }> }) => Promise<void> }
  const take = pubsub.handleReceivedRpc.bind(pubsub)
  pubsub.handleReceivedRpc = async (from, rpc) => {
    for (const msg of rpc.messages) if (msg.topic === RNA_TOPIC) member.rnaCopies++
    return await take(from, rpc)
  }
  node.lobby.addEventListener('seek', e => {
    const id = hex(e.detail.id)
    if (!member.seen.has(id)) member.seen.set(id, Date.now())
  })
  const held = (id: string): void => {
    const at = Date.now()
    node.rna.store.meta(CID.parse(id)).then(meta => { if (!member.rna.has(meta.gameId)) member.rna.set(meta.gameId, at) }, () => {})
  }
  node.addEventListener('rna', e => { held(e.detail.id) })
  node.addEventListener('rna:published', e => { if (!member.rna.has(e.detail.gameId)) member.rna.set(e.detail.gameId, Date.now()) })
  node.addEventListener('game:started', e => { void play(node, e.detail.gameId) })
  node.addEventListener('game:move', e => { void play(node, e.detail.gameId) })
  node.addEventListener('game:ended', e => { if (e.detail.cosigned && !member.ended.has(e.detail.gameId)) member.ended.set(e.detail.gameId, Date.now()) })
  await node.start()
  node.lobby.setPresence({ name: `n${index}`, sizes: [9], status: 'idle' })
  return member
}

/** Plays this node's move in `gameId` when it is its turn: a legal point, or resigns after SCALE_TURNS. */
async function play (node: P2pgoNode, gameId: string): Promise<void> {
  const id = CID.parse(gameId)
  const s = node.games.session(id)
  if (s == null || s.end != null) return
  const mine = s.me === 'B' ? BLACK : WHITE
  if (s.game.toMove !== mine || s.game.phase !== 'play') return
  try {
    if (s.turnActs.length >= SCALE_TURNS) {
      await node.games.perform(id, async x => x.resign())
      return
    }
    const size = s.game.size
    const start = (s.turnActs.length * 37 + 11) % (size * size)
    for (let k = 0; k < size * size; k++) {
      const p = (start + k * 7) % (size * size)
      const v = { x: p % size, y: Math.floor(p / size) }
      if (s.game.check(mine, v) == null) {
        await node.games.perform(id, async x => x.move(v))
        return
      }
    }
    await node.games.perform(id, async x => x.pass())
  } catch {
    // Out of turn after a race with the opponent's move: the next event plays again.
  }
}

/** A node's counters now (bench/scale/messages.ts, NodeSample). */
async function sampleOf (x: Member): Promise<NodeSample> {
  const { total, protocols } = await x.meter.read()
  const sum = (prefix: string): { in: number, out: number } => Object.entries(protocols).filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => ({ in: a.in + v.in, out: a.out + v.out }), { in: 0, out: 0 })
  const gossip = sum('/meshsub/')
  // p2pgo's own DHT protocols (src/net/constants.ts): /p2pgo/kad/1.0.0, and the LAN one off a private network.
  const dht = sum('/p2pgo/kad/')
  const lan = sum('/p2pgo/lan/kad/')
  const first = await x.meter.lobbyFirstCopies()
  const refused = Object.values(await x.meter.lobbyRefusals()).reduce((a, b) => a + b, 0)
  return { lobbyFirstIn: first.lobby, censusFirstIn: first.census, bytesIn: total.in, bytesOut: total.out, gossipIn: gossip.in, gossipOut: gossip.out, dhtIn: dht.in + lan.in, dhtOut: dht.out + lan.out, view: x.node.lobby.presences().length, connections: x.node.libp2p.getConnections().length, lobbyPeers: x.node.libp2p.services.pubsub.getSubscribers(LOBBY_TOPIC).length, lobbyMesh: (x.node.libp2p.services.pubsub as unknown as { mesh: Map<string, Set<string>> }).mesh.get(LOBBY_TOPIC)?.size ?? 0, up: x.up, lobbyRefused: refused }
}

async function handle (m: Request): Promise<void> {
  switch (m.t) {
    case 'start': {
      for (let i = 0; i < m.count; i += START_BATCH) {
        const batch = await Promise.all(Array.from({ length: Math.min(START_BATCH, m.count - i) }, async (_, j) => startMember(m.first + i + j, m.bootstrap)))
        members.push(...batch)
      }
      send({ t: 'started', id: m.id, peers: members.map(x => x.node.peerId) })
      return
    }
    case 'sample': {
      const nodes: NodeSample[] = []
      for (const x of members) nodes.push(x.up || x.last == null ? await sampleOf(x) : x.last)
      const cpu = process.cpuUsage(cpuStart)
      send({ t: 'sample', id: m.id, at: Date.now(), cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage().rss, lagMs: lag.percentile(99) / 1e6, nodes })
      lag.reset()
      return
    }
    case 'seek': {
      const id = members[m.node].node.lobby.postSeek({ terms: SCALE_TERMS, color: 'random' })
      send({ t: 'seek', id: m.id, seek: hex(id), at: Date.now() })
      return
    }
    case 'seen':
      send({ t: 'seen', id: m.id, at: members.map(x => x.seen.get(m.seek) ?? null) })
      return
    case 'publish': {
      let ok = 0
      let failed = 0
      const seqs = await Promise.all(m.nodes.map(async i => {
        try {
          const { seq } = await members[i].node.ratings.publish({ signal: AbortSignal.timeout(60_000) })
          ok++
          return seq
        } catch { failed++; return null }
      }))
      send({ t: 'publish', id: m.id, ok, failed, seqs })
      return
    }
    case 'get': {
      const began = performance.now()
      try {
        const { record, lookup } = await members[m.node].node.ratings.lookupRecord(peerIdFromString(m.peer), { signal: AbortSignal.timeout(30_000) })
        if (record == null) throw new Error(`no rating record of ${m.peer} was found in the DHT`)
        send({ t: 'get', id: m.id, ms: performance.now() - began, seq: record.seq, mu: record.sizes[9]?.rating.mu ?? null, ...(lookup.hops != null ? { hops: lookup.hops } : {}) })
      } catch (err) {
        send({ t: 'get', id: m.id, ms: null, error: (err as Error).message })
      }
      return
    }
    case 'play': {
      const node = members[m.node].node
      const began = performance.now()
      try {
        const started = await node.propose(m.opponent, { terms: SCALE_TERMS, color: 'black', name: 'bench' }, { signal: AbortSignal.timeout(30_000) })
        const game = started.gameId.toString()
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => { reject(new Error('the game did not end within 120 s')) }, 120_000)
          const on = (e: CustomEvent<{ gameId: string, cosigned: boolean }>): void => {
            if (e.detail.gameId !== game || !e.detail.cosigned) return
            clearTimeout(timer)
            node.removeEventListener('game:ended', on)
            resolve()
          }
          node.addEventListener('game:ended', on)
        })
        send({ t: 'play', id: m.id, ms: performance.now() - began, game })
      } catch (err) {
        send({ t: 'play', id: m.id, ms: null, error: (err as Error).message })
      }
      return
    }
    case 'holds':
      send({ t: 'holds', id: m.id, at: members.map(x => x.rna.get(m.rna) ?? null), copies: members.map(x => x.rnaCopies), games: [...new Set(members.flatMap(x => [...x.rna.keys()]))] })
      return
    case 'match': {
      const node = members[m.node].node
      const began = performance.now()
      try {
        const search = await node.matchmaker.find(9, { signal: AbortSignal.timeout(30_000) })
        const best = search.candidates[0]
        if (best == null) throw new Error('no candidate')
        await node.propose(best.peer, { terms: SCALE_TERMS, color: 'random', name: 'matcher' }, { signal: AbortSignal.timeout(30_000) })
        send({ t: 'match', id: m.id, firstCandidateMs: search.firstCandidateMs ?? null, gameMs: performance.now() - began, opponent: best.peer.toString() })
      } catch (err) {
        send({ t: 'match', id: m.id, firstCandidateMs: null, gameMs: null, error: (err as Error).message })
      }
      return
    }
    case 'leave': case 'join': case 'ended': case 'ratings':
      send(await churnRequest(m, members, startMember, sampleOf))
      return
    case 'stop':
      await Promise.all(members.filter(x => x.up).map(async x => x.node.stop().catch(() => {})))
      send({ t: 'stopped', id: m.id })
      setTimeout(() => process.exit(0), 100).unref()
  }
}

process.on('message', (m: Request) => {
  handle(m).catch(err => { send({ t: 'error', id: m.id, message: (err as Error).stack ?? String(err) }) })
})
// The coordinator gone (killed, crashed): leave no process behind.
process.on('disconnect', () => { process.exit(0) })
