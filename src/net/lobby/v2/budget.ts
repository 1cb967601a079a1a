// How often a publisher on a lobby version 2 topic republishes: RTCP's rule (RFC 3550 §6.2) for
// gossip. Every subscriber of a topic holds the same entries, so they agree on how many publish
// there and together stay within the topic's byte budget whatever the number of players. Pure.
import { minute, second } from '../../../units.js'

/** First-copy bytes per second one topic may carry: with ~560-byte presences, 16 players republish every 30 s. */
export const TOPIC_BUDGET = 300

/** Least republish interval: below TOPIC_BUDGET × this a topic costs what version 1 did. */
export const MIN_PERIOD = 30 * second

/**
 * Longest republish interval: above TOPIC_BUDGET × MAX_PERIOD / b publishers (~480 presences of
 * 560 bytes) a topic's cost grows again, by 1/30 of version 1's per player, rather than entries
 * going stale for hours (a crashed player's entry stays listed for up to three periods).
 */
export const MAX_PERIOD = 15 * minute

/** An entry lives this many periods: one or two lost messages do not drop it. */
export const PERIODS_PER_TTL = 3

/** Room for clock skew above an entry's life (as version 1's MAX_TTL - TTL). */
export const CLOCK_SKEW = 210 * second

/** What the budget is computed from: the live presences this node holds for the topic. */
export interface TopicLoad {
  /** Live presences on the topic (this node's own counts too). */
  readonly publishers: number
  /** Their mean size in bytes as sent. */
  readonly meanBytes: number
}

/** Budget options; the defaults are the protocol's, tests and the scale harness change them. */
export interface BudgetOptions {
  readonly budget?: number
  readonly minPeriod?: number
  readonly maxPeriod?: number
}

/**
 * The deterministic period of a topic: `n × b / R` ms, within [minPeriod, maxPeriod]. The `n × b / R` term is the
 * time the topic needs to carry one copy of every presence at R bytes a second.
 */
export function topicPeriod (load: TopicLoad, options: BudgetOptions = {}): number {
  const budget = options.budget ?? TOPIC_BUDGET
  const minPeriod = options.minPeriod ?? MIN_PERIOD
  if (!(budget > 0) || !(minPeriod > 0)) throw new RangeError(`a topic budget and least period must be positive, got ${budget} B/s and ${minPeriod} ms`)
  const n = Math.max(1, Math.floor(load.publishers))
  const b = Number.isFinite(load.meanBytes) && load.meanBytes > 0 ? load.meanBytes : 0
  const maxPeriod = Math.max(minPeriod, options.maxPeriod ?? MAX_PERIOD)
  return Math.min(maxPeriod, Math.max(minPeriod, Math.ceil(n * b / budget * 1000)))
}

/**
 * The next republish delay: the period times a uniform factor in [0.5, 1.5), so publishers that
 * started together spread out instead of republishing in step (RTCP's randomisation).
 */
export function nextDelay (period: number, random: () => number = Math.random): number {
  const r = random()
  const factor = 0.5 + (r >= 0 && r < 1 ? r : 0.5)
  return Math.round(period * factor)
}

/** The life an entry announces (its `expires` is now + this): PERIODS_PER_TTL periods. */
export function entryLife (period: number): number {
  return period * PERIODS_PER_TTL
}

/**
 * The furthest ahead a receiver accepts an `expires`: the longest life any publisher may announce
 * plus clock skew. It does not depend on the receiver's own count of a topic's publishers, which
 * is low until it has caught up: a newcomer must not refuse the entries of a crowded topic.
 */
export function maxLife (options: BudgetOptions = {}): number {
  return entryLife(Math.max(options.minPeriod ?? MIN_PERIOD, options.maxPeriod ?? MAX_PERIOD)) + CLOCK_SKEW
}
