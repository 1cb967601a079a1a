// The refusals of the mailbox protocol (protocols/mailbox.md, "Refusals"): the codec's own reasons
// after the wire's, and each refusal a holder answers with, with whether it costs the sender.
import { FrameTooLargeError, InvalidSignatureError, MalformedMessageError, UnknownVersionError, WireError } from '../../../wire/errors.js'

/** Why a well-formed envelope was still refused by the codec. */
export type EnvelopeReason = 'bad-signature' | 'bad-peer' | 'expired' | 'too-long' | 'from-future' | 'undecryptable' | 'wrong-recipient'

const sentences: Record<EnvelopeReason, string> = {
  'bad-signature': 'the envelope\'s signature does not check with its sender\'s key',
  'bad-peer': 'the envelope names a peer ID that carries no Ed25519 key',
  expired: 'the envelope has expired',
  'too-long': 'the envelope asks to be kept longer than 30 days',
  'from-future': 'the envelope is dated ahead of this node\'s clock',
  undecryptable: 'the envelope\'s payload does not open with this node\'s key',
  'wrong-recipient': 'the envelope is for another peer'
}

/** An envelope that decoded but breaks the mailbox rules; `path` names the field. */
export class EnvelopeError extends WireError {
  static readonly code = 'ERR_MAILBOX_ENVELOPE'
  override readonly code = EnvelopeError.code
  override readonly reason: EnvelopeReason
  readonly path: string

  constructor (reason: EnvelopeReason, path: string = '', detail?: string) {
    super(`${sentences[reason]}${path === '' ? '' : ` (${path})`}${detail == null ? '' : `: ${detail}`}`)
    this.name = 'EnvelopeError'
    this.reason = reason
    this.path = path
  }
}

/** Every refusal a holder may answer a request with. */
export const REFUSALS = [
  'too-large', 'malformed', 'unknown-version', 'bad-signature', 'bad-peer', 'wrong-sender', 'expired', 'too-long', 'from-future',
  'unknown-recipient', 'conflict', 'quota-sender', 'quota-recipient', 'quota-pair', 'full', 'rate', 'not-holder'
] as const
export type Refusal = typeof REFUSALS[number]

/**
 * Refusals that cost the requester reputation (`mailbox:<reason>`): what only a broken or hostile
 * peer sends. Clock-dependent, quota and knowledge refusals an honest peer can meet cost nothing.
 */
export const PENALISED: ReadonlySet<Refusal> = new Set(['too-large', 'malformed', 'bad-signature', 'bad-peer', 'wrong-sender', 'too-long'])

/** The refusal a holder answers for a wire error found in a request. */
export function refusalOf (err: WireError): Refusal {
  if (err instanceof EnvelopeError) return err.reason === 'undecryptable' || err.reason === 'wrong-recipient' ? 'malformed' : err.reason
  if (err instanceof FrameTooLargeError) return 'too-large'
  if (err instanceof UnknownVersionError) return 'unknown-version'
  if (err instanceof InvalidSignatureError) return 'bad-signature'
  if (err instanceof MalformedMessageError) return 'malformed'
  return 'malformed'
}
