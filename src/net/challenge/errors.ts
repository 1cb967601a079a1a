/** Why a decline was sent: the five the protocol names, or the decliner's own short text. */
export type DeclineReason = 'busy' | 'declined' | 'unsupported' | 'invalid-terms' | 'timeout' | (string & {})

/** The other side (or this side, answering a counter) said no; `reason` is machine text, `detail` the decliner's sentence. */
export class ChallengeDeclinedError extends Error {
  static readonly code = 'ERR_CHALLENGE_DECLINED'
  readonly code = ChallengeDeclinedError.code
  readonly reason: DeclineReason
  /** Who declined: the peer, or this side's own `onCounter` answer. */
  readonly by: 'peer' | 'self'
  readonly detail?: string

  constructor (reason: DeclineReason, by: 'peer' | 'self', detail?: string) {
    const who = by === 'peer' ? 'the other player declined the challenge' : 'the counter-proposal was declined'
    super(`${who} (${reason})${detail == null ? '' : `: ${detail}`}`)
    this.name = 'ChallengeDeclinedError'
    this.reason = reason
    this.by = by
    if (detail != null) this.detail = detail
  }
}

/** No answer in time: the offer expired, the peer declined with 'timeout', or a confirm never came. */
export class ChallengeTimeoutError extends Error {
  static readonly code = 'ERR_CHALLENGE_TIMEOUT'
  readonly code = ChallengeTimeoutError.code
  readonly reason = 'timeout'

  constructor (message: string = 'the other player did not answer in time') {
    super(message)
    this.name = 'ChallengeTimeoutError'
  }
}

/** What the other side did wrong; `closed` (it left mid-negotiation) is the one that is not held against it. */
export type ChallengeProtocolReason =
  | 'too-large'
  | 'malformed'
  | 'invalid-terms'
  | 'unknown-version'
  | 'bad-signature'
  | 'unexpected'
  | 'too-many-proposals'
  | 'closed'

/** The other side broke the protocol: bytes that are not a challenge message, a bad signature, a message out of turn. */
export class ChallengeProtocolError extends Error {
  static readonly code = 'ERR_CHALLENGE_PROTOCOL'
  readonly code = ChallengeProtocolError.code
  readonly reason: ChallengeProtocolReason
  /** True when an honest peer could have caused it (a badly set clock): reported, but it costs no reputation. */
  readonly blameless: boolean

  constructor (reason: ChallengeProtocolReason, message: string, options?: { cause?: unknown, blameless?: boolean }) {
    super(message, options?.cause != null ? { cause: options.cause } : undefined)
    this.name = 'ChallengeProtocolError'
    this.reason = reason
    this.blameless = options?.blameless === true
  }
}
