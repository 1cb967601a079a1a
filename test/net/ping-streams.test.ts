// Several parts of a node ping the same peer at once (the connection monitor, kad-dht's routing
// table, the relay choice, `p2pgo doctor`): each ping is answered, none reset by the peer's limit
// on inbound ping streams (libp2p's default of 2 reset the third: doctor called a live relay dead).
import { afterEach, describe, expect, it } from 'vitest'
import { gameNode, type GameNode } from '../helpers/game-nodes.js'

const running: GameNode[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async n => n.stop())) })

describe('ping', () => {
  it('answers four pings at once over one connection', async () => {
    const a = await gameNode()
    const b = await gameNode()
    running.push(a.node, b.node)
    await a.node.dial(b.node.getMultiaddrs()[0])
    const results = await Promise.allSettled([1, 2, 3, 4].map(async () => a.node.services.ping.ping(b.node.peerId)))
    expect(results.map(r => r.status === 'fulfilled' ? 'answered' : String(r.reason))).toEqual(['answered', 'answered', 'answered', 'answered'])
  })
})
