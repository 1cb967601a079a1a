// Spectator chat on a game's topic (protocols/watch.md, `watch-chat`): a line signed by its
// author (domain watch/chat), so the watchers who pass it on cannot change it. Pure: the caller
// passes the gossip sender, its clock and the players whose chat is refused.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { equals } from 'multiformats/bytes'
import { WireError, bytes, cid, decodeMessage, encodeCanonical, field, noExtraKeys, sign, uint, verify } from '../../../wire/index.js'
import { displayLine, displayName, schema } from '../../lobby/fields.js'
import { verifierOfPeer } from '../../lobby/v2/sign.js'
import { WatchMessageError } from './errors.js'
import { CHAT_MAX_BYTES, CHAT_MAX_SKEW, CHAT_TEXT_MAX_CHARS, WATCH_VERSION } from './limits.js'
import type { Check, CborMap } from '../../../wire/index.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** The signing domain of spectator chat. */
export const CHAT_DOMAIN = 'watch/chat'

/** One spectator line. */
export interface WatchChat {
  readonly t: 'watch-chat'
  /** The game watched: the topic's. */
  readonly game: CID
  /** The author, as peer ID multihash bytes: the gossip sender, whose key signs. */
  readonly peer: Uint8Array
  /** The author's display name (as the lobby's). */
  readonly name: string
  /** 1 to 280 characters, one line, no control characters. */
  readonly text: string
  /** ms since the epoch, the author's clock. */
  readonly at: number
  readonly sig: Uint8Array
}

/** A chat line before it is signed. */
export type UnsignedWatchChat = Omit<WatchChat, 't' | 'sig'>

/** What a receiver knows besides the bytes. */
export interface ChatContext {
  /** The topic's game. */
  readonly game: CID
  /** The gossip sender: the chat must be its own. */
  readonly from: PeerId
  /** The receiver's clock, ms since the epoch. */
  readonly now: number
  /** Peer IDs (multihash bytes) whose chat is refused: the game's two players while it is not finished, none after. */
  readonly players: readonly Uint8Array[]
}

/** A chat line: the lobby's display rules, 280 characters. */
export const chatText: Check<string> = displayLine(CHAT_TEXT_MAX_CHARS, 'chat line')

/** The author: a peer ID that carries the key its signature is checked with. */
const author: Check<Uint8Array> = (value, path) => {
  const peer = bytes({ min: 2, max: 64 })(value, path)
  const verifier = verifierOfPeer(peer)
  if (typeof verifier === 'string') schema(path, `expected a peer ID that carries its public key, got ${verifier}`)
  return peer
}

function chatOf (f: CborMap): WatchChat {
  noExtraKeys(f, ['v', 't', 'game', 'peer', 'name', 'text', 'at', 'sig'], '')
  return {
    t: 'watch-chat',
    game: field(f, 'game', cid, ''),
    peer: field(f, 'peer', author, ''),
    name: field(f, 'name', displayName, ''),
    text: field(f, 'text', chatText, ''),
    at: field(f, 'at', uint(), ''),
    sig: field(f, 'sig', bytes(64), '')
  }
}

/** Decodes a chat message without its signature or the receiver's rules: size (2,048 bytes), canonical CBOR, version, type, schema. */
export function decodeWatchChat (data: Uint8Array): WatchChat {
  return chatOf(decodeMessage(data, { maxBytes: CHAT_MAX_BYTES, versions: [WATCH_VERSION], types: ['watch-chat'] as const }).fields)
}

/**
 * Decodes and checks a chat message received on a game's topic, in the validator's order
 * (protocols/watch.md): decodeWatchChat, then `wrong-game`, `wrong-peer`, `bad-signature`,
 * `player-chat` and `expired` (WatchMessageError). The rate per author is the service's.
 */
export async function checkChat (data: Uint8Array, context: ChatContext): Promise<WatchChat> {
  const chat = decodeWatchChat(data)
  checkChatGame(chat, context.game)
  if (!equals(chat.peer, context.from.toMultihash().bytes)) throw new WatchMessageError('wrong-peer', 'peer', `sent by ${context.from.toString()}`)
  await verifyChat(chat, data)
  if (context.players.some(player => equals(player, chat.peer))) throw new WatchMessageError('player-chat', 'peer')
  const off = chat.at - context.now
  if (Math.abs(off) > CHAT_MAX_SKEW) throw new WatchMessageError('expired', 'at', `${Math.abs(off)} ms ${off < 0 ? 'behind' : 'ahead of'} this node's clock, the limit is ${CHAT_MAX_SKEW} ms`)
  return chat
}

/** `wrong-game` when the chat is not about the topic's game. */
export function checkChatGame (chat: WatchChat, game: CID): void {
  if (!chat.game.equals(game)) throw new WatchMessageError('wrong-game', 'game', `the chat is about game ${chat.game.toString()}`)
}

/** The author's signature (domain watch/chat): WatchMessageError `bad-signature` at `sig`. */
async function verifyChat (chat: WatchChat, data: Uint8Array): Promise<void> {
  // The schema step made sure the peer carries a key.
  const key = verifierOfPeer(chat.peer)
  if (typeof key === 'string') throw new WatchMessageError('bad-signature', 'peer', key)
  const { t, ...fields } = chat
  try {
    await verify(key, CHAT_DOMAIN, { ...fields, v: WATCH_VERSION, t }, data)
  } catch (err) {
    if (err instanceof WireError) throw new WatchMessageError('bad-signature', 'sig', err.message)
    throw err
  }
}

/**
 * Signs and encodes a chat line with its author's key, after the checks receivers make that do
 * not depend on a clock or a sender: a field they would refuse throws the WireError naming it,
 * a key that is not `peer`'s a TypeError.
 */
export async function encodeWatchChat (chat: UnsignedWatchChat, privateKey: PrivateKey): Promise<Uint8Array> {
  const signer = peerIdFromPrivateKey(privateKey)
  if (!(chat.peer instanceof Uint8Array) || !equals(chat.peer, signer.toMultihash().bytes)) {
    throw new TypeError(`the chat speaks for another peer than the key that signs it (${signer.toString()})`)
  }
  const fields = { v: WATCH_VERSION, t: 'watch-chat', game: chat.game, peer: chat.peer, name: chat.name, text: chat.text, at: chat.at }
  const data = encodeCanonical(await sign(privateKey, CHAT_DOMAIN, fields))
  decodeWatchChat(data)
  return data
}
