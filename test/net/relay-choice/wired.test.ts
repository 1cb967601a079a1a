// Relay choice as a p2pgo node runs it, nothing injected: three bootstrap relays (full p2pgo
// nodes) report their load over /p2pgo/relay-load/1.0.0; one is nearly full (8 of its 10
// reservations taken by other clients). A player started with the default two relay slots and
// all three in its bootstrap list ends holding its slots on the two others, whichever libp2p
// reserved on first.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/config.js'
import { DEFAULT_LISTEN } from '../../../src/config/constants.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { until } from '../../helpers/game-nodes.js'
import { createClient } from '../../helpers/relay-clients.js'
import type { Libp2p } from 'libp2p'

const nodes: P2pgoNode[] = []
const clients: Libp2p[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map(async c => { await c.stop() }))
  await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
})

async function relay (maxReservations: number): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: 'relay' }), listen: ['/ip4/127.0.0.1/tcp/0'], rendezvous: [] }
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'bootstrap', privateNetwork: true, relayLimits: { maxReservations } })
  nodes.push(node)
  await node.start()
  return node
}

const addressOf = (n: P2pgoNode): string => n.libp2p.getMultiaddrs()[0].toString()
const id = (n: P2pgoNode): string => n.libp2p.peerId.toString()

describe('relay choice in a p2pgo node', () => {
  it('leaves the nearly full relay for the two with room, by their own load reports', async () => {
    const full = await relay(10)
    const a = await relay(10)
    const b = await relay(10)
    for (let i = 0; i < 8; i++) {
      const client = await createClient(clients, [`${addressOf(full)}/p2p-circuit`])
      await client.start()
    }
    await until(() => (full.libp2p.services.relay?.reservations.size ?? 0) === 8, 'eight reservations on the full relay')
    // The nearly full relay first in the list: libp2p would often reserve there.
    const bootstrap = [full, a, b].map(addressOf)
    const config = { ...defaultConfig({ userName: 'player' }), listen: ['/ip4/127.0.0.1/tcp/0', ...DEFAULT_LISTEN.filter(l => l === '/p2p-circuit')], bootstrap, rendezvous: [] }
    const player = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true })
    nodes.push(player)
    await player.start()
    const choice = player.libp2p.services.relayChoice
    expect(choice).toBeDefined()
    const held = (): string => player.self().relays.slice().sort().join()
    await until(() => held() === [id(a), id(b)].sort().join(), 'the slots on the two relays with room', 60_000)
    // libp2p may have reserved there by itself: the choice's first round (after 5 s) must keep them, having measured the full one.
    await until(() => choice!.state().some(r => r.peer === id(full) && r.reservations != null), 'the full relay measured', 60_000)
    expect(held()).toBe([id(a), id(b)].sort().join())
    const state = choice!.state()
    // Its report counts the eight, and the player's own slot when it held one there at the measurement.
    expect(state.find(r => r.peer === id(full))).toMatchObject({ chosen: false })
    expect(state.find(r => r.peer === id(full))?.reservations).toBeGreaterThanOrEqual(8)
    expect(state.filter(r => r.chosen).map(r => r.peer).sort()).toEqual([id(a), id(b)].sort())
  }, 90_000)
})
