import { afterEach, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { agree, gameNode, until, type GameNode } from '../../helpers/game-nodes.js'
import { betterRung, type Rung } from '../../../src/net/rung.js'

const running: GameNode[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async n => n.stop())) })

describe('a game moving between paths', () => {
  it('starts on a relay, moves to a direct connection when one opens, survives losing the relay, loses and doubles nothing', async () => {
    const relay = await gameNode(undefined, undefined, 200, { relayServer: {} })
    const a = await gameNode()
    const b = await gameNode(undefined, undefined, 200, { listen: ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit'] })
    running.push(relay.node, a.node, b.node)
    // B takes a reservation on the relay and is reachable through it.
    await b.node.dial(relay.node.getMultiaddrs()[0])
    await until(() => b.node.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit')), 'a relay reservation')
    const circuit = b.node.getMultiaddrs().find(ma => ma.toString().includes('/p2p-circuit'))!
    const relayed = await a.node.dial(circuit)
    expect(relayed.limits).toBeDefined()
    const paths: Array<{ from: Rung | null, to: Rung }> = []
    a.node.services.games.addEventListener('game:path', e => { paths.push({ from: e.detail.from, to: e.detail.to }) })
    const { start, gameId } = await agree(a.key, b.key)
    const ga = a.node.services.games
    const gb = b.node.services.games
    await ga.startGame({ start, gameId, opponent: b.node.peerId, me: 'B' })
    await gb.startGame({ start, gameId, opponent: a.node.peerId, me: 'W' })
    await ga.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => gb.session(gameId)!.game.moves.length === 1, 'the first move, relayed')
    expect(paths[0]).toEqual({ from: null, to: 'relayed' })
    // A direct connection appears (DCUtR, WebRTC or a plain dial): the game moves onto it.
    const direct = b.node.getMultiaddrs().find(ma => !ma.toString().includes('/p2p-circuit'))!
    await a.node.dial(multiaddr(direct.toString()))
    await until(() => paths.some(p => p.from === 'relayed' && p.to !== 'relayed'), 'the move to the direct path')
    expect(betterRung(paths[paths.length - 1].to, 'relayed')).toBe(true)
    // The relay dies; the game goes on over the direct path.
    await relay.node.stop()
    await gb.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => ga.session(gameId)!.game.moves.length === 2, 'the second move, direct')
    await ga.perform(gameId, s => s.move({ x: 6, y: 6 }))
    await until(() => gb.session(gameId)!.game.moves.length === 3, 'the third move, direct')
    await gb.perform(gameId, s => s.resign())
    await until(() => ga.session(gameId)!.results.W != null && gb.session(gameId)!.results.B != null, 'the co-signed end')
    expect(ga.session(gameId)!.turnActs.map(t => t.ply)).toEqual([0, 1, 2])
    expect(gb.session(gameId)!.turnActs.map(t => t.ply)).toEqual([0, 1, 2])
  })
})
