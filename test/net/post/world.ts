// Real p2pgo nodes on 127.0.0.1 for the post tests: one bootstrap relay that holds mail, and
// players that listen only on a relay slot, so two players meet only through the relay. A
// player's home (key, datastore, clock) survives its restarts.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { until } from '../mailbox/nodes.js'
import type { PostService } from '../../../src/net/post/index.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'

export { until }

/** What survives a player's restart; `clock` is added to the real time (the fake part of its clock). */
export interface Player { name: string, key: PrivateKey, datastore: Datastore, clock: { skip: number }, node?: P2pgoNode }

export class World {
  readonly running = new Set<P2pgoNode>()
  relay!: P2pgoNode
  readonly relayStore = new MemoryDatastore()

  /** How many envelopes the relay holds for `recipient` now. */
  async heldFor (recipient: string): Promise<number> {
    let n = 0
    for await (const _ of this.relayStore.queryKeys({ prefix: `/p2pgo/mailbox/held/${recipient}/` })) n++
    return n
  }

  async start (): Promise<void> {
    const config = { ...defaultConfig({ userName: 'relay' }), listen: ['/ip4/127.0.0.1/tcp/0'], rendezvous: [] }
    this.relay = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: this.relayStore, config, role: 'bootstrap', privateNetwork: true, connectionMonitor: false })
    this.running.add(this.relay)
    await this.relay.start()
  }

  async player (name: string): Promise<Player> {
    return { name, key: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), clock: { skip: 0 } }
  }

  /** Starts a player and waits until it holds its reservation and the relay knows it. */
  async up (p: Player): Promise<P2pgoNode> {
    const config = { ...defaultConfig({ userName: p.name }), name: p.name, listen: ['/p2p-circuit'], bootstrap: [this.relay.libp2p.getMultiaddrs()[0].toString()], rendezvous: [] }
    const node = await P2pgoNode.create({ privateKey: p.key, datastore: p.datastore, config, role: 'player', privateNetwork: true, connectionMonitor: false, now: () => Date.now() + p.clock.skip })
    this.running.add(node)
    p.node = node
    await node.start()
    await until(() => node.self().relays.includes(this.relay.peerId), `${p.name}'s reservation on the relay`)
    await until(() => this.relay.mailbox.knownAt(node.peerId) != null, `the relay to know ${p.name}`)
    return node
  }

  async down (p: Player): Promise<void> {
    if (p.node == null) return
    await p.node.stop()
    this.running.delete(p.node)
    p.node = undefined
  }

  /**
   * Alice online and Bob away, as an offline challenge finds them: Bob was seen once (his relay
   * addresses are in Alice's peer store, as the lobby leaves them), then left.
   */
  async aliceAndAbsentBob (): Promise<{ alice: Player, bob: Player }> {
    const alice = await this.player('Alice')
    const bob = await this.player('Bob')
    const seen = await this.up(bob)
    const bobAddrs = seen.libp2p.getMultiaddrs()
    await this.down(bob)
    await this.up(alice)
    await alice.node!.libp2p.peerStore.merge(seen.libp2p.peerId, { multiaddrs: bobAddrs })
    return { alice, bob }
  }

  async stop (): Promise<void> {
    await Promise.all([...this.running].map(async n => { await n.stop() }))
    this.running.clear()
  }
}

export function postOf (p: Player): PostService {
  const post = p.node?.post
  if (post == null) throw new Error(`${p.name} is not running`)
  return post
}
