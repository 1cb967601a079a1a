// RNA's first demonstration (protocols/rna.md): 30 real nodes in a random sparse topology; one game ends, its
// mRNA reaches every node, every node's traced path follows connections that existed, and the
// origin and the first forwarders gain reputation on the nodes that saw them do it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stopAll } from '../rating/harness.js'
import { ConnectionLog, playLongGame, sparseNetwork, until, type NetNode } from './harness.js'
import { CID } from 'multiformats/cid'

const N = 30
const SEED = 6

describe(`RNA over gossip: ${N} nodes, random sparse topology`, () => {
  let nodes: NetNode[]
  let log: ConnectionLog
  let rnaId: CID
  let origin: NetNode
  let loser: NetNode

  beforeAll(async () => {
    // The two players are neighbours (a challenge needs a connection); everyone else is as drawn.
    const net = await sparseNetwork(N, SEED, { links: [[N - 1, N - 2]] })
    nodes = net.nodes
    log = new ConnectionLog(nodes)
    // Two nodes far apart in the tree play; the winner (white: black resigns) publishes.
    const black = nodes[N - 1]
    const white = nodes[N - 2]
    const published = new Promise<CID>(resolve => {
      white.node.rna.addEventListener('rna:published', e => { resolve(CID.parse(e.detail.id)) }, { once: true })
    })
    await playLongGame(black, white, 30, SEED, 'black')
    rnaId = await published
    origin = white
    loser = black
  }, 120_000)

  afterAll(async () => { await stopAll(nodes ?? []) })

  it('reaches every node', async () => {
    await until(async () => (await Promise.all(nodes.map(async x => x.node.rna.store.has(rnaId)))).every(Boolean), 'every node to hold the RNA', 30_000)
    const metas = await Promise.all(nodes.map(async x => x.node.rna.store.meta(rnaId)))
    expect(metas.every(m => m.origin === origin.node.peerId)).toBe(true)
    // Only the origin published it; the loser, who would publish it 20 s later, got it by gossip first.
    expect(metas.filter(m => m.from == null).length).toBe(1)
    expect((await loser.node.rna.store.meta(rnaId)).from).toBeDefined()
  }, 60_000)

  it('records on each node a path that follows connections that existed, origin first', async () => {
    await until(async () => (await Promise.all(nodes.filter(x => x !== origin).map(async x => (await x.node.rna.store.meta(rnaId)).path != null))).every(Boolean), 'every path traced', 60_000)
    let longest = 0
    for (const x of nodes) {
      if (x === origin) continue
      const meta = await x.node.rna.store.meta(rnaId)
      const hops = meta.path!.hops
      expect(meta.path!.complete).toBe(true)
      expect(hops[0].peer).toBe(origin.node.peerId)
      expect(hops[hops.length - 1].peer).toBe(x.node.peerId)
      expect(hops[hops.length - 2].peer).toBe(meta.from)
      for (let i = 1; i < hops.length; i++) {
        expect(log.has(hops[i - 1].peer, hops[i].peer)).toBe(true)
        expect(hops[i].at).toBeGreaterThanOrEqual(hops[i - 1].at)
      }
      longest = Math.max(longest, hops.length - 1)
    }
    // A sparse topology: some node got it over more than one hop.
    expect(longest).toBeGreaterThan(1)
    const degrees = nodes.map(x => new Set(x.node.libp2p.getConnections().map(c => c.remotePeer.toString())).size)
    console.log(`mean degree ${(degrees.reduce((a, b) => a + b, 0) / N).toFixed(1)} (max ${Math.max(...degrees)}), longest path ${longest} hops`)
  }, 90_000)

  it('raises the origin\'s reputation on every node, and the first forwarders\' on the nodes they delivered to', async () => {
    for (const x of nodes) {
      if (x === origin) continue
      const b = x.node.reputation.breakdown(origin.node.peerId)
      expect(b?.originated.count).toBe(1)
      expect(x.node.reputation.trust(origin.node.peerId)).toBeGreaterThan(0.5)
    }
    // The origin's neighbours forwarded it first: every node that got it from one credits it.
    let credited = 0
    for (const x of nodes) {
      if (x === origin) continue
      const from = (await x.node.rna.store.meta(rnaId)).from!
      if (from === origin.node.peerId) continue
      expect(x.node.reputation.breakdown(from)?.delivered.count).toBe(1)
      expect(x.node.reputation.trust(from)).toBeGreaterThan(0.5)
      credited++
    }
    expect(credited).toBeGreaterThan(0)
  })
})
