// The node's gossipsub message IDs, topic by topic: content IDs where the same content may be
// published by several peers (an RNA by both players, a watched game's act by both seeds), so
// gossipsub takes it as one message; gossipsub's usual signer and sequence number elsewhere.
import { messageId as rnaMessageId } from './rna/message-id.js'
import { isWatchTopic, watchMessageId } from './watch/wire/index.js'
import type { Message } from '@libp2p/gossipsub'

export function gossipMessageId (msg: Message): Uint8Array {
  return isWatchTopic(msg.topic) ? watchMessageId(msg) : rnaMessageId(msg)
}
