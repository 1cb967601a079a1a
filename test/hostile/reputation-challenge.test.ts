// A peer whose challenge messages are refused loses reputation on the node that refused them
// (protocols/conventions.md: a refusal is passed to the peer's reputation).
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHALLENGE_PROTOCOL } from '../../src/net/challenge/index.js'
import { encodeChallengeMessage } from '../../src/net/challenge/messages.js'
import { encodeFrame } from '../../src/wire/frame.js'
import { connect, rawNode, type RawNode } from '../net/challenge/nodes.js'
import { startNode, stopAll, type NetNode } from '../net/rating/harness.js'
import { until } from '../helpers/game-nodes.js'

describe('hostile: refused challenge messages cost their sender reputation', () => {
  let node: NetNode
  const peers: RawNode[] = []

  beforeAll(async () => {
    node = await startNode([], 'bot')
  })

  afterAll(async () => {
    await Promise.all(peers.map(async p => p.stop()))
    await stopAll(node != null ? [node] : [])
  })

  /** A fresh identity that sends `bytes` on a challenge stream to the node. */
  async function offend (bytes: Uint8Array): Promise<string> {
    const mallory = await rawNode({}, await generateKeyPair('Ed25519'))
    peers.push(mallory)
    await connect(mallory, node.node.libp2p)
    const stream = await mallory.dialProtocol(node.node.libp2p.peerId, CHALLENGE_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    stream.send(bytes)
    return mallory.peerId.toString()
  }

  it.each([
    ['a frame that is not CBOR', encodeFrame(Uint8Array.of(0xff, 0xff, 0xff)), 'challenge:malformed'],
    ['a propose with komi 1e300', encodeFrame(encodeChallengeMessage({ t: 'propose', id: new Uint8Array(16).fill(1), terms: { size: 9, rules: 'chinese', komi: 1e300, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }, color: 'black', name: 'Mallory', expires: Date.now() + 60_000 })), 'challenge:invalid-terms'],
    ['an accept where a propose must come first', encodeFrame(encodeChallengeMessage({ t: 'accept', id: new Uint8Array(16), created: Date.now(), name: 'Mallory', sig: new Uint8Array(64) })), 'challenge:unexpected']
  ])('%s: the sender\'s trust falls below neutral', async (_name, bytes, reason) => {
    const reputation = node.node.reputation
    const peer = await offend(bytes)
    expect(reputation.trust(peer)).toBe(0.5)
    await until(() => reputation.trust(peer) < 0.5, 'the refusal to cost the sender reputation')
    expect(reputation.eventsOf(peer)).toMatchObject([{ kind: 'invalid', reason }])
  })
})
