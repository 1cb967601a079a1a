// Matchmaking over the DHT: a seeking player is a provider under keys of (board size, rating
// bucket, time window); a searcher walks the buckets nearest its own rating, widening until it
// has enough candidates, merges the lobby's seeks, fetches and verifies each candidate's rating
// record, and ranks them with the pure ranking function.
import { serviceDependencies } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { FIND_TIMEOUT, MAX_WIDEN, SEEK_WINDOW, WANTED_CANDIDATES } from '../../rating/constants.js'
import { bucketOf, bucketsAround, seekKey, windowOf } from '../../rating/seek-keys.js'
import { rankCandidates, type CandidateFacts, type Connection, type RankedCandidate } from '../../rating/ranking.js'
import { CANDIDATE_FETCH_TIMEOUT, FETCH_CONCURRENCY } from './constants.js'
import { initialRating, type FixedRating } from '../../rating/trueskill.js'
import { optional } from '../components.js'
import { dualDhtOf, type DualDht } from '../dht/dual-dht.js'
import type { MatchmakerComponents, MatchmakerInit } from './index.js'
import type { RatedSize } from '../../rating/rating-record.js'
import type { AbortOptions, Logger, Startable } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** A seeker as the lobby shows it: a peer and, when its presence says, a claimed rating. */
export interface LobbyCandidate {
  readonly peer: string
  readonly rating?: FixedRating
}

/** What a search found. */
export interface MatchSearch {
  readonly size: RatedSize
  /** The searcher's own rating on the size. */
  readonly me: FixedRating
  /** Best first, each with its score explained. */
  readonly candidates: readonly RankedCandidate[]
  /** Buckets visited, nearest first. */
  readonly buckets: readonly number[]
  /** ms from the start of the search to the first candidate (DHT or lobby); absent when none. */
  readonly firstCandidateMs?: number
  readonly ms: number
}

export interface FindOptions extends AbortOptions {
  /** Stop widening once this many candidates are known. */
  readonly wanted?: number
}

/** See `matchmaker()` in index.ts. */
export class Matchmaker implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:matchmaker'
  readonly [serviceDependencies]: string[] = ['@libp2p/kad-dht']
  private readonly components: MatchmakerComponents
  private readonly log: Logger
  private readonly now: () => number
  /** Provider keys this node announced, so it can stop re-providing them. */
  private provided: CID[] = []
  private seeking: RatedSize | undefined
  private timer: ReturnType<typeof setInterval> | undefined

  /** The node's DHTs (LAN and WAN): a seek is announced in both and looked up in both. */
  private get dht (): DualDht {
    return dualDhtOf(this.components)
  }

  constructor (components: MatchmakerComponents, init: MatchmakerInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('p2pgo:match')
    this.now = init.now ?? Date.now
  }

  async start (): Promise<void> {}

  /** A seek this node announced ends with it, while the DHT still runs. */
  async beforeStop (): Promise<void> {
    await this.stopSeeking()
  }

  async stop (): Promise<void> {
    await this.stopSeeking()
  }

  /** Announces this node as seeking a game on `size` (and keeps announcing as time windows pass) until `stopSeeking`. */
  async seek (size: RatedSize, options: AbortOptions = {}): Promise<void> {
    this.seeking = size
    clearInterval(this.timer)
    // Re-provide when the window turns (checked a few times per window).
    this.timer = setInterval(() => { this.provideCurrent().catch(err => { this.log('could not announce the seek - %e', err) }) }, SEEK_WINDOW / 4)
    this.timer.unref?.()
    await this.provideCurrent(options)
  }

  /** Stops announcing; provider records already out lapse with their window. */
  async stopSeeking (): Promise<void> {
    this.seeking = undefined
    clearInterval(this.timer)
    for (const key of this.provided) await this.dht.cancelReprovide(key).catch(() => {})
    this.provided = []
  }

  private async provideCurrent (options: AbortOptions = {}): Promise<void> {
    const size = this.seeking
    if (size == null) return
    const key = seekKey(size, bucketOf(this.components.ratings.ratingOn(size)), windowOf(this.now()))
    if (this.provided.some(k => k.equals(key))) return
    for (const old of this.provided) await this.dht.cancelReprovide(old).catch(() => {})
    this.provided = [key]
    const signal = AbortSignal.any([AbortSignal.timeout(FIND_TIMEOUT * 3), ...(options.signal != null ? [options.signal] : [])])
    for await (const _ of this.dht.provide(key, { signal })) { /* drain */ }
  }

  /** Finds and ranks opponents on `size`: DHT seekers in the nearest buckets, widening as needed, and the lobby's. */
  async find (size: RatedSize, options: FindOptions = {}): Promise<MatchSearch> {
    const started = this.now()
    const me = this.components.ratings.ratingOn(size)
    const wanted = options.wanted ?? WANTED_CANDIDATES
    const self = this.components.peerId.toString()
    const found = new Map<string, LobbyCandidate>()
    let firstCandidateMs: number | undefined
    const add = (c: LobbyCandidate): void => {
      if (c.peer === self) return
      const known = found.get(c.peer)
      found.set(c.peer, { ...known, ...c, ...(known?.rating != null && c.rating == null ? { rating: known.rating } : {}) })
      firstCandidateMs ??= this.now() - started
    }
    for (const c of this.lobbySeekers(size)) add(c)
    const windows = [windowOf(this.now()), windowOf(this.now()) - 1]
    const buckets = bucketsAround(bucketOf(me), MAX_WIDEN)
    const visited: number[] = []
    for (const bucket of buckets) {
      if (found.size >= wanted || options.signal?.aborted === true) break
      visited.push(bucket)
      await Promise.all(windows.map(async w => {
        const signal = AbortSignal.any([AbortSignal.timeout(FIND_TIMEOUT), ...(options.signal != null ? [options.signal] : [])])
        try {
          for await (const event of this.dht.findProviders(seekKey(size, bucket, w), { signal })) {
            if (event.name === 'PROVIDER') for (const p of event.providers) add({ peer: p.id.toString() })
          }
        } catch (err) {
          if (!signal.aborted) this.log('provider lookup failed - %e', err)
        }
      }))
    }
    const facts = await this.facts([...found.values()], size, options)
    return {
      size,
      me,
      candidates: rankCandidates(me, facts),
      buckets: visited,
      ...(firstCandidateMs != null ? { firstCandidateMs } : {}),
      ms: this.now() - started
    }
  }

  /** Each candidate's verified rating (its DHT record) or lobby claim, audit standing, connection and reputation. */
  /** Seekers on a size the lobby knows of, with the rating their presence claims. */
  private lobbySeekers (size: RatedSize): LobbyCandidate[] {
    const lobby = optional(() => this.components.lobby)
    if (lobby == null) return []
    const seekers = new Set(lobby.seeks().filter(s => s.terms.size === size).map(s => s.peer.toString()))
    return [...seekers].map(peer => {
      const r = lobby.presenceOf(peerIdFromString(peer))?.ratings?.[size]
      return { peer, ...(r != null ? { rating: { mu: Math.round(r.mu * 1000), sigma: Math.max(1, Math.round(r.sigma * 1000)) } } : {}) }
    })
  }

  private async facts (list: readonly LobbyCandidate[], size: RatedSize, options: AbortOptions): Promise<CandidateFacts[]> {
    const out: CandidateFacts[] = []
    for (let i = 0; i < list.length; i += FETCH_CONCURRENCY) {
      out.push(...await Promise.all(list.slice(i, i + FETCH_CONCURRENCY).map(async (c): Promise<CandidateFacts> => {
        let rating = c.rating
        let verified = false
        try {
          const signal = AbortSignal.any([AbortSignal.timeout(CANDIDATE_FETCH_TIMEOUT), ...(options.signal != null ? [options.signal] : [])])
          const record = await this.components.ratings.fetchRecord(peerIdFromString(c.peer), { signal })
          // A valid record with no games on this size says: a newcomer here.
          rating = record.sizes[size]?.rating ?? initialRating()
          verified = true
        } catch (err) {
          this.log('no verified rating for %s - %e', c.peer, err)
        }
        const view = optional(() => this.components.peers)?.peer(c.peer)
        const conn = view == null ? undefined : { connection: view.rung, ...(view.rttMs != null ? { rttMs: view.rttMs } : {}) }
        const reputation = optional(() => this.components.reputation)?.trust(c.peer)
        return {
          peer: c.peer,
          ...(rating != null ? { rating } : {}),
          verified,
          auditFailed: await this.components.ratings.auditFailed(c.peer),
          ...(reputation != null ? { reputation } : {}),
          connection: conn?.connection ?? 'unknown',
          ...(conn?.rttMs != null ? { rttMs: conn.rttMs } : {})
        }
      })))
    }
    return out
  }
}
