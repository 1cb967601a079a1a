// The vectors of protocols/watch.md: the valid ones decode to the stated values, pass every check
// and are what the encoders write; the refused ones are refused for the stated reason and path.
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { WireError } from '../../../../src/wire/errors.js'
import {
  checkChat, checkTopicMessage, checkWatchAnswer, decodeWatchRequest, encodeWatchActs, encodeWatchChat, encodeWatchEnd, encodeWatchRefused,
  encodeWatchRequest, encodeWatchStart, gameOfWatchTopic, pathOf, watchMessageId, watchTopic, type WatchAnswer
} from '../../../../src/net/watch/wire/index.js'
import { toHex } from '../../../wire/helpers.js'
import { actBytes, gameBytes, gameId, keys, peers, players, watchBytes, watchText, watchVectors } from './fixtures.js'
import type { Message } from '@libp2p/gossipsub'

const now = Number(watchText('now'))
const chatContext = { game: gameId, from: peers.spectator, now, players: [players.B, players.W] }
const chat = { game: gameId, peer: peers.spectator.toMultihash().bytes, name: 'Carol', text: 'Nice tesuji!', at: now }

/** The path each refused vector states in the document. */
const paths: Record<string, string> = {
  'watch-request-extra-key': 'seed',
  'watch-request-have-over': 'have.B',
  'watch-start-other-game': 'start',
  'watch-start-bad-sig': 'start.sigs.B',
  'watch-acts-other-game': 'acts[1].game',
  'watch-acts-forged': 'acts[1].sig',
  'watch-acts-hello': 'acts[0].t',
  'watch-acts-empty': 'acts',
  'watch-refused-reason': 'reason',
  'watch-chat-other-game': 'game',
  'watch-chat-bad-sig': 'sig',
  'watch-chat-domain': 'sig',
  'watch-chat-by-player': 'peer',
  'watch-chat-expired': 'at',
  'watch-chat-control': 'text',
  'watch-chat-too-long': 'text'
}

/** The refusal of a refused vector, by the decoder its name says, as the receiver meets it: `[reason, path, acts taken]`. */
async function refusal (name: string): Promise<[string, string, number]> {
  const bytes = watchBytes(name)
  try {
    if (name.startsWith('watch-request')) decodeWatchRequest(bytes)
    else if (name.startsWith('watch-chat')) await checkChat(bytes, { ...chatContext, from: name === 'watch-chat-by-player' ? peers.W : peers.spectator })
    else {
      const answer = await checkWatchAnswer(bytes, { game: gameId, players })
      if (answer.t === 'watch-acts' && answer.refused != null) return [answer.refused.reason, pathOf(answer.refused), answer.acts.length]
    }
  } catch (err) {
    if (err instanceof WireError) return [err.reason, pathOf(err), 0]
    throw err
  }
  return ['accepted', '', 0]
}

describe('protocols/watch.md test vectors', () => {
  it('has the vectors these tests read', () => {
    expect([...watchVectors.keys()].sort()).toEqual([
      'now', 'spectator-peer-id', 'spectator-seed', 'topic', 'watch-acts', 'watch-chat', 'watch-end', 'watch-refused', 'watch-request', 'watch-start',
      ...Object.keys(paths)
    ].sort())
  })

  it('names the spectator and the game\'s topic', () => {
    expect(peers.spectator.toString()).toBe(watchText('spectator-peer-id'))
    expect(watchTopic(gameId)).toBe(watchText('topic'))
    expect(gameOfWatchTopic(watchText('topic'))?.equals(gameId)).toBe(true)
  })

  it('watch-request decodes to the stated values and is what the encoder writes', () => {
    const request = decodeWatchRequest(watchBytes('watch-request'))
    expect({ ...request, game: request.game.toString() }).toEqual({ t: 'watch', game: gameId.toString(), have: { B: 1, W: 0 }, follow: true })
    expect(toHex(encodeWatchRequest({ game: gameId, have: { B: 1, W: 0 }, follow: true }))).toBe(toHex(watchBytes('watch-request')))
  })

  it('watch-start carries game.md\'s start record, both signatures check, and it is what the encoder writes', async () => {
    const answer = await checkWatchAnswer(watchBytes('watch-start'), { game: gameId }) as Extract<WatchAnswer, { t: 'watch-start' }>
    expect(answer.t).toBe('watch-start')
    expect(toHex(answer.record)).toBe(toHex(gameBytes('start')))
    expect([answer.following, answer.watchers, answer.start.names]).toEqual([true, 3, { B: 'Bob', W: 'Alice' }])
    expect(toHex(encodeWatchStart({ record: gameBytes('start'), following: true, watchers: 3 }))).toBe(toHex(watchBytes('watch-start')))
  })

  it('watch-acts carries game.md\'s four acts, each as sent and signed by its player, and is what the encoder writes', async () => {
    const answer = await checkWatchAnswer(watchBytes('watch-acts'), { game: gameId, players })
    if (answer.t !== 'watch-acts') throw new Error(`decoded as ${answer.t}`)
    expect(answer.refused).toBeUndefined()
    expect(answer.acts.map(a => toHex(a.bytes))).toEqual(actBytes.map(toHex))
    expect(answer.acts.map(a => a.act.kind)).toEqual(['move', 'pass', 'resign', 'result'])
    expect(answer.acts[0].cid.toString()).toBe('bafyreihkyu5irkdcxxf4khvhyxgsbkf3hgyz5ole7ljkcsw5hfc75yrhle')
    expect(toHex(encodeWatchActs(actBytes))).toBe(toHex(watchBytes('watch-acts')))
  })

  it('watch-end and watch-refused decode to the stated values and are what the encoders write', async () => {
    expect(await checkWatchAnswer(watchBytes('watch-end'), { game: gameId })).toEqual({ t: 'watch-end' })
    expect(toHex(encodeWatchEnd())).toBe(toHex(watchBytes('watch-end')))
    const refused = { reason: 'unknown-game', message: 'this node neither plays nor watches that game' } as const
    expect(await checkWatchAnswer(watchBytes('watch-refused'), { game: gameId })).toEqual({ t: 'watch-refused', ...refused })
    expect(toHex(encodeWatchRefused(refused))).toBe(toHex(watchBytes('watch-refused')))
  })

  it('watch-chat is accepted from the spectator, on the topic too, and is what the encoder writes', async () => {
    const bytes = watchBytes('watch-chat')
    const { sig, ...fields } = await checkChat(bytes, chatContext)
    expect(sig).toHaveLength(64)
    expect({ ...fields, game: fields.game.toString() }).toEqual({ t: 'watch-chat', ...chat, game: gameId.toString() })
    // Ed25519 is deterministic: the encoder signs the same bytes into the same signature.
    expect(toHex(await encodeWatchChat(chat, keys.spectator))).toBe(toHex(bytes))
    const onTopic = await checkTopicMessage(bytes, { game: gameId, from: peers.spectator, now, players, finished: false })
    expect(onTopic.t).toBe('watch-chat')
  })

  it('game.md\'s move is accepted on the topic, and its message ID is its CID', async () => {
    const move = gameBytes('move')
    const checked = await checkTopicMessage(move, { game: gameId, from: peers.spectator, now, players, finished: false })
    expect(checked.t).toBe('act')
    const msg = { type: 'signed', topic: watchText('topic'), data: move, from: peers.spectator, sequenceNumber: 7n } as unknown as Message
    expect(CID.decode(watchMessageId(msg)).toString()).toBe('bafyreihkyu5irkdcxxf4khvhyxgsbkf3hgyz5ole7ljkcsw5hfc75yrhle')
  })

  it.each(Object.keys(paths))('%s is refused for the stated reason, at the stated path', async (name) => {
    const [reason, path] = await refusal(name)
    expect(reason).toBe(watchVectors.get(name)?.expect)
    expect(path).toBe(paths[name])
  })

  it('the refused watch-acts frames keep the acts before the one refused, and no other', async () => {
    expect((await refusal('watch-acts-other-game'))[2]).toBe(1)
    expect((await refusal('watch-acts-forged'))[2]).toBe(1)
    expect((await refusal('watch-acts-hello'))[2]).toBe(0)
  })

  it('the player\'s line is accepted once the game is finished; the stale line is refused only by the clock', async () => {
    await expect(checkChat(watchBytes('watch-chat-by-player'), { ...chatContext, from: peers.W, players: [] })).resolves.toMatchObject({ name: 'Alice' })
    await expect(checkChat(watchBytes('watch-chat-expired'), { ...chatContext, now: now - 5 * 60_000 })).resolves.toMatchObject({ name: 'Carol' })
  })

  it('watch-chat received from another sender than its author is refused as wrong-peer', async () => {
    await expect(checkChat(watchBytes('watch-chat'), { ...chatContext, from: peers.B })).rejects.toMatchObject({ reason: 'wrong-peer', path: 'peer' })
  })
})
