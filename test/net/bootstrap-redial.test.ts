import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { until } from './rating/harness.js'
import type { PrivateKey } from '@libp2p/interface'

const nodes: P2pgoNode[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => n.stop())) })

async function start (key: PrivateKey, listen: string, bootstrap: string[] = []): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: 'n' }), listen: [listen], bootstrap, relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true })
  await node.start()
  nodes.push(node)
  return node
}

describe('bootstrap peers', () => {
  it('a node whose bootstrap peer was down at start joins once the peer is back', async () => {
    const bootKey = await generateKeyPair('Ed25519')
    const first = await start(bootKey, '/ip4/127.0.0.1/tcp/0')
    const address = first.libp2p.getMultiaddrs()[0].toString()
    const port = /\/tcp\/(\d+)/.exec(address)?.[1] as string
    await first.stop()
    nodes.splice(0)
    const player = await start(await generateKeyPair('Ed25519'), '/ip4/127.0.0.1/tcp/0', [address])
    // @libp2p/bootstrap's one dial fails now; the node keeps trying while it has no connection.
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(player.libp2p.getConnections()).toHaveLength(0)
    const again = await start(bootKey, `/ip4/127.0.0.1/tcp/${port}`)
    await until(() => player.libp2p.getConnections(again.libp2p.peerId).length > 0, 'the player to reach the restarted bootstrap peer', 30_000)
  }, 60_000)
})
