/**
 * @packageDocumentation
 *
 * Friends followed by peer ID (protocols/lobby.md, "Friends"): presence records in the DHT under
 * `/p2pgo-presence/<peer>`, put by an open player, read for each friend every 2 min.
 *
 * @example
 *
 * ```ts
 * const node = await createLibp2p({ ...config, services: { ...config.services, friends: friends({ own: () => lobby.ownPresence(), dht: () => dualDht }) } })
 * node.services.friends.follow('12D3KooW...')
 * node.services.friends.addEventListener('friend', e => { console.log(e.detail.state) })
 * ```
 */
import { Friends } from './friends-service.js'
import type { DualDht } from '../dht/dual-dht.js'
import type { LobbyRatings, PresenceInput } from '../lobby/index.js'
import type { LobbySize } from '../lobby/messages.js'
import type { ComponentLogger, PeerId, PrivateKey } from '@libp2p/interface'

export { Friends } from './friends-service.js'
export { InvalidPresenceRecordError, type PresenceRecordReason } from './errors.js'
export { checkPresenceRecord, presenceRecordKind, presenceKey, newestPresenceIndex, type PresenceRecord } from './presence-record.js'
export * from './constants.js'

/** What is known of a friend: open to games (with its presence), away (it said it left), not found (no valid record: offline), or not read yet. */
export interface FriendStatus {
  /** Peer ID text. */
  readonly peer: string
  readonly state: 'open' | 'away' | 'not-found' | 'unknown'
  /** The name of its last presence seen. */
  readonly name?: string
  readonly sizes?: readonly LobbySize[]
  readonly ratings?: LobbyRatings
  /** When the presence record lapses, ms since the epoch. */
  readonly expires?: number
  /** When the record was last read, ms since the epoch. */
  readonly checkedAt?: number
}

export interface FriendsEvents {
  /** A friend's record was read: its status now. */
  friend: CustomEvent<FriendStatus>
  /** A friend is no longer followed. */
  'friend:removed': CustomEvent<FriendStatus>
}

export interface FriendsInit {
  /** The player's presence while open to games (the lobby's own presence); undefined or `playing` when not open. */
  readonly own: () => PresenceInput | undefined
  /** The node's DHTs. */
  readonly dht: () => DualDht
  /** The friends list's source (the home's friends file), read again before each round of reads; without it, follow/unfollow only. */
  readonly list?: () => Promise<readonly string[]>
  readonly now?: () => number
  /** ms between rounds of reads (FRIEND_READ_INTERVAL); tests shorten it. */
  readonly readInterval?: number
  /** ms between looks at the own presence (OWN_PRESENCE_LOOK). */
  readonly lookInterval?: number
  /** ms after which an unchanged presence is put again (PRESENCE_REFRESH). */
  readonly refresh?: number
  /** ms one DHT read or put may take (PRESENCE_DHT_TIMEOUT). */
  readonly dhtTimeout?: number
}

export interface FriendsComponents {
  readonly peerId: PeerId
  readonly privateKey?: PrivateKey
  readonly logger: ComponentLogger
}

/** The friends service as a libp2p service. */
export function friends (init: FriendsInit): (components: FriendsComponents) => Friends {
  return (components) => new Friends(components, init)
}
