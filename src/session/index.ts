// The signed-act state machine of one game: pure (the game core and the wire codecs, no network).
export { GameSession, type ReplayOptions, type SessionInit } from './session.js'
export { ActRejectedError, type RejectReason } from './errors.js'
export { ABORT_BEFORE_TURNS, CLAIM_ALLOWANCE_MS, CORRESPONDENCE_SKEW_MS } from './constants.js'
export { claimAllowanceMs } from './correspondence-claim.js'
export { isRedacted, type RedactedAct, type TranscriptEntry } from './transcript.js'
export type { SessionEvents } from './events.js'
