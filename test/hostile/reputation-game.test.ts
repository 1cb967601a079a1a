// An opponent whose game messages are refused for forgery or garbage loses reputation on the
// node that refused them; a message refused for a reason an honest peer can meet (a race of
// turns) costs nothing.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p } from 'libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GAME_PROTOCOL } from '../../src/net/game/constants.js'
import { libp2pDefaults } from '../../src/net/libp2p-defaults.js'
import { GameSession } from '../../src/session/index.js'
import { decodeFrames, encodeFrame } from '../../src/wire/frame.js'
import { ACT_DOMAIN, GAME_MAX_BYTES, actMessage, actToSign, decodeGameMessage, encodeGameMessage, type Act, type GameMessage, type UnsignedAct } from '../../src/wire/game-messages.js'
import { cidOf } from '../../src/wire/cid.js'
import { sign } from '../../src/wire/signing.js'
import { agree, until } from '../helpers/game-nodes.js'
import { startNode, stopAll, type NetNode } from '../net/rating/harness.js'
import type { Libp2p, PrivateKey, Stream } from '@libp2p/interface'

describe('hostile: refused game messages cost their sender reputation', () => {
  let node: NetNode
  const peers: Libp2p[] = []

  beforeAll(async () => {
    node = await startNode([], 'bot')
  })

  afterAll(async () => {
    await Promise.all(peers.map(async p => p.stop()))
    await stopAll(node != null ? [node] : [])
  })

  /** A fresh opponent in a real game with the node (the node White), on a stream that said hello. */
  async function opponent (): Promise<{ peer: string, key: PrivateKey, stream: Stream, replies: GameMessage[], black: GameSession }> {
    const key: PrivateKey = await generateKeyPair('Ed25519')
    const mallory = await createLibp2p(libp2pDefaults({ privateKey: key, datastore: new MemoryDatastore(), listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true }))
    peers.push(mallory)
    const { start, gameId } = await agree(key, node.key)
    await node.node.games.startGame({ start, gameId, opponent: mallory.peerId, me: 'W' })
    const black = new GameSession({ start, gameId, me: 'B', key, keys: { B: key.publicKey, W: node.key.publicKey }, now: Date.now })
    const stream = await mallory.dialProtocol(node.node.libp2p.getMultiaddrs(), GAME_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    const replies: GameMessage[] = []
    ;(async () => { for await (const f of decodeFrames(stream, { maxBytes: GAME_MAX_BYTES })) replies.push(decodeGameMessage(f)) })().catch(() => {})
    stream.send(encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 })))
    await until(() => replies.some(m => m.t === 'hello'), 'the node to answer the hello')
    return { peer: mallory.peerId.toString(), key, stream, replies, black }
  }

  it('an act with a forged signature: the sender\'s trust falls below neutral', async () => {
    const o = await opponent()
    const act = await o.black.move({ x: 4, y: 4 })
    const sig = Uint8Array.from(act.sig)
    sig[0] ^= 0xff
    o.stream.send(encodeFrame(encodeGameMessage({ t: 'act', ...act, sig })))
    await until(() => o.replies.some(m => m.t === 'reject'), 'the node to refuse the act')
    await until(() => node.node.reputation.trust(o.peer) < 0.5, 'the forgery to cost the sender reputation')
    expect(node.node.reputation.eventsOf(o.peer)).toMatchObject([{ kind: 'invalid', reason: 'game:bad-signature' }])
  })

  it('a frame that is not a message, on the game\'s stream: the sender\'s trust falls below neutral', async () => {
    const o = await opponent()
    o.stream.send(encodeFrame(Uint8Array.of(0xff, 0xfe)))
    await until(() => o.replies.some(m => m.t === 'reject'), 'the node to refuse the frame')
    await until(() => node.node.reputation.trust(o.peer) < 0.5, 'the garbage to cost the sender reputation')
    expect(node.node.reputation.eventsOf(o.peer)).toMatchObject([{ kind: 'invalid', reason: 'game:malformed' }])
  })

  it('a move out of turn (a race an honest peer can lose) is refused but costs nothing', async () => {
    const o = await opponent()
    const first = await o.black.move({ x: 4, y: 4 })
    o.stream.send(encodeFrame(encodeGameMessage({ t: 'act', ...first })))
    await until(() => node.node.games.session(o.black.gameId)?.game.moves.length === 1, 'the first move to land')
    const second = await secondMove(o.black, o.key)
    o.stream.send(encodeFrame(encodeGameMessage({ t: 'act', ...second })))
    await until(() => o.replies.some(m => m.t === 'reject'), 'the node to refuse the second move')
    expect(o.replies.find(m => m.t === 'reject')).toMatchObject({ reason: 'not-your-turn' })
    expect(node.node.reputation.eventsOf(o.peer)).toEqual([])
  })
})

/** A second Black move in a row, properly signed and chained: the session refuses to make one, so it is made by hand. */
async function secondMove (black: GameSession, key: PrivateKey): Promise<Act> {
  const mine = black.acts.B
  const unsigned: UnsignedAct = { game: black.gameId, by: 'B', n: mine.length + 1, prev: cidOf(actMessage(mine[mine.length - 1])), seen: black.have, at: Date.now(), kind: 'move', ply: 1, x: 2, y: 2, clock: 0 }
  return { ...unsigned, sig: (await sign(key, ACT_DOMAIN, actToSign(unsigned))).sig }
}
