// The signed peer record a presence carries (protocols/lobby.md, "Addresses"): the check a
// receiver makes before it accepts the presence and puts the record in its peer store.
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { MAX_RECORD_ADDRESSES } from './constants.js'
import type { PeerId } from '@libp2p/interface'

/** Why `record` is not a signed peer record of `peer` with at most MAX_RECORD_ADDRESSES addresses, or undefined when it is. */
export async function recordProblem (record: Uint8Array, peer: PeerId): Promise<string | undefined> {
  let envelope: RecordEnvelope
  let peerRecord: PeerRecord
  try {
    envelope = await RecordEnvelope.openAndCertify(record, PeerRecord.DOMAIN)
    peerRecord = PeerRecord.createFromProtobuf(envelope.payload)
  } catch (err) {
    return `it does not open (${(err as Error).message})`
  }
  if (!peerIdFromPublicKey(envelope.publicKey).equals(peer) || !peerRecord.peerId.equals(peer)) return 'it is signed by, or speaks for, another peer'
  if (peerRecord.multiaddrs.length > MAX_RECORD_ADDRESSES) return `it lists ${peerRecord.multiaddrs.length} addresses, the limit is ${MAX_RECORD_ADDRESSES}`
  return undefined
}
