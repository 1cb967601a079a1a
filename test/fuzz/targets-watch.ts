// Fuzz targets of watching a game (protocols/watch.md): the request and answer frames of the
// catch-up stream, a game topic's messages with their message ID, and topic names. Random bytes
// rarely pass a signature, so the topic target also has the author re-sign whatever map the
// broken bytes still hold: the checks behind the signature (the player's chat, the clock) get
// fuzzed too.
import fc from 'fast-check'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { WireError } from '../../src/wire/errors.js'
import { ACT_DOMAIN } from '../../src/wire/game-messages.js'
import { decodeStart, gameIdOf } from '../../src/wire/game-start.js'
import { sign } from '../../src/wire/signing.js'
import {
  ANSWER_MAX_BYTES, CHAT_DOMAIN, REQUEST_MAX_BYTES, TOPIC_MAX_BYTES, checkTopicMessage, checkWatchAnswer, decodeWatchRequest, gameOfWatchTopic,
  watchMessageId, watchTopic
} from '../../src/net/watch/wire/index.js'
import { valueOf } from './corpus.js'
import { hostileBytes, mutatedValue } from './mutate.js'
import type { Corpus } from './corpus.js'
import type { FuzzTarget } from './harness.js'
import type { Message } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** Valid-shaped requests for `game`. */
export function watchRequestArb (game: CID): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({ v: fc.constant(1), t: fc.constant('watch'), game: fc.constant(game), have: fc.record({ B: fc.nat(2000), W: fc.nat(2000) }), follow: fc.boolean() })
}

/** Valid-shaped answer frames of the corpus game: its start record and acts, some of them broken inside when `broken`. */
export function watchAnswerArb (c: Corpus, broken = true): fc.Arbitrary<Record<string, unknown>> {
  const act = broken
    ? fc.oneof({ arbitrary: fc.constantFrom(...c.acts), weight: 3 }, { arbitrary: mutatedValue(fc.constantFrom(...c.acts.map(valueOf))).filter(b => b.length > 0), weight: 1 })
    : fc.constantFrom(...c.acts)
  const start = broken
    ? fc.oneof({ arbitrary: fc.constant(c.start), weight: 3 }, { arbitrary: mutatedValue(fc.constant(valueOf(c.start))).filter(b => b.length > 0 && b.length <= 2048), weight: 1 })
    : fc.constant(c.start)
  return fc.oneof(
    fc.record({ v: fc.constant(1), t: fc.constant('watch-start'), start, following: fc.boolean(), watchers: fc.nat() }),
    { arbitrary: fc.record({ v: fc.constant(1), t: fc.constant('watch-acts'), acts: fc.array(act, { minLength: 1, maxLength: 8 }) }), weight: 3 },
    fc.constant({ v: 1, t: 'watch-end' }),
    fc.record({ v: fc.constant(1), t: fc.constant('watch-refused'), reason: fc.constantFrom('unknown-game', 'rate', 'busy'), message: fc.string({ maxLength: 60 }).filter(s => s === '' || (s.trim() !== '' && !/\p{Cc}/u.test(s))) })
  )
}

/** Valid-shaped topic messages of the corpus game: its acts, and chat lines by `peer` (signature not valid). */
export function watchTopicArb (c: Corpus, game: CID, peer: Uint8Array): fc.Arbitrary<unknown> {
  const chat = fc.record({
    v: fc.constant(1),
    t: fc.constant('watch-chat'),
    game: fc.constant(game),
    peer: fc.constant(peer),
    name: fc.string({ minLength: 1, maxLength: 32 }).filter(s => s.trim() !== '' && !/\p{Cc}/u.test(s)),
    text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter(s => s.trim() !== '' && !/\p{Cc}/u.test(s) && [...s].length <= 280),
    at: fc.integer({ min: c.now - 10 * 60_000, max: c.now + 10 * 60_000 }),
    sig: fc.uint8Array({ minLength: 64, maxLength: 64 })
  })
  return fc.oneof({ arbitrary: fc.constantFrom(...c.acts.map(valueOf)), weight: 2 }, { arbitrary: chat, weight: 2 })
}

/** The map `bytes` decode to, signed again by its author as its `t` says (an act by its `by`, a chat by B); undefined when there is none. */
async function resigned (bytes: Uint8Array, keys: Corpus['keys']): Promise<Uint8Array | undefined> {
  let value: unknown
  try { value = decodeCanonical(bytes, { maxBytes: TOPIC_MAX_BYTES }) } catch { return undefined }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return undefined
  const map = value as Record<string, unknown>
  const [key, domain]: [PrivateKey, string] = map.t === 'act' ? [map.by === 'W' ? keys.W : keys.B, ACT_DOMAIN] : [keys.B, CHAT_DOMAIN]
  try {
    return encodeCanonical(await sign(key, domain, map))
  } catch {
    return undefined
  }
}

export function watchTargets (c: Corpus): FuzzTarget[] {
  const game = gameIdOf(decodeStart(c.start))
  const players = c.peers
  const from = { B: peerIdFromPrivateKey(c.keys.B), W: peerIdFromPrivateKey(c.keys.W) }
  const topic = watchTopic(game)
  /** The message ID must be total: any throw from it is a crash, whatever its class. */
  const messageIdOf = (data: Uint8Array, sender: 'B' | 'W'): void => {
    try {
      watchMessageId({ type: 'signed', topic, data, from: from[sender], sequenceNumber: 1n } as unknown as Message)
    } catch (err) {
      throw new Error(`watchMessageId threw ${(err as Error).name}: ${(err as Error).message}`)
    }
  }
  return [
    {
      name: 'watch-request',
      decoder: 'decodeWatchRequest (/p2pgo/watch/1.0.0 request)',
      input: hostileBytes(watchRequestArb(game), REQUEST_MAX_BYTES),
      run: (bytes: Uint8Array) => decodeWatchRequest(bytes),
      allowed: [WireError]
    },
    {
      name: 'watch-answer',
      decoder: 'checkWatchAnswer (/p2pgo/watch/1.0.0 answer frames: start record, acts checked act by act)',
      input: fc.tuple(hostileBytes(watchAnswerArb(c), ANSWER_MAX_BYTES), fc.boolean()),
      run: async ([bytes, known]: [Uint8Array, boolean]) => {
        const answer = await checkWatchAnswer(bytes, known ? { game, players } : { game })
        // A prefix refused part-way carries a wire error: the report counts it like a thrown one.
        if (answer.t === 'watch-acts' && answer.refused != null) {
          if (!(answer.refused instanceof WireError)) throw new Error(`a refused act carries ${String(answer.refused)}`)
          throw answer.refused
        }
      },
      allowed: [WireError],
      show: ([bytes, known]: [Uint8Array, boolean]) => `hex:${Buffer.from(bytes).toString('hex').slice(0, 400)} ${known ? 'players known' : 'players unknown'}`
    },
    {
      name: 'watch-topic',
      decoder: 'checkTopicMessage + watchMessageId (/p2pgo/watch/1/<game>: acts and chat), also re-signed by its author',
      input: fc.tuple(hostileBytes(watchTopicArb(c, game, players.B), TOPIC_MAX_BYTES), fc.boolean(), fc.constantFrom('B' as const, 'W' as const)),
      run: async ([bytes, finished, sender]: [Uint8Array, boolean, 'B' | 'W']) => {
        const context = { game, from: from[sender], now: c.now, players, finished }
        messageIdOf(bytes, sender)
        let first: unknown
        try { await checkTopicMessage(bytes, context) } catch (err) { first = err }
        const signed = await resigned(bytes, c.keys)
        if (signed != null) {
          messageIdOf(signed, sender)
          await checkTopicMessage(signed, context)
        }
        if (first !== undefined) throw first
      },
      allowed: [WireError],
      show: ([bytes, finished, sender]: [Uint8Array, boolean, 'B' | 'W']) => `hex:${Buffer.from(bytes).toString('hex').slice(0, 400)} from ${sender}${finished ? ', game finished' : ''}`
    },
    {
      name: 'watch-topic-name',
      decoder: 'gameOfWatchTopic (a topic name back to its game)',
      input: fc.oneof(
        fc.string({ maxLength: 120 }),
        fc.string({ maxLength: 80 }).map(s => `/p2pgo/watch/1/${s}`),
        fc.tuple(fc.nat(topic.length), fc.string({ maxLength: 4 })).map(([at, s]) => topic.slice(0, at) + s + topic.slice(at + s.length))
      ),
      run: (name: string) => gameOfWatchTopic(name),
      allowed: []
    }
  ]
}
