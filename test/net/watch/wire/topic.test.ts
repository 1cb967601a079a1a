// A game's topic (protocols/watch.md, "Topic"): its name, its message IDs, and the validator's
// stateless checks of acts and chat in the table's order.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodeCanonical, encodeCanonical } from '../../../../src/wire/cbor.js'
import { cidOfCanonical, hashBytes } from '../../../../src/wire/cid.js'
import { WireError } from '../../../../src/wire/errors.js'
import { sign } from '../../../../src/wire/signing.js'
import {
  CHAT_DOMAIN, CHAT_MAX_BYTES, TOPIC_MAX_BYTES, WATCH_VERDICTS, checkChat, checkTopicMessage, decodeTopicMessage, encodeWatchChat, gameOfWatchTopic,
  isWatchTopic, pathOf, refusalOf, watchMessageId, watchTopic
} from '../../../../src/net/watch/wire/index.js'
import { toHex } from '../../../wire/helpers.js'
import { actBytes, gameBytes, gameId, keys, peers, players, ratedGameId } from './fixtures.js'
import type { Message } from '@libp2p/gossipsub'

const now = 1_700_000_030_000
const spectator = peers.spectator.toMultihash().bytes
const line = { game: gameId, peer: spectator, name: 'Carol', text: 'Nice tesuji!', at: now }
const topic = { game: gameId, from: peers.spectator, now, players, finished: false }

/** The refusal a call throws, as `[reason, path, verdict]`. */
async function refusedAs (call: () => unknown): Promise<[string, string, string]> {
  try {
    await call()
  } catch (err) {
    if (err instanceof WireError) return [err.reason, pathOf(err), WATCH_VERDICTS[refusalOf(err)]]
    throw err
  }
  throw new Error('accepted')
}

/** Signs any chat map as the spectator would, so the field under test is its only fault. */
async function signed (fields: Record<string, unknown>, key = keys.spectator): Promise<Uint8Array> {
  return encodeCanonical(await sign(key, CHAT_DOMAIN, { v: 1, t: 'watch-chat', ...fields }))
}

describe('the topic name', () => {
  it('is the prefix and the game ID in base32, and parses back to the game', () => {
    expect(watchTopic(gameId)).toBe(`/p2pgo/watch/1/${gameId.toString()}`)
    expect(gameOfWatchTopic(watchTopic(ratedGameId))?.equals(ratedGameId)).toBe(true)
    expect(isWatchTopic(watchTopic(gameId))).toBe(true)
  })

  it.each([
    ['another topic', '/p2pgo/rna/1'],
    ['another version', `/p2pgo/watch/2/${gameId.toString()}`],
    ['no game', '/p2pgo/watch/1/'],
    ['not a CID', '/p2pgo/watch/1/bafyreinot'],
    ['the game ID in base58btc', `/p2pgo/watch/1/${gameId.toString(base58btc)}`],
    ['a CIDv0', '/p2pgo/watch/1/QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n'],
    ['a raw CID', `/p2pgo/watch/1/${CID.createV1(0x55, gameId.multihash).toString()}`],
    ['a trailing slash', `${watchTopic(gameId)}/`]
  ])('names no game for %s', (_name, name) => {
    expect(gameOfWatchTopic(name)).toBeUndefined()
  })
})

describe('message IDs', () => {
  const msg = (data: Uint8Array, extra: Record<string, unknown> = {}): Message =>
    ({ type: 'signed', topic: watchTopic(gameId), data, from: peers.W, sequenceNumber: 5n, ...extra }) as unknown as Message

  it('an act\'s is its CID, whoever sent it and whatever its sequence number', () => {
    const id = watchMessageId(msg(actBytes[0]))
    expect(toHex(id)).toBe(toHex(cidOfCanonical(actBytes[0]).bytes))
    expect(toHex(watchMessageId(msg(actBytes[0], { from: peers.spectator, sequenceNumber: 99n })))).toBe(toHex(id))
  })

  it('a chat\'s is its sender and sequence number', async () => {
    const data = await encodeWatchChat(line, keys.spectator)
    const id = watchMessageId(msg(data, { from: peers.spectator, sequenceNumber: 258n }))
    const from = peers.spectator.toMultihash().bytes
    expect(toHex(id)).toBe(toHex(from) + '0000000000000102')
  })

  it('bytes that do not decode get the SHA-256 multihash of the data', () => {
    for (const data of [Uint8Array.of(0xff, 0), encodeCanonical({ v: 1, t: 'hello' }), gameBytes('hello'), new Uint8Array(TOPIC_MAX_BYTES + 1)]) {
      expect(toHex(watchMessageId(msg(data)))).toBe(toHex(hashBytes(data).bytes))
    }
  })
})

describe('acts on the topic', () => {
  it('accepts each of the game\'s acts with its player\'s signature, with its bytes and CID', async () => {
    for (const bytes of actBytes) {
      const checked = await checkTopicMessage(bytes, topic)
      if (checked.t !== 'act') throw new Error(checked.t)
      expect(checked.cid.equals(cidOfCanonical(bytes))).toBe(true)
    }
  })

  it('accepts a timeout claim whose proof acts are signed by their own authors', async () => {
    expect((await checkTopicMessage(gameBytes('timeout-claim'), topic)).t).toBe('act')
  })

  it('refuses a forged act (its players swapped: signed by no one the start names) as bad-signature, reject', async () => {
    expect(await refusedAs(async () => await checkTopicMessage(actBytes[0], { ...topic, players: { B: players.W, W: players.B } }))).toEqual(['bad-signature', 'sig', 'reject'])
  })

  it('refuses a proof act with a bad signature at proof[i].sig', async () => {
    const claim = decodeCanonical(gameBytes('timeout-claim'), { maxBytes: 16384 }) as { proof: Array<{ sig: Uint8Array }> } & Record<string, unknown>
    claim.proof[1].sig = new Uint8Array(64)
    const resigned = encodeCanonical(await sign(keys.W, 'game/act', claim))
    expect(await refusedAs(async () => await checkTopicMessage(resigned, topic))).toEqual(['bad-signature', 'proof[1].sig', 'reject'])
  })

  it('refuses an act of another game as wrong-game before its signature, also when catching up', async () => {
    const act = decodeCanonical(actBytes[0], { maxBytes: 4096 }) as Record<string, unknown>
    const other = encodeCanonical(await sign(keys.B, 'game/act', { ...act, game: ratedGameId }))
    expect(await refusedAs(async () => await checkTopicMessage(other, topic))).toEqual(['wrong-game', 'game', 'reject'])
    expect(await refusedAs(() => decodeTopicMessage(other, gameId))).toEqual(['wrong-game', 'game', 'reject'])
  })

  it('refuses other game messages as unknown-type, other versions with ignore, and over 16 KiB as too-large', async () => {
    expect(await refusedAs(() => decodeTopicMessage(gameBytes('hello'), gameId))).toEqual(['unknown-type', 't', 'reject'])
    expect(await refusedAs(() => decodeTopicMessage(gameBytes('move-v2'), gameId))).toEqual(['unknown-version', '', 'ignore'])
    expect(await refusedAs(() => decodeTopicMessage(new Uint8Array(TOPIC_MAX_BYTES + 1), gameId))).toEqual(['too-large', '', 'reject'])
  })
})

describe('spectator chat', () => {
  const chat = { game: gameId, from: peers.spectator, now, players: [players.B, players.W] }

  it('round-trips, on the topic and alone', async () => {
    const data = await encodeWatchChat(line, keys.spectator)
    expect(await checkChat(data, chat)).toMatchObject({ t: 'watch-chat', name: 'Carol', text: 'Nice tesuji!', at: now })
    expect((await checkTopicMessage(data, topic)).t).toBe('watch-chat')
  })

  it('accepts 280 characters of 4 bytes each, a name of 32, and a time 5 min off either way', async () => {
    const data = await encodeWatchChat({ ...line, name: '𝕏'.repeat(32), text: '𝕏'.repeat(280), at: now + 5 * 60_000 }, keys.spectator)
    expect(data.length).toBeLessThanOrEqual(CHAT_MAX_BYTES)
    expect((await checkChat(data, chat)).text).toHaveLength(560)
    await expect(checkChat(await encodeWatchChat({ ...line, at: now - 5 * 60_000 }, keys.spectator), chat)).resolves.toBeDefined()
  })

  it.each([
    ['an empty text', { text: '' }, 'text'],
    ['a text of spaces', { text: '   ' }, 'text'],
    ['a text of 281 characters', { text: 'é'.repeat(281) }, 'text'],
    ['a line break', { text: 'one\ntwo' }, 'text'],
    ['a C1 control (CSI)', { text: 'a\u009bb' }, 'text'],
    ['an empty name', { name: '' }, 'name'],
    ['a name of 33 characters', { name: 'n'.repeat(33) }, 'name'],
    ['a name with a tab', { name: 'Car\tol' }, 'name'],
    ['a negative time', { at: -1 }, 'at'],
    ['a peer ID without its key', { peer: CID.parse('QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n').multihash.bytes }, 'peer'],
    ['an extra key', { ply: 3 }, 'ply'],
    ['no game', { game: undefined }, 'game']
  ])('refuses %s as schema', async (_name, change, path) => {
    const fields = Object.fromEntries(Object.entries({ ...line, ...change }).filter(([, v]) => v !== undefined))
    expect(await refusedAs(async () => await checkChat(await signed(fields), chat))).toEqual(['schema', path, 'reject'])
  })

  it('refuses a message over 2,048 bytes as too-large, alone and on the topic', async () => {
    const data = await signed({ ...line, text: 'x'.repeat(2100) })
    expect(await refusedAs(async () => await checkChat(data, chat))).toEqual(['too-large', '', 'reject'])
    expect(await refusedAs(async () => await checkTopicMessage(data, topic))).toEqual(['too-large', '', 'reject'])
  })

  it('refuses in the table\'s order: wrong-game, wrong-peer, bad-signature, player-chat, expired', async () => {
    // Each message has every fault from its own on: the first one decides.
    const other = await generateKeyPair('Ed25519')
    const otherPeer = peerIdFromPrivateKey(other).toMultihash().bytes
    const faults = { game: ratedGameId, at: now - 6 * 60_000 }
    expect(await refusedAs(async () => await checkChat(await signed({ ...line, ...faults }, other), chat))).toEqual(['wrong-game', 'game', 'reject'])
    expect(await refusedAs(async () => await checkChat(await signed({ ...line, at: faults.at, peer: otherPeer }, other), chat))).toEqual(['wrong-peer', 'peer', 'reject'])
    expect(await refusedAs(async () => await checkChat(await signed({ ...line, at: faults.at }, other), chat))).toEqual(['bad-signature', 'sig', 'reject'])
    const byBlack = await signed({ ...line, peer: players.B, at: faults.at }, keys.B)
    expect(await refusedAs(async () => await checkChat(byBlack, { ...chat, from: peers.B }))).toEqual(['player-chat', 'peer', 'reject'])
    expect(await refusedAs(async () => await checkChat(byBlack, { ...chat, from: peers.B, players: [] }))).toEqual(['expired', 'at', 'ignore'])
  })

  it('lets the players chat once the game is finished, on the topic', async () => {
    const byWhite = await encodeWatchChat({ ...line, peer: players.W, name: 'Alice' }, keys.W)
    expect(await refusedAs(async () => await checkTopicMessage(byWhite, { ...topic, from: peers.W }))).toEqual(['player-chat', 'peer', 'reject'])
    expect((await checkTopicMessage(byWhite, { ...topic, from: peers.W, finished: true })).t).toBe('watch-chat')
  })

  it('refuses to sign a line for another peer than the key\'s, or one receivers would refuse', async () => {
    await expect(encodeWatchChat({ ...line, peer: players.B }, keys.spectator)).rejects.toThrow(TypeError)
    await expect(encodeWatchChat({ ...line, text: 'a\u001bb' }, keys.spectator)).rejects.toMatchObject({ reason: 'schema', path: 'text' })
  })
})
