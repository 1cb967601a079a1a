// Which relays a node holds its slots on: a score per relay from what the node measured (round
// trip, the relay's reported load, refusals met, reputation), and the choice with hysteresis.
// Pure: measurements in, numbers and a choice out (tunables as default / create / validate, as
// src/reputation/params.ts does).

/** A relay's load as it reports it (`/p2pgo/relay-load/1.0.0`): its reservations and circuits now, its limits, refusals it made. */
export interface RelayLoadReport {
  readonly reservations: number
  readonly maxReservations: number
  readonly circuits: number
  readonly maxCircuits?: number
  readonly refused: number
}

/** What a node measured of one relay. */
export interface RelayMeasure {
  /** Smallest round trip by libp2p ping, ms; null when it did not answer. */
  readonly rttMs: number | null
  /** The relay's own report, or null when unknown (no report, or it failed). */
  readonly load: RelayLoadReport | null
  /** Reservations this node asked for there and was refused (or failed) recently. */
  readonly refusals: number
  /** This node's trust in the relay (its reputation), 0 to 1, 0.5 for a stranger. */
  readonly trust: number
}

/** The score's weights and the move margins, all in milliseconds of round trip. */
export interface RelayScoreParams {
  /** What a full relay costs over an empty one: the most a load report can move a score (a liar gains at most this). */
  readonly loadWeight: number
  /** The load fraction assumed for a relay that reports none (the middle: neither rewarded nor punished). */
  readonly unknownLoad: number
  /** What each recent refusal costs; at least `loadWeight`, so one refusal undoes anything a report won. */
  readonly refusalPenalty: number
  /** Refusals counted at most (a relay that refused often is simply last). */
  readonly maxRefusals: number
  /** What full trust (1) saves over a stranger (0.5), and no trust (0) costs. */
  readonly trustWeight: number
  /** A move needs the new relay's score lower by at least this much… */
  readonly moveMarginMs: number
  /** …and by at least this fraction of the old relay's score (its magnitude). */
  readonly moveMarginFraction: number
}

/**
 * The defaults. Round trips to relays on the internet are 10-300 ms: a full relay counts like
 * 200 ms further away (enough to leave it for one twice as far that is empty, not for one across
 * an ocean); a refusal costs 400, so a relay that refuses goes behind every one that does not;
 * full trust is worth 100 ms. A move needs 50 ms and 25 % better: ping jitter and small load
 * changes never move a slot, a full or refusing relay always does.
 */
export const defaultRelayScoreParams: RelayScoreParams = {
  loadWeight: 200,
  unknownLoad: 0.5,
  refusalPenalty: 400,
  maxRefusals: 3,
  trustWeight: 200,
  moveMarginMs: 50,
  moveMarginFraction: 0.25
}

/** The defaults with some values replaced; validated. */
export function createRelayScoreParams (partial: Partial<RelayScoreParams> = {}): RelayScoreParams {
  const params = { ...defaultRelayScoreParams, ...partial }
  validateRelayScoreParams(params)
  return params
}

/** Throws a RangeError naming the first value that cannot work. */
export function validateRelayScoreParams (p: RelayScoreParams): void {
  const nonNegative = ['loadWeight', 'refusalPenalty', 'maxRefusals', 'trustWeight', 'moveMarginMs', 'moveMarginFraction'] as const
  for (const key of nonNegative) {
    if (!Number.isFinite(p[key]) || p[key] < 0) throw new RangeError(`relay score: ${key} must be a finite number >= 0, not ${p[key]}`)
  }
  if (!(p.unknownLoad >= 0 && p.unknownLoad <= 1)) throw new RangeError(`relay score: unknownLoad must be within 0..1, not ${p.unknownLoad}`)
  if (p.refusalPenalty < p.loadWeight) throw new RangeError(`relay score: refusalPenalty (${p.refusalPenalty}) must be at least loadWeight (${p.loadWeight}), or a relay could win by lying about its load and refusing`)
  if (p.moveMarginFraction >= 1) throw new RangeError(`relay score: moveMarginFraction must be below 1, not ${p.moveMarginFraction}`)
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x))
const sane = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0

/**
 * How full a relay says it is, 0 to 1: the larger of its reservation and circuit fractions.
 * A report that makes no sense (negative, not finite, no limit) counts as full: the bound a
 * report can move a score is the same whichever way it lies.
 */
export function loadFraction (report: RelayLoadReport): number {
  const { reservations, maxReservations, circuits, maxCircuits } = report
  if (!sane(reservations) || !sane(maxReservations) || maxReservations === 0 || !sane(circuits)) return 1
  const fractions = [reservations / maxReservations]
  if (maxCircuits != null) {
    if (!sane(maxCircuits) || maxCircuits === 0) return 1
    fractions.push(circuits / maxCircuits)
  }
  return clamp01(Math.max(...fractions))
}

/**
 * A relay's score, lower is better: round trip + loadWeight × load fraction + refusalPenalty ×
 * recent refusals − trustWeight × (trust − 0.5). Infinity when it did not answer a ping.
 */
export function relayScore (m: RelayMeasure, params: RelayScoreParams = defaultRelayScoreParams): number {
  if (m.rttMs == null || !Number.isFinite(m.rttMs)) return Infinity
  const load = m.load != null ? loadFraction(m.load) : params.unknownLoad
  const refusals = Math.min(Math.max(0, m.refusals), params.maxRefusals)
  const trust = Number.isFinite(m.trust) ? clamp01(m.trust) : 0.5
  return Math.max(0, m.rttMs) + params.loadWeight * load + params.refusalPenalty * refusals - params.trustWeight * (trust - 0.5)
}

/** Whether `candidate` is clearly better than `current`: lower by both margins (hysteresis, so slots do not flap). */
export function clearlyBetter (candidate: number, current: number, params: RelayScoreParams = defaultRelayScoreParams): boolean {
  if (!Number.isFinite(candidate)) return false
  if (!Number.isFinite(current)) return true
  const gain = current - candidate
  return gain >= params.moveMarginMs && gain >= params.moveMarginFraction * Math.abs(current)
}

/** A slot to move: from a held relay to a better one. */
export interface RelayMove { readonly from: string, readonly to: string }

/** Where the slots should be. */
export interface RelayChoice {
  /** The relays the slots belong on (held ones kept, free slots filled, moves' targets), at most `slots`. */
  readonly chosen: readonly string[]
  /** Free slots to fill, best first. */
  readonly fills: readonly string[]
  /** Held relays to leave for clearly better ones, worst held first. */
  readonly moves: readonly RelayMove[]
}

/**
 * The choice: free slots go to the best relays not held; then the worst held relay moves to the
 * best remaining one while that one is clearly better (clearlyBetter), and so on down the list.
 * A held relay with no score (not measured) stays. Ties go by peer ID, so the choice is stable.
 */
export function chooseRelays (scores: ReadonlyMap<string, number>, held: readonly string[], slots: number, params: RelayScoreParams = defaultRelayScoreParams): RelayChoice {
  const score = (peer: string): number => scores.get(peer) ?? Infinity
  const heldSet = new Set(held)
  const best = [...scores.keys()]
    .filter(peer => !heldSet.has(peer) && Number.isFinite(score(peer)))
    .sort((a, b) => score(a) - score(b) || (a < b ? -1 : a > b ? 1 : 0))
  const fills = best.splice(0, Math.max(0, slots - held.length))
  const movable = held
    .filter(peer => scores.has(peer))
    .sort((a, b) => score(b) - score(a) || (a < b ? -1 : a > b ? 1 : 0))
  const moves: RelayMove[] = []
  for (let i = 0; i < movable.length && i < best.length; i++) {
    if (!clearlyBetter(score(best[i]), score(movable[i]), params)) break
    moves.push({ from: movable[i], to: best[i] })
  }
  const leaving = new Set(moves.map(m => m.from))
  const chosen = [...held.filter(peer => !leaving.has(peer)), ...fills, ...moves.map(m => m.to)].slice(0, Math.max(0, slots))
  return { chosen, fills, moves }
}
