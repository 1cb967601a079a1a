import type { ReputationParams } from './params.js'

/** Why a reputation event was refused. Each has a sentence below. */
export type ReputationEventProblem = 'malformed' | 'unknown-kind' | 'no-peer' | 'no-origin' | 'bad-time' | 'bad-quality'

const sentences: Record<ReputationEventProblem, string> = {
  malformed: 'the event is not a well-formed reputation event',
  'unknown-kind': 'the event is of no known kind',
  'no-peer': 'the event names no peer',
  'no-origin': 'the delivery names no origin',
  'bad-time': 'the event time is not a time (it must be a finite, non-negative number of ms since the epoch)',
  'bad-quality': 'the quality is not a number from 0 to 1'
}

/** A plain sentence for a problem. */
export function reputationEventProblemMessage (reason: ReputationEventProblem): string {
  return sentences[reason]
}

/** An event that cannot be recorded: it would make the score meaningless. */
export class InvalidReputationEventError extends Error {
  static readonly code = 'ERR_INVALID_REPUTATION_EVENT'
  readonly code = InvalidReputationEventError.code
  readonly reason: ReputationEventProblem

  constructor (reason: ReputationEventProblem, detail?: string) {
    super(detail == null ? reputationEventProblemMessage(reason) : `${reputationEventProblemMessage(reason)}: ${detail}`)
    this.name = 'InvalidReputationEventError'
    this.reason = reason
  }
}

/** scoreOf was given events about more than one peer: a score is one peer's. */
export class MixedPeersError extends RangeError {
  static readonly code = 'ERR_MIXED_PEERS'
  readonly code = MixedPeersError.code
  readonly peers: readonly [string, string]

  constructor (a: string, b: string) {
    super(`a score is one peer's, got events of ${a} and of ${b}`)
    this.name = 'MixedPeersError'
    this.peers = [a, b]
  }
}

/** A reputation parameter that makes no sense. */
export class InvalidReputationParamsError extends RangeError {
  static readonly code = 'ERR_REPUTATION_PARAMS'
  readonly code = InvalidReputationParamsError.code
  readonly field: keyof ReputationParams

  constructor (field: keyof ReputationParams, message: string) {
    super(`reputation parameter ${field}: ${message}`)
    this.name = 'InvalidReputationParamsError'
    this.field = field
  }
}
