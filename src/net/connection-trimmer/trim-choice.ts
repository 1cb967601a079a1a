// Which peers to disconnect when a node holds too many connections: pure, so the rule is tested
// on its own. The values are the peers' peer-store tag sums (reputation, gossip meshes, the DHT),
// as libp2p's own pruner counts them.

/** The connection limits: above `high` peers, close down to `low`; nothing younger than `graceMs`. */
export interface ConnectionLimits {
  readonly low: number
  readonly high: number
  readonly graceMs: number
}

/** A connected peer as the trimmer sees it. */
export interface TrimCandidate {
  readonly peer: string
  /** Sum of the peer's tag values. */
  readonly value: number
  /** A peer this node must keep: an opponent in a game in progress, a relay holding our reservation. */
  readonly protected: boolean
  /** When its oldest open connection opened (ms). */
  readonly since: number
}

/** Throws a RangeError unless 0 ≤ low ≤ high and graceMs ≥ 0. */
export function checkLimits (l: ConnectionLimits): void {
  if (!Number.isInteger(l.low) || !Number.isInteger(l.high) || l.low < 0 || l.low > l.high) throw new RangeError(`connection limits need 0 <= low <= high, got low ${l.low}, high ${l.high}`)
  if (!(l.graceMs >= 0)) throw new RangeError(`graceMs must be 0 or more, got ${l.graceMs}`)
}

/**
 * The peers to disconnect, least valued first: none while there are `high` peers or fewer;
 * otherwise enough of the unprotected peers past their grace period to come down to `low`
 * (fewer when too few are eligible). Among equal values, the newest connection goes first: the
 * older one has proved itself longer.
 */
export function chooseToTrim (peers: readonly TrimCandidate[], limits: ConnectionLimits, now: number): string[] {
  if (peers.length <= limits.high) return []
  return peers
    .filter(p => !p.protected && now - p.since >= limits.graceMs)
    .sort((a, b) => a.value - b.value || b.since - a.since)
    .slice(0, peers.length - limits.low)
    .map(p => p.peer)
}
