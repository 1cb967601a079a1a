// A node whose first identify of its bootstrap peer came too early or failed still gets the peer
// into its DHT routing table (src/net/identify-again/). Real nodes on 127.0.0.1: the bootstrap
// peer first does not answer identify at all (a busy machine), and in the second case the DHT
// starts again after the peer was identified, as it started late on a loaded machine in CI.
// Without the service, the first ends with the protocols unknown and the second with an empty
// routing table, for good.
import { afterEach, describe, expect, it } from 'vitest'
import { routingTableSize, startNode, stopAll, until, type NetNode } from './rating/harness.js'
import type { Stream } from '@libp2p/interface'

const IDENTIFY = '/ipfs/id/1.0.0'

describe('identify again', () => {
  let nodes: NetNode[] = []
  afterEach(async () => {
    await stopAll(nodes)
    nodes = []
  })

  it('identifies a peer whose identify never finished, so the node learns what it speaks', async () => {
    const boot = await startNode([], 'boot')
    nodes.push(boot)
    // The bootstrap peer takes identify streams and never answers them (nor pushes what it speaks).
    await boot.node.libp2p.services.identifyPush.stop()
    await boot.node.libp2p.services.identify.stop()
    const unanswered: Stream[] = []
    const gaveUp = Promise.withResolvers<void>()
    await boot.node.libp2p.handle(IDENTIFY, stream => {
      unanswered.push(stream)
      stream.addEventListener('close', () => { gaveUp.resolve() })
    })
    const player = await startNode([boot.node.libp2p.getMultiaddrs()[0].toString()], 'player')
    nodes.push(player)
    const identified: Array<{ peer: string, tries: number }> = []
    player.node.libp2p.services.identifyAgain.addEventListener('identified', e => { identified.push(e.detail) })

    const protocols = async (): Promise<string[]> => player.node.libp2p.peerStore.get(boot.node.libp2p.peerId).then(p => p.protocols, () => [])

    // libp2p's identify gives up on the silent peer (after its 5 s). The player knows only the
    // protocols the two spoke already (the bootstrap peer's DHT pinged it), not the others.
    await until(() => player.node.libp2p.getConnections(boot.node.libp2p.peerId).length > 0, 'the player to connect to its bootstrap peer')
    await gaveUp.promise
    expect(unanswered.length).toBeGreaterThan(0)
    expect(await protocols()).not.toContain('/p2pgo/watch/1.0.0')
    expect(identified).toEqual([])

    // The peer answers again (and still pushes nothing); the player identifies it once more by itself, on the same connection.
    await boot.node.libp2p.unhandle(IDENTIFY)
    await boot.node.libp2p.services.identify.start()
    await until(async () => (await protocols()).includes('/p2pgo/watch/1.0.0'), 'the player to learn every protocol its bootstrap peer speaks', 60_000)
    expect(identified).toEqual([{ peer: boot.node.libp2p.peerId.toString(), tries: 1 }])
  }, 90_000)

  it('identifies again, once every service has started, the peers identified before the DHT listened', async () => {
    const boot = await startNode([], 'boot')
    nodes.push(boot)
    const player = await startNode([boot.node.libp2p.getMultiaddrs()[0].toString()], 'player')
    nodes.push(player)
    await until(() => routingTableSize(player) > 0, 'the bootstrap peer in the player\'s DHT routing table')
    // The DHT starts (again) after the bootstrap peer was identified: it registers its topology
    // then, and libp2p tells a topology only of identifies that finish after it registered.
    // (Untagged, as a peer never added is: kad-dht refills its table from tagged peers on start.
    // And no identify push either way: the DHT's restart changes the player's protocols, and the
    // push it sends would bring the bootstrap peer's answer, which a late start does not.)
    await Promise.all([player, boot].map(async x => { await x.node.libp2p.services.identifyPush.stop() }))
    const dht = player.node.libp2p.services.dht as unknown as { stop: () => Promise<void>, start: () => Promise<void> }
    await dht.stop()
    await player.node.libp2p.peerStore.merge(boot.node.libp2p.peerId, { tags: { 'kad-peer': undefined } })
    await dht.start()
    expect(routingTableSize(player)).toBe(0)
    // What libp2p calls once every service has started.
    player.node.libp2p.services.identifyAgain.afterStart()
    await player.node.libp2p.services.identifyAgain.afterStartSettled()
    await until(() => routingTableSize(player) > 0, 'the bootstrap peer back in the routing table')
  }, 90_000)
})
