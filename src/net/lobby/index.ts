/**
 * @packageDocumentation
 *
 * The lobby: players announce themselves and post open seeks; every node keeps a current view of
 * the others and drops what expires. The service nodes run is version 2 (`./v2/`, topics per
 * size and rating bucket); this folder holds what both versions share (the view, the player's
 * signed peer record, the field checks, the public face `LobbyService` and its events) and
 * version 1's codec, kept as documented (protocols/lobby.md) since version 2's fields are its.
 *
 * @example
 *
 * ```ts
 * const config = libp2pDefaults({ privateKey, listen })
 * const node = await createLibp2p({ ...config, services: { ...config.services, lobby: lobbyV2() } })
 * node.services.lobby.addEventListener('seek', evt => { console.log(evt.detail.peer, evt.detail.terms) })
 * node.services.lobby.setPresence({ name: 'Alice', sizes: [9, 19], status: 'idle' })
 * const id = node.services.lobby.postSeek({ terms, color: 'random' })
 * ```
 */
import type { LobbyRejectReason } from './errors.js'
import type { LobbyRating, LobbyRatings, LobbySize, PlayerStatus, RatingRange, SeekColor } from './messages.js'
import type { GossipSub } from '@libp2p/gossipsub'
import type { CID } from 'multiformats/cid'
import type { ComponentLogger, Libp2pEvents, Metrics, PeerId, PeerStore, PrivateKey } from '@libp2p/interface'
import type { TypedEventTarget } from 'main-event'
import type { AddressManager } from '@libp2p/interface-internal'
import type { GameTerms } from '../../wire/game-start.js'
import type { Reach } from '../rung.js'
import type { ReputationRecorder } from '../reputation/penalties.js'

export { LOBBY_TOPIC, LOBBY_VERSION, LOBBY_MAX_BYTES, TTL, MAX_TTL, SWEEP_INTERVAL, MAX_SEEKS_PER_PEER, MAX_ENTRIES, NAME_MAX_CHARS, SEEK_ID_BYTES, LOBBY_SIZES } from './constants.js'
export { LobbyMessageError, InvalidLobbyEntryError, type LobbyRejectReason, type LobbySemanticReason } from './errors.js'
export { decodeLobbyMessage, encodeLobbyMessage, checkLobbyMessage, type LobbyMessage, type PresenceMessage, type SeekMessage, type CancelMessage, type LobbySize, type LobbyRating, type LobbyRatings, type PlayerStatus, type SeekColor, type RatingRange } from './messages.js'

/** Options; every one has a default fit for a real node, tests shorten the intervals and inject the clock. */
export interface LobbyInit {
  /** The clock, ms since the epoch; all expiry is judged by it. Default `Date.now`. */
  readonly now?: () => number
  /** How often expired entries are swept out, ms. Default SWEEP_INTERVAL. */
  readonly sweepInterval?: number
  /** Most peers tracked. Default MAX_ENTRIES. */
  readonly maxEntries?: number
}

/**
 * What the lobby needs from libp2p; `pubsub` is the node's gossipsub service (key `pubsub`).
 * It is typed optional only because libp2p infers every service of a spread services map as
 * optional; the `@libp2p/pubsub` dependency makes libp2p refuse to build a node without it.
 */
export interface LobbyComponents {
  readonly peerId: PeerId
  readonly logger: ComponentLogger
  readonly pubsub?: GossipSub
  readonly metrics?: Metrics
  /**
   * With these three the presence carries a signed peer record of this node's addresses, and the
   * records others send go into the peer store, so a player seen in the lobby can be dialled
   * (through its relay when it sits behind NAT). Without them (unit tests), presences carry none.
   */
  readonly privateKey?: PrivateKey
  readonly addressManager?: AddressManager
  readonly peerStore?: PeerStore
  readonly events?: TypedEventTarget<Libp2pEvents>
  /** The node's reputation service: the signer of a refused message loses trust. Optional (unit tests run without). */
  readonly reputation?: ReputationRecorder
}

/** Another peer's announcement, as this node holds it. */
export interface LobbyPresence {
  readonly peer: PeerId
  readonly name: string
  readonly sizes: readonly LobbySize[]
  readonly ratings?: LobbyRatings
  readonly status: PlayerStatus
  /** How the player says it can be reached (public, UPnP, relayed); absent when it did not say. */
  readonly reach?: Reach
  /** When it lapses unless republished, ms since the epoch. */
  readonly expires: number
}

/** Another peer's open seek, as this node holds it. */
export interface LobbySeek {
  readonly peer: PeerId
  /** 8 random bytes, unique among the seeker's seeks; the challenge protocol names the seek by it. */
  readonly id: Uint8Array
  readonly terms: GameTerms
  readonly color: SeekColor
  readonly range?: RatingRange
  readonly expires: number
}

/** A game in progress, as one of its players announces it in the lobby (its `live` entry). */
export interface LobbyLiveGame {
  readonly gameId: CID
  readonly size: LobbySize
  readonly black: PeerId
  readonly white: PeerId
  readonly names: { readonly B: string, readonly W: string }
  /** A rated game's claims (the start record's). */
  readonly ratings?: { readonly B: LobbyRating, readonly W: LobbyRating }
  /** Turns played when the entry was published. */
  readonly ply: number
  /** Watchers its author counted then. */
  readonly watchers: number
  /** The player whose entry this is. */
  readonly author: PeerId
  /** When this node received the entry, ms since the epoch. */
  readonly received: number
  /** ms since it was received, when listed (liveGames()). */
  readonly age: number
  readonly expires: number
}

/** Why a live game left the view: it lapsed, its players said it ended (`leave`), or the view was full. */
export type LiveRemovalReason = 'expired' | 'left' | 'limit'

/** What this node announces about its player. */
export interface PresenceInput {
  readonly name: string
  /** Sorted and deduplicated before sending. */
  readonly sizes: readonly LobbySize[]
  readonly ratings?: LobbyRatings
  readonly status: PlayerStatus
}

/** A seek this node posts. */
export interface SeekInput {
  readonly terms: GameTerms
  readonly color: SeekColor
  readonly range?: RatingRange
}

/** One of this node's own open seeks. */
export interface OwnSeek extends SeekInput {
  readonly id: Uint8Array
}

/** Why a presence left the view: it lapsed, the view was full and it expired soonest, or the player said it is no longer open to games (version 2's `leave`). */
export type PresenceRemovalReason = 'expired' | 'limit' | 'left'

/** Why a seek left the view: it lapsed, its seeker cancelled it, a limit pushed it out, or the seeker left. */
export type SeekRemovalReason = 'expired' | 'cancelled' | 'limit' | 'left'

/** A refused message: who signed (or forwarded, when unsigned) it, the machine reason and a sentence. */
export interface LobbyRejection {
  readonly peer: PeerId
  readonly reason: LobbyRejectReason
  readonly message: string
}

/** The lobby's events: the view's changes, and refusals for the event stream. */
export interface LobbyEvents {
  /** A peer appeared, or its presence changed (a plain republish is not a change). */
  presence: CustomEvent<LobbyPresence>
  'presence:removed': CustomEvent<{ readonly presence: LobbyPresence, readonly reason: PresenceRemovalReason }>
  /** A seek appeared, or changed. */
  seek: CustomEvent<LobbySeek>
  'seek:removed': CustomEvent<{ readonly seek: LobbySeek, readonly reason: SeekRemovalReason }>
  /** A live game appeared, or its entry changed (its ply, its watchers). */
  live: CustomEvent<LobbyLiveGame>
  'live:removed': CustomEvent<{ readonly live: LobbyLiveGame, readonly reason: LiveRemovalReason }>
  /** A message was refused; nothing changed, and unless it was blameless (a newer version, an expiry outside this node's window) its signer lost reputation. */
  rejected: CustomEvent<LobbyRejection>
  /** How this node can be reached changed (its presence says so from now on). */
  reach: CustomEvent<Reach | undefined>
}

/**
 * What the rest of the node uses of a lobby, whichever version runs: the view, this node's own
 * entries, and the events. Services that read the lobby name this, not a class.
 */
export interface LobbyService extends TypedEventTarget<LobbyEvents> {
  setPresence: (input: PresenceInput) => void
  postSeek: (input: SeekInput) => Uint8Array
  cancelSeek: (id: Uint8Array) => boolean
  mySeeks: () => OwnSeek[]
  presences: () => LobbyPresence[]
  presenceOf: (peer: PeerId) => LobbyPresence | undefined
  reachOf: (peer: PeerId) => Reach | undefined
  seeks: () => LobbySeek[]
  ownReach: () => Reach | undefined
  /** Games in progress that players on the topics this node follows announce, most watched first. */
  liveGames: () => LobbyLiveGame[]
}
