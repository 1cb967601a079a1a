import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import * as Digest from 'multiformats/hashes/digest'
import { toSgfPoint } from '../../game/vertex.js'
import { GameSession } from '../../session/index.js'
import { CLOSED_LINGER_MS, GAME_MAX_INBOUND_STREAMS, GAME_PROTOCOL, DIRECT_RETRY_MS, MAX_RETRY_MS, RETRY_MS } from './constants.js'
import { DeliveryTracker, newDeliveryState, type DeliveryStats } from './delivery-tracker.js'
import { MissingPublicKeyError, NoSuchGameError } from './errors.js'
import { FlagWatch } from './flag-watch.js'
import { IdleWatch } from './idle-watch.js'
import { isOver } from './active-game.js'
import { GamePersistence, newStoredProgress, type CloseReason } from './game-persistence.js'
import { GameProtocol } from './game-protocol.js'
import { GameStore } from './game-store.js'
import { GameMail, type NotResumed } from './game-mail.js'
import { mailsAtOnce } from './mail-policy.js'
import { recordOfStored } from './game-record.js'
import { PathManager } from './path-manager.js'
import { optional } from '../components.js'
import type { ActiveGame } from './active-game.js'
import type { GameServiceComponents, GameServiceEvents, GameServiceInit } from './index.js'
import type { Rung } from '../rung.js'
import type { Act, Side } from '../../wire/game-messages.js'
import type { Connection, Logger, PeerId, Startable } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { SignedStart } from '../../wire/game-start.js'
import type { GameRecord } from '../../game/game-record.js'

export type { DeliveryStats } from './delivery-tracker.js'

/** A game that was just agreed (the challenge protocol's result). */
export interface StartedGame {
  readonly start: SignedStart
  readonly gameId: CID
  readonly opponent: PeerId
  readonly me: Side
}

/**
 * See `games()` in index.ts. Composes the game protocol's parts: the wire protocol handler
 * (GameProtocol), the paths to each opponent (PathManager), delivery statistics
 * (DeliveryTracker), storage (GamePersistence) and the flag watch (FlagWatch).
 */
export class GameService extends TypedEventEmitter<GameServiceEvents> implements Startable {
  private readonly components: GameServiceComponents
  private readonly log: Logger
  private readonly store: GameStore
  private readonly now: () => number
  private readonly abandonAfterMs: number | undefined
  private readonly active = new Map<string, ActiveGame>()
  private readonly delivery: DeliveryTracker
  private readonly persistence: GamePersistence
  private readonly paths: PathManager
  private readonly protocol: GameProtocol
  private readonly mail: GameMail
  private started = false

  constructor (components: GameServiceComponents, init: GameServiceInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:game')
    this.store = new GameStore(components.datastore)
    this.now = init.now ?? Date.now
    this.abandonAfterMs = init.abandonAfterMs
    const dispatch = this.safeDispatch.bind(this)
    this.delivery = new DeliveryTracker({ now: this.now, dispatch, ...(components.metrics != null ? { metrics: components.metrics } : {}) })
    this.persistence = new GamePersistence({ store: this.store, now: this.now, dispatch })
    this.paths = new PathManager({
      components,
      log: this.log,
      now: this.now,
      retryMs: init.retryMs ?? RETRY_MS,
      maxRetryMs: init.maxRetryMs ?? MAX_RETRY_MS,
      directRetryMs: init.directRetryMs ?? DIRECT_RETRY_MS,
      ...(init.peerReach != null ? { peerReach: init.peerReach } : {}),
      ...(init.learnReach != null ? { learnReach: init.learnReach } : {}),
      games: () => this.active.values(),
      dispatch,
      hooks: {
        hello: (game, stream) => { this.protocol.hello(game, stream) },
        flush: (game, retry) => { this.protocol.flush(game, retry) },
        read: async (stream, connection) => { await this.protocol.read(stream, connection) },
        failed: (game, error) => {
          this.delivery.noteFailure(game, error)
          // The opponent cannot be reached: what it lacks waits for it with its holders.
          void this.mail.deposit(game)
        }
      }
    })
    this.protocol = new GameProtocol({
      log: this.log,
      find: gameId => this.active.get(gameId.toString()),
      paths: this.paths,
      delivery: this.delivery,
      persistence: this.persistence,
      dispatch,
      reputation: () => optional(() => components.reputation),
      ...(init.readDeadlines != null ? { deadlines: init.readDeadlines } : {})
    })
    this.mail = new GameMail({
      log: this.log,
      now: this.now,
      store: this.store,
      dispatch,
      mailbox: init.mailbox ?? (() => undefined),
      reputation: () => optional(() => components.reputation),
      resume: async (gameId, options) => await this.resume(gameId, options),
      persist: async game => { await this.persistence.persist(game) },
      acknowledged: game => { this.protocol.acknowledged(game) },
      replyDirect: game => this.protocol.acknowledge(game)
    })
  }

  readonly [Symbol.toStringTag] = 'p2pgo/games'

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.paths.start()
    await this.components.registrar.handle(GAME_PROTOCOL, (stream, connection) => {
      this.protocol.read(stream, connection).catch(err => { this.log.error('game stream from %p failed - %e', connection.remotePeer, err) })
    }, { runOnLimitedConnection: true, maxInboundStreams: GAME_MAX_INBOUND_STREAMS })
  }

  /** Once libp2p listens: resumes every unfinished stored game. A game already in progress is left as it is. */
  async afterStart (): Promise<void> {
    for (const id of await this.store.ids()) {
      if (this.active.has(id.toString())) continue
      try {
        const stored = await this.store.get(id)
        // A game closed without its opponent (flag, abandonment, unsigned end) holds nobody after a restart.
        if (stored.meta.finishedAt != null || stored.meta.closedAt != null) continue
        await this.open(stored.start, id, stored.meta.me, peerIdFromString(stored.meta.opponent), stored.acts, stored.meta.acked)
      } catch (err) {
        this.log.error('could not resume game %s - %e', id.toString(), err)
      }
    }
    await this.mail.start()
  }

  /** Deposits under way get a moment to finish before libp2p closes the connections they need. */
  async beforeStop (): Promise<void> {
    await this.mail.settle()
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.paths.stop()
    await this.mail.stop()
    await this.components.registrar.unhandle(GAME_PROTOCOL)
    for (const game of this.active.values()) {
      game.flag?.stop()
      game.idle?.stop()
      this.paths.detach(game)
    }
    this.active.clear()
  }

  /** The games in progress on this node. */
  get games (): GameSession[] {
    return [...this.active.values()].map(a => a.session)
  }

  /** Whether a game with this peer is in progress: its connection is kept. */
  playing (peer: string): boolean {
    for (const a of this.active.values()) if (a.opponent.toString() === peer && a.stored.closedAt == null) return true
    return false
  }

  /**
   * Whether this game holds its player no longer: both signed its end, or it was closed without
   * the opponent (`game:closed`). A game not in progress on this node holds nobody either.
   */
  over (gameId: CID): boolean {
    const game = this.active.get(gameId.toString())
    return game == null || isOver(game)
  }

  /** The session of a game in progress. */
  session (gameId: CID): GameSession | undefined {
    return this.active.get(gameId.toString())?.session
  }

  /** The name a peer plays under in a game in progress with it (a player in a game is not in the lobby). */
  opponentName (peer: string): string | undefined {
    for (const a of this.active.values()) {
      if (a.opponent.toString() !== peer) continue
      const { names } = a.session.start
      return a.session.me === 'B' ? names.W : names.B
    }
    return undefined
  }

  /** The opponent's peer ID in a game in progress. */
  opponentOf (gameId: CID): string | undefined {
    return this.active.get(gameId.toString())?.opponent.toString()
  }

  /** The stored games (finished or not), for `p2pgo games` and `export`. */
  get storage (): GameStore {
    return this.store
  }

  /** A stored game's record as both players' signed acts tell it: what `p2pgo export` writes as SGF. */
  async record (gameId: CID): Promise<GameRecord> {
    return recordOfStored(await this.store.get(gameId), this.components.privateKey)
  }

  /** Delivery statistics per peer ID. */
  deliveryStats (): ReadonlyMap<string, DeliveryStats> {
    return this.delivery.byPeer
  }

  /** The rung of a connection: relayed, hole-punched (WebRTC, or direct next to a relayed one), upnp, direct. */
  rungOf (connection: Connection): Rung {
    return this.paths.rungOf(connection)
  }

  /** Starts playing a game the challenge protocol agreed. */
  async startGame (started: StartedGame): Promise<GameSession> {
    const key = started.gameId.toString()
    const existing = this.active.get(key)
    if (existing != null) return existing.session
    await this.store.create(started.gameId, started.start, { me: started.me, opponent: started.opponent.toString(), acked: 0 })
    const session = await this.open(started.start, started.gameId, started.me, started.opponent, { B: [], W: [] }, 0)
    // The opponent's holders while its addresses are fresh: the game may go on through them for weeks.
    void this.mail.remember(started.gameId, started.opponent)
    return session
  }

  /**
   * Remembers where an opponent away collects its mail (its circuit addresses, `<relay>/p2p-circuit`)
   * for a game, when this node learnt them other than by meeting it (an offline challenge's payload, say).
   */
  async rememberHolders (gameId: CID, circuitAddresses: readonly string[]): Promise<void> {
    const game = this.active.get(gameId.toString())
    const opponent = game?.opponent ?? (await this.store.has(gameId) ? peerIdFromString((await this.store.get(gameId)).meta.opponent) : undefined)
    if (opponent != null) await this.mail.remember(gameId, opponent, circuitAddresses)
  }

  /**
   * Does something in a game as this player (move, pass, resign, chat, mark, ...): the act is
   * stored, then sent, and retried until acknowledged.
   */
  async perform (gameId: CID, action: (session: GameSession) => Promise<Act>): Promise<Act> {
    const game = this.active.get(gameId.toString())
    if (game == null) throw new NoSuchGameError(gameId)
    const act = await action(game.session)
    await this.persistence.persist(game)
    this.protocol.flush(game)
    // A correspondence act with no stream open goes to the opponent's holders at once: its player may close the program now.
    this.paths.pruneClosed(game)
    if (game.path.stream == null && mailsAtOnce(game.session.start.terms.tc)) void this.mail.deposit(game)
    return act
  }

  /**
   * The game in progress with this ID, opened from the store when it is not yet (a game not over),
   * or why it cannot be. `closed`: a game closed without its opponent is opened too (still closed),
   * for the opponent's signature on its end to finish it (GameMail).
   */
  private async resume (gameId: CID, options: { closed?: boolean } = {}): Promise<ActiveGame | NotResumed> {
    const running = this.active.get(gameId.toString())
    if (running != null) return running
    if (!await this.store.has(gameId)) return 'unknown'
    const stored = await this.store.get(gameId)
    if (stored.meta.finishedAt != null) return 'finished'
    if (stored.meta.closedAt != null && options.closed !== true) return 'closed'
    await this.open(stored.start, gameId, stored.meta.me, peerIdFromString(stored.meta.opponent), stored.acts, stored.meta.acked, stored.meta.closedAt)
    return this.active.get(gameId.toString()) ?? 'unknown'
  }

  private async open (start: SignedStart, gameId: CID, me: Side, opponent: PeerId, acts: Record<Side, readonly Act[]>, acked: number, closedAt?: number): Promise<GameSession> {
    const keys = {
      B: peerIdFromMultihash(Digest.decode(start.black)).publicKey,
      W: peerIdFromMultihash(Digest.decode(start.white)).publicKey
    }
    if (keys.B == null || keys.W == null) throw new MissingPublicKeyError()
    const session = new GameSession({ start, gameId, me, key: this.components.privateKey, keys: { B: keys.B, W: keys.W }, now: this.now, ...(this.abandonAfterMs != null ? { abandonAfterMs: this.abandonAfterMs } : {}) })
    if (acts.B.length + acts.W.length > 0) await session.replay(acts)
    session.acknowledge(acked)
    // One session per game: a second one, built from a store read before the first received its
    // opponent's acts, would take the game over without them while the opponent counts them as
    // delivered (acknowledged by the first), and both players would wait for each other for good.
    const running = this.active.get(gameId.toString())
    if (running != null) return running.session
    const game: ActiveGame = { session, opponent, path: this.paths.newState(), delivery: newDeliveryState(), stored: { ...newStoredProgress(acts, acked), ...(closedAt != null ? { closedAt } : {}) } }
    this.active.set(gameId.toString(), game)
    this.forwardEvents(game)
    // A closed game opened again only takes in the opponent's signature on its end: not a game starting, nobody dialled.
    if (closedAt == null) this.safeDispatch('game:started', { gameId, opponent, color: me, size: start.terms.size, rung: this.paths.bestOpenRung(opponent) })
    if (session.results.B != null && session.results.W != null) await this.persistence.markFinished(game)
    else if (session.end != null) this.ended(game)
    game.idle = new IdleWatch(game, this.now, {
      silent: since => { this.safeDispatch('game:silent', { gameId, since }) },
      unsigned: () => { this.closeGame(game, 'unsigned') }
    })
    if (start.terms.tc.kind !== 'none') {
      game.flag = new FlagWatch(session, this.now, () => {
        this.perform(session.gameId, s => s.claimTimeout()).catch(err => { this.log('could not claim a timeout - %e', err) })
      })
    }
    if (closedAt == null) this.paths.connect(game)
    return session
  }

  /** Forwards the session's events as the service's. */
  private forwardEvents (game: ActiveGame): void {
    const { session } = game
    const gameId = session.gameId
    session.addEventListener('act', e => {
      const { act, mine } = e.detail
      if (act.kind === 'move' || act.kind === 'pass') {
        this.safeDispatch('game:move', { gameId, by: act.by, ply: act.ply ?? 0, move: act.kind === 'pass' ? 'pass' : toSgfPoint({ x: act.x ?? 0, y: act.y ?? 0 }), mine })
      }
    })
    session.addEventListener('chat', e => { this.safeDispatch('game:chat', { gameId, from: e.detail.from, text: e.detail.text }) })
    session.addEventListener('proposal', e => { this.safeDispatch('game:proposal', { gameId, kind: e.detail.kind }) })
    // The co-signed end is announced by GamePersistence.markFinished(), once it is on disk.
    session.addEventListener('ended', e => {
      if (e.detail.cosigned) return
      this.safeDispatch('game:ended', { gameId, result: e.detail.result, cosigned: false, rung: game.path.rung ?? null })
      this.ended(game)
    })
  }

  /**
   * The game is over, not yet co-signed. An end this player made because its opponent was
   * absent (a flag it claimed, an abandonment) frees it at once: the claim's signed timestamps,
   * or the chains showing who waited, are the evidence, and the opponent may never sign. Any
   * other end is waited on for the limit (IdleWatch), then closed unsigned.
   */
  private ended (game: ActiveGame): void {
    game.endedAt ??= this.now()
    const by = game.session.endedBy
    if (by?.side !== game.session.me) return
    if (by.kind === 'timeout-claim') this.closeGame(game, 'flag')
    else if (by.kind === 'abort') this.closeGame(game, 'abandoned')
  }

  /**
   * Closes a game without its opponent. It stays in memory a while (CLOSED_LINGER_MS, at least the
   * limit), so an opponent that comes back can still take the end and sign it; then it is dropped.
   */
  private closeGame (game: ActiveGame, reason: CloseReason): void {
    this.persistence.close(game, reason).then(() => {
      const linger = setTimeout(() => { this.forget(game) }, Math.max(game.session.abandonLimitMs, CLOSED_LINGER_MS))
      linger.unref?.()
    }).catch(err => { this.log.error('could not close game %s - %e', game.session.gameId, err) })
  }

  /** Drops a closed game no opponent came back to: no more retries, no memory held. */
  private forget (game: ActiveGame): void {
    const key = game.session.gameId.toString()
    if (this.active.get(key) !== game || game.stored.finishedAt != null || !this.started) return
    game.flag?.stop()
    game.idle?.stop()
    this.paths.detach(game)
    this.active.delete(key)
  }

  private safeDispatch<K extends keyof GameServiceEvents> (type: K, detail: GameServiceEvents[K]['detail']): void {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }) as GameServiceEvents[K])
    } catch (err) {
      this.log.error('a %s listener threw - %e', type, err)
    }
  }
}
