/**
 * Why a message was refused as malformed. The first four come from the CBOR layer, the rest
 * from framing, the envelope and the per-type schemas.
 */
export type MalformedReason =
  | 'not-cbor'
  | 'not-canonical'
  | 'too-deep'
  | 'bad-cid'
  | 'schema'
  | 'unknown-type'
  | 'bad-varint'
  | 'truncated'

/** Why a signature was refused. */
export type SignatureReason = 'missing' | 'malformed' | 'wrong'

const malformedMessages: Record<MalformedReason, string> = {
  'not-cbor': 'the message is not valid CBOR of the kinds p2pgo accepts',
  'not-canonical': 'the message is not in canonical CBOR form',
  'too-deep': 'the message nests too deeply',
  'bad-cid': 'the message holds a malformed content identifier (CID)',
  schema: 'the message has a missing, extra or wrongly typed field',
  'unknown-type': 'the message type is not one this protocol knows',
  'bad-varint': 'the frame length prefix is not a valid varint',
  truncated: 'the stream ended in the middle of a frame'
}

const signatureMessages: Record<SignatureReason, string> = {
  missing: 'the message carries no signature',
  malformed: 'the signature is not 64 bytes',
  wrong: 'the signature does not match the message and the signer\'s key'
}

/**
 * The common base of every wire error, so a protocol handler can catch them all in one place
 * and report the peer. `reason` is for machines and metrics, `message` for people.
 */
export abstract class WireError extends Error {
  abstract readonly code: string
  abstract readonly reason: string
}

/** A frame or message larger than the receiver accepts; refused before it is read or decoded. */
export class FrameTooLargeError extends WireError {
  static readonly code = 'ERR_FRAME_TOO_LARGE'
  override readonly code = FrameTooLargeError.code
  override readonly reason = 'too-large'
  readonly size: number
  readonly limit: number

  constructor (size: number, limit: number) {
    super(`the message is ${size} bytes, over the limit of ${limit} bytes`)
    this.name = 'FrameTooLargeError'
    this.size = size
    this.limit = limit
  }
}

/** Bytes that are not a well-formed p2pgo message; `path` says where (e.g. `body.settings.komi`). */
export class MalformedMessageError extends WireError {
  static readonly code = 'ERR_MALFORMED_MESSAGE'
  override readonly code = MalformedMessageError.code
  override readonly reason: MalformedReason
  /** Where in the message the fault is, as `a.b[2].c`; empty for the message as a whole. */
  readonly path: string

  constructor (reason: MalformedReason, path: string = '', detail?: string) {
    const where = path === '' ? '' : ` at ${path}`
    super(`${malformedMessages[reason]}${where}${detail == null ? '' : `: ${detail}`}`)
    this.name = 'MalformedMessageError'
    this.reason = reason
    this.path = path
  }
}

/** A message in a protocol version this node does not speak. */
export class UnknownVersionError extends WireError {
  static readonly code = 'ERR_UNKNOWN_VERSION'
  override readonly code = UnknownVersionError.code
  override readonly reason = 'unknown-version'
  readonly got: number
  readonly supported: readonly number[]

  constructor (got: number, supported: readonly number[]) {
    super(`the peer speaks version ${got} of this protocol; this node speaks ${supported.join(', ')}`)
    this.name = 'UnknownVersionError'
    this.got = got
    this.supported = supported
  }
}

/** A signature that is missing, not 64 bytes, or does not verify under the signer's key. */
export class InvalidSignatureError extends WireError {
  static readonly code = 'ERR_INVALID_SIGNATURE'
  override readonly code = InvalidSignatureError.code
  override readonly reason: SignatureReason

  constructor (reason: SignatureReason, detail?: string) {
    super(detail == null ? signatureMessages[reason] : `${signatureMessages[reason]}: ${detail}`)
    this.name = 'InvalidSignatureError'
    this.reason = reason
  }
}
