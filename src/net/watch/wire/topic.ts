// The names of watching a game (protocols/watch.md): the stream protocol and each game's topic,
// `/p2pgo/watch/1/<game ID>`, with the game ID in its one text form so every node names a game's
// topic alike.
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { DAG_CBOR_CODE } from '../../../wire/cid.js'

/** The catch-up and follow stream protocol. */
export const WATCH_PROTOCOL = '/p2pgo/watch/1.0.0'

/** What every game's topic starts with; the game ID follows. */
export const WATCH_TOPIC_PREFIX = '/p2pgo/watch/1/'

/** The topic of a game: its ID in the default base32 text (`bafyrei…`). */
export function watchTopic (game: CID): string {
  return `${WATCH_TOPIC_PREFIX}${game.toString()}`
}

/** Whether a topic is a game's topic (of any game, well formed or not): the message ID function's test. */
export function isWatchTopic (topic: string): boolean {
  return topic.startsWith(WATCH_TOPIC_PREFIX)
}

/**
 * The game a topic names, or undefined when it is not a game's topic: the prefix, then a game ID
 * (CIDv1, dag-cbor, sha2-256) written exactly as watchTopic writes it, so one game has one topic.
 */
export function gameOfWatchTopic (topic: string): CID | undefined {
  if (!isWatchTopic(topic)) return undefined
  const text = topic.slice(WATCH_TOPIC_PREFIX.length)
  let game: CID
  try {
    game = CID.parse(text)
  } catch {
    return undefined
  }
  if (game.version !== 1 || game.code !== DAG_CBOR_CODE || game.multihash.code !== sha256.code || game.multihash.size !== 32) return undefined
  return game.toString() === text ? game : undefined
}
