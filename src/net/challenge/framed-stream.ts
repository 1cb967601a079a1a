// Challenge messages over a libp2p 3 stream: one frame each, read one at a time with a
// deadline, and a read that may be started early so that a peer leaving (or talking out of
// turn) is noticed while this side is still deciding.
import { errorOf } from '../error-of.js'
import { FrameTooLargeError, MalformedMessageError, UnknownVersionError } from '../../wire/errors.js'
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { CHALLENGE_MAX_BYTES } from './constants.js'
import { ChallengeProtocolError } from './errors.js'
import { decodeChallengeMessage, encodeChallengeMessage } from './messages.js'
import { isTermsPath, termsRefusal } from './terms.js'
import { raceSignal } from '../race-signal.js'
import type { ChallengeMessage } from './messages.js'
import type { Stream } from '@libp2p/interface'

/** A read's outcome before decoding: a frame, or the end of the peer's side of the stream. */
type Arrival = IteratorResult<Uint8Array, void>

/** The wire error as the protocol reports it; anything else from the stream means the peer left. */
export function protocolErrorOf (err: unknown): ChallengeProtocolError {
  if (err instanceof ChallengeProtocolError) return err
  if (err instanceof FrameTooLargeError) return new ChallengeProtocolError('too-large', err.message, { cause: err })
  if (err instanceof UnknownVersionError) return new ChallengeProtocolError('unknown-version', err.message, { cause: err })
  if (err instanceof MalformedMessageError) {
    // Terms no game can start from (src/game/terms.ts): the one refusal an honest proposer can fix by itself.
    if (err.reason === 'schema' && isTermsPath(err.path)) return new ChallengeProtocolError('invalid-terms', termsRefusal(err), { cause: err })
    return new ChallengeProtocolError('malformed', err.message, { cause: err })
  }
  return new ChallengeProtocolError('closed', `the stream failed: ${(err as Error)?.message ?? String(err)}`, { cause: err })
}

/**
 * A signal that aborts with `parent` or after `ms`; `expired()` tells the two apart. `clear()`
 * stops the timer and aborts the signal if it has not, so whoever still waits on it (an answer
 * prompt on screen) learns it is no longer wanted.
 */
export interface Deadline {
  readonly signal: AbortSignal
  expired: () => boolean
  clear: () => void
}

/** setTimeout fires at once for delays past 2^31 - 1 ms: far-off deadlines wait this long instead (about 24 days). */
const MAX_TIMER_MS = 2 ** 31 - 1

/** A deadline `ms` from now under `parent`, with a timer of its own that `clear()` removes. */
export function deadline (parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController()
  let expired = false
  const onParent = (): void => { controller.abort(parent.reason) }
  const timer = setTimeout(() => {
    expired = true
    controller.abort(new DOMException('the deadline passed', 'TimeoutError'))
  }, Math.min(Math.max(0, ms), MAX_TIMER_MS))
  if (parent.aborted) onParent()
  else parent.addEventListener('abort', onParent, { once: true })
  return {
    signal: controller.signal,
    expired: () => expired,
    clear: () => {
      clearTimeout(timer)
      parent.removeEventListener('abort', onParent)
      if (!controller.signal.aborted) controller.abort(new DOMException('no longer needed', 'AbortError'))
    }
  }
}

/** A challenge stream: framed, size-capped messages in, framed messages out. */
export class FramedStream {
  readonly stream: Stream
  private readonly frames: AsyncGenerator<Uint8Array, void, undefined>
  private pending: Promise<Arrival> | undefined
  /** The last frame that did not decode, kept so a proposal this node cannot read can still be declined by ID. */
  refused: Uint8Array | undefined

  constructor (stream: Stream) {
    this.stream = stream
    this.frames = decodeFrames(stream, { maxBytes: CHALLENGE_MAX_BYTES })
  }

  /** The next arrival, starting the read if none is under way. It may be awaited now, later, or never. */
  arrival (): Promise<Arrival> {
    if (this.pending == null) {
      const next = this.frames.next()
      // Whoever awaits it sees the failure; a read nobody awaits must not become an unhandled rejection.
      next.catch(() => {})
      this.pending = next
    }
    return this.pending
  }

  /**
   * The next message, or undefined if the peer closed its side first. Bad bytes throw
   * ChallengeProtocolError; an aborted `signal` throws its reason and leaves the read under way.
   */
  async read (signal: AbortSignal): Promise<ChallengeMessage | undefined> {
    let arrival: Arrival
    try {
      arrival = await raceSignal(this.arrival(), signal)
    } catch (err) {
      if (signal.aborted) throw err
      throw protocolErrorOf(err)
    }
    this.pending = undefined
    if (arrival.done === true) return undefined
    try {
      return decodeChallengeMessage(arrival.value)
    } catch (err) {
      this.refused = arrival.value
      throw protocolErrorOf(err)
    }
  }

  /** Sends one message, waiting for the stream to drain when its buffer is full. */
  async write (message: ChallengeMessage, signal: AbortSignal): Promise<void> {
    const frame = encodeFrame(encodeChallengeMessage(message), { maxBytes: CHALLENGE_MAX_BYTES })
    if (!this.stream.send(frame)) await this.stream.onDrain({ signal })
  }

  /** Closes this side gracefully (what was sent still arrives); falls back to an abort if that fails. */
  async close (signal: AbortSignal): Promise<void> {
    try {
      await this.stream.close({ signal })
    } catch (err) {
      this.stream.abort(errorOf(err))
    }
  }

  /** Resets the stream: nothing more is read or sent. */
  abort (err: Error): void {
    this.stream.abort(err)
  }
}
