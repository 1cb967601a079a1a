// Networks for the RNA tests: full p2pgo nodes on 127.0.0.1 wired in a random sparse topology
// (a random tree plus a few extra links: connected, a handful of neighbours each), and real games
// long enough to be worth keeping as training data.
import { BLACK } from '../../../src/game/constants.js'
import { RNA_TOPIC } from '../../../src/net/rna/constants.js'
import { startNode, until, withTimeout, type NetNode } from '../rating/harness.js'
import { mulberry32 as prng } from '../../helpers/random-games.js'
import type { GameTerms } from '../../../src/wire/game-start.js'
import type { CID } from 'multiformats/cid'
import type { ConnectionGater } from '@libp2p/interface'
import type { GossipsubOpts } from '@libp2p/gossipsub'

export { startNode, until, withTimeout, type NetNode }

/** Links dialled at once while a network is wired. */
const DIALS_AT_ONCE = 16

/** Edges of a random connected sparse graph on n nodes: a random tree plus `extra` random links. */
export function sparseGraph (n: number, extra: number, random: () => number): Array<[number, number]> {
  const edges = new Set<string>()
  const out: Array<[number, number]> = []
  const add = (a: number, b: number): void => {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`
    if (a === b || edges.has(key)) return
    edges.add(key)
    out.push([a, b])
  }
  for (let i = 1; i < n; i++) add(i, Math.floor(random() * i))
  while (out.length < n - 1 + extra) add(Math.floor(random() * n), Math.floor(random() * n))
  return out
}

/** Who is connected to whom, as a set of "a b" peer-ID pairs (both orders), kept up to date from `since` on. */
export class ConnectionLog {
  readonly pairs = new Set<string>()

  constructor (nodes: readonly NetNode[]) {
    for (const x of nodes) {
      const me = x.node.peerId
      for (const c of x.node.libp2p.getConnections()) this.add(me, c.remotePeer.toString())
      x.node.libp2p.addEventListener('connection:open', e => { this.add(me, e.detail.remotePeer.toString()) })
    }
  }

  has (a: string, b: string): boolean {
    return this.pairs.has(`${a} ${b}`)
  }

  private add (a: string, b: string): void {
    this.pairs.add(`${a} ${b}`)
    this.pairs.add(`${b} ${a}`)
  }
}

/**
 * Starts n nodes with no bootstrap peer and dials the edges of a random sparse graph (plus
 * `links`). Each node's connection gater refuses every other peer, so the DHT's own dials cannot
 * fill the graph in: the topology stays exactly as drawn.
 */
export async function sparseNetwork (n: number, seed: number, options: { extra?: number, links?: Array<[number, number]>, gossip?: (i: number) => Partial<GossipsubOpts> } = {}): Promise<{ nodes: NetNode[], edges: Array<[number, number]> }> {
  const neighbours = Array.from({ length: n }, () => new Set<string>())
  const gater = (i: number): ConnectionGater => ({
    denyDialPeer: async peer => !neighbours[i].has(peer.toString()),
    denyInboundEncryptedConnection: async peer => !neighbours[i].has(peer.toString())
  })
  const nodes = await Promise.all(Array.from({ length: n }, async (_, i) => startNode([], `n${i}`, undefined, { monitor: false, gater: gater(i), ...(options.gossip != null ? { gossip: options.gossip(i) } : {}) })))
  const edges = [...sparseGraph(n, options.extra ?? Math.floor(n / 2), prng(seed)), ...(options.links ?? [])]
  for (const [a, b] of edges) {
    neighbours[a].add(nodes[b].node.peerId)
    neighbours[b].add(nodes[a].node.peerId)
  }
  // A few dials at a time: hundreds of handshakes at once on two cores run past libp2p's dial timeout.
  const queue = [...edges]
  await Promise.all(Array.from({ length: DIALS_AT_ONCE }, async () => {
    for (let edge = queue.shift(); edge != null; edge = queue.shift()) {
      const [a, b] = edge
      await nodes[a].node.libp2p.dial(nodes[b].node.libp2p.getMultiaddrs()[0])
    }
  }))
  // Every link carries the RNA topic both ways before anything is published.
  await until(() => nodes.every(x => x.node.libp2p.getConnections().every(c =>
    x.node.libp2p.services.pubsub.getSubscribers(RNA_TOPIC).some(p => p.equals(c.remotePeer)))), 'RNA subscriptions on every link', 60_000)
  return { nodes, edges }
}

export const gameTerms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

/**
 * Plays a real game of `turns` legal moves (the first legal point in a seeded order each turn)
 * between two nodes, then `resigner` resigns. Resolves with the game ID once both sides have the
 * co-signed result.
 */
export async function playLongGame (black: NetNode, white: NetNode, turns: number, seed: number, resigner: 'black' | 'white' = 'black'): Promise<CID> {
  const started = await black.node.challenge.propose(white.node.libp2p.peerId, { terms: gameTerms, color: 'black', name: 'black' }, { signal: AbortSignal.timeout(20_000) })
  const gameId = started.gameId
  await until(() => white.node.games.session(gameId) != null && black.node.games.session(gameId) != null, 'the game to start on both sides')
  const random = prng(seed)
  const points = Array.from({ length: 81 }, (_, i) => ({ x: i % 9, y: Math.floor(i / 9), k: random() })).sort((a, b) => a.k - b.k)
  for (let t = 0; t < turns; t++) {
    const mover = t % 2 === 0 ? black : white
    const other = t % 2 === 0 ? white : black
    const session = mover.node.games.session(gameId)!
    const color = session.game.toMove
    const v = points.find(p => session.game.check(color, p) == null)
    if (v == null) break
    await mover.node.games.perform(gameId, async s => s.move({ x: v.x, y: v.y }))
    await until(() => other.node.games.session(gameId)?.turnActs.length === t + 1, `turn ${t + 1} to arrive`)
    if (color !== (t % 2 === 0 ? BLACK : BLACK + 1)) throw new Error('turns out of step')
  }
  const ended = Promise.all([black, white].map(async x => new Promise<void>(resolve => {
    const on = (e: CustomEvent<{ gameId: string, cosigned: boolean }>): void => {
      if (e.detail.gameId === gameId.toString() && e.detail.cosigned) {
        x.node.removeEventListener('game:ended', on)
        resolve()
      }
    }
    x.node.addEventListener('game:ended', on)
  })))
  await (resigner === 'black' ? black : white).node.games.perform(gameId, async s => s.resign())
  await withTimeout(ended, 30_000, 'the co-signed result on both sides')
  return gameId
}
