// A bootstrap relay is a hub for watched games (src/net/watch/hub.ts): watchers who can reach
// nobody but the relay (behind NAT, they meet only through it) still get the game and every move,
// because the relay watches every game a neighbour watches and carries its topic.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { startNode, stopAll, terms, until, type NetNode } from '../rating/harness.js'
import type { ConnectionGater, PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const MOVES = 8
const point = (ply: number): { x: number, y: number } => ({ x: Math.floor(ply / 2), y: ply % 2 === 0 ? 0 : 4 })
const sgf = (p: { x: number, y: number }): string => String.fromCharCode(97 + p.x) + String.fromCharCode(97 + p.y)

/** Only the peers `allowed()` names may be dialled or dial in: a node behind NAT that reaches the relay alone. */
function onlyTo (allowed: () => readonly string[]): ConnectionGater {
  const denied = (peer: PeerId): boolean => !allowed().includes(peer.toString())
  return { denyDialPeer: async peer => denied(peer), denyInboundEncryptedConnection: async peer => denied(peer) }
}

describe('a bootstrap relay carries a watched game to watchers that reach only the relay', () => {
  let hub: NetNode
  let black: NetNode
  let white: NetNode
  let seed: NetNode
  const cut: NetNode[] = []
  let gameId: CID

  beforeAll(async () => {
    const key = await generateKeyPair('Ed25519')
    const config = { ...defaultConfig({ userName: 'hub' }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], relayServer: 'off' as const }
    const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config, role: 'bootstrap', privateNetwork: true, connectionMonitor: false })
    await node.start()
    hub = { node, key }
    const address = hub.node.libp2p.getMultiaddrs()[0].toString()
    ;[black, white, seed] = await Promise.all(['black', 'white', 'seed'].map(async name => startNode([address], name, undefined, { monitor: false })))
    const hubId = hub.node.peerId
    for (let i = 0; i < 2; i++) cut.push(await startNode([address], `cut${i}`, undefined, { monitor: false, gater: onlyTo(() => [hubId]) }))
    await black.node.libp2p.dial(white.node.libp2p.getMultiaddrs()[0])
    gameId = (await black.node.challenge.propose(white.node.libp2p.peerId, { terms, color: 'black', name: 'black' }, { signal: AbortSignal.timeout(20_000) })).gameId
    await until(() => white.node.games.session(gameId) != null, 'the game to start on both sides')
  }, 120_000)

  afterAll(async () => { await stopAll([hub, black, white, seed, ...cut].filter(x => x != null)) })

  it('watches the game once a neighbour does, and its watchers cut off from everyone else see every move', async () => {
    await seed.node.libp2p.peerStore.merge(black.node.libp2p.peerId, { multiaddrs: black.node.libp2p.getMultiaddrs() })
    await seed.node.watch.watch(gameId, { holders: [black.node.libp2p.peerId] })
    await until(() => hub.node.watch.watching(gameId) != null, 'the hub to watch the game its neighbour watches')
    const moves = new Map<NetNode, string[]>()
    for (const w of cut) {
      // Told only the players, whom it cannot reach: it gets the game from the hub, its one neighbour on the topic.
      const watching = await w.node.watch.watch(gameId, { holders: [black.node.libp2p.peerId, white.node.libp2p.peerId] })
      const list: string[] = []
      watching.addEventListener('watch:move', e => { list.push(e.detail.move) })
      moves.set(w, list)
    }
    for (let ply = 0; ply < MOVES; ply++) {
      const [mover, other] = ply % 2 === 0 ? [black, white] : [white, black]
      await mover.node.games.perform(gameId, s => s.move(point(ply)))
      await until(() => (other.node.games.session(gameId)?.turnActs.length ?? 0) > ply, `move ${ply + 1} to reach the opponent`)
    }
    const expected = Array.from({ length: MOVES }, (_, ply) => sgf(point(ply)))
    await until(() => cut.every(w => moves.get(w)!.length >= MOVES), 'the cut-off watchers to see every move', 30_000)
    for (const w of cut) {
      expect(moves.get(w)).toEqual(expected)
      expect(w.node.libp2p.getConnections().every(c => c.remotePeer.equals(hub.node.libp2p.peerId))).toBe(true)
    }
  }, 120_000)
})
