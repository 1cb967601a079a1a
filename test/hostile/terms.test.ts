// A hostile peer offers terms the game core refuses (komi 1e300, handicap 80 on 9x9, ...) to a
// node that accepts every challenge, as an `--accept` bot does: the node must decline them with
// a reason the peer can read, and never sign a start record. Junk seeks in the lobby must be
// refused before any node answers them.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHALLENGE_MAX_BYTES, CHALLENGE_PROTOCOL } from '../../src/net/challenge/index.js'
import { decodeChallengeMessage, encodeChallengeMessage, type ChallengeMessage } from '../../src/net/challenge/messages.js'
import { lobbyV2Topic } from '../../src/net/lobby/v2/index.js'
import { forgeV2 } from '../net/lobby/v2/forge.js'
import { decodeFrames, encodeFrame } from '../../src/wire/frame.js'
import { connect, rawNode, type RawNode } from '../net/challenge/nodes.js'
import { startNode, stopAll, type NetNode } from '../net/rating/harness.js'
import { until } from '../helpers/game-nodes.js'
import type { GameTerms } from '../../src/wire/game-start.js'
import type { NodeEvents } from '../../src/net/node.js'
import type { PrivateKey } from '@libp2p/interface'

const fair: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

/** Terms the game core refuses, each with the setting the refusal must name. */
const junk: Array<[string, Partial<GameTerms>, string]> = [
  ['komi 1e300', { komi: 1e300 }, 'komi'],
  ['komi -1e300', { komi: -1e300 }, 'komi'],
  ['komi 1001', { komi: 1001 }, 'komi'],
  ['handicap 80 placed freely on 9x9', { handicap: 80, placement: 'free' }, 'handicap'],
  ['handicap 10 at the fixed points of 9x9', { handicap: 10, placement: 'fixed' }, 'handicap'],
  ['handicap 2 on 5x5', { size: 5, handicap: 2, placement: 'free' }, 'handicap'],
  ['2 free handicap stones on 9x9 (no game act places them)', { handicap: 2, placement: 'free' }, 'placement']
]

/** Every challenge message the node sends on the stream, until it ends the stream. */
async function answers (stream: AsyncIterable<any>): Promise<ChallengeMessage[]> {
  const out: ChallengeMessage[] = []
  try {
    for await (const frame of decodeFrames(stream, { maxBytes: CHALLENGE_MAX_BYTES })) out.push(decodeChallengeMessage(frame))
  } catch {
    // A reset after the answers: what arrived is what counts.
  }
  return out
}

describe('hostile: terms the game core refuses are never agreed or signed', () => {
  let bot: NetNode
  let mallory: RawNode
  const started: string[] = []
  const rejected: Array<NodeEvents['rejected']['detail']> = []

  beforeAll(async () => {
    // A full node that accepts every challenge it is offered, as `p2pgo bot --accept` does.
    bot = await startNode([], 'bot')
    bot.node.addEventListener('game:started', e => { started.push(e.detail.gameId) })
    bot.node.addEventListener('rejected', e => { rejected.push(e.detail) })
    mallory = await rawNode({}, await generateKeyPair('Ed25519'))
    await connect(mallory, bot.node.libp2p)
  })

  afterAll(async () => {
    await mallory?.stop()
    await stopAll(bot != null ? [bot] : [])
  })

  it.each(junk)('a propose with %s: declined \'invalid-terms\' naming the setting, no accept, no game', async (_name, bad, setting) => {
    const id = crypto.getRandomValues(new Uint8Array(16))
    const stream = await mallory.dialProtocol(bot.node.libp2p.peerId, CHALLENGE_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    const terms = { ...fair, ...bad }
    stream.send(encodeFrame(encodeChallengeMessage({ t: 'propose', id, terms, color: 'black', name: 'Mallory', expires: Date.now() + 60_000 })))
    const got = await answers(stream)
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ t: 'decline', id, reason: 'invalid-terms' })
    expect(got[0].t === 'decline' ? got[0].message : '').toContain(setting)
    await until(() => rejected.some(r => r.source === 'challenge' && r.peer === mallory.peerId.toString() && r.reason === 'invalid-terms'), 'the refusal to be reported')
    expect(started).toEqual([])
  })

  it('fair terms from the same peer are still accepted: the refusal is of the terms, not of the peer', async () => {
    const id = crypto.getRandomValues(new Uint8Array(16))
    const stream = await mallory.dialProtocol(bot.node.libp2p.peerId, CHALLENGE_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    stream.send(encodeFrame(encodeChallengeMessage({ t: 'propose', id, terms: fair, color: 'black', name: 'Mallory', expires: Date.now() + 60_000 })))
    for await (const frame of decodeFrames(stream, { maxBytes: CHALLENGE_MAX_BYTES })) {
      expect(decodeChallengeMessage(frame)).toMatchObject({ t: 'accept', id })
      break
    }
    stream.abort(new Error('the test only wanted the accept'))
  })

  it('this node will not propose such terms either: refused before anything is sent', async () => {
    for (const [, bad] of junk) {
      await expect(bot.node.challenge.propose(mallory.peerId, { terms: { ...fair, ...bad }, color: 'black', name: 'bot' })).rejects.toMatchObject({ name: 'InvalidSettingError' })
    }
  })
})

describe('hostile: a seek with terms the game core refuses never reaches the lobby view', () => {
  let bot: NetNode
  let mallory: RawNode
  let malloryKey: PrivateKey
  /** The 9x9 topic of a newcomer's bucket (mu 25), which the node listens to. */
  const LOBBY_TOPIC = lobbyV2Topic(9, 6)

  beforeAll(async () => {
    bot = await startNode([], 'bot')
    bot.node.lobby.follow([9])
    malloryKey = await generateKeyPair('Ed25519')
    mallory = await rawNode({}, malloryKey)
    mallory.services.pubsub.subscribe(LOBBY_TOPIC)
    await connect(mallory, bot.node.libp2p)
    await until(() => mallory.services.pubsub.getSubscribers(LOBBY_TOPIC).some(p => p.equals(bot.node.libp2p.peerId)), 'the node to join the lobby topic')
  })

  afterAll(async () => {
    await mallory?.stop()
    await stopAll(bot != null ? [bot] : [])
  })

  it.each(junk)('a seek with %s: refused with the field at fault, never in the view', async (_name, bad, setting) => {
    const refused = new Promise<NodeEvents['rejected']['detail']>(resolve => {
      bot.node.addEventListener('rejected', e => { if (e.detail.source === 'lobby') resolve(e.detail) })
    })
    const seek = await forgeV2({ t: 'seek', peer: mallory.peerId.toMultihash().bytes, id: crypto.getRandomValues(new Uint8Array(8)), terms: { ...fair, ...bad }, color: 'random', expires: Date.now() + 60_000, seq: Date.now() }, malloryKey)
    await mallory.services.pubsub.publish(LOBBY_TOPIC, seek)
    const event = await refused
    expect(event).toMatchObject({ reason: 'schema', peer: mallory.peerId.toString() })
    expect(event.message).toContain(setting)
    expect(bot.node.lobby.seeks()).toEqual([])
  })

  it('this node will not post such a seek either: refused before anything is published', () => {
    for (const [, bad, setting] of junk) {
      expect(() => bot.node.lobby.postSeek({ terms: { ...fair, ...bad }, color: 'random' })).toThrow(setting)
    }
    expect(bot.node.lobby.mySeeks()).toEqual([])
  })
})
