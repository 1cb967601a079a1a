/** A peer sent more on a HOP stream than a relay request can take: the relay resets the stream. */
export class HopMessageTooLargeError extends Error {
  static readonly code = 'ERR_HOP_MESSAGE_TOO_LARGE'
  readonly code = HopMessageTooLargeError.code
  /** Bytes received on the stream before it was reset. */
  readonly received: number
  readonly max: number

  constructor (received: number, max: number) {
    super(`a circuit relay request is at most ${max} bytes, and this HOP stream sent ${received} before any circuit: reset`)
    this.name = 'HopMessageTooLargeError'
    this.received = received
    this.max = max
  }
}
