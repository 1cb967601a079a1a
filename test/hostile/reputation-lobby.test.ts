// A peer whose lobby messages are refused loses reputation on the node that refused them, above
// gossipsub's own score: impersonation (a seek speaking for another peer) and junk terms.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeLobbyV2 } from '../../src/net/lobby/v2/messages.js'
import { lobbyV2Topic } from '../../src/net/lobby/v2/index.js'
import { forgeV2 } from '../net/lobby/v2/forge.js'
import { connect, rawNode, type RawNode } from '../net/challenge/nodes.js'
import { startNode, stopAll, type NetNode } from '../net/rating/harness.js'
import { until } from '../helpers/game-nodes.js'
import type { GameTerms } from '../../src/wire/game-start.js'

const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
/** The 9x9 topic of a newcomer's bucket (mu 25), which the node listens to. */
const LOBBY_TOPIC = lobbyV2Topic(9, 6)

describe('hostile: refused lobby messages cost their signer reputation', () => {
  let node: NetNode
  const peers: RawNode[] = []

  beforeAll(async () => {
    node = await startNode([], 'bot')
    // The node looks at the 9x9 lobby (it listens to the topics of the size it shows).
    node.node.lobby.follow([9])
  })

  afterAll(async () => {
    await Promise.all(peers.map(async p => p.stop()))
    await stopAll(node != null ? [node] : [])
  })

  async function joined (key?: Awaited<ReturnType<typeof generateKeyPair>>): Promise<RawNode> {
    const mallory = await rawNode({}, key ?? await generateKeyPair('Ed25519'))
    peers.push(mallory)
    mallory.services.pubsub.subscribe(LOBBY_TOPIC)
    await connect(mallory, node.node.libp2p)
    await until(() => mallory.services.pubsub.getSubscribers(LOBBY_TOPIC).some(p => p.equals(node.node.libp2p.peerId)), 'the node to join the lobby topic')
    return mallory
  }

  it('a seek that speaks for another peer: the signer\'s trust falls below neutral', async () => {
    const mallory = await joined()
    const aliceKey = await generateKeyPair('Ed25519')
    const alice = peerIdFromPrivateKey(aliceKey)
    const peer = mallory.peerId.toString()
    expect(node.node.reputation.trust(peer)).toBe(0.5)
    // Alice's own signed seek, sent by Mallory as the gossip origin: version 2 entries may be handed
    // on in a catch-up answer, but a gossip message must come from its author.
    await mallory.services.pubsub.publish(LOBBY_TOPIC, await encodeLobbyV2({ t: 'seek', peer: alice.toMultihash().bytes, id: new Uint8Array(8).fill(1), terms, color: 'random', expires: Date.now() + 60_000, seq: 1 }, aliceKey))
    await until(() => node.node.reputation.trust(peer) < 0.5, 'the impersonation to cost the signer reputation')
    expect(node.node.reputation.eventsOf(peer)).toMatchObject([{ kind: 'invalid', reason: 'lobby:wrong-peer' }])
    expect(node.node.reputation.trust(alice.toString())).toBe(0.5)
  })

  it('a seek with komi 1001: the signer\'s trust falls below neutral', async () => {
    const key = await generateKeyPair('Ed25519')
    const mallory = await joined(key)
    const peer = mallory.peerId.toString()
    await mallory.services.pubsub.publish(LOBBY_TOPIC, await forgeV2({ t: 'seek', peer: mallory.peerId.toMultihash().bytes, id: new Uint8Array(8).fill(2), terms: { ...terms, komi: 1001 }, color: 'random', expires: Date.now() + 60_000, seq: 1 }, key))
    await until(() => node.node.reputation.trust(peer) < 0.5, 'the junk seek to cost the signer reputation')
    expect(node.node.reputation.eventsOf(peer)).toMatchObject([{ kind: 'invalid', reason: 'lobby:schema' }])
  })

  it('a seek that merely expired is not held against its signer', async () => {
    const key = await generateKeyPair('Ed25519')
    const mallory = await joined(key)
    const peer = mallory.peerId.toString()
    const refused = new Promise<void>(resolve => { node.node.addEventListener('rejected', e => { if (e.detail.peer === peer) resolve() }) })
    await mallory.services.pubsub.publish(LOBBY_TOPIC, await forgeV2({ t: 'seek', peer: mallory.peerId.toMultihash().bytes, id: new Uint8Array(8).fill(3), terms, color: 'random', expires: Date.now() - 1000, seq: 1 }, key))
    await refused
    expect(node.node.reputation.eventsOf(peer)).toEqual([])
  })
})
