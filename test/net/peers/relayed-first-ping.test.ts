// A relayed connection is not answered with a dial back. The peer directory's first ping went
// through libp2p's ping, which takes a peer ID and opens a connection, reusing none that is
// limited: each side of a new relayed connection dialled the other again through the relay, and
// the dials failed with "Remote closed connection during opening" (in CI, 52 times in a minute,
// so that two players could not reach each other through their relay). Real nodes on 127.0.0.1;
// without the fix the first dial here fails so.
import { afterEach, describe, expect, it } from 'vitest'
import { home, playerRun, relayNode, until } from '../game/mail-nodes.js'
import type { P2pgoNode } from '../../../src/net/node.js'

describe('the first ping on a relayed connection', () => {
  const running: P2pgoNode[] = []
  afterEach(async () => {
    await Promise.all(running.map(async n => { await n.stop().catch(() => {}) }))
    running.length = 0
  })

  it('opens no other connection: one relayed connection between the two, and each player is told of it', async () => {
    const relay = await relayNode(running)
    const alice = await playerRun(await home('alice'), [relay], running)
    const bob = await playerRun(await home('bob'), [relay], running)
    const circuit = (n: P2pgoNode): boolean => n.libp2p.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit'))
    await until(() => circuit(alice.node) && circuit(bob.node), 'both players to hold a reservation on the relay')
    // Each knows where the other is, as after meeting in the lobby.
    await alice.node.libp2p.peerStore.merge(bob.node.libp2p.peerId, { multiaddrs: bob.node.libp2p.getMultiaddrs() })
    await bob.node.libp2p.peerStore.merge(alice.node.libp2p.peerId, { multiaddrs: alice.node.libp2p.getMultiaddrs() })
    const told = (run: typeof alice, other: typeof alice): Promise<void> => new Promise(resolve => {
      run.node.libp2p.services.peers.addEventListener('peer:connected', e => { if (e.detail.peer === other.node.libp2p.peerId.toString()) resolve() })
    })
    const aliceTold = told(alice, bob)
    const bobTold = told(bob, alice)

    const connection = await bob.node.libp2p.dial(alice.node.libp2p.peerId, { signal: AbortSignal.timeout(10_000) })
    expect(connection.limits).toBeDefined()
    // Each side's directory has dealt with the connection (before the fix, after its ping's dial).
    await Promise.all([aliceTold, bobTold])
    const between = (run: typeof alice, other: typeof alice): string[] => run.node.libp2p.getConnections(other.node.libp2p.peerId).map(c => c.direction)
    expect(between(alice, bob)).toEqual(['inbound'])
    expect(between(bob, alice)).toEqual(['outbound'])
    // A dial the other way, as a challenge makes, succeeds: libp2p hands back the relayed
    // connection already open (before the fix this side's own dial storm closed it).
    const back = await alice.node.libp2p.dial(bob.node.libp2p.peerId, { signal: AbortSignal.timeout(10_000) })
    expect(back.status).toBe('open')
    // Both sides still hold just the one relayed connection between them.
    expect(between(alice, bob)).toEqual(['inbound'])
    expect(between(bob, alice)).toEqual(['outbound'])
  }, 90_000)
})
