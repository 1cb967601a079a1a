import { errorOf } from '../error-of.js'
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { FrameTooLargeError, UnknownVersionError, WireError } from '../../wire/errors.js'
import { GAME_MAX_BYTES, decodeGameMessage, encodeGameMessage, otherSide, type GameMessage } from '../../wire/game-messages.js'
import { ActRejectedError } from '../../session/index.js'
import { MAX_STRIKES } from './constants.js'
import type { ActiveGame, Dispatch } from './active-game.js'
import type { DeliveryTracker } from './delivery-tracker.js'
import type { GamePersistence } from './game-persistence.js'
import type { PathManager } from './path-manager.js'
import type { Connection, Logger, PeerId, Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'


/** Cuts text to at most `max` UTF-8 bytes without splitting a character (the decoder's limits are in bytes). */
function truncateBytes (text: string, max: number): string {
  const encoder = new TextEncoder()
  if (encoder.encode(text).length <= max) return text
  let out = ''
  for (const ch of text) {
    if (encoder.encode(out + ch).length > max) break
    out += ch
  }
  return out
}

/** The reason a decoding failure is reported with. */
function wireReason (err: WireError): string {
  if (err instanceof FrameTooLargeError) return 'too-large'
  if (err instanceof UnknownVersionError) return 'unknown-version'
  return 'malformed'
}

export interface GameProtocolInit {
  readonly log: Logger
  /** The game in progress with this ID, if any. */
  readonly find: (gameId: CID) => ActiveGame | undefined
  readonly paths: PathManager
  readonly delivery: DeliveryTracker
  readonly persistence: GamePersistence
  readonly dispatch: Dispatch
}

/**
 * The game protocol on the wire (protocols/game.md, "Messages" and "Message flow"): reads frames,
 * handles hello, act, ack and reject, answers refused messages with a reject and counts them as
 * strikes, and sends this player's unacknowledged acts.
 */
export class GameProtocol {
  private readonly init: GameProtocolInit
  private readonly log: Logger

  constructor (init: GameProtocolInit) {
    this.init = init
    this.log = init.log
  }

  /** Reads a game stream (accepted or opened) until it ends; the first message names its game. */
  async read (stream: Stream, connection: Connection): Promise<void> {
    let game: ActiveGame | undefined
    let strikes = 0
    try {
      for await (const frame of decodeFrames(stream, { maxBytes: GAME_MAX_BYTES })) {
        let message: GameMessage
        try {
          message = decodeGameMessage(frame)
        } catch (err) {
          if (!(err instanceof WireError)) throw err
          this.reject(stream, connection.remotePeer, game, 0, wireReason(err), err.message)
          if (++strikes > MAX_STRIKES) throw err
          continue
        }
        if (game == null) {
          game = this.init.find(message.game)
          if (game == null || !game.opponent.equals(connection.remotePeer)) {
            this.reject(stream, connection.remotePeer, undefined, 0, 'wrong-game', 'no game with this peer has that ID')
            stream.abort(new Error('unknown game'))
            return
          }
          this.init.paths.attach(game, stream, connection)
        } else if (!message.game.equals(game.session.gameId)) {
          this.reject(stream, connection.remotePeer, game, 0, 'wrong-game', 'one stream carries one game')
          if (++strikes > MAX_STRIKES) throw new Error('too many bad messages')
          continue
        }
        if (!await this.handle(game, stream, connection, message)) strikes++
        if (strikes > MAX_STRIKES) throw new Error('too many refused messages')
      }
    } catch (err) {
      this.log('game stream with %p ended - %e', connection.remotePeer, err)
      // Framing errors (an oversized or broken length prefix) end the stream: say who and why.
      if (err instanceof WireError) this.reject(stream, connection.remotePeer, game, 0, wireReason(err), err.message)
      stream.abort(errorOf(err))
    } finally {
      if (game != null) this.init.paths.drop(game, stream)
    }
  }

  /** Says hello on `stream`: how many of the opponent's acts I have, how many I made. */
  hello (game: ActiveGame, stream: Stream): void {
    const { session } = game
    this.send(stream, { t: 'hello', game: session.gameId, have: session.have, sent: session.acts[session.me].length })
  }

  /** Sends my unacknowledged acts (those not yet sent on this stream, or all of them on a retry). */
  flush (game: ActiveGame, retry = false): void {
    const { paths, delivery } = this.init
    paths.pruneClosed(game)
    const stream = game.path.stream
    if (stream == null) {
      paths.connect(game)
      return
    }
    const pending = game.session.unacked
    for (const act of pending) {
      if (!retry && delivery.wasSent(game, act.n)) continue
      delivery.noteSent(game, act.n)
      this.send(stream, { t: 'act', ...act })
    }
    if (pending.length > 0) paths.scheduleReconnect(game)
  }

  /** Handles one message; returns false when it was refused. */
  private async handle (game: ActiveGame, stream: Stream, connection: Connection, message: GameMessage): Promise<boolean> {
    const { session } = game
    switch (message.t) {
      case 'hello':
        session.opponentHolds(message.have)
        this.acknowledged(game)
        await this.init.persistence.persist(game)
        // Everything they have not got yet goes again, from where they stopped.
        this.init.delivery.forget(game, session.unacked)
        this.flush(game)
        return true
      case 'ack':
        if (message.by !== session.me) return false
        session.acknowledge(message.n)
        this.acknowledged(game)
        await this.init.persistence.persist(game)
        return true
      case 'reject':
        this.log('%p refused our act %d: %s %s', connection.remotePeer, message.n, message.reason, message.message)
        return true
      case 'act': {
        const { t: _t, ...act } = message
        try {
          await session.receive(act, { lagMs: this.init.delivery.lagMs(game) })
        } catch (err) {
          if (!(err instanceof ActRejectedError)) throw err
          this.reject(stream, connection.remotePeer, game, act.n, err.reason, err.message)
          return false
        }
        await this.init.persistence.persist(game)
        this.send(stream, { t: 'ack', game: session.gameId, by: otherSide(session.me), n: session.have })
        this.flush(game)
        return true
      }
    }
  }

  /** The opponent's acknowledged count may have moved: delivered acts are noted, and with none left the retry delay resets. */
  private acknowledged (game: ActiveGame): void {
    this.init.delivery.noteAcked(game)
    if (game.session.unacked.length === 0) this.init.paths.resetRetry(game)
  }

  private reject (stream: Stream, peer: PeerId, game: ActiveGame | undefined, n: number, reason: string, message: string): void {
    const gameId = game?.session.gameId
    this.init.dispatch('rejected', { peer, ...(gameId != null ? { gameId } : {}), reason, message })
    if (gameId != null) this.send(stream, { t: 'reject', game: gameId, n, reason: truncateBytes(reason, 64), message: truncateBytes(message, 500) })
  }

  private send (stream: Stream, message: GameMessage): void {
    try {
      // Game messages are small and rare: the muxer buffers them; back-pressure cannot build up.
      stream.send(encodeFrame(encodeGameMessage(message), { maxBytes: GAME_MAX_BYTES }))
    } catch (err) {
      this.log('could not send on a game stream - %e', err)
    }
  }
}
