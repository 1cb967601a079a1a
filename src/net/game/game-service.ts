import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { errorOf } from '../error-of.js'
import { TypedEventEmitter } from 'main-event'
import * as Digest from 'multiformats/hashes/digest'
import { toSgfPoint } from '../../game/vertex.js'
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { FrameTooLargeError, UnknownVersionError, WireError } from '../../wire/errors.js'
import { GAME_MAX_BYTES, decodeGameMessage, encodeGameMessage, type Act, type GameMessage, type Side } from '../../wire/game-messages.js'
import { ActRejectedError, CLAIM_ALLOWANCE_MS, GameSession } from '../../session/index.js'
import { checkTimeout } from '../../game/clock.js'
import { BLACK, WHITE } from '../../game/constants.js'
import { GameStore, type GameMeta } from './game-store.js'
import { isPublicAddress, selfReach } from '../reach.js'
import { addressOfPeer, betterRung, rungOfConnection, RUNG_ORDER, upgradeCandidates, type Reach } from '../rung.js'
import { multiaddr } from '@multiformats/multiaddr'
import { DIRECT_RETRY_MS, FLAG_CHECK_MS, GAME_PROTOCOL, UPGRADE_TIMEOUT_MS, KEEPALIVE_MS, RELAY_CLOSE_GRACE_MS, WEBRTC_BACKOFF_MS, WEBRTC_MIN_LIFETIME_MS, MAX_RETRY_MS, MAX_STRIKES, OPEN_TIMEOUT_MS, RETRY_MS, RTT_WEIGHT } from './constants.js'
import type { DeliveryMethod, GameServiceComponents, GameServiceEvents, GameServiceInit } from './index.js'
import type { Connection, Logger, PeerId, PeerUpdate, Startable, Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { SignedStart } from '../../wire/game-start.js'

/** A game this node is playing: its session and how it reaches the opponent. */
interface Active {
  readonly session: GameSession
  readonly opponent: PeerId
  /** The stream acts go out on: the newest open one. */
  stream?: Stream
  method?: DeliveryMethod
  /**
   * Every open stream of this game and how it travels. Both players may open one at the same
   * moment; both are kept and read (closing the older one on each side would close both).
   */
  readonly streams: Map<Stream, DeliveryMethod>
  /** When each of my acts was last sent, for latency. */
  readonly sentAt: Map<number, number>
  /** Acts of both players already written to the store. */
  stored: Record<Side, number>
  storedAcked: number
  retryMs: number
  retryTimer?: ReturnType<typeof setTimeout>
  keepalive?: ReturnType<typeof setInterval>
  /** While the game runs over a relay, tries for a direct path every `directRetryMs`. */
  upgradeTimer?: ReturnType<typeof setInterval>
  /** Watches the opponent's clock in timed games, to claim a flag-fall. */
  flagWatch?: ReturnType<typeof setInterval>
  upgrading?: boolean
  srtt?: number
  /** When both result signatures were in (and stored), ms since the epoch. */
  finishedAt?: number
}

/** A game that was just agreed (the challenge protocol's result). */
export interface StartedGame {
  readonly start: SignedStart
  readonly gameId: CID
  readonly opponent: PeerId
  readonly me: Side
}

/** Per-peer delivery statistics, for the screen and the ladder. */
export interface DeliveryStats {
  sent: number
  acked: number
  failures: number
  lastMethod?: DeliveryMethod
  /** Smoothed ack round trip, ms. */
  srttMs?: number
}

const other = (s: Side): Side => (s === 'B' ? 'W' : 'B')

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

/** See `games()` in index.ts. */
export class GameService extends TypedEventEmitter<GameServiceEvents> implements Startable {
  private readonly components: GameServiceComponents
  private readonly log: Logger
  private readonly store: GameStore
  private readonly now: () => number
  private readonly retryMs: number
  private readonly maxRetryMs: number
  private readonly directRetryMs: number
  private readonly peerReach?: (peer: PeerId) => Reach | undefined
  private readonly active = new Map<string, Active>()
  private readonly stats = new Map<string, DeliveryStats>()
  /** When a WebRTC connection to each peer last died young. */
  private readonly webrtcFailed = new Map<string, number>()
  private started = false

  constructor (components: GameServiceComponents, init: GameServiceInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:game')
    this.store = new GameStore(components.datastore)
    this.now = init.now ?? Date.now
    this.retryMs = init.retryMs ?? RETRY_MS
    this.maxRetryMs = init.maxRetryMs ?? MAX_RETRY_MS
    this.directRetryMs = init.directRetryMs ?? DIRECT_RETRY_MS
    if (init.peerReach != null) this.peerReach = init.peerReach
  }

  readonly [Symbol.toStringTag] = 'p2pgo/games'

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    await this.components.registrar.handle(GAME_PROTOCOL, (stream, connection) => {
      this.onStream(stream, connection).catch(err => { this.log.error('game stream from %p failed - %e', connection.remotePeer, err) })
    }, { runOnLimitedConnection: true })
    this.components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.components.events.addEventListener('peer:update', this.onPeerUpdate)
    this.components.events.addEventListener('connection:close', this.onConnectionClose)
  }

  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => { this.onConnection(evt.detail) }

  /** A WebRTC connection that died young marks its peer's WebRTC path as unreliable for a while. */
  private readonly onConnectionClose = (evt: CustomEvent<Connection>): void => {
    const c = evt.detail
    if (c.multiplexer !== '/webrtc' && !c.remoteAddr.toString().includes('/webrtc')) return
    if (this.now() - c.timeline.open < WEBRTC_MIN_LIFETIME_MS) {
      this.log('the WebRTC path to %p died young; no WebRTC to it for %d ms', c.remotePeer, WEBRTC_BACKOFF_MS)
      this.webrtcFailed.set(c.remotePeer.toString(), this.now())
    }
  }

  /** Whether WebRTC to `peer` died young recently. */
  private webrtcUnreliable (peer: PeerId): boolean {
    const at = this.webrtcFailed.get(peer.toString())
    return at != null && this.now() - at < WEBRTC_BACKOFF_MS
  }

  /** An opponent on the relay announced new addresses (a UPnP mapping, say): try them now, not at the next retry. */
  private readonly onPeerUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const { peer, previous } = evt.detail
    const before = new Set((previous?.addresses ?? []).map(a => a.multiaddr.toString()))
    if (peer.addresses.every(a => before.has(a.multiaddr.toString()))) return
    for (const game of this.active.values()) {
      if (game.opponent.equals(peer.id) && game.method === 'relayed') this.tryUpgrade(game)
    }
  }

  /**
   * Resumes every unfinished stored game (call once the node is listening). libp2p calls it when
   * it has started, and P2pgoNode.start again: a game already in progress is left as it is.
   */
  async afterStart (): Promise<void> {
    for (const id of await this.store.ids()) {
      if (this.active.has(id.toString())) continue
      try {
        const stored = await this.store.get(id)
        if (stored.meta.finishedAt != null) continue
        await this.open(stored.start, id, stored.meta.me, peerIdFromString(stored.meta.opponent), stored.acts, stored.meta.acked)
      } catch (err) {
        this.log.error('could not resume game %s - %e', id.toString(), err)
      }
    }
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.components.events.removeEventListener('connection:open', this.onConnectionOpen)
    this.components.events.removeEventListener('peer:update', this.onPeerUpdate)
    this.components.events.removeEventListener('connection:close', this.onConnectionClose)
    await this.components.registrar.unhandle(GAME_PROTOCOL)
    for (const game of this.active.values()) this.detach(game)
    this.active.clear()
  }

  /** The games in progress on this node. */
  get games (): GameSession[] {
    return [...this.active.values()].map(a => a.session)
  }

  /** Whether a game with this peer is in progress: its connection is kept. */
  playing (peer: string): boolean {
    for (const a of this.active.values()) if (a.opponent.toString() === peer) return true
    return false
  }

  /** The session of a game in progress. */
  session (gameId: CID): GameSession | undefined {
    return this.active.get(gameId.toString())?.session
  }

  /** The opponent's peer ID in a game in progress. */
  opponentOf (gameId: CID): string | undefined {
    return this.active.get(gameId.toString())?.opponent.toString()
  }

  /** The stored games (finished or not), for `p2pgo games` and `export`. */
  get storage (): GameStore {
    return this.store
  }

  /** Delivery statistics per peer ID. */
  deliveryStats (): ReadonlyMap<string, DeliveryStats> {
    return this.stats
  }

  /** Starts playing a game the challenge protocol agreed. */
  async startGame (started: StartedGame): Promise<GameSession> {
    const key = started.gameId.toString()
    const existing = this.active.get(key)
    if (existing != null) return existing.session
    await this.store.create(started.gameId, started.start, { me: started.me, opponent: started.opponent.toString(), acked: 0 })
    return this.open(started.start, started.gameId, started.me, started.opponent, { B: [], W: [] }, 0)
  }

  /**
   * Does something in a game as this player (move, pass, resign, chat, mark, ...): the act is
   * stored, then sent, and retried until acknowledged.
   */
  async perform (gameId: CID, action: (session: GameSession) => Promise<Act>): Promise<Act> {
    const game = this.active.get(gameId.toString())
    if (game == null) throw new Error(`no game ${gameId.toString()} in progress`)
    const act = await action(game.session)
    await this.persist(game)
    this.flush(game)
    return act
  }

  private async open (start: SignedStart, gameId: CID, me: Side, opponent: PeerId, acts: Record<Side, readonly Act[]>, acked: number): Promise<GameSession> {
    const keys = {
      B: peerIdFromMultihash(Digest.decode(start.black)).publicKey,
      W: peerIdFromMultihash(Digest.decode(start.white)).publicKey
    }
    if (keys.B == null || keys.W == null) throw new Error('a player\'s peer ID carries no public key')
    const session = new GameSession({ start, gameId, me, key: this.components.privateKey, keys: { B: keys.B, W: keys.W }, now: this.now })
    if (acts.B.length + acts.W.length > 0) await session.replay(acts)
    session.acknowledge(acked)
    // One session per game: a second one, built from a store read before the first received its
    // opponent's acts, would take the game over without them while the opponent counts them as
    // delivered (acknowledged by the first), and both players would wait for each other for good.
    const running = this.active.get(gameId.toString())
    if (running != null) return running.session
    const game: Active = { session, opponent, streams: new Map(), sentAt: new Map(), stored: { B: acts.B.length, W: acts.W.length }, storedAcked: acked, retryMs: this.retryMs }
    this.active.set(gameId.toString(), game)
    this.wire(game)
    const existing = this.components.connectionManager.getConnections(opponent).map(c => this.rungOf(c)).sort((a, b) => RUNG_ORDER.indexOf(a) - RUNG_ORDER.indexOf(b))
    this.safeDispatch('game:started', { gameId, opponent, color: me, size: start.terms.size, rung: existing[0] ?? null })
    if (session.results.B != null && session.results.W != null) await this.markFinished(game)
    if (start.terms.tc.kind !== 'none') {
      game.flagWatch = setInterval(() => { this.watchFlag(game) }, FLAG_CHECK_MS)
      game.flagWatch.unref?.()
    }
    this.connect(game)
    return session
  }

  /** Forwards the session's events as the service's. */
  private wire (game: Active): void {
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
    // The co-signed end is announced by markFinished(), once it is on disk.
    session.addEventListener('ended', e => {
      if (!e.detail.cosigned) this.safeDispatch('game:ended', { gameId, result: e.detail.result, cosigned: false, rung: game.method ?? null })
    })
  }

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    let game: Active | undefined
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
          game = this.active.get(message.game.toString())
          if (game == null || !game.opponent.equals(connection.remotePeer)) {
            this.reject(stream, connection.remotePeer, undefined, 0, 'wrong-game', 'no game with this peer has that ID')
            stream.abort(new Error('unknown game'))
            return
          }
          this.attach(game, stream, connection)
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
      if (game != null) this.drop(game, stream)
    }
  }

  /** Handles one message; returns false when it was refused. */
  private async handle (game: Active, stream: Stream, connection: Connection, message: GameMessage): Promise<boolean> {
    const { session } = game
    switch (message.t) {
      case 'hello':
        session.acknowledge(message.have)
        this.noteAcked(game)
        await this.persist(game)
        // Everything they have not got yet goes again, from where they stopped.
        for (const act of session.unacked) game.sentAt.delete(act.n)
        this.flush(game)
        return true
      case 'ack':
        if (message.by !== session.me) return false
        session.acknowledge(message.n)
        this.noteAcked(game)
        await this.persist(game)
        return true
      case 'reject':
        this.log('%p refused our act %d: %s %s', connection.remotePeer, message.n, message.reason, message.message)
        return true
      case 'act': {
        const { t: _t, ...act } = message
        try {
          await session.receive(act, { lagMs: Math.min(game.srtt ?? 0, 1000) })
        } catch (err) {
          if (!(err instanceof ActRejectedError)) throw err
          this.reject(stream, connection.remotePeer, game, act.n, err.reason, err.message)
          return false
        }
        await this.persist(game)
        this.send(stream, { t: 'ack', game: session.gameId, by: other(session.me), n: session.have })
        this.flush(game)
        return true
      }
    }
  }

  private reject (stream: Stream, peer: PeerId, game: Active | undefined, n: number, reason: string, message: string): void {
    const gameId = game?.session.gameId
    this.safeDispatch('rejected', { peer, ...(gameId != null ? { gameId } : {}), reason, message })
    if (gameId != null) this.send(stream, { t: 'reject', game: gameId, n, reason: truncateBytes(reason, 64), message: truncateBytes(message, 500) })
  }

  /** Takes a stream for a game; acts go out on the newest. */
  private attach (game: Active, stream: Stream, connection: Connection): void {
    const method = this.rungOf(connection)
    game.streams.set(stream, method)
    this.log.trace('game %s: a %s stream over %s (now on %s)', game.session.gameId, stream.direction, method, game.method)
    // A stream the opponent opened over the relay must not pull a game off a better path.
    if (game.stream != null && game.method != null && betterRung(game.method, method)) return
    const from = game.method
    game.stream = stream
    this.setPath(game, method)
    if (from != null && from !== method) {
      // Moved (a message came over the new path, so it works): whatever is unacknowledged goes
      // again on it at once, and a relay left behind is released.
      this.flush(game, true)
      if (method !== 'relayed') this.closeRelayed(game)
    }
    // A better connection may already be open (the opponent's dial chose the relay, ours WebRTC).
    const better = this.betterConnection(game)
    if (better != null) this.moveTo(game, better)
    game.retryMs = this.retryMs
    clearTimeout(game.retryTimer)
    game.retryTimer = undefined
    clearInterval(game.keepalive)
    game.keepalive = setInterval(() => { this.hello(game) }, KEEPALIVE_MS)
    game.keepalive.unref?.()
    this.hello(game)
  }

  /**
   * Claims a flag-fall once the opponent's time is up on my clock and the lag allowance has passed
   * too (protocols/game.md): their own clock must agree when the claim arrives.
   */
  private watchFlag (game: Active): void {
    const { session } = game
    if (session.end != null || session.game.phase !== 'play') {
      if (session.end != null) clearInterval(game.flagWatch)
      return
    }
    const them = session.me === 'B' ? WHITE : BLACK
    if (session.game.toMove !== them) return
    if (checkTimeout(session.game.clock, this.now() - CLAIM_ALLOWANCE_MS) !== them) return
    this.perform(session.gameId, s => s.claimTimeout()).catch(err => { this.log('could not claim a timeout - %e', err) })
  }

  /** A stream ended: fall back to another open one, or reconnect. */
  private drop (game: Active, stream: Stream): void {
    game.streams.delete(stream)
    if (game.stream !== stream) return
    const [next] = [...game.streams].slice(-1)
    if (next != null) {
      game.stream = next[0]
      this.setPath(game, next[1])
      this.hello(game)
      return
    }
    game.stream = undefined
    clearInterval(game.keepalive)
    game.keepalive = undefined
    this.scheduleReconnect(game)
  }

  /** Records the path a game's acts now take, and says so when it changed. */
  private setPath (game: Active, rung: DeliveryMethod): void {
    const from = game.method ?? null
    game.method = rung
    if (from !== rung) this.safeDispatch('game:path', { gameId: game.session.gameId, from, to: rung })
    // The relay is a matchmaker, not a middleman: keep trying for a better path while on it, and
    // for a plain direct one while on a punched hole (WebRTC may win the race to a public peer).
    const upgradable = rung === 'relayed' || rung === 'hole-punched'
    if (upgradable && game.upgradeTimer == null) {
      game.upgradeTimer = setInterval(() => { this.tryUpgrade(game) }, this.directRetryMs)
      game.upgradeTimer.unref?.()
    } else if (!upgradable) {
      clearInterval(game.upgradeTimer)
      game.upgradeTimer = undefined
    }
    // The first try for a better path goes at once.
    if (upgradable && from !== rung) queueMicrotask(() => { this.tryUpgrade(game) })
  }

  /**
   * One attempt at a better path: every candidate address at once (a private address that leads
   * nowhere must not hold up the WebRTC hole punch), all bounded by one timeout; a direct or
   * UPnP connection ends the others. `onConnection` offers each new connection to the game.
   */
  private tryUpgrade (game: Active): void {
    const from = game.method
    if ((from !== 'relayed' && from !== 'hole-punched') || this.done(game) || game.upgrading === true) return
    game.upgrading = true
    const attempt = async (): Promise<void> => {
      // A better connection already open is offered to the game (it moves if it answers), and the
      // dials go on regardless: an open WebRTC connection may carry nothing, a direct one would.
      const open = this.betterConnection(game)
      if (open != null) this.moveTo(game, open)
      const haveWebRTC = this.components.connectionManager.getConnections(game.opponent).some(c => c.multiplexer === '/webrtc')
      const peer = await this.components.peerStore.get(game.opponent).catch(() => undefined)
      const candidates = upgradeCandidates((peer?.addresses ?? []).map(a => a.multiaddr.toString()))
        .filter(a => !a.includes('/webrtc') || (from === 'relayed' && !haveWebRTC && !this.webrtcUnreliable(game.opponent)))
      if (candidates.length === 0 || game.method !== from) return
      // A failed ICE attempt never rejects on its own (NOTES): always bound it.
      const signal = AbortSignal.timeout(UPGRADE_TIMEOUT_MS)
      const won = new AbortController()
      const started = Date.now()
      const connection = await Promise.any(candidates.map(async address => {
        const full = addressOfPeer(address, game.opponent.toString())
        try {
          const c = await this.components.connectionManager.openConnection(multiaddr(full), { signal: AbortSignal.any([signal, won.signal]), force: true })
          // The best rungs end the other tries; after a hole punch a direct dial may still win.
          const r = this.rungOf(c)
          if (r === 'direct' || r === 'upnp') won.abort()
          return c
        } catch (err) {
          this.log('no direct path to %p via %s - %e', game.opponent, address, err)
          throw err
        }
      })).catch(() => undefined)
      const rung = connection != null ? this.rungOf(connection) : undefined
      this.safeDispatch('upgrade', { peer: game.opponent, gameId: game.session.gameId, from, ok: rung != null && betterRung(rung, from), ms: Date.now() - started, ...(rung != null ? { rung } : {}) })
    }
    attempt().catch(err => { this.log('upgrade attempt failed - %e', err) }).finally(() => { game.upgrading = false })
  }

  /** Once a game has moved off the relay, its relayed connections to the opponent go (after a grace for acts in flight). */
  private closeRelayed (game: Active): void {
    const timer = setTimeout(() => {
      if (game.method == null || game.method === 'relayed' || this.done(game)) return
      for (const c of this.components.connectionManager.getConnections(game.opponent)) {
        if (c.limits != null) c.close().catch(err => { this.log('could not close the relayed connection - %e', err) })
      }
    }, RELAY_CLOSE_GRACE_MS)
    timer.unref?.()
  }

  /** The rung of a connection: relayed, hole-punched (WebRTC, or direct next to a relayed one), upnp, direct. */
  rungOf (connection: Connection): DeliveryMethod {
    const { addressManager, connectionManager } = this.components
    const own = addressManager != null ? selfReach(addressManager) : undefined
    const theirs = this.peerReach?.(connection.remotePeer)
    return rungOfConnection(connection, connectionManager.getConnections(connection.remotePeer), {
      isPublic: isPublicAddress,
      ...(own != null ? { selfReach: own } : {}),
      ...(theirs != null ? { peerReach: theirs } : {})
    })
  }

  /** A new connection to an opponent: if it is a better path than the game's, move the game onto it. */
  private onConnection (connection: Connection): void {
    for (const game of this.active.values()) {
      if (game.opponent.equals(connection.remotePeer)) this.moveTo(game, connection)
    }
  }

  /** The best open connection to the opponent when it is a better path than the game's, else undefined. */
  private betterConnection (game: Active): Connection | undefined {
    if (game.method == null) return undefined
    let best: { connection: Connection, rung: DeliveryMethod } | undefined
    for (const connection of this.components.connectionManager.getConnections(game.opponent)) {
      if (connection.status !== 'open' || (connection.multiplexer === '/webrtc' && this.webrtcUnreliable(game.opponent))) continue
      const rung = this.rungOf(connection)
      if (betterRung(rung, best?.rung ?? game.method)) best = { connection, rung }
    }
    return best?.connection
  }

  /**
   * Offers a game a better path: opens a stream on `connection` and says hello on it. The game
   * moves only when the opponent's answer arrives over it (`attach`): a connection that opened
   * but carries nothing (ICE can report success through a symmetric NAT that then drops the
   * packets) never takes a game, or its relay, away.
   */
  private moveTo (game: Active, connection: Connection): void {
    // Only a game already on some path moves; one with no stream is connect()'s business.
    if (this.done(game) || game.stream == null || game.method == null) return
    if (!betterRung(this.rungOf(connection), game.method)) return
    this.log.trace('game %s: offering the %s connection', game.session.gameId, this.rungOf(connection))
    connection.newStream(GAME_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(OPEN_TIMEOUT_MS) }).then(stream => {
      this.send(stream, this.helloMessage(game))
      this.onStream(stream, connection).catch(err => { this.log.error('game stream to %p failed - %e', game.opponent, err) })
    }, err => { this.log('could not offer game %s a new path - %e', game.session.gameId, err) })
  }

  /** Closes every stream of a game (the node is stopping). */
  private detach (game: Active): void {
    clearInterval(game.upgradeTimer)
    game.upgradeTimer = undefined
    clearInterval(game.flagWatch)
    clearInterval(game.keepalive)
    clearTimeout(game.retryTimer)
    game.keepalive = undefined
    game.retryTimer = undefined
    game.stream = undefined
    for (const stream of game.streams.keys()) stream.close().catch(() => {})
    game.streams.clear()
  }

  private hello (game: Active): void {
    if (game.stream != null) this.send(game.stream, this.helloMessage(game))
  }

  private helloMessage (game: Active): GameMessage {
    const { session } = game
    return { t: 'hello', game: session.gameId, have: session.have, sent: session.acts[session.me].length }
  }

  /** Opens a stream to the opponent unless there is one, preferring a direct connection. */
  private connect (game: Active): void {
    this.pruneClosed(game)
    if (game.stream != null || !this.started || this.done(game)) return
    const signal = AbortSignal.timeout(OPEN_TIMEOUT_MS)
    const open = async (): Promise<void> => {
      // An open connection, else a dial: a TCP one (direct, then relayed) before a WebRTC one. A
      // WebRTC connection can open and then carry nothing (through a symmetric NAT); the game
      // moves onto it only once it has carried a hello (moveTo), never by starting there.
      const order = (c: Connection): number => c.multiplexer === '/webrtc' ? RUNG_ORDER.length : RUNG_ORDER.indexOf(this.rungOf(c))
      const existing = this.components.connectionManager.getConnections(game.opponent)
        .filter(c => c.status === 'open' && !(this.webrtcUnreliable(game.opponent) && c.multiplexer === '/webrtc'))
        .sort((a, b) => order(a) - order(b))
      const connection = existing[0] ?? await this.components.connectionManager.openConnection(game.opponent, { signal })
      const stream = await connection.newStream(GAME_PROTOCOL, { runOnLimitedConnection: true, signal })
      this.attach(game, stream, connection)
      this.onStream(stream, connection).catch(err => { this.log.error('game stream to %p failed - %e', game.opponent, err) })
    }
    open().catch(err => {
      this.noteFailure(game, (err as Error).message)
      this.scheduleReconnect(game)
    })
  }

  private scheduleReconnect (game: Active): void {
    if (!this.started || this.done(game) || game.retryTimer != null) return
    const delay = game.retryMs
    game.retryMs = Math.min(game.retryMs * 2, this.maxRetryMs)
    game.retryTimer = setTimeout(() => {
      game.retryTimer = undefined
      if (game.stream == null) this.connect(game)
      else this.flush(game, true)
    }, delay)
    game.retryTimer.unref?.()
  }

  /**
   * Forgets streams that are no longer writable even if their read loop has not ended yet (a
   * connection closed under them): acts must never wait on a dead stream.
   */
  private pruneClosed (game: Active): void {
    for (const stream of [...game.streams.keys()]) {
      if (stream.status !== 'open' || stream.writeStatus !== 'writable') this.drop(game, stream)
    }
  }

  /** Sends my unacknowledged acts (those not yet sent on this stream, or all of them on a retry). */
  private flush (game: Active, retry = false): void {
    const { session } = game
    this.pruneClosed(game)
    if (game.stream == null) {
      this.connect(game)
      return
    }
    const pending = session.unacked
    for (const act of pending) {
      if (!retry && game.sentAt.has(act.n)) continue
      game.sentAt.set(act.n, this.now())
      this.stat(game).sent++
      this.send(game.stream, { t: 'act', ...act })
    }
    if (pending.length > 0) this.scheduleReconnect(game)
  }

  private send (stream: Stream, message: GameMessage): void {
    try {
      // Game messages are small and rare: the muxer buffers them; back-pressure cannot build up.
      stream.send(encodeFrame(encodeGameMessage(message), { maxBytes: GAME_MAX_BYTES }))
    } catch (err) {
      this.log('could not send on a game stream - %e', err)
    }
  }

  private noteAcked (game: Active): void {
    const { session } = game
    const now = this.now()
    for (const [n, at] of game.sentAt) {
      if (n > session.acked) continue
      game.sentAt.delete(n)
      const sample = now - at
      game.srtt = game.srtt == null ? sample : game.srtt + RTT_WEIGHT * (sample - game.srtt)
      const s = this.stat(game)
      s.acked++
      s.srttMs = game.srtt
      s.lastMethod = game.method
      this.safeDispatch('delivery', { peer: game.opponent, gameId: session.gameId, method: game.method ?? 'direct', ok: true, latencyMs: sample })
    }
    if (session.unacked.length === 0) {
      game.retryMs = this.retryMs
      clearTimeout(game.retryTimer)
      game.retryTimer = undefined
    }
  }

  private noteFailure (game: Active, error: string): void {
    this.stat(game).failures++
    this.safeDispatch('delivery', { peer: game.opponent, gameId: game.session.gameId, method: game.method ?? 'direct', ok: false, error })
  }

  private stat (game: Active): DeliveryStats {
    const key = game.opponent.toString()
    let s = this.stats.get(key)
    if (s == null) {
      s = { sent: 0, acked: 0, failures: 0 }
      this.stats.set(key, s)
    }
    return s
  }

  /** Writes new acts and bookkeeping; marks the game finished once both result signatures are in. */
  private async persist (game: Active): Promise<void> {
    const { session } = game
    for (const side of ['B', 'W'] as const) {
      const acts = session.acts[side]
      for (let i = game.stored[side]; i < acts.length; i++) await this.store.putAct(session.gameId, acts[i])
      game.stored[side] = acts.length
    }
    if (session.results.B != null && session.results.W != null && game.finishedAt == null) {
      await this.markFinished(game)
    } else if (game.storedAcked !== session.acked) {
      await this.store.saveMeta(session.gameId, this.meta(game))
    }
    game.storedAcked = session.acked
  }

  private async markFinished (game: Active): Promise<void> {
    game.finishedAt = this.now()
    await this.store.saveMeta(game.session.gameId, this.meta(game))
    this.safeDispatch('game:ended', { gameId: game.session.gameId, result: game.session.end?.result ?? '?', cosigned: true, rung: game.method ?? null })
  }

  private meta (game: Active): GameMeta {
    const { session } = game
    return {
      me: session.me,
      opponent: game.opponent.toString(),
      acked: session.acked,
      ...(game.finishedAt != null ? { result: session.end?.result ?? '?', finishedAt: game.finishedAt } : {})
    }
  }

  /** A game is done on the wire once it is finished and the opponent has all my acts. */
  private done (game: Active): boolean {
    return game.finishedAt != null && game.session.unacked.length === 0
  }

  private safeDispatch<K extends keyof GameServiceEvents> (type: K, detail: GameServiceEvents[K]['detail']): void {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }) as GameServiceEvents[K])
    } catch (err) {
      this.log.error('a %s listener threw - %e', type, err)
    }
  }
}
