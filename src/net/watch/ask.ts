// The asking side of `/p2pgo/watch/1.0.0` (protocols/watch.md): a watcher asks a player or
// another watcher for a game's acts after the ones it has, and, as a seed, stays on the stream for
// new ones. Answers are yielded as they come; the watcher checks every act.
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { errorOf } from '../error-of.js'
import { second } from '../../units.js'
import { checkWatchAnswer, encodeWatchRequest, type WatchAnswer } from './wire/messages.js'
import { ANSWER_MAX_BYTES, REQUEST_DEADLINE, REQUEST_MAX_BYTES } from './wire/limits.js'
import { WATCH_PROTOCOL } from './wire/topic.js'
import type { Players } from './wire/acts.js'
import type { Side } from '../../wire/game-messages.js'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/** A refusal from the asked peer, with its reason and sentence. */
export class WatchRefusedError extends Error {
  readonly reason: string
  constructor (peer: PeerId, reason: string, message: string) {
    super(`${peer.toString()} refused: ${message}`)
    this.name = 'WatchRefusedError'
    this.reason = reason
  }
}

/** How long reaching the asked peer may take (a player behind NAT is dialled through its relay): libp2p's own dial timeout. */
export const DIAL_TIMEOUT = 30 * second

export interface AskOptions extends AbortOptions {
  readonly have: Readonly<Record<Side, number>>
  readonly follow: boolean
  /** The players, when the asker has the start record: every act's signature is then checked as it is read. */
  readonly players?: Players
}

/**
 * Asks `peer` (dialled if need be: a player may be reachable only through its relay) for `game`.
 * Yields `watch-start` and each `watch-acts` (checked: the start record's signatures and ID, each
 * act's game and signature; a `watch-acts` with `refused` holds the acts before the first bad one);
 * returns at `watch-end` or when the stream ends; throws WatchRefusedError for a refusal, a
 * WireError for an answer broken as a whole, or an Error saying what went wrong.
 */
export async function * askWatch (connections: ConnectionManager, peer: PeerId, game: CID, options: AskOptions): AsyncGenerator<WatchAnswer, void, undefined> {
  const dialling = AbortSignal.any([AbortSignal.timeout(DIAL_TIMEOUT), ...(options.signal != null ? [options.signal] : [])])
  // A connection opened only to ask is closed once the answer is in: a player's upload must not
  // grow with every watcher that caught up from it (pings, identify and gossip ride on each one).
  const had = connections.getConnections(peer).some(c => c.status === 'open')
  const connection = await step(connections.openConnection(peer, { signal: dialling }), `could not reach ${peer.toString()} within ${DIAL_TIMEOUT / 1000} s`)
  const opening = AbortSignal.any([AbortSignal.timeout(REQUEST_DEADLINE), ...(options.signal != null ? [options.signal] : [])])
  const stream = await step(connection.newStream(WATCH_PROTOCOL, { signal: opening, runOnLimitedConnection: true }), `${peer.toString()} did not open a watch stream within ${REQUEST_DEADLINE / 1000} s`)
  const stop = (): void => { stream.abort(new Error('the watcher stopped')) }
  options.signal?.addEventListener('abort', stop, { once: true })
  // Until the start arrives, a silent answerer costs only the deadline; a seed's stream may then be silent as long as the game is.
  let players = options.players
  let deadline: ReturnType<typeof setTimeout> | undefined = setTimeout(() => { stream.abort(new Error(`${peer.toString()} did not answer within ${REQUEST_DEADLINE / 1000} s`)) }, REQUEST_DEADLINE)
  try {
    if (!stream.send(encodeFrame(encodeWatchRequest({ game, have: options.have, follow: options.follow }), { maxBytes: REQUEST_MAX_BYTES }))) await stream.onDrain({ signal: opening })
    for await (const frame of decodeFrames(stream, { maxBytes: ANSWER_MAX_BYTES })) {
      clearTimeout(deadline)
      deadline = undefined
      const answer = await checkWatchAnswer(frame, { game, ...(players != null ? { players } : {}) })
      if (answer.t === 'watch-start') players ??= { B: answer.start.black, W: answer.start.white }
      if (answer.t === 'watch-refused') throw new WatchRefusedError(peer, answer.reason, answer.message)
      if (answer.t === 'watch-end') return
      yield answer
    }
  } catch (err) {
    stream.abort(errorOf(err))
    throw err
  } finally {
    clearTimeout(deadline)
    options.signal?.removeEventListener('abort', stop)
    if (stream.status === 'open') await stream.close().catch(() => {})
    // Kept when something of p2pgo's own (a game, a challenge) has started on it since.
    const inUse = connection.streams.some(s => s !== stream && s.status === 'open' && s.protocol?.startsWith('/p2pgo/') === true)
    if (!had && connection.status === 'open' && !inUse) {
      await connection.close().catch(() => {})
    }
  }
}

/** Awaits one step of the exchange; a timeout says which step was waited for. */
async function step<T> (work: Promise<T>, timedOut: string): Promise<T> {
  try {
    return await work
  } catch (err) {
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') throw new Error(timedOut, { cause: err })
    throw err
  }
}
