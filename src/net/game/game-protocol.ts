import { CID } from 'multiformats/cid'
import { errorOf } from '../error-of.js'
import { decodeCanonical } from '../../wire/cbor.js'
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { FrameTooLargeError, UnknownVersionError, WireError } from '../../wire/errors.js'
import { GAME_MAX_BYTES, decodeGameMessage, encodeGameMessage, otherSide, type GameMessage } from '../../wire/game-messages.js'
import { ActRejectedError } from '../../session/index.js'
import { FIRST_FRAME_MS, FRAME_MS, IDLE_MS, MAX_STRIKES } from './constants.js'
import type { ActiveGame, Dispatch } from './active-game.js'
import type { DeliveryTracker } from './delivery-tracker.js'
import type { GamePersistence } from './game-persistence.js'
import type { PathManager } from './path-manager.js'
import type { Connection, Logger, PeerId, Stream } from '@libp2p/interface'
import { Penalties, type ReputationRecorder } from '../reputation/penalties.js'
import type { Chunk } from '../../wire/frame.js'

/**
 * Refusals that cost the sender reputation: bytes that are not the protocol, and acts that are
 * forged, fork a chain, speak for the other player or sign a false result. An honest peer never
 * sends these; the rest (a turn lost to a race, a move after the flag fell, a game this node
 * forgot) an honest peer can meet, and cost nothing.
 */
export const OFFENCES: ReadonlySet<string> = new Set(['too-large', 'malformed', 'bad-signature', 'broken-chain', 'wrong-author', 'forged-result'])

/** How long a last reject may take to leave, and the peer to close its side, before the stream is reset. */
const CLOSE_GRACE_MS = 2000

/** The game stream's read deadlines (constants.ts); tests shorten them. */
export interface ReadDeadlines {
  /** From the stream's opening to its first complete frame. */
  readonly firstFrameMs: number
  /** From a frame's first byte to its last. */
  readonly frameMs: number
  /** Between two frames once the game is known. */
  readonly idleMs: number
}

/** The read deadlines a real node uses. */
export const READ_DEADLINES: ReadDeadlines = Object.freeze({ firstFrameMs: FIRST_FRAME_MS, frameMs: FRAME_MS, idleMs: IDLE_MS })

/** A game stream read too slowly: nothing came in time, or a frame stalled half-way. */
export class StreamDeadlineError extends Error {
  static readonly code = 'ERR_STREAM_DEADLINE'
  readonly code = StreamDeadlineError.code

  constructor (message: string) {
    super(message)
    this.name = 'StreamDeadlineError'
  }
}

/**
 * One timer over a stream's reads (protocols/conventions.md: "Reading has a deadline"): the
 * first frame within `firstFrameMs` of the opening, every later frame within `idleMs` of the
 * one before, and any frame within `frameMs` of its first byte. When it passes, the stream is
 * reset, which ends the read that waits on it.
 */
class ReadDeadline {
  private readonly stream: Stream
  private readonly limits: ReadDeadlines
  private timer: ReturnType<typeof setTimeout> | undefined
  private inFrame = false
  private at = 0

  constructor (stream: Stream, limits: ReadDeadlines) {
    this.stream = stream
    this.limits = limits
    this.arm(limits.firstFrameMs, `no game message arrived within ${limits.firstFrameMs / 1000} s of the stream opening`)
  }

  /** The stream's chunks, each arrival noted: the first byte of a frame starts its own deadline. */
  async * chunks (): AsyncGenerator<Chunk, void, undefined> {
    for await (const chunk of this.stream) {
      if (!this.inFrame) {
        this.inFrame = true
        // Never later than the deadline already running: a first frame keeps its 10 s from the opening.
        const left = this.at - Date.now()
        if (left > this.limits.frameMs) this.arm(this.limits.frameMs, `a frame was not complete ${this.limits.frameMs / 1000} s after its first byte`)
      }
      yield chunk
    }
  }

  /** A whole frame arrived: the wait for the next one starts. */
  frame (): void {
    this.inFrame = false
    this.arm(this.limits.idleMs, `nothing arrived for ${this.limits.idleMs / 1000} s (a live game sends a hello every 30 s)`)
  }

  clear (): void {
    clearTimeout(this.timer)
  }

  private arm (ms: number, why: string): void {
    clearTimeout(this.timer)
    this.at = Date.now() + ms
    this.timer = setTimeout(() => { this.stream.abort(new StreamDeadlineError(why)) }, ms)
    this.timer.unref?.()
  }
}

/** The game a frame names, when its CBOR can be read that far: a refusal of it can then name the game. */
function gameNamedIn (frame: Uint8Array): CID | undefined {
  try {
    const map = decodeCanonical(frame, { maxBytes: GAME_MAX_BYTES }) as Record<string, unknown> | null
    if (map == null || typeof map !== 'object' || !Object.hasOwn(map, 'game')) return undefined
    return CID.asCID(map.game) ?? undefined
  } catch {
    return undefined
  }
}


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
  /** The read deadlines; READ_DEADLINES when absent. */
  readonly deadlines?: ReadDeadlines
  /** The node's reputation service, when it has one: offences cost the sender trust. */
  readonly reputation?: () => ReputationRecorder | undefined
}

/**
 * The game protocol on the wire (protocols/game.md, "Messages" and "Message flow"): reads frames,
 * handles hello, act, ack and reject, answers refused messages with a reject and counts them as
 * strikes, and sends this player's unacknowledged acts.
 */
export class GameProtocol {
  private readonly init: GameProtocolInit
  private readonly log: Logger
  private readonly penalties: Penalties

  constructor (init: GameProtocolInit) {
    this.init = init
    this.log = init.log
    this.penalties = new Penalties({ source: 'game', reputation: init.reputation ?? (() => undefined) })
  }

  /** Reads a game stream (accepted or opened) until it ends; the first message names its game. */
  async read (stream: Stream, connection: Connection): Promise<void> {
    let game: ActiveGame | undefined
    let strikes = 0
    const deadline = new ReadDeadline(stream, this.init.deadlines ?? READ_DEADLINES)
    try {
      for await (const frame of decodeFrames(deadline.chunks(), { maxBytes: GAME_MAX_BYTES })) {
        deadline.frame()
        let message: GameMessage
        try {
          message = decodeGameMessage(frame)
        } catch (err) {
          if (!(err instanceof WireError)) throw err
          if (game == null) {
            // Nothing on this stream is known to be a game: answer once if the frame names one, and end it.
            await this.refuseStream(stream, connection.remotePeer, gameNamedIn(frame), wireReason(err), err.message)
            return
          }
          this.reject(stream, connection.remotePeer, game, 0, wireReason(err), err.message)
          if (++strikes > MAX_STRIKES) throw err
          continue
        }
        if (game == null) {
          game = this.init.find(message.game)
          if (game == null || !game.opponent.equals(connection.remotePeer)) {
            game = undefined
            await this.refuseStream(stream, connection.remotePeer, message.game, 'wrong-game', 'no game with this peer has that ID')
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
      deadline.clear()
      if (game != null) this.init.paths.drop(game, stream)
    }
  }

  /**
   * Ends a stream that never became a game's: reported, answered with a reject when the peer
   * named a game (so an honest peer learns why), then closed; reset if the peer does not close
   * its side soon after.
   */
  private async refuseStream (stream: Stream, peer: PeerId, named: CID | undefined, reason: string, message: string): Promise<void> {
    this.init.dispatch('rejected', { peer, ...(named != null ? { gameId: named } : {}), reason, message })
    if (OFFENCES.has(reason)) this.penalties.penalize(peer, reason)
    if (named == null) {
      stream.abort(new Error(`refused: ${message}`))
      return
    }
    this.send(stream, { t: 'reject', game: named, n: 0, reason: truncateBytes(reason, 64), message: truncateBytes(message, 500) })
    const grace = setTimeout(() => { if (stream.status !== 'closed') stream.abort(new Error(`refused: ${message}`)) }, CLOSE_GRACE_MS)
    grace.unref?.()
    try {
      await stream.close({ signal: AbortSignal.timeout(CLOSE_GRACE_MS) })
    } catch (err) {
      stream.abort(errorOf(err))
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

  /**
   * Acknowledges everything of the opponent's this node holds over the game's stream, and sends
   * what waits there; false when no stream is open (acts that came through the mailbox are then
   * acknowledged through it).
   */
  acknowledge (game: ActiveGame): boolean {
    this.init.paths.pruneClosed(game)
    const stream = game.path.stream
    if (stream == null) return false
    const { session } = game
    this.send(stream, { t: 'ack', game: session.gameId, by: otherSide(session.me), n: session.have })
    this.flush(game)
    return true
  }

  /** The opponent's acknowledged count may have moved: delivered acts are noted, and with none left the retry delay resets. */
  acknowledged (game: ActiveGame): void {
    this.init.delivery.noteAcked(game)
    if (game.session.unacked.length === 0) this.init.paths.resetRetry(game)
  }

  private reject (stream: Stream, peer: PeerId, game: ActiveGame | undefined, n: number, reason: string, message: string): void {
    const gameId = game?.session.gameId
    this.init.dispatch('rejected', { peer, ...(gameId != null ? { gameId } : {}), reason, message })
    if (OFFENCES.has(reason)) this.penalties.penalize(peer, reason)
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
