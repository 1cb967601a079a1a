import { minute, second } from '../../units.js'

/** The one gossipsub topic of the lobby; the trailing 1 is the message version, as in `v`. */
export const LOBBY_TOPIC = '/p2pgo/lobby/1'

/** The message version this node speaks (gossip has no negotiation, so it travels in `v`). */
export const LOBBY_VERSION = 1

/** Largest lobby message: a presence is 110 to 360 bytes (longest name, three ratings) plus its peer record, a seek at most about 260; 4 KiB leaves room and still caps abuse. */
export const LOBBY_MAX_BYTES = 4096

/** How long a published entry lives without a republish: three republish rounds, so one or two lost messages do not drop it. */
export const TTL = 90 * second

/** Furthest ahead of the receiver's clock an `expires` may be: a peer cannot pin an entry for long, and clock skew up to MAX_TTL - TTL is tolerated. */
export const MAX_TTL = 5 * minute

/** How often expired entries are swept from the view; removal is seen at most this late. */
export const SWEEP_INTERVAL = 5 * second

/** Open seeks kept per peer; a fourth pushes out the one sent longest ago (lowest `seq`). */
export const MAX_SEEKS_PER_PEER = 3

/** Peers tracked at once; the one whose entries expire soonest is dropped first. 2,000 peers is a few hundred KiB. */
export const MAX_ENTRIES = 2000

/** Cancelled seek IDs remembered per peer, so a seek message overtaken by its cancel cannot bring the seek back. */
export const MAX_TOMBSTONES_PER_PEER = 8

/** Longest display name in characters (Unicode code points), as in the config. */
export const NAME_MAX_CHARS = 32

/** Bytes of a seek ID: random, so collisions between one peer's few seeks do not happen in practice. */
export const SEEK_ID_BYTES = 8

/** Board sizes a player can announce (the network's standard sizes). */
export const LOBBY_SIZES = [9, 13, 19] as const

/** Largest |mu| a presence may carry: TrueSkill's mu starts at 25; the bound only rejects nonsense. */
export const MAX_ABS_MU = 1000

/** Largest sigma a presence may carry (it must also be above 0): TrueSkill's starts at 8.33 and only shrinks. */
export const MAX_SIGMA = 100

/** Bound on a seek's rating range: wide enough for any display scale derived from mu (src/rating/display.ts), narrow enough to stay sane. */
export const MAX_ABS_RANGE = 10_000

/** Largest signed peer record a presence may carry: an envelope of ~140 bytes plus MAX_RECORD_ADDRESSES relay addresses of ~90 bytes each. */
export const RECORD_MAX_BYTES = 2048

/** Addresses a presence's peer record may hold: a node's own, its UPnP mapping and a few relays, each over TCP and WebRTC. */
export const MAX_RECORD_ADDRESSES = 16
