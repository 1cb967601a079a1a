// Relays advertise themselves in the DHT (protocols/relay-load.md, "Advertisement"): a relay
// provides relayProviderKey(), and any node finds it with findRelays, with addresses to dial.
// Real nodes on 127.0.0.1: a bootstrap relay, a player that does not relay, and a third node.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/config.js'
import { dualDhtOf } from '../../../src/net/dht/dual-dht.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { findRelays } from '../../../src/net/relay-load/index.js'
import { until } from '../../helpers/game-nodes.js'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const nodes: P2pgoNode[] = []

async function p2pgo (role: 'player' | 'bootstrap', bootstrap: string[] = []): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: role }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap }
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role, privateNetwork: true })
  nodes.push(node)
  await node.start()
  return node
}

async function found (node: P2pgoNode, options: { max?: number, self?: PeerId } = {}): Promise<Array<{ id: PeerId, multiaddrs: Multiaddr[] }>> {
  const out: Array<{ id: PeerId, multiaddrs: Multiaddr[] }> = []
  for await (const relay of findRelays(dualDhtOf(node.libp2p.services as any), { signal: AbortSignal.timeout(15_000), ...options })) out.push(relay)
  return out
}

describe('finding relays through the DHT', () => {
  let relay: P2pgoNode
  let player: P2pgoNode
  let seeker: P2pgoNode
  beforeAll(async () => {
    relay = await p2pgo('bootstrap')
    const address = relay.libp2p.getMultiaddrs()[0].toString()
    // A player on loopback is not reachable, so it does not relay and must not be found.
    player = await p2pgo('player', [address])
    seeker = await p2pgo('player', [address])
  })
  afterAll(async () => { await Promise.all(nodes.splice(0).map(async n => n.stop().catch(() => {}))) })

  it('a third node finds the bootstrap relay, with its address, and not the player that does not relay', async () => {
    let relays: Array<{ id: PeerId, multiaddrs: Multiaddr[] }> = []
    await until(async () => {
      relays = await found(seeker)
      return relays.length > 0
    }, 'the relay to be found in the DHT', 60_000)
    expect(relays.map(r => r.id.toString())).toEqual([relay.peerId])
    expect(relays[0].multiaddrs.map(String)).toContain(relay.libp2p.getMultiaddrs()[0].toString().split('/p2p/')[0])
    expect(relays.map(r => r.id.toString())).not.toContain(player.peerId)
  })

  it('a relay does not find itself when it says who it is, and `max` bounds the answer', async () => {
    await until(async () => (await found(relay)).length > 0, 'the relay to find its own record', 60_000)
    expect(await found(relay, { self: relay.libp2p.peerId })).toEqual([])
    expect((await found(seeker, { max: 0 }))).toEqual([])
  })

  it('a player that starts relaying is found too', async () => {
    await player.relaySwitch?.update('public')
    let ids: string[] = []
    await until(async () => {
      ids = (await found(seeker)).map(r => r.id.toString())
      return ids.includes(player.peerId)
    }, 'the relaying player to be found', 60_000)
    expect(ids.sort()).toEqual([relay.peerId, player.peerId].sort())
  })
})
