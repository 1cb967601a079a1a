// Discovery reputation: pure maths from what a node saw peers do to a score and a trust in (0, 1).
export { checkEvent, isGain, REPUTATION_EVENT_KINDS, type ReputationEvent, type ReputationEventKind } from './events.js'
export { InvalidReputationEventError, InvalidReputationParamsError, MixedPeersError, reputationEventProblemMessage, type ReputationEventProblem } from './errors.js'
export { createReputationParams, defaultReputationParams, validateReputationParams, type ReputationParams } from './params.js'
export { ageBreakdown, amountOf, decay, EMPTY_BREAKDOWN, maxScore, maxWindowGain, originOf, scoreOf, trustOf, windowOf, type ReputationBreakdown } from './score.js'
export { prune } from './prune.js'
export { ReputationBook, type RankedPeer, type ReputationBookLimits } from './reputation-book.js'
