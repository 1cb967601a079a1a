import { decodeRna, rnaIdOf } from '../../rna/rna.js'
import { hashBytes } from '../../wire/cid.js'
import { RNA_TOPIC } from './constants.js'
import type { Message } from '@libp2p/gossipsub'

/**
 * Gossipsub message IDs: an RNA's is its RNA ID (the CID of its body), so a game published twice
 * (by each player) or republished later is recognised as the same message. Bytes that do not
 * decode get the hash of the data (the validator then rejects them). Other topics keep
 * gossipsub's usual ID: the signer and its sequence number.
 */
export function messageId (msg: Message): Uint8Array {
  if (msg.topic === RNA_TOPIC) {
    try {
      return rnaIdOf(decodeRna(msg.data).body).bytes
    } catch {
      return hashBytes(msg.data).bytes
    }
  }
  if (msg.type === 'signed') {
    const from = msg.from.toMultihash().bytes
    const out = new Uint8Array(from.length + 8)
    out.set(from, 0)
    new DataView(out.buffer).setBigUint64(from.length, msg.sequenceNumber)
    return out
  }
  return hashBytes(msg.data).bytes
}
