// Matchmaking's ranking: a pure function from what is known about each candidate to an ordered,
// explained list. The weights are documented in README "Matchmaking".
import { PROVISIONAL_SIGMA } from './constants.js'
import { matchQuality, initialRating, type FixedRating } from './trueskill.js'
import { defaultRatingParams, type RatingParams } from './params.js'

/** How this node would reach a candidate: a rung of the ladder, or not known yet. */
export type Connection = 'direct' | 'upnp' | 'hole-punched' | 'relayed' | 'unknown'

/** What a search learned about one candidate. */
export interface CandidateFacts {
  readonly peer: string
  /** Its rating on the size: from its verified DHT record, else as its lobby presence claims. */
  readonly rating?: FixedRating
  /** The rating came from a signed, valid DHT record (not only a lobby claim). */
  readonly verified: boolean
  /** Its record failed an audit on this node: never proposed to. */
  readonly auditFailed?: boolean
  /** Discovery reputation in [0, 1]; 0.5 for a peer this node knows nothing about. */
  readonly reputation?: number
  readonly connection: Connection
  readonly rttMs?: number
}

/** The parts of a candidate's score, each in [0, 1], and the weighted sum. */
export interface ScoreParts {
  /** TrueSkill match quality (the chance of a draw between the two): close, certain ratings score high. */
  readonly quality: number
  /** How far the rating can be believed: verified and low sigma score high. */
  readonly certainty: number
  readonly reputation: number
  /** Expected connection: the rung and the round trip. */
  readonly connection: number
}

export interface RankedCandidate extends CandidateFacts {
  readonly score: number
  readonly parts: ScoreParts
  /** Why it ranks where it does, in words (`--json` shows it). */
  readonly why: string
}

/** Weights of the score's parts: fairness first, then how well the game will run, then trust. */
export const RANKING_WEIGHTS: Readonly<Record<keyof ScoreParts, number>> = Object.freeze({ quality: 0.5, certainty: 0.1, reputation: 0.15, connection: 0.25 })

/** Value of each rung: a direct path is best, a relay works but adds a hop. */
const RUNG_VALUE: Readonly<Record<Connection, number>> = { direct: 1, upnp: 1, 'hole-punched': 0.85, relayed: 0.6, unknown: 0.7 }
/** Round trip at which the connection part halves. */
const RTT_HALF_MS = 200
/** Reputation of a stranger. */
export const NEUTRAL_REPUTATION = 0.5

/** A candidate's score and its parts. */
export function scoreCandidate (me: FixedRating, c: CandidateFacts, params: RatingParams = defaultRatingParams): { score: number, parts: ScoreParts } {
  const theirs = c.rating ?? initialRating(params)
  const quality = matchQuality(me, theirs, params)
  const sigma = theirs.sigma / 1000
  // Unverified ratings are believed as little as a newcomer's.
  const certainty = c.verified && c.rating != null ? Math.max(0, Math.min(1, 1 - (sigma - 1) / (params.sigma - 1))) : 0
  const reputation = Math.max(0, Math.min(1, c.reputation ?? NEUTRAL_REPUTATION))
  const connection = RUNG_VALUE[c.connection] * (c.rttMs != null ? RTT_HALF_MS / (RTT_HALF_MS + c.rttMs) : 1)
  const parts = { quality, certainty, reputation, connection }
  const score = c.auditFailed === true ? 0 : (Object.keys(RANKING_WEIGHTS) as Array<keyof ScoreParts>).reduce((sum, k) => sum + RANKING_WEIGHTS[k] * parts[k], 0)
  return { score, parts }
}

/** Candidates best first (ties by peer ID), each with its score explained; audit failures last, score 0. */
export function rankCandidates (me: FixedRating, candidates: readonly CandidateFacts[], params: RatingParams = defaultRatingParams): RankedCandidate[] {
  return candidates.map(c => {
    const { score, parts } = scoreCandidate(me, c, params)
    return { ...c, score, parts, why: explain(c, parts, params) }
  }).sort((a, b) => b.score - a.score || (a.peer < b.peer ? -1 : 1))
}

function explain (c: CandidateFacts, p: ScoreParts, params: RatingParams): string {
  if (c.auditFailed === true) return 'excluded: its rating record failed an audit'
  const bits = [
    `match quality ${(p.quality * 100).toFixed(0)}%`,
    c.rating == null ? 'no rating known (treated as a newcomer)' : c.verified ? `rating verified${c.rating.sigma / 1000 > (params.provisionalSigma ?? PROVISIONAL_SIGMA) ? ', provisional' : ''}` : 'rating only claimed in the lobby',
    `reputation ${(p.reputation).toFixed(2)}`,
    `connection ${c.connection}${c.rttMs != null ? ` ${Math.round(c.rttMs)} ms` : ''}`
  ]
  return bits.join('; ')
}
