// What a game's topic carries (protocols/watch.md, "Topic"): the players' acts as they sent them
// and spectator chat. The validator's checks that need no state: the order of its table up to
// the signatures; duplicates, forks and the chat rate are the service's, which holds the game.
import { FrameTooLargeError, decodeMessage } from '../../../wire/index.js'
import { decodeWatchedAct, verifyWatchedAct, type Players, type WatchedAct } from './acts.js'
import { checkChat, checkChatGame, decodeWatchChat, type WatchChat } from './chat.js'
import { CHAT_MAX_BYTES, TOPIC_MAX_BYTES, WATCH_VERSION } from './limits.js'
import type { PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** A topic message, decoded: an act (with its bytes and CID) or a chat line. */
export type TopicMessage = ({ readonly t: 'act' } & WatchedAct) | WatchChat

/** The two kinds of topic message; both are version 1 (the game protocol's and the watch protocol's). */
const TOPIC_TYPES = ['act', 'watch-chat'] as const

/** What the validator knows besides the bytes. */
export interface TopicContext {
  /** The topic's game. */
  readonly game: CID
  /** The gossip sender. */
  readonly from: PeerId
  /** The receiver's clock, ms since the epoch. */
  readonly now: number
  /** The players, from the start record. */
  readonly players: Players
  /** Whether the game is finished (both `result` acts applied): then the players may chat. */
  readonly finished: boolean
}

/**
 * Decodes a topic message up to its signature: size (16 KiB; 2,048 bytes for a chat), canonical
 * CBOR, version, type (`act` or `watch-chat`), schema, and `game` the topic's (`wrong-game`).
 * What a watcher still catching up (no start record yet) checks before ignoring the rest.
 */
export function decodeTopicMessage (data: Uint8Array, game: CID): TopicMessage {
  const { t } = decodeMessage(data, { maxBytes: TOPIC_MAX_BYTES, versions: [WATCH_VERSION], types: TOPIC_TYPES })
  if (t === 'act') return { t: 'act', ...decodeWatchedAct(data, game) }
  if (data.length > CHAT_MAX_BYTES) throw new FrameTooLargeError(data.length, CHAT_MAX_BYTES)
  const chat = decodeWatchChat(data)
  checkChatGame(chat, game)
  return chat
}

/**
 * Decodes and checks a topic message, in the validator's order: decodeTopicMessage, then an
 * act's signature with its player's key (and its proof acts'), or a chat's rules (checkChat:
 * `wrong-peer`, `bad-signature`, `player-chat` while the game is not finished, `expired`).
 * Throws a WireError; `refusalOf` and WATCH_VERDICTS turn it into the validator's answer.
 */
export async function checkTopicMessage (data: Uint8Array, context: TopicContext): Promise<TopicMessage> {
  const message = decodeTopicMessage(data, context.game)
  if (message.t === 'act') {
    await verifyWatchedAct(message, context.players)
    return message
  }
  const players = context.finished ? [] : [context.players.B, context.players.W]
  return await checkChat(data, { game: context.game, from: context.from, now: context.now, players })
}
