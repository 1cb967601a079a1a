// Reservations on more than one relay: a player reachable only through relays holds a
// reservation on each of two bootstrap relays; when the relay its game runs over goes away, the
// game goes on over the other relay, with no move lost or repeated. Real nodes on 127.0.0.1.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { terms, until } from '../net/rating/harness.js'

const nodes: P2pgoNode[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => n.stop().catch(() => {}))) })

async function node (name: string, role: 'player' | 'bootstrap', listen: string[], bootstrap: string[] = []): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: name }), listen, bootstrap, relayServer: 'off' as const }
  const n = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role, privateNetwork: true })
  n.decide = async () => ({ accept: true })
  await n.start()
  nodes.push(n)
  return n
}

const circuits = (n: P2pgoNode): string[] => n.libp2p.getMultiaddrs().map(String).filter(a => a.includes('/p2p-circuit'))

describe('a player behind relays only', () => {
  it('holds a reservation on each of two relays, and its game survives the loss of the one it runs over', async () => {
    const r1 = await node('relay one', 'bootstrap', ['/ip4/127.0.0.1/tcp/0'])
    const r2 = await node('relay two', 'bootstrap', ['/ip4/127.0.0.1/tcp/0'])
    const relays = [r1, r2].map(r => r.libp2p.getMultiaddrs()[0].toString())
    // Bob has no address of his own: two relay slots, both bootstrap relays to fill them.
    const bob = await node('bob', 'player', ['/p2p-circuit', '/p2p-circuit'], relays)
    await until(() => circuits(bob).length === 2, 'two reservations')
    expect(new Set(circuits(bob).map(a => a.split('/p2p-circuit')[0])).size).toBe(2)
    // What `p2pgo peers --json` and the status line say: the two relays by peer ID.
    expect([...bob.self().relays].sort()).toEqual([r1.peerId, r2.peerId].sort())
    // Ann listens nowhere, so the only paths between them are Bob's two relays (no direct dial back).
    const ann = await node('ann', 'player', [], [relays[1]])
    // Ann reaches Bob through relay one; she learns his other circuit address from him (identify).
    const viaOne = circuits(bob).find(a => a.startsWith(relays[0]))!
    await ann.libp2p.dial(multiaddr(viaOne), { signal: AbortSignal.timeout(10_000) })
    const started = await ann.challenge.propose(bob.libp2p.peerId, { terms, color: 'black', name: 'ann' }, { signal: AbortSignal.timeout(20_000) })
    const { gameId } = started
    await until(() => bob.games.session(gameId) != null, 'the game at bob')
    const points = [{ x: 2, y: 2 }, { x: 6, y: 6 }, { x: 2, y: 6 }, { x: 6, y: 2 }, { x: 4, y: 4 }, { x: 4, y: 2 }]
    let ply = 0
    const play = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++, ply++) {
        const mover = ply % 2 === 0 ? ann : bob
        await mover.games.perform(gameId, async s => s.move(points[ply]))
        await until(() => ann.games.session(gameId)!.game.moves.length === ply + 1 && bob.games.session(gameId)!.game.moves.length === ply + 1, `move ${ply + 1} on both sides`)
      }
    }
    await play(2)
    expect(ann.libp2p.getConnections(bob.libp2p.peerId).every(c => c.remoteAddr.toString().startsWith(relays[0]))).toBe(true)
    // Relay one goes away mid-game.
    await r1.stop()
    nodes.splice(nodes.indexOf(r1), 1)
    await play(4)
    const paths = ann.libp2p.getConnections(bob.libp2p.peerId).map(c => c.remoteAddr.toString())
    expect(paths.length).toBeGreaterThan(0)
    expect(paths.every(a => a.startsWith(relays[1]))).toBe(true)
    // Every move once, in order, on both sides.
    const moves = (n: P2pgoNode): string => n.games.session(gameId)!.game.moves.map(m => `${m.vertex?.x},${m.vertex?.y}`).join(' ')
    expect(moves(ann)).toBe(points.map(p => `${p.x},${p.y}`).join(' '))
    expect(moves(bob)).toBe(moves(ann))
  }, 90_000)
})

describe('a player whose relay disappears', () => {
  it('takes a reservation on another relay it knows, keeping two', async () => {
    const relays = await Promise.all(['one', 'two', 'three'].map(async n => node(`relay ${n}`, 'bootstrap', ['/ip4/127.0.0.1/tcp/0'])))
    const addresses = relays.map(r => r.libp2p.getMultiaddrs()[0].toString())
    const bob = await node('bob', 'player', ['/p2p-circuit', '/p2p-circuit'], addresses)
    const heldOn = (): string[] => [...new Set(circuits(bob).map(a => a.split('/p2p-circuit')[0]))]
    await until(() => heldOn().length === 2, 'two reservations')
    const [gone] = heldOn()
    const lost = relays[addresses.indexOf(gone)]
    await lost.stop()
    nodes.splice(nodes.indexOf(lost), 1)
    await until(() => heldOn().length === 2 && !heldOn().includes(gone), 'a reservation on the third relay', 60_000)
    expect(heldOn().sort()).toEqual(addresses.filter(a => a !== gone).sort())
  }, 90_000)
})
