import { isPublicAddress, selfReach } from '../reach.js'
import { betterRung, rungOfConnection, RUNG_ORDER, type Reach, type Rung } from '../rung.js'
import { isDone } from './active-game.js'
import { GAME_PROTOCOL, KEEPALIVE_MS, OPEN_TIMEOUT_MS, SILENT_STREAM_RESENDS } from './constants.js'
import { PathUpgrader } from './path-upgrade.js'
import { WebRtcBackoff } from './webrtc-backoff.js'
import type { ActiveGame, Dispatch } from './active-game.js'
import type { GameServiceComponents } from './index.js'
import type { Connection, Logger, PeerId, PeerUpdate, Stream } from '@libp2p/interface'

/** One game's path to its opponent: its streams, the one acts go out on, and the timers that keep it up. */
export interface PathState {
  /** The stream acts go out on: the newest open one. */
  stream?: Stream
  rung?: Rung
  /**
   * Every open stream of this game and how it travels. Both players may open one at the same
   * moment; both are kept and read (closing the older one on each side would close both).
   */
  readonly streams: Map<Stream, Rung>
  retryMs: number
  retryTimer?: ReturnType<typeof setTimeout>
  /** Resends on `stream` since an acknowledgement last came: too many, and the stream is replaced. */
  unanswered: number
  keepalive?: ReturnType<typeof setInterval>
  /** While the game runs over a relay, tries for a direct path every `directRetryMs`. */
  upgradeTimer?: ReturnType<typeof setInterval>
  upgrading?: boolean
  /** Asked for a better path while an attempt was under way (new addresses arrived): one more attempt when it ends. */
  upgradeAgain?: boolean
}

/** What the path manager asks of the protocol handler and the delivery tracker. */
export interface PathHooks {
  /** Says hello on a stream (the opponent answers over it). */
  readonly hello: (game: ActiveGame, stream: Stream) => void
  /** Sends my unacknowledged acts (all of them on a retry). */
  readonly flush: (game: ActiveGame, retry: boolean) => void
  /** Reads a game stream until it ends. */
  readonly read: (stream: Stream, connection: Connection) => Promise<void>
  /** The opponent could not be reached. */
  readonly failed: (game: ActiveGame, error: string) => void
}

export interface PathManagerInit {
  readonly components: Pick<GameServiceComponents, 'connectionManager' | 'transportManager' | 'connectionGater' | 'peerStore' | 'events' | 'addressManager' | 'natType'>
  readonly log: Logger
  readonly now: () => number
  readonly retryMs: number
  readonly maxRetryMs: number
  readonly directRetryMs: number
  readonly peerReach?: (peer: PeerId) => Reach | undefined
  readonly learnReach?: (peer: PeerId) => Promise<unknown>
  /** The games in progress. */
  readonly games: () => Iterable<ActiveGame>
  readonly dispatch: Dispatch
  readonly hooks: PathHooks
}

/**
 * How each game reaches its opponent (protocols/game.md, **Paths**): takes streams (a game moves
 * to a better one once it has carried a message), falls back to another stream or reconnects
 * with backoff, keeps idle streams alive; PathUpgrader looks for better connections.
 */
export class PathManager {
  private readonly init: PathManagerInit
  private readonly components: PathManagerInit['components']
  private readonly log: Logger
  private readonly now: () => number
  private readonly hooks: PathHooks
  private readonly webrtc: WebRtcBackoff
  private readonly upgrader: PathUpgrader
  private started = false

  constructor (init: PathManagerInit) {
    this.init = init
    this.components = init.components
    this.log = init.log
    this.now = init.now
    this.hooks = init.hooks
    this.webrtc = new WebRtcBackoff(init.now, init.log)
    this.upgrader = new PathUpgrader({ ...init, rungOf: c => this.rungOf(c), webrtc: this.webrtc })
  }

  /** A fresh path state for a game not yet on any path. */
  newState (): PathState {
    return { streams: new Map(), retryMs: this.init.retryMs, unanswered: 0 }
  }

  start (): void {
    this.started = true
    this.components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.components.events.addEventListener('peer:update', this.onPeerUpdate)
    this.components.events.addEventListener('connection:close', this.onConnectionClose)
  }

  stop (): void {
    this.started = false
    this.components.events.removeEventListener('connection:open', this.onConnectionOpen)
    this.components.events.removeEventListener('peer:update', this.onPeerUpdate)
    this.components.events.removeEventListener('connection:close', this.onConnectionClose)
  }

  /** A new connection to an opponent: if it is a better path than the game's, move the game onto it. */
  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    for (const game of this.init.games()) {
      if (game.opponent.equals(evt.detail.remotePeer)) this.upgrader.moveTo(game, evt.detail)
    }
  }

  private readonly onConnectionClose = (evt: CustomEvent<Connection>): void => { this.webrtc.noteClosed(evt.detail) }

  /** An opponent on the relay announced new addresses (a UPnP mapping, say): try them now, not at the next retry. */
  private readonly onPeerUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const { peer, previous } = evt.detail
    const before = new Set((previous?.addresses ?? []).map(a => a.multiaddr.toString()))
    if (peer.addresses.every(a => before.has(a.multiaddr.toString()))) return
    const games = [...this.init.games()].filter(game => game.opponent.equals(peer.id) && game.path.rung === 'relayed')
    if (games.length === 0) return
    // How the opponent is reached now (a UPnP mapping?) names the new path's rung: asked first, briefly.
    const learnt = this.init.learnReach?.(peer.id) ?? Promise.resolve()
    void learnt.catch(() => {}).finally(() => { for (const game of games) this.upgrader.tryUpgrade(game) })
  }

  /** The rung of a connection: relayed, hole-punched (WebRTC, or direct next to a relayed one), upnp, direct. */
  rungOf (connection: Connection): Rung {
    const { addressManager, connectionManager } = this.components
    const own = addressManager != null ? selfReach(addressManager) : undefined
    const theirs = this.init.peerReach?.(connection.remotePeer)
    return rungOfConnection(connection, connectionManager.getConnections(connection.remotePeer), {
      isPublic: isPublicAddress,
      ...(own != null ? { selfReach: own } : {}),
      ...(theirs != null ? { peerReach: theirs } : {})
    })
  }

  /** The best rung among the connections open to `peer`, or null without one. */
  bestOpenRung (peer: PeerId): Rung | null {
    const rungs = this.components.connectionManager.getConnections(peer).map(c => this.rungOf(c)).sort((a, b) => RUNG_ORDER.indexOf(a) - RUNG_ORDER.indexOf(b))
    return rungs[0] ?? null
  }

  /** Takes a stream for a game; acts go out on the newest. */
  attach (game: ActiveGame, stream: Stream, connection: Connection): void {
    const { path } = game
    const rung = this.rungOf(connection)
    path.streams.set(stream, rung)
    this.log.trace('game %s: a %s stream over %s (now on %s)', game.session.gameId, stream.direction, rung, path.rung)
    // A stream the opponent opened over the relay must not pull a game off a better path.
    if (path.stream != null && path.rung != null && betterRung(path.rung, rung)) return
    const from = path.rung
    path.stream = stream
    this.setPath(game, rung)
    if (from != null && from !== rung) {
      // Moved (a message came over the new path, so it works): whatever is unacknowledged goes
      // again on it at once, and a relay left behind is released.
      this.hooks.flush(game, true)
      if (rung !== 'relayed') this.upgrader.closeRelayed(game)
    }
    // A better connection may already be open (the opponent's dial chose the relay, ours WebRTC).
    const better = this.upgrader.betterConnection(game)
    if (better != null) this.upgrader.moveTo(game, better)
    this.resetRetry(game)
    clearInterval(path.keepalive)
    path.keepalive = setInterval(() => { this.hello(game) }, KEEPALIVE_MS)
    path.keepalive.unref?.()
    this.hello(game)
  }

  /** A stream ended: fall back to another open one, or reconnect. */
  drop (game: ActiveGame, stream: Stream): void {
    const { path } = game
    path.streams.delete(stream)
    if (path.stream !== stream) return
    const [next] = [...path.streams].slice(-1)
    if (next != null) {
      path.stream = next[0]
      this.setPath(game, next[1])
      this.hello(game)
      return
    }
    path.stream = undefined
    clearInterval(path.keepalive)
    path.keepalive = undefined
    this.scheduleReconnect(game)
  }

  /** Closes every stream of a game and stops its timers (the node is stopping). */
  detach (game: ActiveGame): void {
    const { path } = game
    clearInterval(path.upgradeTimer)
    path.upgradeTimer = undefined
    clearInterval(path.keepalive)
    clearTimeout(path.retryTimer)
    path.keepalive = undefined
    path.retryTimer = undefined
    path.stream = undefined
    for (const stream of path.streams.keys()) stream.close().catch(() => {})
    path.streams.clear()
  }

  /** Everything was acknowledged or a stream was taken: the next retry waits the shortest delay again. */
  resetRetry (game: ActiveGame): void {
    game.path.retryMs = this.init.retryMs
    game.path.unanswered = 0
    clearTimeout(game.path.retryTimer)
    game.path.retryTimer = undefined
  }

  /** Opens a stream to the opponent unless there is one, preferring a direct connection. */
  connect (game: ActiveGame): void {
    this.pruneClosed(game)
    if (game.path.stream != null || !this.started || isDone(game)) return
    const signal = AbortSignal.timeout(OPEN_TIMEOUT_MS)
    const open = async (): Promise<void> => {
      // An open connection, else a dial: a TCP one (direct, then relayed) before a WebRTC one. A
      // WebRTC connection can open and then carry nothing (through a symmetric NAT); the game
      // moves onto it only once it has carried a hello (PathUpgrader.moveTo), never by starting there.
      const order = (c: Connection): number => c.multiplexer === '/webrtc' ? RUNG_ORDER.length : RUNG_ORDER.indexOf(this.rungOf(c))
      const existing = this.components.connectionManager.getConnections(game.opponent)
        .filter(c => c.status === 'open' && !(this.webrtc.unreliable(game.opponent) && c.multiplexer === '/webrtc'))
        .sort((a, b) => order(a) - order(b))
      const connection = existing[0] ?? await this.components.connectionManager.openConnection(game.opponent, { signal })
      const stream = await connection.newStream(GAME_PROTOCOL, { runOnLimitedConnection: true, signal })
      this.attach(game, stream, connection)
      this.read(game, stream, connection)
    }
    open().catch(err => {
      this.hooks.failed(game, (err as Error).message)
      this.scheduleReconnect(game)
    })
  }

  /**
   * A stream that took our acts again and again but never brought an acknowledgement: nothing
   * reads it at the other end (the connection may still work). It is reset and a new one opened,
   * as after a lost connection; the opponent's hello on it then says what it still needs.
   */
  private replaceSilent (game: ActiveGame, stream: Stream): void {
    this.log('game %s: %d resends on a %s stream went unanswered; opening another', game.session.gameId, SILENT_STREAM_RESENDS, game.path.rung)
    game.path.unanswered = 0
    this.drop(game, stream)
    stream.abort(new Error(`no acknowledgement after ${SILENT_STREAM_RESENDS} resends`))
    this.connect(game)
    this.scheduleReconnect(game)
  }

  /** Retries (reconnects, or resends on the current stream) after the game's backoff delay, which then doubles. */
  scheduleReconnect (game: ActiveGame): void {
    const { path } = game
    if (!this.started || isDone(game) || path.retryTimer != null) return
    const delay = path.retryMs
    path.retryMs = Math.min(path.retryMs * 2, this.init.maxRetryMs)
    path.retryTimer = setTimeout(() => {
      path.retryTimer = undefined
      if (path.stream == null) this.connect(game)
      else if (++path.unanswered > SILENT_STREAM_RESENDS) this.replaceSilent(game, path.stream)
      else this.hooks.flush(game, true)
    }, delay)
    path.retryTimer.unref?.()
  }

  /**
   * Forgets streams that are no longer writable even if their read loop has not ended yet (a
   * connection closed under them): acts must never wait on a dead stream.
   */
  pruneClosed (game: ActiveGame): void {
    for (const stream of [...game.path.streams.keys()]) {
      if (stream.status !== 'open' || stream.writeStatus !== 'writable') this.drop(game, stream)
    }
  }

  /** Records the path a game's acts now take, and says so when it changed. */
  private setPath (game: ActiveGame, rung: Rung): void {
    const { path } = game
    const from = path.rung ?? null
    path.rung = rung
    if (from !== rung) this.init.dispatch('game:path', { gameId: game.session.gameId, from, to: rung })
    // The relay is a matchmaker, not a middleman: keep trying for a better path while on it, and
    // for a plain direct one while on a punched hole (WebRTC may win the race to a public peer).
    const upgradable = rung === 'relayed' || rung === 'hole-punched'
    if (upgradable && path.upgradeTimer == null) {
      path.upgradeTimer = setInterval(() => { this.upgrader.tryUpgrade(game) }, this.init.directRetryMs)
      path.upgradeTimer.unref?.()
    } else if (!upgradable) {
      clearInterval(path.upgradeTimer)
      path.upgradeTimer = undefined
    }
    // The first try for a better path goes at once.
    if (upgradable && from !== rung) queueMicrotask(() => { this.upgrader.tryUpgrade(game) })
  }

  /** Says hello on the game's current stream, if it has one. */
  private hello (game: ActiveGame): void {
    if (game.path.stream != null) this.hooks.hello(game, game.path.stream)
  }

  /** Reads a stream this side opened to the opponent. */
  private read (game: ActiveGame, stream: Stream, connection: Connection): void {
    this.hooks.read(stream, connection).catch(err => { this.log.error('game stream to %p failed - %e', game.opponent, err) })
  }
}
