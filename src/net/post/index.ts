/**
 * @packageDocumentation
 *
 * Post (protocols/post.md): offline challenges and short messages between players. An item goes
 * straight to the peer when it is online (`/p2pgo/post/1.0.0`), else into the mailbox
 * (protocols/mailbox.md) to wait for it. A challenge is the live protocol's `propose`; the
 * recipient accepts it days later with an `accept` signed over the start record, and the game
 * exists on both sides once the challenger's `confirm` is back.
 *
 * @example
 *
 * ```ts
 * await node.post.message(friend, 'back on Sunday')
 * await node.post.challenge(friend, { terms, color: 'random' }, { lifetimeMs: 3 * day })
 * for (const item of await node.post.inbox()) console.log(item.from, item.kind)
 * ```
 */
import { PostService } from './post-service.js'
import type { StartedGame } from '../game/game-service.js'
import type { MailboxService } from '../mailbox/index.js'
import type { ChallengeColor } from '../challenge/messages.js'
import type { EngineInfo, GameTerms, RatingClaim } from '../../wire/game-start.js'
import type { ComponentLogger, PeerId, PeerStore, PrivateKey } from '@libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'

export { PostService, type SendResult } from './post-service.js'
export { PostRefusedError, PostDeliveryError, NoSuchItemError, type PostRefusal } from './errors.js'
export { POST_PROTOCOL, DEFAULT_OFFER_LIFETIME, TEXT_MAX_CHARS } from './constants.js'
export { checkText } from './wire.js'

/** A challenge as the inbox shows it. */
export interface OfferView {
  readonly name: string
  readonly terms: GameTerms
  /** The colour the challenger plays. */
  readonly color: ChallengeColor
  readonly rating?: RatingClaim
  readonly engine?: EngineInfo
}

/** One item waiting in the inbox. */
export interface InboxView {
  /** Give it to accept / dismiss. */
  readonly id: string
  readonly from: string
  readonly kind: 'challenge' | 'message'
  /** When the sender made it, when it arrived here, when it lapses (ms since the epoch). */
  readonly at: number
  readonly received: number
  readonly expires: number
  readonly text?: string
  readonly challenge?: OfferView
}

/** An offline challenge this node sent or accepted, waiting for the other player. */
export interface PendingView {
  /** The proposal ID (hex). */
  readonly id: string
  readonly peer: string
  /** 'sent': waiting for their answer; 'accepted': waiting for their countersignature. */
  readonly state: 'sent' | 'accepted'
  readonly terms: GameTerms
  readonly expires: number
}

export interface PostEvents {
  /** A challenge or a message arrived (and is in the inbox). */
  'post:item': CustomEvent<InboxView>
  /** An offline challenge became a game on this node. */
  'post:game': CustomEvent<StartedGame>
  /** The other player declined an offline challenge of this node. */
  'post:declined': CustomEvent<{ id: string, peer: string }>
  /** An item was refused: nothing of it was kept. */
  'post:rejected': CustomEvent<{ peer: string, reason: string, message: string }>
}

export interface PostInit {
  /** This node's display name in its challenges and accepts. */
  readonly name?: string
  /** The clock, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
  /** The mailbox service, for items to peers that are offline. */
  readonly mailbox: () => MailboxService
  /**
   * Starts playing a game both players signed (the game service's startGame); `reply` is the
   * opponent's circuit addresses from its signed item: where its acts can wait for it.
   */
  readonly startGame: (game: StartedGame, reply: readonly string[]) => Promise<unknown>
  /** This node's rating claim for a size (undefined: unrated), as the live challenge makes it. */
  readonly rating?: (size: number) => RatingClaim | undefined
  /** The engine this node plays with; undefined for a person. */
  readonly engine?: () => EngineInfo | undefined
}

export interface PostComponents {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly logger: ComponentLogger
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
  readonly datastore: Datastore
  /** The sender's relays, from its item, so an answer can reach it through them. */
  readonly peerStore: PeerStore
  readonly addressManager: AddressManager
}

/** Offline challenges and messages as a libp2p service: `post: post({ mailbox, startGame })`. */
export function post (init: PostInit): (components: PostComponents) => PostService {
  return (components) => new PostService(components, init)
}
