// The friends service's wire constants and tunables (protocols/lobby.md, "Friends").
import { minute, second } from '../../units.js'

/** The DHT namespace of presence records: `/p2pgo-presence/<peer ID multihash bytes>`, in the rating record's style (kad-dht picks validators by the first path segment). */
export const PRESENCE_NAMESPACE = 'p2pgo-presence'

/** Largest presence record: a presence without peer record is ~200 bytes (peer 38, name ≤ 64, ratings, seq, expires, sig 64); 1 KiB leaves room and still caps a store's cost. */
export const PRESENCE_RECORD_MAX_BYTES = 1024

/** How often an open player puts its presence record again (protocols/lobby.md: every 10 min). */
export const PRESENCE_REFRESH = 10 * minute

/** How long a presence record lives: a refresh period plus 5 min for a late put, so a player who vanished shows offline at most 15 min later. */
export const PRESENCE_LIFE = 15 * minute

/** How long an "away" record (a signed `leave`) counts, measured from its seq (the signer's clock in ms): as long as a presence. */
export const AWAY_LIFE = PRESENCE_LIFE

/** Clock skew tolerated on a record's times, as the lobby's census (limits.ts CENSUS_MAX_SKEW). */
export const PRESENCE_MAX_SKEW = 5 * minute

/** How often each friend's record is read (protocols/lobby.md: every 2 min), and once at start. */
export const FRIEND_READ_INTERVAL = 2 * minute

/** How often the player's own presence is compared with what was last put: a change is put at the next look, so changes are debounced to this. */
export const OWN_PRESENCE_LOOK = 15 * second

/** How long one DHT read or put of a presence record may take (the rating service's DHT_TIMEOUT). */
export const PRESENCE_DHT_TIMEOUT = 30 * second

/** Friends followed at most: each costs a DHT lookup every 2 min (~log N messages). */
export const MAX_FRIENDS = 200
