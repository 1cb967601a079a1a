/** No record of that peer was found in the DHT. */
export class RecordNotFoundError extends Error {
  static readonly code = 'ERR_RECORD_NOT_FOUND'
  readonly code = RecordNotFoundError.code
  constructor (message: string) {
    super(message)
    this.name = 'RecordNotFoundError'
  }
}
