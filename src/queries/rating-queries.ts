// What `p2pgo rating` and `p2pgo match` ask a node, as plain JSON answers (a public contract, see
// README "Commands scripts can rely on"). The same functions answer over the control socket when
// a node already runs in the home, and in-process when the command starts its own node.
import { peerIdFromString } from '@libp2p/peer-id'
import { viewOf, type RatingView } from '../rating/display.js'
import { isRatedSize } from '../rating/rating-book.js'
import { RATED_SIZES } from '../rating/constants.js'
import { InvalidRatingRecordError, ratingProblemMessage } from '../rating/errors.js'
import { DHT_TIMEOUT } from '../net/rating/constants.js'
import { RecordNotFoundError } from '../net/rating/errors.js'
import { duration, iso, isTimeout, networkAdvice, waitFailure, type NetworkFacts } from './query-text.js'
import { dhtPeersSoon } from './dht-peers.js'
import type { AuditFinding } from '../rating/audit.js'
import type { RatedSize, SignedRatingRecord } from '../rating/rating-record.js'
import { rankCandidates, type RankedCandidate } from '../rating/ranking.js'
import type { P2pgoNode } from '../net/node.js'
import type { MatchSearch } from '../net/matchmaker/index.js'
import type { GameTerms } from '../wire/game-start.js'

/** One size of a rating as `p2pgo rating --json` shows it. */
export interface SizeAnswer extends RatingView {
  readonly games: number
  /** CIDs of the co-signed results behind the latest changes, oldest first. */
  readonly cited: string[]
}

/** `p2pgo rating --json`. */
export interface RatingAnswer {
  readonly peer: string
  readonly self: boolean
  readonly seq: number | null
  readonly updated: string | null
  readonly expires: string | null
  readonly sizes: Partial<Record<string, SizeAnswer>>
  readonly relay: { delivered: number, failed: number, served: number } | null
  readonly audit?: { ok: boolean, checked: number, opponents: Partial<Record<string, number>>, findings: AuditFinding[] }
}

/** Params of the `rating` query (also the control socket's). */
export interface RatingQuery {
  readonly peer?: string
  readonly size?: number
  readonly audit?: boolean
}

/** A rating query that could not be answered: no record, or an invalid one (with its reason). */
export class RatingQueryError extends Error {
  readonly code = 'ERR_RATING'
  constructor (message: string) {
    super(message)
    this.name = 'RatingQueryError'
  }
}

function sizesOf (record: Pick<SignedRatingRecord, 'sizes'>, only?: number): Partial<Record<string, SizeAnswer>> {
  const out: Partial<Record<string, SizeAnswer>> = {}
  for (const size of RATED_SIZES) {
    if (only != null && only !== size) continue
    const s = record.sizes[size]
    if (s == null) continue
    out[String(size)] = { ...viewOf(s.rating), games: s.games, cited: s.cited.map(c => c.result.toString()) }
  }
  return out
}

/** How long a lookup waits for its first DHT peer while a peer is connected or being dialled (identify may not have told yet which of them serve the DHT). */
const DHT_PEERS_WAIT_MS = 10_000

/** Answers `rating`: this node's own ratings, or another peer's record from the DHT (verified, and audited when asked). */
export async function ratingAnswer (node: P2pgoNode, q: RatingQuery, signal: AbortSignal): Promise<RatingAnswer> {
  const peer = q.peer ?? node.peerId
  let id
  try {
    id = peerIdFromString(peer)
  } catch {
    throw new RatingQueryError(`"${peer}" is not a peer ID`)
  }
  const self = id.equals(node.libp2p.peerId)
  let record: SignedRatingRecord | undefined
  if (!self) {
    // kad-dht would wait for peers to join until the signal ends: with nobody to ask, say so.
    const waitedFrom = Date.now()
    const facts = await dhtPeersSoon(node, { ms: DHT_PEERS_WAIT_MS, signal })
    const waited = Date.now() - waitedFrom >= DHT_PEERS_WAIT_MS ? ` (waited ${duration(DHT_PEERS_WAIT_MS)} for one)` : ''
    if (facts.dhtPeers === 0) throw new RatingQueryError(`could not look up the rating record of ${peer}: this node knows no DHT peers to ask${waited}; ${networkAdvice(facts)}`)
  }
  const began = Date.now()
  try {
    record = self ? node.ratings.ownRecord : await node.ratings.fetchRecord(id, { signal })
  } catch (err) {
    if (err instanceof InvalidRatingRecordError) throw new RatingQueryError(`the rating record of ${peer} is invalid (${err.reason}): ${err.message}`)
    if (err instanceof RecordNotFoundError) throw new RatingQueryError(notFound(peer, node.networkFacts()))
    if (isTimeout(err)) throw new RatingQueryError(waitFailure(err, { what: `the rating record of ${peer} from the DHT`, ms: Date.now() - began }, node.networkFacts()))
    throw err
  }
  const base = {
    peer,
    self,
    seq: record?.seq ?? null,
    updated: record != null ? iso(record.updated) : null,
    expires: record != null ? iso(record.expires) : null,
    sizes: sizesOf(self ? { sizes: node.ratings.ratings } : record as SignedRatingRecord, q.size),
    relay: record?.relay ?? null
  }
  if (q.audit !== true || record == null) return base
  const report = await node.ratings.audit(record, { signal })
  return { ...base, audit: { ok: report.ok, checked: report.checked, opponents: report.opponents, findings: [...report.findings] } }
}

/** No record of `peer` in the DHT, as a sentence: who was asked and what it likely means. */
function notFound (peer: string, facts: NetworkFacts): string {
  return `no rating record of ${peer} was found in the DHT (${facts.dhtPeers} DHT peer${facts.dhtPeers === 1 ? '' : 's'} to ask): a player publishes one after its first rated game, so it has none yet, or the peers holding it are offline; try again later`
}

/**
 * A finding as the audit's lines say it. A result that could not be fetched says so and what to
 * do, whatever ended the fetch (nobody held it, or the DHT did not answer in time).
 */
function findingText (f: AuditFinding): string {
  if (f.reason !== 'missing-result') return f.message
  return `${ratingProblemMessage('missing-result')}${f.result != null ? ` (${f.result})` : ''}: the peers holding it may be offline, or the DHT did not answer within ${duration(DHT_TIMEOUT)}; audit again later (a missing result is not held against the publisher)`
}

/** The lines `p2pgo rating` prints. */
export function formatRatingAnswer (a: RatingAnswer): string[] {
  const lines = [`${a.peer}${a.self ? ' (this node)' : ''}${a.seq != null ? `, record ${a.seq}, signed ${a.updated ?? ''}, valid until ${a.expires ?? ''}` : ', no record published yet'}`]
  const sizes = Object.entries(a.sizes)
  if (sizes.length === 0) lines.push('  no rated games yet: a newcomer (25.0 ±8.3, 30k, provisional)')
  for (const [size, s] of sizes) {
    if (s == null) continue
    lines.push(`  ${size}x${size}: ${s.rank}${s.provisional ? ' (provisional)' : ''}  ${s.conservative.toFixed(1)} (mu ${s.mu.toFixed(2)} ±${s.sigma.toFixed(2)}), ${s.games} game${s.games === 1 ? '' : 's'}`)
  }
  if (a.relay != null) lines.push(`  relayed acts: ${a.relay.delivered} delivered, ${a.relay.failed} failed; relay reservations served: ${a.relay.served}`)
  if (a.audit != null) {
    lines.push(a.audit.ok ? `  audit: OK, ${a.audit.checked} cited result${a.audit.checked === 1 ? '' : 's'} recompute to the published rating` : `  audit: FAILED (${a.audit.findings.length} finding${a.audit.findings.length === 1 ? '' : 's'})`)
    for (const f of a.audit.findings) lines.push(`    ${f.size}x${f.size} ${f.reason}: ${findingText(f)}`)
  }
  return lines
}

/** Params of the `match` query. */
export interface MatchQuery {
  readonly size?: number
  /** Propose to the best candidate (default true). */
  readonly propose?: boolean
}

/** `p2pgo match --json`. */
export interface MatchAnswer {
  readonly size: number
  readonly me: RatingView
  readonly candidates: Array<RankedCandidate & { rank?: string }>
  readonly buckets: readonly number[]
  readonly firstCandidateMs: number | null
  readonly ms: number
  /** The game agreed with the first candidate that accepted, or null. */
  readonly game: { readonly peer: string, readonly gameId: string, readonly color: 'B' | 'W' } | null
  /** Candidates proposed to that declined or did not answer, with why. */
  readonly declined: Array<{ readonly peer: string, readonly reason: string }>
  /** When nobody was found on a network this node barely reached: why, and what to do. */
  readonly hint?: string
}

/** Candidates a match tries before giving up. */
const MAX_PROPOSALS = 3
/** How long one candidate may take to answer a proposal. */
const PROPOSAL_WAIT_MS = 30_000

/**
 * The signal a match search runs under: the caller's, or, while the DHT knows no peers to ask,
 * one already ended, so the search takes the lobby's seekers and does not wait on DHT lookups that
 * could only run out (kad-dht waits for peers to join: 10 s per rating bucket, a minute in all).
 */
export function lobbyOnlyWithoutDht (node: P2pgoNode, signal: AbortSignal): AbortSignal {
  if (node.networkFacts().dhtPeers > 0) return signal
  const now = new AbortController()
  now.abort(new Error('no DHT peers to ask: the lobby only'))
  return now.signal
}

/**
 * Finds and ranks opponents; unless only listing, challenges each candidate as the matchmaker
 * finds it (the lobby's seekers first, then the DHT's, nearest rating first; not waiting for a
 * record fetch: `--list` verifies every record) until one accepts (at most MAX_PROPOSALS), and the
 * search stops there.
 */
export async function matchAnswer (node: P2pgoNode, q: MatchQuery, signal: AbortSignal): Promise<MatchAnswer> {
  const size = q.size ?? 9
  if (!isRatedSize(size)) throw new RatingQueryError(`size must be 9, 13 or 19, got ${size}`)
  const { search, game, declined } = q.propose === false
    ? { search: await node.matchmaker.find(size as RatedSize, { signal: lobbyOnlyWithoutDht(node, signal) }), game: null, declined: [] }
    : await proposeAsFound(node, size as RatedSize, signal)
  const facts = node.networkFacts()
  const hint = search.candidates.length === 0 && (facts.connections === 0 || facts.dhtPeers === 0) ? networkAdvice(facts) : undefined
  return {
    size,
    me: viewOf(search.me),
    candidates: search.candidates.map(c => ({ ...c, ...(c.rating != null ? { rank: viewOf(c.rating).rank } : {}) })),
    buckets: search.buckets,
    firstCandidateMs: search.firstCandidateMs ?? null,
    ms: search.ms,
    game,
    declined,
    ...(hint != null ? { hint } : {})
  }
}

/** Challenges candidates as they are found until one accepts; the search as far as it went. */
async function proposeAsFound (node: P2pgoNode, size: RatedSize, signal: AbortSignal): Promise<{ search: MatchSearch, game: MatchAnswer['game'], declined: Array<{ peer: string, reason: string }> }> {
  const started = Date.now()
  const found: RankedCandidate[] = []
  const buckets: number[] = []
  const declined: Array<{ peer: string, reason: string }> = []
  let game: MatchAnswer['game'] = null
  let firstCandidateMs: number | undefined
  let tried = 0
  for await (const c of node.matchmaker.candidates(size, { signal: lobbyOnlyWithoutDht(node, signal), verify: false, onBucket: b => { buckets.push(b) } })) {
    firstCandidateMs ??= Date.now() - started
    found.push(c)
    if (c.score <= 0) continue
    tried++
    const seek = node.lobby.seeks().find(s => s.peer.toString() === c.peer && s.terms.size === size)
    const terms: GameTerms = seek?.terms ?? { size, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 10 * 60_000, periodMs: 30_000, periods: 5 } }
    const color = seek?.color === 'black' ? 'white' : seek?.color === 'white' ? 'black' : 'random'
    const began = Date.now()
    try {
      const agreed = await node.challenge.propose(peerIdFromString(c.peer), { terms, color, name: node.name }, { signal: AbortSignal.any([signal, AbortSignal.timeout(PROPOSAL_WAIT_MS)]) })
      game = { peer: c.peer, gameId: agreed.gameId.toString(), color: agreed.me }
      break
    } catch (err) {
      if (signal.aborted) throw err
      declined.push({ peer: c.peer, reason: waitFailure(err, { what: 'an answer to the challenge', ms: Date.now() - began, peer: c.peer }, node.networkFacts()) })
    }
    if (tried >= MAX_PROPOSALS) break
  }
  const me = node.ratings.ratingOn(size)
  const search: MatchSearch = { size, me, candidates: rankCandidates(me, found), buckets, ...(firstCandidateMs != null ? { firstCandidateMs } : {}), ms: Date.now() - started }
  return { search, game, declined }
}

/** The lines `p2pgo match` prints. */
export function formatMatchAnswer (a: MatchAnswer): string[] {
  const lines = [`${a.size}x${a.size}: you are ${a.me.rank}${a.me.provisional ? ' (provisional)' : ''}; ${a.candidates.length} candidate${a.candidates.length === 1 ? '' : 's'} found in ${Math.round(a.ms)} ms${a.firstCandidateMs != null ? ` (first after ${Math.round(a.firstCandidateMs)} ms)` : ''}`]
  a.candidates.forEach((c, i) => {
    lines.push(`  ${String(i + 1).padStart(2)}. ${c.peer}  score ${c.score.toFixed(3)}  ${c.rank ?? '?'}  ${c.why}`)
  })
  for (const d of a.declined) lines.push(`  ${d.peer} did not take the game: ${d.reason}`)
  if (a.game != null) lines.push(`game ${a.game.gameId} agreed with ${a.game.peer}, you play ${a.game.color === 'B' ? 'black' : 'white'}`)
  else if (a.candidates.length === 0) lines.push(`nobody is seeking a game near your rating right now${a.hint != null ? `: ${a.hint}` : ''}`)
  return lines
}
