import { createLibp2p, type Libp2p } from 'libp2p'
import { TypedEventEmitter } from 'main-event'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { peerIdFromString } from '@libp2p/peer-id'
import { fromFixed } from '../rating/trueskill.js'
import { relaySlotsOf } from '../config/listen-set.js'
import { RATED_SIZES } from '../rating/constants.js'
import { relayOf } from './address-order.js'
import { forwardNodeEvents, type NodeEvents } from './node-events.js'
import { routingTableSize, withEmptyRoutingRefused } from './peers/empty-routing.js'
import { p2pgoNodeOptions, Seat, stunFromBootstrap, type P2pgoNodeInit, type P2pgoNodeServices } from './node-services.js'
import type { ChallengeOffer, ChallengeService, ChallengeTerms, Decision, EngineInfo, ProposeOptions } from './challenge/index.js'
import type { ConnectionTrimmer } from './connection-trimmer/index.js'
import type { DeliveryLedger } from './delivery-ledger.js'
import type { GameService } from './game/game-service.js'
import type { LobbyPresence, LobbyRatings } from './lobby/index.js'
import type { LobbyV2 } from './lobby/v2/index.js'
import type { Friends } from './friends/index.js'
import type { StartedGame } from './game/game-service.js'
import type { Matchmaker } from './matchmaker/index.js'
import type { PeerView } from './peers/index.js'
import type { RatingService } from './rating/index.js'
import type { RelaySwitch } from './relay-switch/index.js'
import type { PeerCache } from './peer-cache/index.js'
import type { NatTypeService } from './nat-type/index.js'
import type { Rendezvous } from './rendezvous/index.js'
import type { ReputationService } from './reputation/index.js'
import type { RnaService } from './rna/index.js'
import type { WatchService } from './watch/index.js'
import type { MailboxService } from './mailbox/index.js'
import type { PostService } from './post/index.js'
import type { Reach, Rung } from './rung.js'
import type { Datastore } from 'interface-datastore'

export type { NodeEvents } from './node-events.js'
export type { P2pgoNodeInit, P2pgoNodeServices } from './node-services.js'
export { stunFromBootstrap } from './node-services.js'
export type { ConnectionView, PeerView } from './peers/index.js'
export type { Rung }

export type P2pgoLibp2p = Libp2p<P2pgoNodeServices>

/** This node: who it is, how it can be reached, and the addresses it announces. */
export interface SelfView {
  readonly peer: string
  readonly name: string
  readonly reach?: Reach
  /** Whether it offers circuit relay service to others now. */
  readonly relaying: boolean
  readonly addresses: readonly string[]
  /** Peer IDs of the relays holding a reservation for this node (its circuit addresses name them), first announced first. */
  readonly relays: readonly string[]
}

/** What this node knows of the network now: the facts behind a wait's advice (queries/query-text.ts). */
export interface NetworkFacts {
  /** Peers connected now. */
  readonly connections: number
  /** Peers in the DHT's routing table: whom a lookup can ask. */
  readonly dhtPeers: number
  /** Bootstrap peers configured. */
  readonly bootstrap: number
  /** Whether it looks for peers on the LAN (mDNS). */
  readonly mdns: boolean
}

/**
 * A p2pgo node: libp2p with p2pgo's services (node-services.ts), and one event stream for
 * everything a player (or a script) wants to see (node-events.ts). The screen and the CLI use
 * only this.
 *
 * @example
 * const node = await P2pgoNode.create({ privateKey, datastore, config, role: 'player' })
 * node.addEventListener('game:move', evt => { console.log(evt.detail.move) })
 * await node.start()
 */
export class P2pgoNode extends TypedEventEmitter<NodeEvents> {
  readonly libp2p: P2pgoLibp2p
  /** The home's datastore (games, RNA, reputation, and kad-dht's records under /dht). */
  readonly datastore: Datastore
  /** The player's display name (from the configuration). */
  readonly name: string
  private readonly seat: Seat
  private readonly init: P2pgoNodeInit

  private constructor (libp2p: P2pgoLibp2p, init: P2pgoNodeInit, seat: Seat) {
    super()
    this.libp2p = libp2p
    this.datastore = init.datastore
    this.name = init.config.name
    this.seat = seat
    this.init = init
    forwardNodeEvents(libp2p, (type, detail) => { this.dispatchEvent(new CustomEvent(type, { detail })) })
  }

  /** Builds (but does not start) a node from a home's key, datastore and configuration. */
  static async create (init: P2pgoNodeInit): Promise<P2pgoNode> {
    const seat = new Seat()
    const options = p2pgoNodeOptions(init, seat)
    // A dial to a peer with no known address asks the DHT where it is: refused at once while the DHT knows nobody to ask (peers/empty-routing.ts).
    const services = options.services as Record<string, (components: any) => object>
    services.dht = withEmptyRoutingRefused(services.dht)
    if (services.lanDht != null) services.lanDht = withEmptyRoutingRefused(services.lanDht)
    const libp2p = await createLibp2p(options)
    return new P2pgoNode(libp2p, init, seat)
  }

  /** Starts libp2p and every service (unfinished games resume), and announces the listening addresses. Calling it again does nothing. */
  async start (): Promise<void> {
    if (this.libp2p.status === 'started' || this.libp2p.status === 'starting') return
    await this.libp2p.start()
    this.dispatchEvent(new CustomEvent('listening', { detail: { addresses: this.libp2p.getMultiaddrs().map(ma => ma.toString()) } }))
  }

  /** Stops every service and libp2p. Calling it again does nothing. */
  async stop (): Promise<void> {
    await this.libp2p.stop()
  }

  /** Decides incoming challenges; declines them ('busy') until someone sets it. */
  get decide (): (offer: ChallengeOffer, options: { signal: AbortSignal }) => Promise<Decision> {
    return this.seat.decide
  }

  set decide (decide: (offer: ChallengeOffer, options: { signal: AbortSignal }) => Promise<Decision>) {
    this.seat.decide = decide
  }

  /** The engine this node plays with (a bot sets it), declared in every challenge it makes or answers; undefined for a person. */
  get engine (): EngineInfo | undefined {
    return this.seat.engine
  }

  set engine (engine: EngineInfo | undefined) {
    this.seat.engine = engine
  }

  get peerId (): string {
    return this.libp2p.peerId.toString()
  }

  get games (): GameService {
    return this.libp2p.services.games
  }

  get lobby (): LobbyV2 {
    return this.libp2p.services.lobby
  }

  /** The player's friends and what their presence records say; undefined on a bootstrap relay. */
  get friends (): Friends | undefined {
    return this.libp2p.services.friends
  }

  get challenge (): ChallengeService {
    return this.libp2p.services.challenge
  }

  /** The player's ratings: its own book and record in the DHT, others' records, audits. */
  get ratings (): RatingService {
    return this.libp2p.services.ratings
  }

  /** Opponents near this player's rating, found through the DHT and the lobby. */
  get matchmaker (): Matchmaker {
    return this.libp2p.services.matchmaker
  }

  /** Discovery reputation: what this node saw of each peer, and the trust that follows. */
  get reputation (): ReputationService {
    return this.libp2p.services.reputation
  }

  /** Training data: finished games gossiped as RNA, the store, propagation paths. */
  get rna (): RnaService {
    return this.libp2p.services.rna
  }

  /** Watching live games: serves the games this node plays, watches others (protocols/watch.md). */
  get watch (): WatchService {
    return this.libp2p.services.watch
  }

  /** Store-and-forward: envelopes left for offline peers with their relays, and collected from this node's own (protocols/mailbox.md). */
  get mailbox (): MailboxService {
    return this.libp2p.services.mailbox
  }

  /** Offline challenges and short messages, and the inbox (protocols/post.md); undefined on a bootstrap relay. */
  get post (): PostService | undefined {
    return this.libp2p.services.post
  }

  /** Closes the least valued peers (reputation, meshes, DHT) when there are too many. */
  get trimmer (): ConnectionTrimmer {
    return this.libp2p.services.trimmer
  }

  /** The relay server's upkeep; with `relayServer: "auto"` it relays only while reachable. */
  get relaySwitch (): RelaySwitch | undefined {
    return this.libp2p.services.relaySwitch
  }

  /** Acts delivered per rung since start: counts, success rate, latency. */
  get delivery (): DeliveryLedger {
    return this.libp2p.services.peers.delivery
  }

  /** The player's ratings as the lobby presence carries them (plain mu and sigma per size). */
  lobbyRatings (): LobbyRatings {
    const out: Partial<Record<9 | 13 | 19, { mu: number, sigma: number }>> = {}
    for (const size of RATED_SIZES) out[size] = fromFixed(this.ratings.ratingOn(size))
    return out
  }

  /** A peer's lobby presence, by peer ID text, when the lobby has one. */
  presenceOf (peer: string): LobbyPresence | undefined {
    return this.lobby.presenceOf(peerIdFromString(peer))
  }

  /** Challenges a peer (by peer ID text) to a game; resolves with the game once both signed its start. */
  async propose (peer: string, offer: ChallengeTerms, options: ProposeOptions = {}): Promise<StartedGame> {
    return this.challenge.propose(peerIdFromString(peer), offer, options)
  }

  /** What this node knows of the network now: peers connected, DHT peers, bootstrap peers configured, mDNS. */
  networkFacts (): NetworkFacts {
    return {
      connections: this.libp2p.getPeers().length,
      dhtPeers: routingTableSize(this.libp2p.services.dht) + routingTableSize(this.libp2p.services.lanDht),
      bootstrap: this.init.config.bootstrap.length,
      mdns: this.init.privateNetwork !== true && this.init.config.mdns
    }
  }

  /** The peer cache (its `size()` for `p2pgo doctor`); undefined when the node keeps none. */
  get peerCache (): PeerCache | undefined {
    return this.libp2p.services.peerCache
  }

  /** What NAT this node is behind, from its STUN servers; undefined on a bootstrap relay. */
  get natType (): NatTypeService | undefined {
    return this.libp2p.services.natType
  }

  /** The STUN servers this node asks (its `stun` config, else its bootstrap relays' hosts). */
  stunServers (): string[] {
    return this.init.config.stun.length > 0 ? [...this.init.config.stun] : stunFromBootstrap(this.init.config.bootstrap)
  }

  /** The rendezvous through the public Amino DHT (its `state()` for `p2pgo doctor`); undefined when off. */
  get rendezvous (): Rendezvous | undefined {
    return this.libp2p.services.rendezvous
  }

  /** Relay reservations this node asks for: its listen set's /p2p-circuit entries, as the bootstrap redial counts them. */
  relaySlots (): number {
    return relaySlotsOf(this.init.config.listen)
  }

  /** Every connected peer, best path first (then by peer ID). */
  peers (): PeerView[] {
    return this.libp2p.services.peers.peers()
  }

  /** This node as others see it. */
  self (): SelfView {
    const reach = this.lobby.ownReach()
    const addresses = this.libp2p.getMultiaddrs()
    return {
      peer: this.peerId,
      name: this.name,
      ...(reach != null ? { reach } : {}),
      relaying: this.libp2p.getProtocols().includes(RELAY_V2_HOP_CODEC),
      addresses: addresses.map(ma => ma.toString()),
      relays: [...new Set(addresses.map(relayOf).filter(r => r != null))]
    }
  }
}
