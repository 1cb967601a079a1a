// What the post refuses (protocols/post.md, "Refusals"), with real nodes on 127.0.0.1: a direct
// item for another peer, one badly signed, one too large; an accept of a challenge never sent; a
// message too long to send. Each refusal is in words, and nothing of it is kept.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { day } from '../../../src/units.js'
import { decodeFrames, encodeFrame } from '../../../src/wire/frame.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { POST_PROTOCOL } from '../../../src/net/post/index.js'
import { decodeAnswer, encodeDirect, encodePayload } from '../../../src/net/post/wire.js'
import { encodeChallengeMessage } from '../../../src/net/challenge/messages.js'
import { World, postOf, until, type Player } from './world.js'
import type { P2pgoNode } from '../../../src/net/node.js'
import type { PostAnswer, PostItem } from '../../../src/net/post/wire.js'

describe('the post refuses', () => {
  let world: World
  let bob: Player
  let carol: Player
  let bobNode: P2pgoNode
  let carolNode: P2pgoNode
  beforeEach(async () => {
    world = new World()
    await world.start()
    bob = await world.player('Bob')
    carol = await world.player('Carol')
    bobNode = await world.up(bob)
    carolNode = await world.up(carol)
    await carolNode.libp2p.peerStore.merge(bobNode.libp2p.peerId, { multiaddrs: bobNode.libp2p.getMultiaddrs() })
  }, 60_000)
  afterEach(async () => { await world.stop() })

  /** Carol hands Bob raw bytes on the post protocol; his answer. */
  async function hand (bytes: Uint8Array): Promise<PostAnswer> {
    // The relayed connection already open, as the post's own sender does: libp2p would dial a limited one afresh.
    const open = carolNode.libp2p.getConnections(bobNode.libp2p.peerId).find(c => c.status === 'open') ?? await carolNode.libp2p.dial(bobNode.libp2p.peerId)
    const stream = await open.newStream(POST_PROTOCOL, { runOnLimitedConnection: true })
    stream.send(encodeFrame(bytes))
    for await (const frame of decodeFrames(stream, { maxBytes: 4096 })) return decodeAnswer(frame)
    throw new Error('no answer')
  }

  const item = (over: Partial<PostItem> = {}): PostItem => ({
    from: carolNode.libp2p.peerId.toMultihash().bytes,
    to: bobNode.libp2p.peerId.toMultihash().bytes,
    kind: 'message',
    at: Date.now(),
    expires: Date.now() + day,
    payload: encodePayload({ kind: 'message', text: 'hello Bob', reply: [] }),
    ...over
  })

  it('items for another peer, badly signed, too large or with too long a text, keeping nothing', { timeout: 120_000 }, async () => {
    const rejected: string[] = []
    postOf(bob).addEventListener('post:rejected', e => { rejected.push(e.detail.reason) })
    const other = peerIdFromPrivateKey(carol.key).toMultihash().bytes
    expect(await hand(await encodeDirect(item({ to: other }), carol.key))).toEqual({ t: 'refused', reason: 'wrong-recipient', message: 'the item is addressed to another peer' })
    expect(await hand(await encodeDirect(item(), bob.key))).toEqual({ t: 'refused', reason: 'bad-signature', message: 'the item\'s signature does not check with its sender\'s key' })
    const big = await hand(new Uint8Array(20_000))
    expect(big).toMatchObject({ t: 'refused', reason: 'too-large' })
    // A text over 500 characters, signed by its sender (a hostile encoder): read, then refused.
    const answer = await hand(await encodeDirect(item({ payload: encodeCanonical({ v: 1, t: 'message', text: 'x'.repeat(600), reply: [] }) }), carol.key))
    expect(answer).toMatchObject({ t: 'refused', reason: 'malformed' })
    expect((answer as { message: string }).message).toContain('at most 500 characters')
    // An accept of a challenge Bob never sent.
    const accept = encodeChallengeMessage({ t: 'accept', id: new Uint8Array(16), created: Date.now(), name: 'Carol', sig: new Uint8Array(64) })
    const unknown = await hand(await encodeDirect(item({ kind: 'challenge', payload: encodePayload({ kind: 'challenge', msg: accept, reply: [] }) }), carol.key))
    expect(unknown).toMatchObject({ t: 'refused', reason: 'unknown-challenge' })
    expect(await postOf(bob).inbox()).toEqual([])
    expect(rejected).toEqual(['malformed', 'unknown-challenge'])
    // A good one is taken.
    expect(await hand(await encodeDirect(item(), carol.key))).toEqual({ t: 'ok' })
    await until(async () => (await postOf(bob).inbox()).length === 1, 'the good message in Bob\'s inbox')
  })

  it('a message too long to send, before anything leaves', async () => {
    await expect(postOf(carol).message(bobNode.peerId, 'y'.repeat(501))).rejects.toThrow('a message is at most 500 characters')
    const sent = await postOf(carol).message(bobNode.peerId, 'short and sweet')
    expect(sent.via).toBe('direct')
    await until(async () => (await postOf(bob).inbox()).some(i => i.text === 'short and sweet'), 'the message in Bob\'s inbox')
  })
})
