// The composition of a p2pgo node: libp2p's configuration from libp2pDefaults() plus p2pgo's own
// services, each a libp2p service that finds the others through libp2p's components. What
// differs by role is said here, once: a bootstrap relay keeps no rating of its own and always
// relays; a player relays only while reachable ("auto") and redials its bootstrap peers.
import { STUN_PORT } from './stun/stun-server.js'
import { libp2pDefaults, type NodeInit, type P2pgoServices, type RelayServerLimits } from './libp2p-defaults.js'
import { BOOTSTRAP_CONNECTIONS, CONNECTION_HEADROOM, PLAYER_CONNECTIONS } from './connection-trimmer/constants.js'
import { bootstrapRedial, type BootstrapRedial } from './bootstrap-redial/index.js'
import { identifyAgain, type IdentifyAgain } from './identify-again/index.js'
import { challenge, type ChallengeOffer, type ChallengeService, type Decision, type EngineInfo } from './challenge/index.js'
import { connectionTrimmer, type ConnectionLimits, type ConnectionTrimmer } from './connection-trimmer/index.js'
import { games } from './game/index.js'
import { lobbyV2, type LobbyV2 } from './lobby/v2/index.js'
import { friends, presenceRecordKind, type Friends } from './friends/index.js'
import { liveSourceOf } from './lobby/v2/live-source.js'
import { matchmaker, type Matchmaker } from './matchmaker/index.js'
import { peers, type PeerDirectory } from './peers/index.js'
import { DhtRecords, RecordStore, ratings, type RatingService } from './rating/index.js'
import { RecordKinds } from './dht/record-kinds.js'
import { withRecordStore } from './adapters/kad-dht-store.js'
import { relaySwitch, type RelaySwitch } from './relay-switch/index.js'
import { fetchRelayLoad, findRelays, relayLoad, type RelayLoadService } from './relay-load/index.js'
import { dualDhtOf } from './dht/dual-dht.js'
import { peerCache, type PeerCache, type PeerCacheInit } from './peer-cache/index.js'
import { rendezvous, DEFAULT_RENDEZVOUS, type Rendezvous } from './rendezvous/index.js'
import { reputation, appScore, type ReputationService } from './reputation/index.js'
import { rna, type RnaService } from './rna/index.js'
import { watch, type WatchService } from './watch/index.js'
import { mailbox, type HolderLimits, type MailboxService } from './mailbox/index.js'
import { post, type PostService } from './post/index.js'
import { GatewayAddressWatch, natType, type NatTypeService } from './nat-type/index.js'
import { relayChoice, type RelayChoiceService } from './relay-choice/index.js'
import { ReputationBook } from '../reputation/reputation-book.js'
import { relaySlotsOf } from '../config/listen-set.js'
import type { GameService } from './game/game-service.js'
import type { RatingParams } from '../rating/params.js'
import type { P2pgoConfig } from '../config/config.js'
import type { ConnectionGater, PrivateKey } from '@libp2p/interface'
import type { GossipsubOpts } from '@libp2p/gossipsub'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Datastore } from 'interface-datastore'
import type { Libp2pOptions, ServiceFactoryMap } from 'libp2p'

/** Every service a full p2pgo node runs; `relay`, `upnp` and `relaySwitch` only where configured. */
export type P2pgoNodeServices = P2pgoServices & {
  games: GameService
  lobby: LobbyV2
  /** A player's friends (presence records in the DHT); not on a bootstrap relay. */
  friends?: Friends
  challenge: ChallengeService
  peers: PeerDirectory
  reputation: ReputationService
  ratings: RatingService
  rna: RnaService
  watch: WatchService
  mailbox: MailboxService
  /** Offline challenges and messages (protocols/post.md); a player's, not a bootstrap relay's. */
  post?: PostService
  matchmaker: Matchmaker
  trimmer: ConnectionTrimmer
  bootstrapRedial: BootstrapRedial
  /** Identify again on connections libp2p's identify failed on (else the DHT never learns the peer). */
  identifyAgain: IdentifyAgain
  relaySwitch?: RelaySwitch
  relayLoad?: RelayLoadService
  peerCache?: PeerCache
  natType?: NatTypeService
  rendezvous?: Rendezvous
  relayChoice?: RelayChoiceService
}

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
  /** What a bootstrap relay keeps for offline players, over DEFAULT_HOLDER_LIMITS (src/net/mailbox/quota.ts). */
  readonly mailboxLimits?: Partial<HolderLimits>
  /** libp2p's metrics (the bootstrap relay's Prometheus endpoint). */
  readonly metrics?: Libp2pOptions['metrics']
  /** How many peers the node keeps (tests); by role when unset (constants: PLAYER_CONNECTIONS, BOOTSTRAP_CONNECTIONS). */
  readonly connectionLimits?: ConnectionLimits
  /** The home's peer cache file and where to report a damaged one; no cache without it (tests). */
  readonly peerCache?: Pick<PeerCacheInit, 'file' | 'warn' | 'retryFirst'>
  /** The friends list's source (the home's friends file), read before each round of friends' reads; follow/unfollow only without it. */
  readonly friends?: () => Promise<readonly string[]>
}

/**
 * Who sits at this node: how incoming challenges are answered and which engine plays. The
 * terminal client or a bot sets them once the node is built; until then every challenge is
 * declined 'busy'.
 */
export class Seat {
  decide: (offer: ChallengeOffer, options: { signal: AbortSignal }) => Promise<Decision> = async () => ({ decline: 'busy' })
  engine: EngineInfo | undefined
}

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
 * Another p2pgo service of the same node, read when called (never while libp2p builds the
 * services): libp2p hands every service the same components object, which holds them all.
 */
function sibling<K extends keyof P2pgoNodeServices> (components: unknown, name: K): P2pgoNodeServices[K] {
  return (components as P2pgoNodeServices)[name]
}

/** The node's connection limits: given, or by role. */
export function connectionLimitsOf (init: P2pgoNodeInit): ConnectionLimits {
  return init.connectionLimits ?? (init.role === 'bootstrap' ? BOOTSTRAP_CONNECTIONS : PLAYER_CONNECTIONS)
}

/** libp2p's options for a p2pgo node: the defaults, adjusted for the role, and every p2pgo service. */
export function p2pgoNodeOptions (init: P2pgoNodeInit, seat: Seat): Libp2pOptions<P2pgoNodeServices> {
  const { config, now } = init
  const privateNetwork = init.privateNetwork === true
  const bootstrapRole = init.role === 'bootstrap'
  const clock = now != null ? { now } : {}
  // Created before libp2p: gossipsub's score and the dialler's relay order read reputation from
  // the start, and kad-dht validates p2pgo's records with the same rules the rating service uses.
  const book = new ReputationBook()
  const trust = (peer: string): number => book.trustOf(peer, (now ?? Date.now)())
  const ratingRecords = new DhtRecords(now)
  // Every namespace of p2pgo records in the DHT, validated by every node (a bootstrap relay too: it stores them for others).
  const records = new RecordKinds([...ratingRecords.kinds(), presenceRecordKind(now)])
  const limits = connectionLimitsOf(init)
  const stun = config.stun.length > 0 ? config.stun : stunFromBootstrap(config.bootstrap)
  // The UPnP gateway's external address, as upnp-nat learns it, tells a double NAT (nat-type/double-nat.ts).
  const gateway = !privateNetwork && config.upnp ? new GatewayAddressWatch() : undefined
  const nodeInit: NodeInit = {
    privateKey: init.privateKey,
    datastore: init.datastore,
    listen: config.listen,
    announce: config.announce,
    bootstrap: config.bootstrap,
    mdns: !privateNetwork && config.mdns,
    upnp: gateway != null ? { portMappingClient: gateway.client } : false,
    // 'auto' runs the relay server too; the relay switch opens it only while the node is reachable.
    relayServer: bootstrapRole || config.relayServer !== 'off' ? { ...init.relayLimits } : false,
    stun,
    ...(bootstrapRole ? { dhtClientMode: false } : config.dht.clientMode !== 'auto' ? { dhtClientMode: config.dht.clientMode } : {}),
    privateNetwork,
    ...(init.connectionMonitor === false ? { connectionMonitor: false } : {}),
    ...(init.connectionGater != null ? { connectionGater: init.connectionGater } : {}),
    ...(init.gossip != null ? { gossip: init.gossip } : {}),
    dhtRecords: { validators: records.validators(), selectors: records.selectors() },
    appSpecificScore: peer => appScore(trust(peer)),
    trust,
    maxConnections: Math.ceil(limits.high * CONNECTION_HEADROOM)
  }
  const base = libp2pDefaults(nodeInit)
  // libp2pDefaults always sets services; spreading the optional field would make them all optional.
  const services = base.services as ServiceFactoryMap<P2pgoServices>
  // The records kad-dht stores for others go through p2pgo's store: newest kept, quotas, a bounded total.
  // Both DHTs share the store (and so the records): a record a LAN peer stored is served on the WAN too.
  const store = new RecordStore({ records, trust, ...clock })
  services.dht = withRecordStore(services.dht, store)
  const lan = services.lanDht as ((components: any) => KadDHT) | undefined
  if (lan != null) services.lanDht = withRecordStore(lan, store)
  const relaying = services.relay != null
  // The public Amino DHT by default; never on a private network (tests, `--local`) unless a list is given.
  const rendezvousPeers = config.rendezvous ?? (privateNetwork ? [] : [...DEFAULT_RENDEZVOUS])
  return {
    ...base,
    ...(init.metrics != null ? { metrics: init.metrics } : {}),
    start: false,
    services: {
      ...services,
      // Order matters only for construction; each service reads the others through libp2p's components when it needs them.
      games: (components) => games({
        ...clock,
        ...(config.abandonAfterSeconds != null ? { abandonAfterMs: config.abandonAfterSeconds * 1000 } : {}),
        peerReach: peer => sibling(components, 'lobby').reachOf(peer),
        learnReach: async peer => await sibling(components, 'lobby').learnReach(peer),
        // Acts for an opponent that cannot be reached wait with its holders (protocols/game.md, "Acts through the mailbox").
        mailbox: () => sibling(components, 'mailbox')
      })(components),
      // A bootstrap relay is a hub: it follows every lobby topic its neighbours follow (players behind NAT meet only through it).
      // A player in a game announces it in the lobby (live entries): its games and their watchers.
      lobby: (components) => lobbyV2({ ...clock, hub: bootstrapRole, live: liveSourceOf(() => sibling(components, 'games'), id => sibling(components, 'watch').watchersOf(id)) })(components),
      // A player puts its presence record while open and reads its friends' (protocols/lobby.md, "Friends").
      ...(bootstrapRole
        ? {}
        : {
            friends: (components: any) => friends({
              ...clock,
              own: () => sibling(components, 'lobby').ownPresence(),
              dht: () => dualDhtOf(components),
              ...(init.friends != null ? { list: init.friends } : {})
            })(components)
          }),
      challenge: (components) => challenge({
        name: config.name,
        ...clock,
        rating: size => sibling(components, 'ratings').claim(size),
        engine: () => seat.engine,
        decide: async (offer, options) => seat.decide(offer, options)
      })(components),
      peers: peers(),
      reputation: reputation({ book, ...clock }),
      ratings: ratings({ records: ratingRecords, ownRecord: !bootstrapRole, ...clock, ...(init.ratingParams != null ? { params: init.ratingParams } : {}) }),
      rna: rna(clock),
      // A bootstrap relay is a hub for watched games too (watchers behind NAT meet only through it).
      watch: watch({ ...clock, name: () => config.name, hub: bootstrapRole }),
      // Store-and-forward (protocols/mailbox.md): a bootstrap relay holds envelopes for the players that reserve on it; a player collects its own.
      mailbox: mailbox({ ...clock, holder: bootstrapRole, collect: !bootstrapRole, ...(init.mailboxLimits != null ? { limits: init.mailboxLimits } : {}) }),
      // Offline challenges and messages (protocols/post.md): straight to a peer online, else through the mailbox.
      ...(bootstrapRole
        ? {}
        : {
            post: (components: any) => post({
              ...clock,
              name: config.name,
              mailbox: () => sibling(components, 'mailbox'),
              // The opponent's relays, from its signed item: where the game's acts wait for it while it is away.
              startGame: async (game, reply) => {
                const games = sibling(components, 'games')
                const started = await games.startGame(game)
                if (reply.length > 0) await games.rememberHolders(game.gameId, reply)
                return started
              },
              rating: size => sibling(components, 'ratings').claim(size),
              engine: () => seat.engine
            })(components)
          }),
      matchmaker: matchmaker(clock),
      trimmer: connectionTrimmer({ limits, ...clock }),
      bootstrapRedial: bootstrapRedial({ peers: config.bootstrap, reservations: config.listen.filter(a => a.endsWith('/p2p-circuit')).length }),
      identifyAgain: identifyAgain(),
      ...(init.peerCache != null && config.peerCache ? { peerCache: peerCache({ ...init.peerCache, privateNetwork, ...clock }) } : {}),
      // A player asks its STUN servers what NAT it is behind (no hole punch from a symmetric one; `p2pgo doctor`).
      ...(bootstrapRole ? {} : { natType: natType({ servers: stun, ...(gateway != null ? { gateway } : {}) }) }),
      ...(rendezvousPeers.length > 0
        ? {
            rendezvous: (components: any) => rendezvous({
              peers: rendezvousPeers,
              provide: bootstrapRole ? 'always' : 'when-reachable',
              reach: () => sibling(components, 'lobby').ownReach(),
              bootstrap: config.bootstrap.length,
              privateNetwork,
              ...clock
            })(components)
          }
        : {}),
      ...(relaying ? { relaySwitch: relaySwitch({ byReach: !bootstrapRole && config.relayServer === 'auto' }) } : {}),
      // A player's relay slots go to the relays it measures best (src/net/relay-choice/); a bootstrap relay takes none.
      ...(!bootstrapRole && relaySlotsOf(config.listen) > 0
        ? {
            relayChoice: (components: any) => relayChoice({
              slots: relaySlotsOf(config.listen),
              bootstrap: config.bootstrap,
              trust,
              // Each candidate's own load report, and relays found by their provider records in both DHTs.
              load: fetchRelayLoad,
              findRelays: options => findRelays(dualDhtOf(components), { ...options, self: components.peerId }),
              playing: peer => {
                const g = sibling(components, 'games')
                return g.games.some(s => g.opponentOf(s.gameId) === peer && !g.over(s.gameId))
              },
              ...clock
            })(components)
          }
        : {}),
      // While the node relays: its load report, and its provider record under the relays' key.
      ...(relaying ? { relayLoad: relayLoad({ ...clock, ...(init.relayLimits?.maxCircuits != null ? { maxCircuits: init.relayLimits.maxCircuits } : {}) }) } : {})
    }
  }
}
