/** Why a reputation event was refused. */
export type ReputationEventProblem = 'no-peer' | 'bad-time' | 'bad-quality' | 'unknown-kind'

/** An event that cannot be recorded: it would make the score meaningless. */
export class InvalidReputationEventError extends Error {
  static readonly code = 'ERR_INVALID_REPUTATION_EVENT'
  readonly code = InvalidReputationEventError.code
  readonly reason: ReputationEventProblem

  constructor (reason: ReputationEventProblem, message: string) {
    super(message)
    this.name = 'InvalidReputationEventError'
    this.reason = reason
  }
}
