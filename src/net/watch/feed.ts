// The answering side of `/p2pgo/watch/1.0.0` (protocols/watch.md): a watcher asks for a game's
// acts after the ones it has; this node answers with the start record and the acts, and keeps a
// few askers (its seeds) on the stream to send them every new act as it is applied.
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { errorOf } from '../error-of.js'
import { PeerRateLimit } from '../peer-rate-limit.js'
import { minute } from '../../units.js'
import { decodeWatchRequest, encodeWatchActs, encodeWatchActsFrames, encodeWatchEnd, encodeWatchRefused, encodeWatchStart } from './wire/messages.js'
import { ANSWER_MAX_BYTES, FLOOD_RATE, REQUEST_DEADLINE, REQUEST_MAX_BYTES, REQUEST_RATE, SEED_SLOTS, STREAMS_PER_CONNECTION, WATCHER_SEED_SLOTS } from './wire/limits.js'
import { WATCH_PROTOCOL } from './wire/topic.js'
import type { GameSource } from './sources.js'
import type { CID } from 'multiformats/cid'
import type { Connection, Logger, PeerId, Stream } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

/** What the feed needs from the watch service. */
export interface FeedHooks {
  readonly log: Logger
  /** What this node can serve of a game, if anything. */
  readonly source: (game: CID) => Promise<GameSource | undefined>
  /** Counts `asker` as a watcher of `game` and returns the distinct watchers of the last 5 minutes. */
  readonly watcher: (game: CID, asker: string) => number
  /** Whether a peer may be a seed (it is not distrusted). */
  readonly maySeed: (peer: PeerId) => boolean
  /** A peer asked far over the rate (`watch:flood`). */
  readonly onFlood: (peer: PeerId) => void
}

/** Serves watchers: catch-up for anyone within the rate, new acts for a few seeds. */
export class WatchFeed {
  private readonly registrar: Registrar
  private readonly hooks: FeedHooks
  private readonly limiter = new PeerRateLimit(REQUEST_RATE, minute)
  private readonly flood = new PeerRateLimit(FLOOD_RATE, minute)
  /** The seeds' streams by game. */
  private readonly seeds = new Map<string, Set<Stream>>()

  constructor (registrar: Registrar, hooks: FeedHooks) {
    this.registrar = registrar
    this.hooks = hooks
  }

  async start (): Promise<void> {
    await this.registrar.handle(WATCH_PROTOCOL, this.answer, { maxInboundStreams: STREAMS_PER_CONNECTION, runOnLimitedConnection: true })
  }

  async stop (): Promise<void> {
    this.limiter.clear()
    this.flood.clear()
    for (const streams of this.seeds.values()) for (const s of streams) s.abort(new Error('this node stopped'))
    this.seeds.clear()
    await this.registrar.unhandle(WATCH_PROTOCOL)
  }

  /** Seeds this node feeds for a game now. */
  seedsOf (game: CID): number {
    return this.seeds.get(game.toString())?.size ?? 0
  }

  private readonly answer = async (stream: Stream, connection: Connection): Promise<void> => {
    const peer = connection.remotePeer
    const deadline = setTimeout(() => { stream.abort(new Error(`no watch request within ${REQUEST_DEADLINE / 1000} s`)) }, REQUEST_DEADLINE)
    try {
      let frame: Uint8Array | undefined
      for await (const f of decodeFrames(stream, { maxBytes: REQUEST_MAX_BYTES })) {
        frame = f
        break
      }
      clearTimeout(deadline)
      if (frame == null) throw new Error('the stream ended before a request')
      const request = decodeWatchRequest(frame)
      const key = `${peer.toString()}/${request.game.toString()}`
      if (!this.flood.allow(key)) this.hooks.onFlood(peer)
      if (!this.limiter.allow(key)) {
        await this.finish(stream, encodeWatchRefused({ reason: 'rate', message: `more than ${REQUEST_RATE} requests for this game a minute: wait a minute and ask again` }))
        return
      }
      const source = await this.hooks.source(request.game)
      if (source == null) {
        await this.finish(stream, encodeWatchRefused({ reason: 'unknown-game', message: `this node neither plays nor watches game ${request.game.toString()}: it may have ended long ago, or the ID is mistyped` }))
        return
      }
      const watchers = this.hooks.watcher(request.game, peer.toString())
      const seeds = this.seeds.get(request.game.toString()) ?? new Set<Stream>()
      const following = request.follow && source.follow != null && !source.finished() && seeds.size < (source.role === 'player' ? SEED_SLOTS : WATCHER_SEED_SLOTS) && this.hooks.maySeed(peer)
      await this.send(stream, encodeWatchStart({ record: source.start, following, watchers }))
      for (const frame of encodeWatchActsFrames(source.actsAfter(request.have))) await this.send(stream, frame)
      if (!following || source.follow == null) {
        await this.finish(stream, encodeWatchEnd())
        return
      }
      seeds.add(stream)
      this.seeds.set(request.game.toString(), seeds)
      await this.feed(stream, source, request.game.toString())
    } catch (err) {
      clearTimeout(deadline)
      this.hooks.log('watch request from %p failed - %e', peer, err)
      stream.abort(errorOf(err))
    }
  }

  /** Sends each new act to a seed until the game is finished or the seed goes; then frees its slot. */
  private async feed (stream: Stream, source: GameSource, game: string): Promise<void> {
    const { promise: over, resolve } = Promise.withResolvers<void>()
    let queue = Promise.resolve()
    const stopFollowing = source.follow!(act => {
      queue = queue.then(async () => {
        await this.send(stream, encodeWatchActs([act]))
        if (source.finished()) {
          await this.finish(stream, encodeWatchEnd())
          resolve()
        }
      }).catch(err => {
        this.hooks.log('a seed of game %s went - %e', game, err)
        stream.abort(errorOf(err))
        resolve()
      })
    })
    const onClose = (): void => { resolve() }
    stream.addEventListener('close', onClose, { once: true })
    try {
      await over
    } finally {
      stopFollowing()
      stream.removeEventListener('close', onClose)
      const seeds = this.seeds.get(game)
      seeds?.delete(stream)
      if (seeds?.size === 0) this.seeds.delete(game)
    }
  }

  private async send (stream: Stream, answer: Uint8Array): Promise<void> {
    if (!stream.send(encodeFrame(answer, { maxBytes: ANSWER_MAX_BYTES }))) await stream.onDrain({ signal: AbortSignal.timeout(REQUEST_DEADLINE) })
  }

  /** Sends the last answer and closes this side. */
  private async finish (stream: Stream, answer: Uint8Array): Promise<void> {
    await this.send(stream, answer)
    await stream.close({ signal: AbortSignal.timeout(REQUEST_DEADLINE) })
  }
}
