// A hostile peer holding game streams open on a real game node: idle, dripping a byte at a
// time, opening dozens at once, or sending frames that name no game of the node's. Each must
// cost the node a bounded time and a bounded number of streams, and a frame that can be answered
// gets an answer the peer can read before the stream closes.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p } from 'libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GAME_MAX_INBOUND_STREAMS, GAME_PROTOCOL } from '../../src/net/game/constants.js'
import { libp2pDefaults } from '../../src/net/libp2p-defaults.js'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf } from '../../src/wire/cid.js'
import { decodeFrames, encodeFrame } from '../../src/wire/frame.js'
import { GAME_MAX_BYTES, decodeGameMessage, encodeGameMessage, type GameMessage } from '../../src/wire/game-messages.js'
import { agree, gameNode, until, type GameNode } from '../helpers/game-nodes.js'
import type { Libp2p, PrivateKey, Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** Reads a stream until the node ends it: the messages it sent, and whether it closed or reset. */
function watch (stream: Stream): { messages: GameMessage[], ended: Promise<'closed' | 'reset'> } {
  const messages: GameMessage[] = []
  const ended = (async () => {
    try {
      for await (const frame of decodeFrames(stream, { maxBytes: GAME_MAX_BYTES })) messages.push(decodeGameMessage(frame))
      return 'closed' as const
    } catch {
      return 'reset' as const
    }
  })()
  return { messages, ended }
}

describe('hostile: game streams that carry nothing useful', () => {
  let honest: GameNode
  let mallory: Libp2p
  let malloryKey: PrivateKey
  let gameId: CID

  beforeAll(async () => {
    const h = await gameNode()
    honest = h.node
    malloryKey = await generateKeyPair('Ed25519')
    mallory = await createLibp2p(libp2pDefaults({ privateKey: malloryKey, datastore: new MemoryDatastore(), listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true }))
    // Mallory really is the node's opponent in a game: the node must still bound what she holds.
    const agreed = await agree(malloryKey, h.key)
    gameId = agreed.gameId
    await honest.services.games.startGame({ start: agreed.start, gameId, opponent: mallory.peerId, me: 'W' })
    await mallory.dial(honest.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
  })

  afterAll(async () => {
    await Promise.all([honest?.stop(), mallory?.stop()])
  })

  async function open (): Promise<Stream> {
    return mallory.dialProtocol(honest.peerId, GAME_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
  }

  it('a stream opened and left silent is ended by the node', async () => {
    const stream = await open()
    const { messages, ended } = watch(stream)
    expect(await ended).toBe('reset')
    expect(messages).toEqual([])
  })

  it('a first frame dripped a byte a second is cut before it completes', async () => {
    const stream = await open()
    const { ended } = watch(stream)
    const frame = encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 }))
    let sent = 0
    let over = false
    void ended.then(() => { over = true })
    while (!over && sent < frame.length) {
      try {
        stream.send(frame.subarray(sent, sent + 1))
      } catch {
        break
      }
      sent++
      await new Promise(resolve => setTimeout(resolve, 1000))
    }
    expect(await ended).toBe('reset')
    expect(sent).toBeLessThan(frame.length)
  })

  it('a frame dripped after the game is known is cut before it completes', async () => {
    const stream = await open()
    const { messages, ended } = watch(stream)
    // A real hello first: the stream now belongs to the game, and the node answers it.
    stream.send(encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 })))
    await until(() => messages.some(m => m.t === 'hello'), 'the node to answer the hello')
    const frame = encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 }))
    let sent = 0
    let over = false
    void ended.then(() => { over = true })
    while (!over && sent < frame.length) {
      try {
        stream.send(frame.subarray(sent, sent + 1))
      } catch {
        break
      }
      sent++
      await new Promise(resolve => setTimeout(resolve, 1000))
    }
    expect(await ended).toBe('reset')
    expect(sent).toBeLessThan(frame.length)
  })

  it(`a peer opening 40 streams at once is held to ${GAME_MAX_INBOUND_STREAMS} on its connection`, async () => {
    const streams = await Promise.allSettled(Array.from({ length: 40 }, async () => open()))
    const opened = streams.flatMap(s => s.status === 'fulfilled' ? [s.value] : [])
    // What the node holds: its inbound game streams on the connection to Mallory.
    const held = (): number => honest.getConnections(mallory.peerId).flatMap(c => c.streams).filter(s => s.protocol === GAME_PROTOCOL && s.direction === 'inbound' && s.status === 'open').length
    await until(() => held() <= GAME_MAX_INBOUND_STREAMS, `the node to hold at most ${GAME_MAX_INBOUND_STREAMS} streams`)
    expect(held()).toBeLessThanOrEqual(GAME_MAX_INBOUND_STREAMS)
    expect(held()).toBeGreaterThan(0)
    for (const s of opened) s.abort(new Error('done'))
  })

  it('a complete frame that is not a message, with no game yet: the stream is ended at once', async () => {
    const stream = await open()
    const { messages, ended } = watch(stream)
    stream.send(encodeFrame(Uint8Array.of(0xff, 0xfe, 0xfd)))
    expect(await ended).not.toBeUndefined()
    expect(messages).toEqual([])
  })

  it('a malformed message that names a game: answered with a reject naming it, then closed', async () => {
    const stream = await open()
    const { messages, ended } = watch(stream)
    const named = cidOf({ some: 'game' })
    stream.send(encodeFrame(encodeCanonical({ v: 1, t: 'hello', game: named, have: 'all of it' })))
    await ended
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ t: 'reject', reason: 'malformed', n: 0 })
    expect(messages[0].t === 'reject' && messages[0].game.equals(named)).toBe(true)
    expect(messages[0].t === 'reject' ? messages[0].message : '').toContain('have')
  })

  it('a hello for a game the node does not play: answered with a wrong-game reject, then closed', async () => {
    const stream = await open()
    const { messages, ended } = watch(stream)
    const unknown = cidOf({ another: 'game' })
    stream.send(encodeFrame(encodeGameMessage({ t: 'hello', game: unknown, have: 0, sent: 0 })))
    await ended
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ t: 'reject', reason: 'wrong-game', n: 0 })
    expect(messages[0].t === 'reject' && messages[0].game.equals(unknown)).toBe(true)
  })

  it('the game itself still works: a hello on a fresh stream is answered', async () => {
    const stream = await open()
    const { messages } = watch(stream)
    stream.send(encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 })))
    await until(() => messages.some(m => m.t === 'hello'), 'the node to answer the hello')
    stream.abort(new Error('done'))
  })
})

describe('hostile: a game stream that goes quiet once its game is known', () => {
  it('is ended after the idle deadline, though it once said hello', async () => {
    // The same rule as a real node's 90 s, shortened so the test waits seconds.
    const h = await gameNode(undefined, undefined, 200, {}, { readDeadlines: { firstFrameMs: 10_000, frameMs: 10_000, idleMs: 2_000 } })
    const key = await generateKeyPair('Ed25519')
    const mallory = await createLibp2p(libp2pDefaults({ privateKey: key, datastore: new MemoryDatastore(), listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true }))
    try {
      const { start, gameId } = await agree(key, h.key)
      await h.node.services.games.startGame({ start, gameId, opponent: mallory.peerId, me: 'W' })
      const stream = await mallory.dialProtocol(h.node.getMultiaddrs(), GAME_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
      const { messages, ended } = watch(stream)
      stream.send(encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 })))
      await until(() => messages.some(m => m.t === 'hello'), 'the node to answer the hello')
      expect(await ended).toBe('reset')
    } finally {
      await Promise.all([h.node.stop(), mallory.stop()])
    }
  })
})
