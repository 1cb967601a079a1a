// The bootstrap relays of a scale run: full p2pgo nodes in the bootstrap role on 127.0.0.1, in
// the coordinator's process, the first known to the others.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'

export async function startRelays (count: number): Promise<{ nodes: P2pgoNode[], addresses: string[] }> {
  const nodes: P2pgoNode[] = []
  const addresses: string[] = []
  for (let i = 0; i < count; i++) {
    const config = { ...defaultConfig({ userName: `relay${i}` }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: addresses.slice(0, 1) }
    const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'bootstrap', privateNetwork: true })
    await node.start()
    nodes.push(node)
    addresses.push(node.libp2p.getMultiaddrs()[0].toString())
  }
  return { nodes, addresses }
}
