/** Why a relay's load report was not had. */
export type RelayLoadReason =
  /** The peer does not serve the load protocol: it does not relay now. */
  | 'unsupported'
  /** The report is larger than RELAY_LOAD_MAX_BYTES. */
  | 'too-large'
  /** Not a load report: bad CBOR, a missing, extra or wrongly typed field, a number out of bounds. */
  | 'malformed'
  /** A version this node does not speak. */
  | 'unknown-version'
  /** Numbers that contradict each other: more reservations (or circuits) than the relay's own limit. */
  | 'out-of-range'
  /** No report within the time allowed. */
  | 'timeout'
  /** The stream ended or was reset before a report came (a relay resets a peer that asks too often). */
  | 'no-answer'

/** A relay's load could not be had; the message says what happened and what to do. */
export class RelayLoadError extends Error {
  static readonly code = 'ERR_RELAY_LOAD'
  readonly code = RelayLoadError.code
  readonly reason: RelayLoadReason

  constructor (reason: RelayLoadReason, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RelayLoadError'
    this.reason = reason
  }
}
