/** Why a presence record is refused. */
export type PresenceRecordReason = 'too-large' | 'wrong-key' | 'malformed' | 'bad-signature' | 'wrong-type' | 'expired' | 'expires-too-far'

const sentences: Record<PresenceRecordReason, string> = {
  'too-large': 'the presence record is larger than allowed',
  'wrong-key': 'the presence record is not stored under its author\'s key',
  malformed: 'the presence record is not a lobby presence or leave',
  'bad-signature': 'the presence record is not signed by its author',
  'wrong-type': 'the presence record holds a lobby message other than a presence or a leave',
  expired: 'the presence record has expired',
  'expires-too-far': 'the presence record claims to live longer than allowed'
}

/** A presence record (DHT namespace `p2pgo-presence`) that breaks the rules; `reason` says which. */
export class InvalidPresenceRecordError extends Error {
  static readonly code = 'ERR_INVALID_PRESENCE_RECORD'
  readonly code = InvalidPresenceRecordError.code
  readonly reason: PresenceRecordReason

  constructor (reason: PresenceRecordReason, detail?: string) {
    super(detail == null ? sentences[reason] : `${sentences[reason]}: ${detail}`)
    this.name = 'InvalidPresenceRecordError'
    this.reason = reason
  }
}
