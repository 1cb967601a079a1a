// Catch-up for lobby version 2 (`/p2pgo/lobby-sync/2.0.0`): gossip keeps no history and a
// crowded topic republishes only every few minutes, so a node that joins a topic asks a neighbour
// on it for the entries it holds, instead of everyone republishing for it (version 1's welcome
// rounds). One request, one answer of signed entries, each checked again by the asker.
import { decodeFrames, encodeFrame } from '../../../wire/frame.js'
import { PeerRateLimit } from '../../peer-rate-limit.js'
import { errorOf } from '../../error-of.js'
import { SYNC_ANSWER_MAX_BYTES, SYNC_REQUEST_MAX_BYTES } from './limits.js'
import { checkSyncAnswer, decodeSyncRequest, encodeSyncAnswer, encodeSyncRequest, LOBBY_SYNC_PROTOCOL, type CheckedSyncAnswer } from './sync-messages.js'
import type { LobbyV2Topic } from './topics.js'
import type { Connection, Logger, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { minute, second } from '../../../units.js'

/**
 * Requests a peer may make per topic a minute, answered; those over it are reset. A node asks
 * when it joins a topic (and once more when the answer was empty), and it leaves and joins its
 * topics around every game, so a quick game means asking again within the minute.
 */
export const SYNC_RATE = 4

/** Requests per topic a minute over which a peer is also penalised (`sync-flood`): twice what is answered, far beyond what an honest asker (SYNC_ASK_RATE) sends. */
export const SYNC_FLOOD = 2 * SYNC_RATE

/** What an asker sends one peer per topic at most in SYNC_ASK_WINDOW: half the answered rate over a longer window, so it stays under it whatever the two windows' alignment. */
export const SYNC_ASK_RATE = 2
export const SYNC_ASK_WINDOW = 90 * second

/** Streams of the protocol open at once per connection: a newcomer asks for each topic it follows at once (up to 7 a size). */
export const SYNC_MAX_STREAMS = 32

/** How long one request and its answer may take. */
export const SYNC_TIMEOUT = 10 * second

/** What the catch-up needs from the lobby service. */
export interface LobbySyncHooks {
  readonly log: Logger
  readonly now: () => number
  /** The entries held for a topic, nearest to `mu` first, as signed bytes. */
  readonly entries: (topic: LobbyV2Topic, mu: number | undefined) => Array<{ readonly t: 'presence' | 'seek' | 'live', readonly bytes: Uint8Array }>
  /** The furthest `expires` an entry may carry (the lobby's MAX life plus skew). */
  readonly maxTtl: number
  /** A peer asked more than SYNC_FLOOD times a minute for one topic (its stream was reset). */
  readonly onFlood?: (peer: PeerId) => void
}

/** The libp2p parts the catch-up uses. */
export interface LobbySyncComponents {
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
}

/** Serves catch-up requests and asks neighbours when the lobby joins a topic. */
export class LobbySync {
  private readonly components: LobbySyncComponents
  private readonly hooks: LobbySyncHooks
  private readonly limiter = new PeerRateLimit(SYNC_RATE, minute)
  private readonly flood = new PeerRateLimit(SYNC_FLOOD, minute)

  constructor (components: LobbySyncComponents, hooks: LobbySyncHooks) {
    this.components = components
    this.hooks = hooks
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(LOBBY_SYNC_PROTOCOL, this.answer, { maxInboundStreams: SYNC_MAX_STREAMS })
  }

  async stop (): Promise<void> {
    this.limiter.clear()
    this.flood.clear()
    await this.components.registrar.unhandle(LOBBY_SYNC_PROTOCOL)
  }

  /**
   * Asks `peer` (already connected: a neighbour on the topic) for its entries of `topic`. Returns
   * what passed the checks; throws an Error saying what went wrong (the caller logs it and asks
   * another neighbour: catch-up is an optimisation, the entries also come by republishing).
   */
  async ask (peer: PeerId, topic: LobbyV2Topic, mu: number | undefined, signal?: AbortSignal): Promise<CheckedSyncAnswer> {
    const connection = this.components.connectionManager.getConnections(peer).find(c => c.status === 'open')
    if (connection == null) throw new Error(`not connected to ${peer.toString()}: catch-up asks only neighbours`)
    const limit = AbortSignal.any([AbortSignal.timeout(SYNC_TIMEOUT), ...(signal != null ? [signal] : [])])
    const stream = await connection.newStream(LOBBY_SYNC_PROTOCOL, { signal: limit })
    const abort = (): void => { stream.abort(new Error(`no catch-up answer within ${SYNC_TIMEOUT / 1000} s`)) }
    limit.addEventListener('abort', abort, { once: true })
    try {
      if (!stream.send(encodeFrame(encodeSyncRequest({ size: topic.size, bucket: topic.bucket, ...(mu != null ? { mu } : {}) }), { maxBytes: SYNC_REQUEST_MAX_BYTES }))) await stream.onDrain({ signal: limit })
      await stream.close({ signal: limit })
      for await (const frame of decodeFrames(stream, { maxBytes: SYNC_ANSWER_MAX_BYTES })) {
        const checked = await checkSyncAnswer(frame, this.hooks.now(), { maxTtl: this.hooks.maxTtl })
        if ('error' in checked) throw new Error(`${peer.toString()} sent a catch-up answer that is not one (${checked.error.message})`)
        return checked.answer
      }
      throw new Error(`${peer.toString()} ended the catch-up stream without an answer (it answers ${SYNC_RATE} requests a topic a minute)`)
    } catch (err) {
      stream.abort(errorOf(err))
      throw err
    } finally {
      limit.removeEventListener('abort', abort)
    }
  }

  /** One request, one answer, then the stream closes; a peer over its rate is reset. */
  private readonly answer = async (stream: Stream, connection: Connection): Promise<void> => {
    const peer = connection.remotePeer
    const signal = AbortSignal.timeout(SYNC_TIMEOUT)
    try {
      let request: ReturnType<typeof decodeSyncRequest> | undefined
      for await (const frame of decodeFrames(stream, { maxBytes: SYNC_REQUEST_MAX_BYTES })) {
        request = decodeSyncRequest(frame)
        break
      }
      if (request == null) throw new Error('the stream ended before a request')
      const key = `${peer.toString()}/${request.size}/${request.bucket}`
      const flooding = !this.flood.allow(key)
      if (!this.limiter.allow(key)) {
        if (flooding) this.hooks.onFlood?.(peer)
        stream.abort(new Error(`more than ${SYNC_RATE} catch-up requests for one topic a minute`))
        return
      }
      const { bytes, included } = encodeSyncAnswer(this.hooks.entries({ size: request.size, bucket: request.bucket }, request.mu))
      if (!stream.send(encodeFrame(bytes, { maxBytes: SYNC_ANSWER_MAX_BYTES }))) await stream.onDrain({ signal })
      await stream.close({ signal })
      this.hooks.log.trace('caught %p up on %d/%d: %d entries', peer, request.size, request.bucket, included)
    } catch (err) {
      this.hooks.log('catch-up for %p failed - %e', peer, err)
      stream.abort(errorOf(err))
    }
  }
}
