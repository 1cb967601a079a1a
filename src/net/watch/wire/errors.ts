// The refusals of watching a game (protocols/watch.md, "Checking a topic message"): the watch
// codec's own reasons, and every refusal as the validator's table names it with its verdict.
import { FrameTooLargeError, InvalidSignatureError, MalformedMessageError, UnknownVersionError, WireError } from '../../../wire/errors.js'

/** Why a well-formed watch message was still refused by the codec (after the schema). */
export type WatchMessageReason = 'wrong-game' | 'bad-signature' | 'wrong-peer' | 'player-chat' | 'expired'

const sentences: Record<WatchMessageReason, string> = {
  'wrong-game': 'the message is about another game than the one watched',
  'bad-signature': 'the signature does not check with its author\'s key',
  'wrong-peer': 'the chat message speaks for another peer than the one that sent it',
  'player-chat': 'a player of the game cannot chat with its spectators while the game is played',
  expired: 'the chat message is dated too far from this node\'s clock'
}

/** A watch message that decoded but breaks the watch protocol's rules; `path` says where (`acts[3].game`, `start.sigs.W`). */
export class WatchMessageError extends WireError {
  static readonly code = 'ERR_WATCH_MESSAGE'
  override readonly code = WatchMessageError.code
  override readonly reason: WatchMessageReason
  /** The field at fault, as `a.b[2].c`; empty for the message as a whole. */
  readonly path: string

  constructor (reason: WatchMessageReason, path: string = '', detail?: string) {
    const where = path === '' ? '' : ` (${path})`
    super(`${sentences[reason]}${where}${detail == null ? '' : `: ${detail}`}`)
    this.name = 'WatchMessageError'
    this.reason = reason
    this.path = path
  }
}

/**
 * Every refusal of the validator's table: the codec's (the wire's, grouped as the table groups
 * them, and WatchMessageError's) and the service's own (`broken-chain`, `chat-rate`).
 */
export type WatchRefusal = 'too-large' | 'unknown-version' | 'malformed' | 'schema' | 'broken-chain' | 'chat-rate' | WatchMessageReason

/** What gossipsub is told: `reject` costs the sender reputation, `ignore` does not; neither is forwarded. */
export type WatchVerdict = 'reject' | 'ignore'

/** Each refusal's verdict (protocols/watch.md): only what an honest peer can meet is ignored. */
export const WATCH_VERDICTS: Readonly<Record<WatchRefusal, WatchVerdict>> = {
  'too-large': 'reject',
  'unknown-version': 'ignore',
  malformed: 'reject',
  schema: 'reject',
  'wrong-game': 'reject',
  'bad-signature': 'reject',
  'broken-chain': 'reject',
  'wrong-peer': 'reject',
  'player-chat': 'reject',
  expired: 'ignore',
  'chat-rate': 'ignore'
}

/** The table's name for a wire error a watch decoder threw: the malformed reasons other than `schema` are `malformed`. */
export function refusalOf (err: WireError): WatchRefusal {
  if (err instanceof WatchMessageError) return err.reason
  if (err instanceof FrameTooLargeError) return 'too-large'
  if (err instanceof UnknownVersionError) return 'unknown-version'
  if (err instanceof InvalidSignatureError) return 'bad-signature'
  if (err instanceof MalformedMessageError && err.reason === 'schema') return 'schema'
  return 'malformed'
}

/** Where a wire error found its fault: a field path, or '' for the message as a whole. */
export function pathOf (err: WireError): string {
  return err instanceof MalformedMessageError || err instanceof WatchMessageError ? err.path : ''
}

/**
 * A wire error found in a message held inside another (an act in `acts`, the start record in
 * `start`), said of the outer message: the path is prefixed, and an inner message of another
 * version than its protocol's is a schema fault of the outer one, not a newer peer.
 */
export function inside (prefix: string, err: WireError): WireError {
  if (err instanceof MalformedMessageError) return new MalformedMessageError(err.reason, join(prefix, err.path), detailOf(err))
  if (err instanceof WatchMessageError) return new WatchMessageError(err.reason, join(prefix, err.path), detailOf(err))
  if (err instanceof UnknownVersionError) return new MalformedMessageError('schema', join(prefix, 'v'), `version ${err.got}, where only ${err.supported.join(', ')} is carried`)
  if (err instanceof FrameTooLargeError) return new MalformedMessageError('schema', prefix, err.message)
  if (err instanceof InvalidSignatureError) return new WatchMessageError('bad-signature', join(prefix, 'sig'), err.message)
  return err
}

function join (prefix: string, path: string): string {
  if (path === '') return prefix
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`
}

/** The part of a malformed-message text after its fixed sentence and path: what the fault was. */
function detailOf (err: MalformedMessageError | WatchMessageError): string | undefined {
  const cut = err.message.indexOf(': ')
  return cut < 0 ? undefined : err.message.slice(cut + 2)
}
