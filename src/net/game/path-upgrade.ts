import { multiaddr } from '@multiformats/multiaddr'
import { addressOfPeer, betterRung, upgradeCandidates, type Rung } from '../rung.js'
import { canHolePunch } from '../nat-type/classify.js'
import { dialUntil } from './dial-until.js'
import { optional } from '../components.js'
import { isDone } from './active-game.js'
import { GAME_PROTOCOL, OPEN_TIMEOUT_MS, RELAY_CLOSE_GRACE_MS, UPGRADE_TIMEOUT_MS } from './constants.js'
import type { ActiveGame, Dispatch } from './active-game.js'
import type { GameServiceComponents } from './index.js'
import type { PathHooks } from './path-manager.js'
import type { WebRtcBackoff } from './webrtc-backoff.js'
import type { Connection, Logger, Stream } from '@libp2p/interface'

/** What decides whether a WebRTC hole punch is worth a dial now. */
export interface PunchContext {
  readonly from: Rung
  /** A WebRTC connection to the opponent is already open. */
  readonly haveWebRTC: boolean
  /** WebRTC to the opponent died young recently (webrtc-backoff.ts). */
  readonly unreliable: boolean
  /** Whether this node's NAT lets a hole punch through (nat-type/classify.ts canHolePunch); undefined when not known. */
  readonly holePunch: boolean | undefined
}

/**
 * The dials of one upgrade attempt, from the candidates in order: WebRTC only from the relay, to
 * a peer not already on WebRTC and not backed off, and never from behind a NAT that no punch gets
 * through (symmetric, or UDP blocked: every attempt failed in the lab). Pure.
 */
export function upgradeDials (candidates: readonly string[], c: PunchContext): { dials: string[], skippedPunch: boolean } {
  const isWebRTC = (a: string): boolean => a.includes('/webrtc')
  const worth = c.from === 'relayed' && !c.haveWebRTC && !c.unreliable
  const dials = candidates.filter(a => !isWebRTC(a) || (worth && c.holePunch !== false))
  return { dials, skippedPunch: worth && c.holePunch === false && candidates.some(isWebRTC) }
}

export interface PathUpgraderInit {
  readonly components: Pick<GameServiceComponents, 'connectionManager' | 'transportManager' | 'connectionGater' | 'peerStore' | 'natType'>
  readonly log: Logger
  readonly now: () => number
  readonly rungOf: (connection: Connection) => Rung
  readonly webrtc: WebRtcBackoff
  readonly dispatch: Dispatch
  readonly hooks: Pick<PathHooks, 'hello' | 'read'>
}

/**
 * Moves games up the ladder (protocols/game.md, **Paths**): dials the opponent's direct and
 * WebRTC addresses while a game is on a relay or a punched hole, offers a game each better
 * connection, and releases the relay once a game has left it.
 */
export class PathUpgrader {
  private readonly init: PathUpgraderInit
  private readonly components: PathUpgraderInit['components']
  private readonly log: Logger
  private readonly now: () => number
  /** Games already told that no hole punch is tried (once per game, not every retry). */
  private readonly punchSkipNoted = new WeakSet<ActiveGame>()

  constructor (init: PathUpgraderInit) {
    this.init = init
    this.components = init.components
    this.log = init.log
    this.now = init.now
  }

  /**
   * One attempt at a better path: every candidate address at once (a firewalled or stale address
   * that never answers must not hold up the one that does, or the WebRTC hole punch), all bounded
   * by one timeout; a direct or UPnP connection ends the others. `connection:open` offers each new
   * connection to the game. Each address is dialled by its transport, not through libp2p's dial
   * queue: the queue merges every dial to one peer into a single job that tries its addresses one
   * after another (6 s each, signed ones first, circuit and WebRTC ones last), and joins any dial
   * to the peer already under way (a relayed one would answer for them all).
   */
  tryUpgrade (game: ActiveGame): void {
    const { path } = game
    const from = path.rung
    if ((from !== 'relayed' && from !== 'hole-punched') || isDone(game)) return
    if (path.upgrading === true) {
      // The opponent's new addresses (a UPnP mapping) must not wait for the next periodic try.
      path.upgradeAgain = true
      return
    }
    path.upgrading = true
    path.upgradeAgain = false
    const attempt = async (): Promise<void> => {
      // A better connection already open is offered to the game (it moves if it answers), and the
      // dials go on regardless: an open WebRTC connection may carry nothing, a direct one would.
      const open = this.betterConnection(game)
      if (open != null) this.moveTo(game, open)
      const haveWebRTC = this.components.connectionManager.getConnections(game.opponent).some(c => c.multiplexer === '/webrtc')
      const peer = await this.components.peerStore.get(game.opponent).catch(() => undefined)
      const holePunch = canHolePunch(optional(() => this.components.natType)?.classification()?.type)
      const { dials: candidates, skippedPunch } = upgradeDials(upgradeCandidates((peer?.addresses ?? []).map(a => a.multiaddr.toString())), {
        from, haveWebRTC, unreliable: this.init.webrtc.unreliable(game.opponent), holePunch
      })
      if (skippedPunch && !this.punchSkipNoted.has(game)) {
        this.punchSkipNoted.add(game)
        this.log('game %s: this node is behind a symmetric NAT (or UDP is blocked), so no WebRTC hole punch to %p is tried; the game stays on the relay unless a direct address answers', game.session.gameId, game.opponent)
      }
      if (candidates.length === 0 || path.rung !== from) return
      // A failed ICE attempt may never reject on its own (see UPGRADE_TIMEOUT_MS): always bound it.
      const signal = AbortSignal.timeout(UPGRADE_TIMEOUT_MS)
      const won = new AbortController()
      const started = this.now()
      const connection = await Promise.any(candidates.map(async address => {
        const full = addressOfPeer(address, game.opponent.toString())
        try {
          const target = multiaddr(full)
          // The gater's word, as libp2p's dial queue would ask it (tests wire topologies with one).
          const gater = this.components.connectionGater
          if (await gater?.denyDialPeer?.(game.opponent) === true || await gater?.denyDialMultiaddr?.(target) === true) throw new Error('the connection gater refuses this dial')
          const c = await dialUntil(this.components.transportManager, target, [signal, won.signal])
          // The best rungs end the other tries; after a hole punch a direct dial may still win.
          const r = this.init.rungOf(c)
          if (r === 'direct' || r === 'upnp') won.abort()
          return c
        } catch (err) {
          this.log('no direct path to %p via %s - %e', game.opponent, address, err)
          throw err
        }
      })).catch(() => undefined)
      const rung = connection != null ? this.init.rungOf(connection) : undefined
      this.init.dispatch('upgrade', { peer: game.opponent, gameId: game.session.gameId, from, ok: rung != null && betterRung(rung, from), ms: this.now() - started, ...(rung != null ? { rung } : {}) })
    }
    attempt().catch(err => { this.log('upgrade attempt failed - %e', err) }).finally(() => {
      path.upgrading = false
      if (path.upgradeAgain === true) this.tryUpgrade(game)
    })
  }

  /** Once a game has moved off the relay, its relayed connections to the opponent go (after a grace for acts in flight). */
  closeRelayed (game: ActiveGame): void {
    const timer = setTimeout(() => {
      if (game.path.rung == null || game.path.rung === 'relayed' || isDone(game)) return
      for (const c of this.components.connectionManager.getConnections(game.opponent)) {
        if (c.limits != null) c.close().catch(err => { this.log('could not close the relayed connection - %e', err) })
      }
    }, RELAY_CLOSE_GRACE_MS)
    timer.unref?.()
  }

  /** The best open connection to the opponent when it is a better path than the game's, else undefined. */
  betterConnection (game: ActiveGame): Connection | undefined {
    if (game.path.rung == null) return undefined
    let best: { connection: Connection, rung: Rung } | undefined
    for (const connection of this.components.connectionManager.getConnections(game.opponent)) {
      if (connection.status !== 'open' || (connection.multiplexer === '/webrtc' && this.init.webrtc.unreliable(game.opponent))) continue
      const rung = this.init.rungOf(connection)
      if (betterRung(rung, best?.rung ?? game.path.rung)) best = { connection, rung }
    }
    return best?.connection
  }

  /**
   * Offers a game a better path: opens a stream on `connection` and says hello on it. The game
   * moves only when the opponent's answer arrives over it (`attach`): a connection that opened
   * but carries nothing (ICE can report success through a symmetric NAT that then drops the
   * packets) never takes a game, or its relay, away.
   */
  moveTo (game: ActiveGame, connection: Connection): void {
    // Only a game already on some path moves; one with no stream is connect()'s business.
    if (isDone(game) || game.path.stream == null || game.path.rung == null) return
    if (!betterRung(this.init.rungOf(connection), game.path.rung)) return
    this.log.trace('game %s: offering the %s connection', game.session.gameId, this.init.rungOf(connection))
    connection.newStream(GAME_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(OPEN_TIMEOUT_MS) }).then(stream => {
      this.init.hooks.hello(game, stream)
      this.read(game, stream, connection)
    }, err => { this.log('could not offer game %s a new path - %e', game.session.gameId, err) })
  }

  /** Reads a stream this side opened to the opponent. */
  private read (game: ActiveGame, stream: Stream, connection: Connection): void {
    this.init.hooks.read(stream, connection).catch(err => { this.log.error('game stream to %p failed - %e', game.opponent, err) })
  }
}
