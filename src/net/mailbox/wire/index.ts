// The wire codec of store-and-forward (protocols/mailbox.md): envelopes sealed to their recipient
// and signed by their sender, the stream's messages, limits and refusals. Pure like src/wire.
export * from './limits.js'
export { EnvelopeError, REFUSALS, PENALISED, refusalOf, type EnvelopeReason, type Refusal } from './errors.js'
export { seal, open, montgomeryOf, SEAL_INFO, type Sealed } from './seal.js'
export {
  ID_BYTES, envelopeId, aadOf, decodeEnvelope, verifyEnvelope, checkEnvelopeTimes, checkDeposit, checkCollected, openEnvelope, encodeEnvelope,
  type Envelope, type EnvelopeDraft, type Received
} from './envelope.js'
export {
  decodeMailboxRequest, encodeMailboxRequest, decodeMailboxAnswer, encodeMailboxAnswer, itemsFrames,
  type MailboxRequest, type DepositRequest, type CollectRequest, type DeleteRequest,
  type MailboxAnswer, type Deposited, type Items, type End, type Deleted, type Refused
} from './messages.js'
