/** No record of that peer was found in the DHT. */
export class RecordNotFoundError extends Error {
  static readonly code = 'ERR_RECORD_NOT_FOUND'
  readonly code = RecordNotFoundError.code
  constructor (message: string) {
    super(message)
    this.name = 'RecordNotFoundError'
  }
}

/** A DHT record this node will not store: a quota is used up or its store is full (a stale record is an InvalidRatingRecordError). */
export class RecordRefusedError extends Error {
  static readonly code = 'ERR_RECORD_REFUSED'
  readonly code = RecordRefusedError.code
  readonly reason: 'sender-quota' | 'address-quota' | 'store-full'

  constructor (reason: RecordRefusedError['reason'], detail: string) {
    super(`record not stored (${reason}): ${detail}`)
    this.name = 'RecordRefusedError'
    this.reason = reason
  }
}
