// A game on a relay whose opponent lists addresses that never answer (a firewalled IPv6 address,
// a port that changed) before the one that does: libp2p's dial queue merges every dial to one
// peer into a single job and tries its addresses one after another, each for up to 6 s, with
// the signed (certified) ones first and circuit/WebRTC ones last. The path upgrade dials each
// candidate on its own, so the one that answers is found in the first attempt, however many do
// not. (In the NAT lab the WebRTC punch came after a firewalled IPv6 TCP address and often never
// got its turn within the attempt's limit.)
import { afterEach, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { agree, gameNode, until, type GameNode } from '../../helpers/game-nodes.js'
import { blackHole, closeBlackHoles } from '../../helpers/dead-ports.js'
import type { Rung } from '../../../src/net/rung.js'

const running: GameNode[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map(async n => n.stop()))
  await closeBlackHoles()
})

describe('the path upgrade with addresses that never answer', () => {
  it('finds the one that answers in its first attempt', async () => {
    const relay = await gameNode(undefined, undefined, 200, { relayServer: {} })
    const a = await gameNode()
    // B's signed peer record lists only addresses that hang (accept and say nothing).
    const holes = await Promise.all([1, 2, 3, 4, 5].map(async () => blackHole()))
    const b = await gameNode(undefined, undefined, 200, {
      listen: ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit'],
      announce: holes.map(port => `/ip4/127.0.0.1/tcp/${port}`)
    })
    running.push(relay.node, a.node, b.node)
    await b.node.dial(relay.node.getMultiaddrs()[0])
    // (B announces only the holes, so its relayed address is read from its listeners.)
    const listening = (): string[] => b.node.components.transportManager.getAddrs().map(ma => ma.toString())
    await until(() => listening().some(x => x.includes('/p2p-circuit')), 'a relay reservation')
    const circuit = listening().find(x => x.includes('/p2p-circuit'))!
    const relayed = await a.node.dial(multiaddr(circuit.includes('/p2p/' + b.node.peerId.toString()) ? circuit : `${circuit}/p2p/${b.node.peerId.toString()}`))
    expect(relayed.limits).toBeDefined()
    await until(async () => (await a.node.peerStore.get(b.node.peerId)).addresses.some(x => x.isCertified), 'B\'s signed peer record at A')
    // The address that answers, known to A but not in B's record (sorted after the certified ones).
    const real = listening().find(x => x.startsWith('/ip4/127.0.0.1/tcp/') && !x.includes('/p2p-circuit'))!
    await a.node.peerStore.merge(b.node.peerId, { multiaddrs: [multiaddr(real)] })

    const upgrades: Array<{ ok: boolean, rung?: Rung }> = []
    const paths: Rung[] = []
    a.node.services.games.addEventListener('game:path', e => { paths.push(e.detail.to) })
    a.node.services.games.addEventListener('upgrade', e => { upgrades.push({ ok: e.detail.ok, ...(e.detail.rung != null ? { rung: e.detail.rung } : {}) }) })
    const { start, gameId } = await agree(a.key, b.key)
    await a.node.services.games.startGame({ start, gameId, opponent: b.node.peerId, me: 'B' })
    await b.node.services.games.startGame({ start, gameId, opponent: a.node.peerId, me: 'W' })
    await until(() => upgrades.length > 0, 'the first upgrade attempt', 30_000)
    expect(upgrades[0].ok).toBe(true)
    // And the game moves onto it: the connection outlives the attempt (its other dials are
    // cancelled as it wins, and TCP would destroy a socket whose dial signal aborts later).
    await until(() => paths.some(p => p !== 'relayed'), 'the game on the new connection', 30_000)
    await a.node.services.games.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => b.node.services.games.session(gameId)!.game.moves.length === 1, 'the first move delivered')
  }, 60_000)
})
