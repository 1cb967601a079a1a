import { createLibp2p, type Libp2p } from 'libp2p'
import type { Libp2pOptions, ServiceFactoryMap } from 'libp2p'
import { TypedEventEmitter } from 'main-event'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { BOOTSTRAP_CONNECTIONS, BOOTSTRAP_REDIAL_INTERVAL, CONNECTION_HEADROOM, PLAYER_CONNECTIONS } from './constants.js'
import { ConnectionTrimmer } from './connection-trimmer.js'
import type { ConnectionLimits } from './trim-choice.js'
import { challenge, type ChallengeOffer, type Decision, type EngineInfo } from './challenge/index.js'
import { games } from './game/index.js'
import { lobby } from './lobby/index.js'
import { STUN_PORT } from './stun/stun-server.js'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { DeliveryLedger } from './delivery-ledger.js'
import { relayOf } from './address-order.js'
import { RelayGate } from './relay-gate.js'
import { RUNG_ORDER, type Reach, type Rung } from './rung.js'
import { libp2pDefaults, type NodeInit, type P2pgoServices, type RelayServerLimits } from './libp2p-defaults.js'
import { DhtRecords } from './rating/dht-records.js'
import { RatingService } from './rating/rating-service.js'
import { Matchmaker } from './rating/matchmaker.js'
import { RnaService } from './rna/rna-service.js'
import { ReputationService } from './reputation/reputation-service.js'
import { fromFixed } from '../rating/trueskill.js'
import { RATED_SIZES } from '../rating/constants.js'
import type { LobbyRatings } from './lobby/index.js'
import type { RatingParams } from '../rating/params.js'
import type { ChallengeService } from './challenge/index.js'
import type { GameService } from './game/game-service.js'
import type { Lobby } from './lobby/index.js'
import type { P2pgoConfig } from '../config/config.js'
import type { Connection, ConnectionGater, PrivateKey } from '@libp2p/interface'
import type { GossipsubOpts } from '@libp2p/gossipsub'
import type { Datastore } from 'interface-datastore'

/** Every service a full p2pgo node runs. */
export type P2pgoNodeServices = P2pgoServices & { games: GameService, lobby: Lobby, challenge: ChallengeService }
export type P2pgoLibp2p = Libp2p<P2pgoNodeServices>

export type { Rung }

/** Each bootstrap relay answers STUN on the standard port: its hosts are this node's STUN servers. */
export function stunFromBootstrap (bootstrap: readonly string[]): string[] {
  const out = new Set<string>()
  for (const address of bootstrap) {
    const m = /^\/(ip4|ip6|dns4|dns6|dns)\/([^/]+)\//.exec(address)
    if (m == null) continue
    out.add(m[1] === 'ip6' ? `stun:[${m[2]}]:${STUN_PORT}` : `stun:${m[2]}:${STUN_PORT}`)
  }
  return [...out]
}

/**
 * The node's events, in the shape the NDJSON stream (`--json-events`) and the terminal UI show
 * them: plain values (peer IDs and game IDs as text), each with a `type` when written out.
 */
export interface NodeEvents {
  listening: CustomEvent<{ addresses: string[] }>
  /** The addresses others can dial changed (a relay reservation, a UPnP mapping, a confirmed address). */
  addresses: CustomEvent<{ addresses: string[] }>
  'peer:connected': CustomEvent<{ peer: string, rung: Rung, address: string, rttMs?: number }>
  'peer:disconnected': CustomEvent<{ peer: string }>
  'game:started': CustomEvent<{ gameId: string, opponent: string, color: 'B' | 'W', size: number, rung: Rung | null }>
  'game:path': CustomEvent<{ gameId: string, from: Rung | null, to: Rung }>
  'game:move': CustomEvent<{ gameId: string, by: 'B' | 'W', ply: number, move: string, mine: boolean }>
  'game:chat': CustomEvent<{ gameId: string, from: 'B' | 'W', text: string }>
  'game:ended': CustomEvent<{ gameId: string, result: string, cosigned: boolean, rung: Rung | null }>
  /** A game on the relay (or a punched hole) tried for a better path: once on arrival there, then every DIRECT_RETRY_MS. */
  'game:upgrade': CustomEvent<{ peer: string, gameId: string, from: Rung, ok: boolean, ms: number, rung?: Rung }>
  delivery: CustomEvent<{ peer: string, gameId: string, method: Rung, ok: boolean, latencyMs?: number, error?: string }>
  rejected: CustomEvent<{ peer: string, reason: string, message: string, source: 'game' | 'challenge' | 'lobby' | 'rna', gameId?: string }>
  /** A new RNA (a finished game as training data) arrived, was checked and kept. */
  rna: CustomEvent<{ id: string, origin: string, from: string, quality: number, handling: 'priority' | 'forward' | 'ignore' }>
}

/** One open connection to a peer, as `p2pgo peers` shows it. */
export interface ConnectionView {
  readonly rung: Rung
  readonly address: string
  readonly direction: 'inbound' | 'outbound'
  /** Relayed connections carry the relay's limits. */
  readonly limited: boolean
  /** The last round trip measured on it (libp2p's connection monitor), ms. */
  readonly rttMs?: number
  /** When it opened, ISO 8601. */
  readonly since: string
}

/** A connected peer: its best path, how it says it is reached, and every connection. */
export interface PeerView {
  readonly peer: string
  /** Its lobby name, when it is in the lobby. */
  readonly name?: string
  readonly reach?: Reach
  /** The best rung among its open connections. */
  readonly rung: Rung
  readonly rttMs?: number
  readonly connections: readonly ConnectionView[]
}

/** This node: who it is, how it can be reached, and the addresses it announces. */
export interface SelfView {
  readonly peer: string
  readonly name: string
  readonly reach?: Reach
  /** Whether it offers circuit relay service to others now. */
  readonly relaying: boolean
  readonly addresses: readonly string[]
}

/** How long the round-trip ping on a new connection may take before the event goes out without it. */
const PING_TIMEOUT_MS = 2000

export interface P2pgoNodeInit {
  readonly privateKey: PrivateKey
  readonly datastore: Datastore
  readonly config: P2pgoConfig
  /** A bootstrap relay serves the DHT and relays for everyone; players and bots do not unless configured. */
  readonly role: 'player' | 'bootstrap'
  /** Keep loopback and private addresses, no mDNS and no UPnP: tests and local networks on one machine. */
  readonly privateNetwork?: boolean
  /** Time source for games, the lobby and rating records (tests). */
  readonly now?: () => number
  /** The TrueSkill environment (tests; every node of a network must use the same). */
  readonly ratingParams?: RatingParams
  /** libp2p's connection monitor; off only where many nodes share one thread (tests, benchmarks). */
  readonly connectionMonitor?: boolean
  /** Which peers may connect: tests and benchmarks wire exact topologies with it. */
  readonly connectionGater?: ConnectionGater
  /** Gossipsub options over p2pgo's (benchmarks: a metrics register, a flooding mesh). */
  readonly gossip?: Partial<GossipsubOpts>
  /** The bootstrap relay's relay limits (its config file); the defaults in libp2p-defaults.ts otherwise. */
  readonly relayLimits?: RelayServerLimits
  /** libp2p's metrics (the bootstrap relay's Prometheus endpoint). */
  readonly metrics?: Libp2pOptions['metrics']
  /** How many peers the node keeps (tests); by role when unset (constants: PLAYER_CONNECTIONS, BOOTSTRAP_CONNECTIONS). */
  readonly connectionLimits?: ConnectionLimits
}

/**
 * A p2pgo node: libp2p with the game, challenge and lobby services, and one event stream for
 * everything a player (or a script) wants to see. The screen and the CLI use only this.
 */
export class P2pgoNode extends TypedEventEmitter<NodeEvents> {
  readonly libp2p: P2pgoLibp2p
  /** A bootstrap relay serves the network and never plays: it publishes no rating of its own. */
  private readonly role: 'player' | 'bootstrap'
  /** The home's datastore (games, RNA, reputation, and kad-dht's records under /dht). */
  readonly datastore: Datastore
  /** Decides incoming challenges; declines them ('busy') until someone sets it. */
  decide: (offer: ChallengeOffer, options: { signal: AbortSignal }) => Promise<Decision> = async () => ({ decline: 'busy' })
  /** The engine this node plays with (a bot sets it), declared in every challenge it makes or answers; undefined for a person. */
  engine: EngineInfo | undefined

  /** The player's display name (from the configuration). */
  readonly name: string
  /** Acts delivered per rung since start: counts, success rate, latency. */
  readonly delivery = new DeliveryLedger()
  /** With `relayServer: "auto"`: relays for others only while reachable. */
  relayGate?: RelayGate
  /** The player's ratings: its own book and record in the DHT, others' records, audits. */
  readonly ratings: RatingService
  /** Opponents near this player's rating, found through the DHT and the lobby. */
  readonly matchmaker: Matchmaker
  /** Discovery reputation: what this node saw of each peer, and the trust that follows. */
  readonly reputation: ReputationService
  /** Training data: finished games gossiped as RNA, the store, propagation paths. */
  readonly rna: RnaService
  /** Closes the least valued peers (reputation, meshes, DHT) when there are too many. */
  readonly trimmer: ConnectionTrimmer
  /** Multiaddrs of the configured bootstrap peers, dialled again while the node has no connection or lacks reservations. */
  private bootstrapPeers: readonly string[] = []
  /** Relay reservations the listen configuration asks for: one per `/p2p-circuit` entry. */
  private wantedReservations = 0
  private redial: ReturnType<typeof setInterval> | undefined
  /** The injected clock, when there is one. */
  private nowFn?: () => number
  /** The round trip measured when each peer connected, for connections the monitor has not measured yet. */
  private readonly firstRtt = new Map<string, number>()

  private constructor (libp2p: P2pgoLibp2p, name: string, init: P2pgoNodeInit, records: DhtRecords) {
    super()
    this.libp2p = libp2p
    this.datastore = init.datastore
    this.role = init.role
    this.name = name
    const logger = libp2p.logger
    this.reputation = new ReputationService({
      libp2p,
      datastore: init.datastore,
      log: logger.forComponent('p2pgo:reputation'),
      ...(init.now != null ? { now: init.now } : {})
    })
    this.trimmer = new ConnectionTrimmer({
      libp2p,
      limits: connectionLimitsOf(init),
      keep: peer => libp2p.services.games.playing(peer),
      log: logger.forComponent('p2pgo:trim'),
      ...(init.now != null ? { now: init.now } : {})
    })
    this.rna = new RnaService({
      libp2p,
      privateKey: init.privateKey,
      datastore: init.datastore,
      games: libp2p.services.games,
      reputation: event => { this.reputation.record(event) },
      log: logger.forComponent('p2pgo:rna'),
      ...(init.now != null ? { now: init.now } : {})
    })
    this.ratings = new RatingService({
      dht: libp2p.services.dht,
      peerId: libp2p.peerId,
      privateKey: init.privateKey,
      datastore: init.datastore,
      games: libp2p.services.games,
      records,
      log: logger.forComponent('p2pgo:rating'),
      ...(init.now != null ? { now: init.now } : {}),
      ...(init.ratingParams != null ? { params: init.ratingParams } : {}),
      trust: peer => this.reputation.trust(peer),
      connected: () => libp2p.getPeers().map(p => p.toString()),
      relayPerformance: () => {
        const relayed = this.delivery.summary().relayed
        return { delivered: relayed?.delivered ?? 0, failed: relayed?.failed ?? 0, served: libp2p.services.relay?.reservations.size ?? 0 }
      }
    })
    this.matchmaker = new Matchmaker({
      dht: libp2p.services.dht,
      peerId: libp2p.peerId,
      ratings: this.ratings,
      log: logger.forComponent('p2pgo:match'),
      ...(init.now != null ? { now: init.now } : {}),
      reputation: peer => this.reputation.trust(peer),
      lobbySeekers: size => {
        const seekers = new Set(this.lobby.seeks().filter(s => s.terms.size === size).map(s => s.peer.toString()))
        return [...seekers].map(peer => {
          const r = this.lobby.presenceOf(peerIdFromString(peer))?.ratings?.[size as 9 | 13 | 19]
          return { peer, ...(r != null ? { rating: { mu: Math.round(r.mu * 1000), sigma: Math.max(1, Math.round(r.sigma * 1000)) } } : {}) }
        })
      },
      connectionTo: peer => {
        const view = this.peers().find(p => p.peer === peer)
        return view == null ? undefined : { connection: view.rung, ...(view.rttMs != null ? { rttMs: view.rttMs } : {}) }
      }
    })
  }

  /** The player's ratings as the lobby presence carries them (plain mu and sigma per size). */
  lobbyRatings (): LobbyRatings {
    const out: Partial<Record<9 | 13 | 19, { mu: number, sigma: number }>> = {}
    for (const size of RATED_SIZES) out[size] = fromFixed(this.ratings.ratingOn(size))
    return out
  }

  /** Builds (but does not start) a node from a home's key, datastore and configuration. */
  static async create (init: P2pgoNodeInit): Promise<P2pgoNode> {
    const { config } = init
    const privateNetwork = init.privateNetwork === true
    const nodeInit: NodeInit = {
      privateKey: init.privateKey,
      datastore: init.datastore,
      listen: config.listen,
      announce: config.announce,
      bootstrap: config.bootstrap,
      mdns: !privateNetwork && config.mdns,
      upnp: !privateNetwork && config.upnp ? {} : false,
      // 'auto' waits for AutoNAT to find the node public (the ladder issue); a bootstrap relay always serves.
      // 'auto' runs the relay server too; the node's RelayGate opens it only while the node is reachable.
      relayServer: init.role === 'bootstrap' || config.relayServer !== 'off' ? { ...init.relayLimits } : false,
      stun: config.stun.length > 0 ? config.stun : stunFromBootstrap(config.bootstrap),
      ...(init.role === 'bootstrap' ? { dhtClientMode: false } : config.dht.clientMode !== 'auto' ? { dhtClientMode: config.dht.clientMode } : {}),
      privateNetwork,
      ...(init.connectionMonitor === false ? { connectionMonitor: false } : {}),
      ...(init.connectionGater != null ? { connectionGater: init.connectionGater } : {}),
      ...(init.gossip != null ? { gossip: init.gossip } : {})
    }
    const records = new DhtRecords(init.now)
    const limits = connectionLimitsOf(init)
    let node: P2pgoNode | undefined
    const base = libp2pDefaults({
      ...nodeInit,
      dhtRecords: { validators: records.validators(), selectors: records.selectors() },
      appSpecificScore: peer => node?.reputation.appScore(peer) ?? 0,
      trust: peer => node?.reputation.trust(peer) ?? 0.5,
      maxConnections: Math.ceil(limits.high * CONNECTION_HEADROOM)
    })
    const now = init.now
    const libp2p = await createLibp2p({
      ...base,
      ...(init.metrics != null ? { metrics: init.metrics } : {}),
      start: false,
      services: {
        // libp2pDefaults always sets services; spreading the optional field would make them all optional.
        ...(base.services as ServiceFactoryMap<P2pgoServices>),
        games: games({ ...(now != null ? { now } : {}), peerReach: peer => node?.lobby.reachOf(peer) }),
        lobby: lobby(now != null ? { now } : {}),
        challenge: challenge({
          name: config.name,
          ...(now != null ? { now } : {}),
          rating: size => node?.ratings.claim(size),
          engine: () => node?.engine,
          decide: async (offer, options) => node != null ? node.decide(offer, options) : { decline: 'busy' }
        })
      }
    }) as P2pgoLibp2p
    node = new P2pgoNode(libp2p, config.name, init, records)
    node.bootstrapPeers = config.bootstrap
    node.wantedReservations = config.listen.filter(a => a.endsWith('/p2p-circuit')).length
    if (now != null) node.nowFn = now
    if (init.role !== 'bootstrap' && config.relayServer === 'auto' && libp2p.services.relay != null) {
      node.relayGate = new RelayGate(libp2p, libp2p.services.relay)
    }
    node.forwardEvents()
    return node
  }

  get games (): GameService {
    return this.libp2p.services.games
  }

  get lobby (): Lobby {
    return this.libp2p.services.lobby
  }

  get challenge (): ChallengeService {
    return this.libp2p.services.challenge
  }

  get peerId (): string {
    return this.libp2p.peerId.toString()
  }

  /** Starts libp2p, resumes unfinished games, and announces the listening addresses. */
  async start (): Promise<void> {
    await this.libp2p.start()
    // Not reachable yet: no relaying until the lobby finds the node public or mapped.
    await this.relayGate?.update(this.lobby.ownReach())
    await this.reputation.start()
    if (this.role === 'player') await this.ratings.start()
    await this.rna.start()
    await this.games.afterStart()
    this.trimmer.start()
    if (this.bootstrapPeers.length > 0) {
      this.redial = setInterval(() => { this.redialBootstrap() }, BOOTSTRAP_REDIAL_INTERVAL)
      this.redial.unref?.()
    }
    this.emit('listening', { addresses: this.libp2p.getMultiaddrs().map(ma => ma.toString()) })
  }

  async stop (): Promise<void> {
    clearInterval(this.redial)
    this.trimmer.stop()
    await this.rna.stop()
    await this.ratings.stop()
    await this.reputation.stop()
    await this.matchmaker.stopSeeking()
    await this.libp2p.stop()
  }

  /**
   * Dials the bootstrap peers again: all of them while nothing is connected (a bootstrap peer
   * down at start, a lost network), and those not connected while the node holds fewer relay
   * reservations than its listen configuration asks for. libp2p's circuit relay transport
   * reserves only on relays it is connected to, and looks for others in the peer store and the
   * DHT: a bootstrap relay that was down when the node started (never identified as a relay), or
   * that came back after it had been forgotten, would otherwise never serve a node that has other
   * connections again. Once connected, libp2p reserves on it by itself.
   */
  private redialBootstrap (): void {
    if (this.libp2p.status !== 'started') return
    const connections = this.libp2p.getConnections()
    const alone = connections.length === 0
    if (!alone && this.reservationsHeld() >= this.wantedReservations) return
    for (const address of this.bootstrapPeers) {
      const peer = address.split('/p2p/').pop()
      if (!alone && connections.some(c => c.remotePeer.toString() === peer)) continue
      this.libp2p.dial(multiaddr(address), { signal: AbortSignal.timeout(BOOTSTRAP_REDIAL_INTERVAL) }).catch(err => {
        this.libp2p.logger.forComponent('p2pgo:node')('bootstrap peer %s still unreachable - %e', address, err)
      })
    }
  }

  /** How many relays hold a reservation for this node now (its circuit addresses name them). */
  private reservationsHeld (): number {
    return new Set(this.libp2p.getMultiaddrs().map(relayOf).filter(r => r != null)).size
  }

  /** Every connected peer, best path first (then by peer ID). */
  peers (): PeerView[] {
    const byPeer = new Map<string, Connection[]>()
    for (const c of this.libp2p.getConnections()) {
      const key = c.remotePeer.toString()
      byPeer.set(key, [...(byPeer.get(key) ?? []), c])
    }
    const views = [...byPeer].map(([peer, connections]): PeerView => {
      const list = connections.map((c): ConnectionView => ({
        rung: this.games.rungOf(c),
        address: c.remoteAddr.toString(),
        direction: c.direction,
        limited: c.limits != null,
        ...(c.rtt != null ? { rttMs: c.rtt } : {}),
        since: new Date(c.timeline.open).toISOString()
      })).sort((a, b) => RUNG_ORDER.indexOf(a.rung) - RUNG_ORDER.indexOf(b.rung))
      const presence = this.lobby.presenceOf(connections[0].remotePeer)
      const rtt = list[0].rttMs ?? this.firstRtt.get(peer)
      return {
        peer,
        ...(presence != null ? { name: presence.name } : {}),
        ...(presence?.reach != null ? { reach: presence.reach } : {}),
        rung: list[0].rung,
        ...(rtt != null ? { rttMs: rtt } : {}),
        connections: list
      }
    })
    return views.sort((a, b) => RUNG_ORDER.indexOf(a.rung) - RUNG_ORDER.indexOf(b.rung) || (a.peer < b.peer ? -1 : 1))
  }

  /** This node as others see it. */
  self (): SelfView {
    const reach = this.lobby.ownReach()
    return {
      peer: this.peerId,
      name: this.name,
      ...(reach != null ? { reach } : {}),
      relaying: this.libp2p.getProtocols().includes(RELAY_V2_HOP_CODEC),
      addresses: this.libp2p.getMultiaddrs().map(ma => ma.toString())
    }
  }

  private emit<K extends keyof NodeEvents> (type: K, detail: NodeEvents[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }) as NodeEvents[K])
  }

  /** Turns libp2p's and the services' events into the node's plain ones. */
  private forwardEvents (): void {
    const { libp2p } = this
    libp2p.addEventListener('connection:open', e => {
      const c = e.detail
      const rung = this.games.rungOf(c)
      const base = { peer: c.remotePeer.toString(), rung, address: c.remoteAddr.toString() }
      // One ping measures the round trip; the event waits for it, briefly, and goes out regardless.
      libp2p.services.ping.ping(c.remotePeer, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) })
        .then(rtt => {
          this.firstRtt.set(base.peer, rtt)
          this.emit('peer:connected', { ...base, rttMs: rtt })
        }, () => { this.emit('peer:connected', base) })
    })
    let announced = ''
    libp2p.addEventListener('self:peer:update', () => {
      const addresses = libp2p.getMultiaddrs().map(ma => ma.toString())
      const key = addresses.join(' ')
      if (key === announced || libp2p.status !== 'started') return
      announced = key
      this.emit('addresses', { addresses })
    })
    libp2p.addEventListener('peer:disconnect', e => {
      // A relay reaches a client only over the client's own connection: once that is gone, so is
      // the use of its reservation (libp2p would keep it for two hours and count it against the limit).
      libp2p.services.relay?.reservations.delete(e.detail)
      this.firstRtt.delete(e.detail.toString())
      this.emit('peer:disconnected', { peer: e.detail.toString() })
    })
    const g = this.games
    g.addEventListener('game:started', e => { this.emit('game:started', { ...e.detail, gameId: e.detail.gameId.toString(), opponent: e.detail.opponent.toString() }) })
    g.addEventListener('game:move', e => { this.emit('game:move', { ...e.detail, gameId: e.detail.gameId.toString() }) })
    g.addEventListener('game:chat', e => { this.emit('game:chat', { ...e.detail, gameId: e.detail.gameId.toString() }) })
    g.addEventListener('game:path', e => { this.emit('game:path', { ...e.detail, gameId: e.detail.gameId.toString() }) })
    g.addEventListener('game:ended', e => { this.emit('game:ended', { ...e.detail, gameId: e.detail.gameId.toString() }) })
    g.addEventListener('upgrade', e => { this.emit('game:upgrade', { ...e.detail, peer: e.detail.peer.toString(), gameId: e.detail.gameId.toString() }) })
    g.addEventListener('delivery', e => { this.delivery.record(e.detail.method, e.detail.ok, e.detail.latencyMs) })
    g.addEventListener('delivery', e => {
      const { peer, gameId, ...rest } = e.detail
      this.emit('delivery', { ...rest, peer: peer.toString(), gameId: gameId.toString() })
    })
    g.addEventListener('rejected', e => {
      const { peer, gameId, ...rest } = e.detail
      this.emit('rejected', { ...rest, peer: peer.toString(), source: 'game', ...(gameId != null ? { gameId: gameId.toString() } : {}) })
    })
    this.challenge.addEventListener('rejected', e => { this.emit('rejected', { ...e.detail, peer: e.detail.peer.toString(), source: 'challenge' }) })
    this.lobby.addEventListener('reach', e => {
      this.relayGate?.update(e.detail).catch(err => { libp2p.logger.forComponent('p2pgo:node').error('could not gate relaying - %e', err) })
    })
    // A rating record that failed its audit is a lie about a rating: it costs reputation.
    this.ratings.addEventListener('audit', e => {
      if (e.detail.fraud) this.reputation.record({ kind: 'audit-failed', peer: e.detail.peer, at: (this.nowFn ?? Date.now)() })
    })
    this.rna.addEventListener('rna:rejected', e => { this.emit('rejected', { ...e.detail, source: 'rna' }) })
    this.rna.addEventListener('rna:accepted', e => { this.emit('rna', e.detail) })
    this.lobby.addEventListener('rejected', e => { this.emit('rejected', { ...e.detail, peer: e.detail.peer.toString(), source: 'lobby' }) })
    // A co-signed start record becomes a game on this node, whichever side proposed.
    this.challenge.addEventListener('game', e => {
      this.games.startGame(e.detail).catch(err => {
        this.emit('rejected', { peer: e.detail.opponent.toString(), reason: 'game-start-failed', message: (err as Error).message, source: 'challenge' })
      })
    })
  }
}

/** The node's connection limits: given, or by role. */
function connectionLimitsOf (init: P2pgoNodeInit): ConnectionLimits {
  return init.connectionLimits ?? (init.role === 'bootstrap' ? BOOTSTRAP_CONNECTIONS : PLAYER_CONNECTIONS)
}
