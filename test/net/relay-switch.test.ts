import { generateKeyPair } from '@libp2p/crypto/keys'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { libp2pDefaults } from '../../src/net/libp2p-defaults.js'
import { P2pgoNode } from '../../src/net/node.js'
import { shouldRelay } from '../../src/net/relay-switch/index.js'

/** A player's node with the default configuration (relayServer "auto") on 127.0.0.1. */
async function player (): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: 'relay' }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [] }
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true })
  await node.start()
  return node
}

/** A bare client that asks `relay` for a reservation by listening on a circuit through it; resolves whether it got one. */
async function reserves (relay: P2pgoNode, started: Libp2p[]): Promise<boolean> {
  const address = `${relay.libp2p.getMultiaddrs()[0].toString()}/p2p-circuit`
  const client = await createLibp2p({ ...libp2pDefaults({ privateKey: await generateKeyPair('Ed25519'), listen: [address], privateNetwork: true }), start: false })
  started.push(client)
  try {
    await client.start()
    return client.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit'))
  } catch {
    return false
  }
}

describe('relayServer "auto": relaying only while reachable', () => {
  const nodes: P2pgoNode[] = []
  const clients: Libp2p[] = []
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(async c => { await c.stop() }))
    await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
  })

  it('is a rule of reach: public or UPnP-mapped nodes relay, others do not', () => {
    expect([shouldRelay('public'), shouldRelay('upnp'), shouldRelay('relayed'), shouldRelay(undefined)]).toEqual([true, true, false, false])
  })

  it('does not relay while unreachable, relays once reachable, and stops again', async () => {
    const node = await player()
    nodes.push(node)
    // On loopback the node has no public address: no hop protocol, and a reservation is refused.
    expect(node.self().relaying).toBe(false)
    expect(node.libp2p.getProtocols()).not.toContain(RELAY_V2_HOP_CODEC)
    expect(await reserves(node, clients)).toBe(false)
    // Found public (as AutoNAT would report it through the lobby's reach): it relays.
    await node.relaySwitch?.update('public')
    expect(node.self().relaying).toBe(true)
    expect(await reserves(node, clients)).toBe(true)
    // Back behind NAT: it stops offering the service.
    await node.relaySwitch?.update('relayed')
    expect(node.self().relaying).toBe(false)
    expect(node.libp2p.getProtocols()).not.toContain(RELAY_V2_HOP_CODEC)
  })
})
