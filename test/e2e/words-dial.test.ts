// A challenge to a peer this node has no address for: with nobody in the DHT to ask where it is,
// the dial fails at once and says so (it used to wait on peer routing until the caller's own
// limit); with DHT peers, or with an address known, the same challenge still reaches the peer.
// Real nodes on 127.0.0.1.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { startNode, stopAll, routingTableSize, terms, type NetNode } from '../net/rating/harness.js'
import { until } from '../helpers/game-nodes.js'
import { waitFailure } from '../../src/queries/query-text.js'

const nodes: NetNode[] = []
afterEach(async () => { await stopAll(nodes.splice(0)) })

async function node (bootstrap: string[] = [], name = 'player'): Promise<NetNode> {
  const n = await startNode(bootstrap, name)
  nodes.push(n)
  return n
}

/** Generous: the caller's limit is never what ends these challenges. */
const LIMIT_MS = 120_000

async function challenge (from: NetNode, peer: string): Promise<unknown> {
  return from.node.propose(peer, { terms, color: 'random', name: 'ann' }, { signal: AbortSignal.timeout(LIMIT_MS) }).then(() => undefined, (err: unknown) => err)
}

describe('a challenge to a peer with no known address', () => {
  it('fails at once when the DHT knows no peers, and says what to do', async () => {
    const ann = await node()
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const err = await challenge(ann, stranger) as Error
    // Not the caller's limit running out: the dial itself gave up, having nobody to ask.
    expect(err.name).toBe('NoValidAddressesError')
    expect(waitFailure(err, { what: `an answer from ${stranger}`, ms: LIMIT_MS, peer: stranger }, ann.node.networkFacts())).toBe(
      `could not reach ${stranger}: this node has no address for it and no DHT peers to ask where it is; ` +
      'this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS)')
  }, LIMIT_MS + 30_000)

  it('still reaches the peer through the DHT when the DHT has peers', async () => {
    const boot = await node([], 'boot')
    const address = boot.node.libp2p.getMultiaddrs()[0].toString()
    const ann = await node([address], 'ann')
    const bob = await node([address], 'bob')
    bob.node.decide = async () => ({ decline: 'busy' })
    await until(() => routingTableSize(ann) > 0 && routingTableSize(boot) >= 2, 'the routing tables')
    // Ann knows bob only by his ID: the DHT tells her where he is.
    await ann.node.libp2p.peerStore.delete(bob.node.libp2p.peerId).catch(() => {})
    const err = await challenge(ann, bob.node.peerId) as Error
    expect(err.name).toBe('ChallengeDeclinedError')
    expect((err as Error & { reason: string }).reason).toBe('busy')
  }, LIMIT_MS + 30_000)

  it('still reaches the peer when its address is known, with no DHT at all', async () => {
    const ann = await node([], 'ann')
    const bob = await node([], 'bob')
    bob.node.decide = async () => ({ decline: 'busy' })
    await ann.node.libp2p.peerStore.merge(bob.node.libp2p.peerId, { multiaddrs: bob.node.libp2p.getMultiaddrs() })
    expect(routingTableSize(ann)).toBe(0)
    const err = await challenge(ann, bob.node.peerId) as Error
    expect(err.name).toBe('ChallengeDeclinedError')
  }, LIMIT_MS + 30_000)
})
