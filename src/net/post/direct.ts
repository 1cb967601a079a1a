// The post protocol's stream (protocols/post.md, "Direct"): one signed item to a peer that is
// online, one answer back. The sender learns at once whether it was taken; when the peer cannot
// be reached the caller leaves the item in the mailbox instead.
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { FrameTooLargeError } from '../../wire/errors.js'
import { errorOf } from '../error-of.js'
import { ANSWER_MAX_BYTES, DIRECT_MAX_BYTES, DIRECT_TIMEOUT, POST_PROTOCOL } from './constants.js'
import { PostDeliveryError, PostRefusedError } from './errors.js'
import { checkDirect, decodeAnswer, encodeAnswer, type PostItem } from './wire.js'
import type { AbortOptions, Connection, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/** Hands one signed item to `peer` over a connection it has open, or one dialled now; throws PostDeliveryError when the peer refuses it. */
export async function sendDirect (connections: ConnectionManager, peer: PeerId, item: Uint8Array, options: AbortOptions = {}): Promise<void> {
  const signal = AbortSignal.any([AbortSignal.timeout(DIRECT_TIMEOUT), ...(options.signal != null ? [options.signal] : [])])
  const open = connections.getConnections(peer).filter(c => c.status === 'open')
  const connection = open.find(c => c.limits == null) ?? open[0] ?? await connections.openConnection(peer, { signal })
  const stream = await connection.newStream(POST_PROTOCOL, { signal, runOnLimitedConnection: true })
  try {
    if (!stream.send(encodeFrame(item, { maxBytes: DIRECT_MAX_BYTES }))) await stream.onDrain({ signal })
    const onAbort = (): void => { stream.abort(new Error('the peer did not answer in time')) }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      for await (const frame of decodeFrames(stream, { maxBytes: ANSWER_MAX_BYTES })) {
        const answer = decodeAnswer(frame)
        if (answer.t === 'refused') throw new PostDeliveryError(peer.toString(), answer.reason, answer.message)
        return
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
    throw new Error('the peer closed the stream without an answer')
  } catch (err) {
    stream.abort(errorOf(err))
    throw err
  } finally {
    if (stream.status === 'open') await stream.close().catch(() => {})
  }
}

/** What the receiving side does with a checked item: store it, or refuse it (PostRefusedError). */
export type TakeItem = (item: PostItem, bytes: Uint8Array) => Promise<void>

/** Serves one inbound post stream: reads the item, checks it, hands it on, answers. */
export async function serveDirect (stream: Stream, connection: Connection, me: Uint8Array, now: () => number, take: TakeItem): Promise<void> {
  const deadline = setTimeout(() => { stream.abort(new Error('no item arrived in time')) }, DIRECT_TIMEOUT)
  try {
    for await (const frame of decodeFrames(stream, { maxBytes: DIRECT_MAX_BYTES })) {
      let answer: Parameters<typeof encodeAnswer>[0] = { t: 'ok' }
      try {
        const item = await checkDirect(frame, { me, remote: connection.remotePeer.toMultihash().bytes, now: now() })
        await take(item, frame)
      } catch (err) {
        if (!(err instanceof PostRefusedError)) throw err
        answer = { t: 'refused', reason: err.reason, message: err.message }
      }
      stream.send(encodeFrame(encodeAnswer(answer), { maxBytes: ANSWER_MAX_BYTES }))
      await stream.close()
      return
    }
  } catch (err) {
    // A frame over the limit, or bytes that are not frames: answered if the stream still takes it.
    const message = err instanceof Error ? err.message : String(err)
    try {
      stream.send(encodeFrame(encodeAnswer({ t: 'refused', reason: err instanceof FrameTooLargeError ? 'too-large' : 'malformed', message: `the item could not be read: ${message}` }), { maxBytes: ANSWER_MAX_BYTES }))
      await stream.close()
    } catch {
      stream.abort(errorOf(err))
    }
  } finally {
    clearTimeout(deadline)
  }
}
