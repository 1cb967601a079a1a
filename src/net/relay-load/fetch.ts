// Asking a relay for its load over an open connection: one stream, one small frame, bounded in
// size and time; every failure becomes a RelayLoadError that says what happened.
import { decodeFrames } from '../../wire/frame.js'
import { WireError } from '../../wire/errors.js'
import { errorOf } from '../error-of.js'
import { RELAY_LOAD_MAX_BYTES, RELAY_LOAD_PROTOCOL, RELAY_LOAD_RATE_LIMIT, RELAY_LOAD_TIMEOUT } from './constants.js'
import { RelayLoadError } from './errors.js'
import { decodeRelayLoad, wireRefusal, type RelayLoad } from './messages.js'
import type { Connection, Stream } from '@libp2p/interface'

/** Asks a relay over an open connection; throws RelayLoadError on a malformed, oversize or out-of-range answer, a timeout, or a peer that does not serve the protocol. */
export async function fetchRelayLoad (connection: Connection, options: { signal: AbortSignal }): Promise<RelayLoad> {
  const relay = `the relay ${connection.remotePeer.toString()}`
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(RELAY_LOAD_TIMEOUT)])
  const timedOut = (): RelayLoadError => new RelayLoadError('timeout', `${relay} did not report its load within ${RELAY_LOAD_TIMEOUT / 1000} s (or the question was cancelled): it may be overloaded or far away; ask again later or choose another relay`)
  let stream: Stream
  try {
    stream = await connection.newStream(RELAY_LOAD_PROTOCOL, { signal })
  } catch (err) {
    if (errorOf(err).name === 'UnsupportedProtocolError') {
      throw new RelayLoadError('unsupported', `${relay} does not report its load: it is not relaying now (or runs a p2pgo without ${RELAY_LOAD_PROTOCOL}); choose another relay`, { cause: err })
    }
    if (signal.aborted) throw timedOut()
    throw new RelayLoadError('no-answer', `could not ask ${relay} for its load (${errorOf(err).message}): the connection closed, or the relay had too many questions open at once; ask again later`, { cause: err })
  }
  const abort = (): void => { stream.abort(new Error(`no load report within ${RELAY_LOAD_TIMEOUT / 1000} s`)) }
  signal.addEventListener('abort', abort, { once: true })
  try {
    // The question is the stream itself: nothing is sent.
    await stream.close({ signal })
    for await (const frame of decodeFrames(stream, { maxBytes: RELAY_LOAD_MAX_BYTES })) return decodeRelayLoad(frame, relay)
    throw noAnswer(relay)
  } catch (err) {
    stream.abort(errorOf(err))
    if (err instanceof RelayLoadError) throw err
    if (err instanceof WireError) throw wireRefusal(err, relay)
    if (signal.aborted) throw timedOut()
    throw noAnswer(relay, err)
  } finally {
    signal.removeEventListener('abort', abort)
  }
}

/** The stream ended, or was reset, before a report came: most often the relay's rate limit. */
function noAnswer (relay: string, cause?: unknown): RelayLoadError {
  return new RelayLoadError('no-answer', `${relay} ended the stream before reporting its load (a relay cuts off a peer that asks more than ${RELAY_LOAD_RATE_LIMIT} times a minute, and a node that stopped relaying answers nothing): ask less often, or choose another relay`, cause != null ? { cause } : undefined)
}
