// When a rating lookup may stop before kad-dht's walk ends (protocols/rating.md, "Reading"). Pure:
// the lookup (weighted-lookup.ts) feeds it every valid answer as it comes and aborts the walk once
// the answers settle. A rating record is signed by its subject, so a valid record with a higher
// sequence is the subject's own later word whoever relays it: it always outranks older ones, and
// a stale copy can only win by being the newest the lookup has heard. The rule makes that
// unlikely by waiting for several distinct peers to agree on the newest sequence heard.

/** Distinct peers that must agree on the newest sequence heard before a lookup stops early: a record is put to the 20 closest peers, and the first answers come from them (kad-dht asks 3 paths x 3 peers at a time). */
export const SETTLE_QUORUM = 3

/** Peers closest to the key in the routing table that a lookup asks first, before any walk: the quorum and one spare. */
export const FIRST_ROUND = SETTLE_QUORUM + 1

/** How long the first round may take before the walk starts anyway (a peer that does not answer must not hold the lookup up): a few round trips. */
export const FIRST_ROUND_GRACE_MS = 1000

/** How long the corrections sent after an early stop may take (one PUT_VALUE each, sent at once): kad-dht's own per-request timeout is 10 s. */
export const CORRECTION_TIMEOUT = 10_000

/** A valid answer as the settle rule sees it. */
export interface Heard {
  readonly peer: string
  /** The record's sequence number (higher is newer). */
  readonly seq: number
  /**
   * Whether this answer may count toward agreement: a remote peer not distrusted. The node's own
   * copy (it may be outdated) and a distrusted peer's answer never count, yet their sequence still
   * raises the bar: the others must then agree on it, or the walk runs to its end.
   */
  readonly counts: boolean
}

export interface Settlement {
  /** Whether the lookup may stop now. */
  readonly settled: boolean
  /** The newest sequence heard, if any answer was. */
  readonly newest?: number
  /** Distinct counting peers whose answer is at `newest`. */
  readonly agreeing: number
}

/**
 * Whether `answers` settle the lookup: at least `quorum` distinct counting peers gave a record at
 * the highest sequence among all answers heard. Answers below it agree with nothing, whatever
 * their number: a stale majority never settles a lookup that has heard a newer record.
 */
export function settlement (answers: readonly Heard[], quorum = SETTLE_QUORUM): Settlement {
  if (answers.length === 0) return { settled: false, agreeing: 0 }
  const newest = Math.max(...answers.map(a => a.seq))
  const agreeing = new Set(answers.filter(a => a.counts && a.seq === newest).map(a => a.peer)).size
  return { settled: agreeing >= quorum, newest, agreeing }
}

/**
 * The peers to send the chosen record to after a lookup stopped early (kad-dht's "correction",
 * which only its full walk sends): every remote peer that answered with an older sequence, once.
 */
export function staleHolders (answers: ReadonlyArray<{ readonly peer: string, readonly seq: number, readonly own?: boolean }>, chosen: number): string[] {
  return [...new Set(answers.filter(a => a.own !== true && a.seq < chosen).map(a => a.peer))]
}
