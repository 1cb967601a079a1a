// An opponent whose end of a game stream takes every act and never answers (the connection stays
// up): the node gives the stream up after a few unanswered resends and opens a new one, instead of
// resending into it for ever (a 30-minute soak saw a game wait 20 minutes on such a stream).
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p } from 'libp2p'
import { afterAll, describe, expect, it } from 'vitest'
import { GAME_PROTOCOL } from '../../../src/net/game/constants.js'
import { libp2pDefaults } from '../../../src/net/libp2p-defaults.js'
import { decodeFrames, encodeFrame } from '../../../src/wire/frame.js'
import { GAME_MAX_BYTES, decodeGameMessage, encodeGameMessage, type GameMessage } from '../../../src/wire/game-messages.js'
import { agree, gameNode, until, type GameNode } from '../../helpers/game-nodes.js'
import type { Libp2p } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

describe('a game stream nothing answers on', () => {
  let honest: GameNode | undefined
  let silent: Libp2p | undefined

  afterAll(async () => { await Promise.all([honest?.stop(), silent?.stop()]) })

  it('is replaced by new streams, which carry the unacknowledged act again', async () => {
    const h = await gameNode(undefined, new MemoryDatastore(), 200)
    honest = h.node
    const silentKey = await generateKeyPair('Ed25519')
    silent = await createLibp2p(libp2pDefaults({ privateKey: silentKey, datastore: new MemoryDatastore(), listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true }))
    // Each stream gets one hello (so acts flow), then is read to the end with nothing sent back: no ack.
    const streams: GameMessage[][] = []
    let gameId: CID | undefined
    await silent.handle(GAME_PROTOCOL, async (stream) => {
      const got: GameMessage[] = []
      streams.push(got)
      if (gameId != null) stream.send(encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 })))
      try {
        for await (const frame of decodeFrames(stream, { maxBytes: GAME_MAX_BYTES })) got.push(decodeGameMessage(frame))
      } catch {}
    }, { runOnLimitedConnection: true })
    const agreed = await agree(h.key, silentKey)
    gameId = agreed.gameId
    await honest.dial(silent.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
    await honest.services.games.startGame({ start: agreed.start, gameId: agreed.gameId, opponent: silent.peerId, me: 'B' })
    await honest.services.games.perform(agreed.gameId, s => s.move({ x: 4, y: 4 }))

    const carrying = (): number => streams.filter(got => got.some(m => m.t === 'act' && m.n === 1)).length
    // Both sides of a start may open a stream at once (two here); any stream beyond them was opened
    // because those went unanswered.
    await until(() => carrying() >= 3, 'the act on a new stream after the first ones went unanswered', 20_000)
    expect(honest.getConnections(silent.peerId).length).toBeGreaterThan(0)
  })
})
