// What a refused message costs its sender (protocols/conventions.md, "What a receiver does with a
// bad message"): an `invalid` event in the node's reputation book, through the reputation
// service's own `record`. Shared by the challenge, lobby and game protocols.
import { minute } from '../../units.js'
import type { ReputationEvent } from '../../reputation/events.js'
import type { PeerId } from '@libp2p/interface'

/** The slice of the reputation service a protocol uses: ReputationService in src/net/reputation. */
export interface ReputationRecorder {
  record (event: ReputationEvent): void
}

/**
 * One penalty per peer and protocol in this long: every event is written to disk, so a flood of
 * refusals must not become a flood of writes; one costs the peer as much as the book needs to
 * stop trusting it (one invalid event is trust 0.38, protocols/reputation.md).
 */
export const PENALTY_INTERVAL_MS = 1 * minute

/** Peers remembered for the interval: past it the oldest are forgotten (and may be penalized again sooner). */
const MAX_REMEMBERED = 4096

export interface PenaltiesInit {
  /** The protocol the refusals come from: the event's reason reads `<source>:<reason>`. */
  readonly source: string
  /** The node's reputation service, when it has one (a test node may not). */
  readonly reputation: () => ReputationRecorder | undefined
  readonly now?: () => number
}

/** Turns a protocol's refusals of a peer's messages into reputation, at most once per peer per interval. */
export class Penalties {
  private readonly init: PenaltiesInit
  private readonly now: () => number
  private readonly last = new Map<string, number>()

  constructor (init: PenaltiesInit) {
    this.init = init
    this.now = init.now ?? Date.now
  }

  /** Costs `peer` an `invalid` event for `reason` (`malformed`, `bad-signature`, ...); false when throttled or there is no book. */
  penalize (peer: PeerId | string, reason: string): boolean {
    const reputation = this.init.reputation()
    if (reputation == null) return false
    const id = peer.toString()
    const at = this.now()
    const before = this.last.get(id)
    if (before != null && at - before < PENALTY_INTERVAL_MS) return false
    this.last.delete(id)
    this.last.set(id, at)
    // Oldest first in a Map: forget the longest-ago beyond the bound.
    while (this.last.size > MAX_REMEMBERED) this.last.delete(this.last.keys().next().value as string)
    reputation.record({ kind: 'invalid', peer: id, reason: `${this.init.source}:${reason}`, at })
    return true
  }
}
