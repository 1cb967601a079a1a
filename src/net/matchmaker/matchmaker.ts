// Matchmaking over the DHT: a seeking player is a provider under keys of (board size, rating
// bucket, time window); a searcher takes the lobby's seekers (in memory) first, then walks the
// buckets nearest its own rating, widening until it has enough candidates, fetches and verifies
// each candidate's rating record, and ranks them with the pure ranking function. Candidates are
// handed out as each is checked (`candidates()`), so a quick match challenges the first at once
// instead of waiting for the walk over every bucket to end.
import { serviceDependencies } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { FIND_TIMEOUT, MAX_WIDEN, SEEK_WINDOW, WANTED_CANDIDATES } from '../../rating/constants.js'
import { bucketOf, bucketsAround, seekKey, windowOf } from '../../rating/seek-keys.js'
import { rankCandidates, type CandidateFacts, type RankedCandidate } from '../../rating/ranking.js'
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
  /** ms from the start of the search to the first candidate checked and ready (lobby or DHT); absent when none. */
  readonly firstCandidateMs?: number
  readonly ms: number
}

export interface FindOptions extends AbortOptions {
  /** Stop widening once this many candidates are known. */
  readonly wanted?: number
}

export interface CandidateOptions extends FindOptions {
  /** Told each bucket as the walk starts looking it up. */
  readonly onBucket?: (bucket: number) => void
  /**
   * Fetch and verify each candidate's rating record before yielding it (default true). False
   * yields each at once with what this node knows (its lobby claim, audit standing, reputation,
   * connection), unverified as a candidate whose record cannot be fetched is: a quick match's
   * challenge then goes out without a DHT get first. Ratings themselves rest on co-signed results
   * and audits, never on this check; it only sharpens the ranking.
   */
  readonly verify?: boolean
}

/** The buckets a search visits, in rings of equal distance from `bucket`: [b], [b−1, b+1], … up to `widen`. */
function bucketRings (bucket: number, widen: number): number[][] {
  const all = bucketsAround(bucket, widen)
  return [all.slice(0, 1), ...Array.from({ length: widen }, (_, d) => all.slice(1 + 2 * d, 3 + 2 * d))]
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

  /**
   * Finds and ranks opponents on `size`: the lobby's seekers and DHT seekers in the nearest
   * buckets, widening until `wanted` are known; the whole list, best first (`candidates()` streams it).
   */
  async find (size: RatedSize, options: FindOptions = {}): Promise<MatchSearch> {
    const started = this.now()
    const me = this.components.ratings.ratingOn(size)
    const visited: number[] = []
    const found: RankedCandidate[] = []
    let firstCandidateMs: number | undefined
    for await (const c of this.candidates(size, { ...options, onBucket: b => { visited.push(b) } })) {
      firstCandidateMs ??= this.now() - started
      found.push(c)
    }
    return {
      size,
      me,
      candidates: rankCandidates(me, found),
      buckets: visited,
      ...(firstCandidateMs != null ? { firstCandidateMs } : {}),
      ms: this.now() - started
    }
  }

  /**
   * The first candidate worth a challenge (score above 0: not excluded by an audit), as soon as it
   * is known (unverified: see `verify`); the search ends there.
   */
  async first (size: RatedSize, options: FindOptions = {}): Promise<RankedCandidate | undefined> {
    for await (const c of this.candidates(size, { ...options, verify: false })) {
      if (c.score > 0) return c
    }
    return undefined
  }

  /**
   * Opponents on `size` as soon as each is known, each ranked on its own (its score does not
   * depend on the others): the lobby's seekers first (already in memory), then DHT seekers of the
   * nearest buckets as their provider records arrive, then lobby seekers whose claimed rating is
   * beyond the widest bucket. The walk widens to the next buckets only when the caller asks for
   * more and nothing found is still being checked, and stops once `wanted` are known; breaking out
   * of the loop ends every lookup under way. Each candidate's record is fetched and verified before
   * it is yielded (or it comes as unverified when that fails) unless `verify` is false, and its
   * audit standing read.
   */
  async * candidates (size: RatedSize, options: CandidateOptions = {}): AsyncGenerator<RankedCandidate> {
    const me = this.components.ratings.ratingOn(size)
    const wanted = options.wanted ?? WANTED_CANDIDATES
    const self = this.components.peerId.toString()
    const ended = new AbortController()
    const signal = options.signal != null ? AbortSignal.any([options.signal, ended.signal]) : ended.signal
    const seen = new Set<string>()
    /** Found, waiting for a record fetch slot. */
    const waiting: LobbyCandidate[] = []
    /** Checked, waiting for the caller. */
    const ready: RankedCandidate[] = []
    let fetching = 0
    let walking = false
    let wake: (() => void) | undefined
    const poke = (): void => { const w = wake; wake = undefined; w?.() }
    const pump = (): void => {
      while (fetching < FETCH_CONCURRENCY && waiting.length > 0) {
        const c = waiting.shift() as LobbyCandidate
        fetching++
        this.factsOf(c, size, options.verify !== false, signal)
          .then(f => { ready.push(rankCandidates(me, [f])[0]) }, err => { this.log('could not check candidate %s - %e', c.peer, err) })
          .finally(() => { fetching--; pump(); poke() })
      }
    }
    const discover = (c: LobbyCandidate): void => {
      if (c.peer === self || seen.has(c.peer)) return
      seen.add(c.peer)
      waiting.push(c)
      pump()
    }
    const mine = bucketOf(me)
    const distance = (c: LobbyCandidate): number => Math.abs(bucketOf(c.rating ?? initialRating()) - mine)
    const lobby = this.lobbySeekers(size).sort((a, b) => distance(a) - distance(b))
    const far = lobby.filter(c => distance(c) > MAX_WIDEN)
    for (const c of lobby) if (distance(c) <= MAX_WIDEN) discover(c)
    const rings = bucketRings(mine, MAX_WIDEN)
    let ring = 0
    try {
      for (;;) {
        if (ready.length > 0) {
          // The best of those checked so far (they often finish together).
          ready.sort((a, b) => b.score - a.score)
          yield ready.shift() as RankedCandidate
          continue
        }
        if (fetching > 0 || waiting.length > 0 || walking) {
          await new Promise<void>(resolve => { wake = resolve })
          continue
        }
        if (ring < rings.length && seen.size < wanted && !signal.aborted) {
          walking = true
          const buckets = rings[ring++]
          for (const b of buckets) options.onBucket?.(b)
          this.walk(size, buckets, discover, signal).finally(() => { walking = false; poke() })
          continue
        }
        if (far.length > 0) {
          for (const c of far.splice(0)) discover(c)
          continue
        }
        return
      }
    } finally {
      ended.abort()
    }
  }

  /** Looks up the seekers of `buckets` (this time window and the previous) at once, handing each provider to `found` as it arrives. */
  private async walk (size: RatedSize, buckets: readonly number[], found: (c: LobbyCandidate) => void, signal: AbortSignal): Promise<void> {
    const windows = [windowOf(this.now()), windowOf(this.now()) - 1]
    await Promise.all(buckets.flatMap(bucket => windows.map(async w => {
      const lookup = AbortSignal.any([AbortSignal.timeout(FIND_TIMEOUT), signal])
      try {
        for await (const event of this.dht.findProviders(seekKey(size, bucket, w), { signal: lookup })) {
          if (event.name === 'PROVIDER') for (const p of event.providers) found({ peer: p.id.toString() })
        }
      } catch (err) {
        if (!lookup.aborted) this.log('provider lookup failed - %e', err)
      }
    })))
  }

  /** Seekers on a size the lobby knows of, with the rating their presence claims. */
  private lobbySeekers (size: RatedSize): LobbyCandidate[] {
    const lobby = optional(() => this.components.lobby)
    if (lobby == null) return []
    const seekers = new Set(lobby.seeks().filter(s => s.terms.size === size).map(s => s.peer.toString()))
    return [...seekers].map(peer => {
      const rating = this.claimOf(peer, size)
      return { peer, ...(rating != null ? { rating } : {}) }
    })
  }

  /** The rating a peer's lobby presence claims on `size`, in thousandths. */
  private claimOf (peer: string, size: RatedSize): FixedRating | undefined {
    const r = optional(() => this.components.lobby)?.presenceOf(peerIdFromString(peer))?.ratings?.[size]
    return r != null ? { mu: Math.round(r.mu * 1000), sigma: Math.max(1, Math.round(r.sigma * 1000)) } : undefined
  }

  /** One candidate's verified rating (its DHT record, unless `verify` is false) or lobby claim, audit standing, connection and reputation. */
  private async factsOf (c: LobbyCandidate, size: RatedSize, verify: boolean, signal: AbortSignal): Promise<CandidateFacts> {
    let rating = c.rating ?? (verify ? undefined : this.claimOf(c.peer, size))
    let verified = false
    if (verify) {
      try {
        const fetch = AbortSignal.any([AbortSignal.timeout(CANDIDATE_FETCH_TIMEOUT), signal])
        const record = await this.components.ratings.fetchRecord(peerIdFromString(c.peer), { signal: fetch })
        // A valid record with no games on this size says: a newcomer here.
        rating = record.sizes[size]?.rating ?? initialRating()
        verified = true
      } catch (err) {
        this.log('no verified rating for %s - %e', c.peer, err)
      }
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
  }
}
