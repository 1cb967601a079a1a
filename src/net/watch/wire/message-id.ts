import { cidOfCanonical, decodeMessage, hashBytes } from '../../../wire/index.js'
import { messageId as usualMessageId } from '../../rna/message-id.js'
import { TOPIC_MAX_BYTES, WATCH_VERSION } from './limits.js'
import type { Message } from '@libp2p/gossipsub'

/**
 * Gossipsub message IDs on a game's topic (protocols/watch.md, "Topic"): an act's is its CID, so
 * the same act published by both seeds (or again after a gap) is one message, whoever sent it; a
 * chat's is gossipsub's usual one (its sender and sequence number, as rna/message-id.ts gives
 * for every topic but the RNA's); bytes that do not decode as either get the SHA-256 of the data
 * (the validator then rejects them). Only the envelope is read: the validator checks the rest.
 * For messages of a watch topic (`isWatchTopic`); the node's message ID function calls it there.
 */
export function watchMessageId (msg: Message): Uint8Array {
  let t: string
  try {
    t = decodeMessage(msg.data, { maxBytes: TOPIC_MAX_BYTES, versions: [WATCH_VERSION], types: ['act', 'watch-chat'] as const }).t
  } catch {
    return hashBytes(msg.data).bytes
  }
  return t === 'act' ? cidOfCanonical(msg.data).bytes : usualMessageId(msg)
}
