// The player's rating on the network: applies co-signed results to its own book, publishes its
// signed rating record in the DHT (after each game and every REPUBLISH_INTERVAL), stores the
// co-signed results there, fetches and verifies others' records, and audits them.
import { serviceDependencies } from '@libp2p/interface'
import { TypedEventEmitter } from 'main-event'
import { peerIdFromString } from '@libp2p/peer-id'
import { RECORD_TTL, REPUBLISH_INTERVAL } from '../../rating/constants.js'
import type { AuditReport } from '../../rating/audit.js'
import { cosignedResultId, decodeCosignedResult, encodeCosignedResult, verifyCosignedResult, type CosignedResult } from '../../rating/cosigned-result.js'
import { applyResult, isRatedSize, ratingOn, type RatingBook } from '../../rating/rating-book.js'
import { encodeRatingRecord, signRatingRecord, type RatedSize, type RelayPerformance, type SignedRatingRecord } from '../../rating/rating-record.js'
import { defaultRatingParams, type RatingParams } from '../../rating/params.js'
import { DHT_TIMEOUT, MAX_PUBLISH_RETRY_MS, PUBLISH_RETRY_MS, STOP_GRACE_MS } from './constants.js'
import { ratingKey, resultKey } from './dht-records.js'
import { lookup, type LookupMode, type LookupResult } from './weighted-lookup.js'
import { RatingState, type AuditFailure } from './rating-state.js'
import { RatingAuditor } from './auditor.js'
import { RecordNotFoundError } from './errors.js'
import { RatingDht } from './rating-dht.js'
import { dualDhtOf } from '../dht/dual-dht.js'
import { cosignedResultOf } from './stored-result.js'
import { optional } from '../components.js'
import type { RatingComponents, RatingInit, RatingServiceEvents } from './index.js'
import type { FixedRating } from '../../rating/trueskill.js'
import type { CID } from 'multiformats/cid'
import type { StoredGame } from '../game/game-store.js'
import type { Side } from '../../wire/game-messages.js'
import type { AbortOptions, Logger, PeerId, Startable } from '@libp2p/interface'

/** A co-signed result and its CID. */
interface Evidence { readonly id: CID, readonly result: CosignedResult }


/** See `ratings()` in index.ts. */
export class RatingService extends TypedEventEmitter<RatingServiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:ratings'
  readonly [serviceDependencies]: string[] = ['@libp2p/kad-dht']
  private readonly components: RatingComponents
  private readonly init: RatingInit
  private readonly log: Logger
  private readonly state: RatingState
  private readonly now: () => number
  private readonly params: RatingParams
  private readonly me: Uint8Array
  /** p2pgo's rating namespaces in the DHT. */
  private readonly dht: RatingDht
  private readonly auditor: RatingAuditor
  private own: SignedRatingRecord | undefined
  private book: RatingBook = {}
  private seq = 0
  /** Board sizes with a rated game that ended and is not applied yet: no new rated game there until it is. */
  private readonly pending = new Map<number, Set<string>>()
  /** Work on the book, one thing at a time. */
  private queue: Promise<void> = Promise.resolve()
  private timer: ReturnType<typeof setInterval> | undefined
  private retry: ReturnType<typeof setTimeout> | undefined
  /** Aborted by stop(): every DHT query in flight ends with it. A fresh one at each start. */
  private abort = new AbortController()
  private started = false

  constructor (components: RatingComponents, init: RatingInit) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:rating')
    this.state = new RatingState(components.datastore)
    this.now = init.now ?? Date.now
    this.params = init.params ?? defaultRatingParams
    this.me = components.peerId.toMultihash().bytes
    this.dht = new RatingDht({
      dht: () => dualDhtOf(components),
      records: init.records,
      log: this.log,
      signal: () => this.abort.signal,
      trust: peer => components.reputation.trust(peer),
      connected: () => [...new Set(components.connectionManager.getConnections().map(c => c.remotePeer.toString()))],
      self: components.peerId.toString(),
      datastore: components.datastore
    })
    this.auditor = new RatingAuditor({
      state: this.state,
      params: this.params,
      reputation: components.reputation,
      now: this.now,
      fetchResult: async (id, options) => this.fetchResult(id, options),
      onAudit: detail => { this.dispatchEvent(new CustomEvent('audit', { detail })) }
    })
  }

  /** Queries may run from now on (a stopped service ended the last ones). */
  async start (): Promise<void> {
    if (this.abort.signal.aborted) this.abort = new AbortController()
  }

  /**
   * Once libp2p runs (the DHT included): loads the book, applies rated games that finished while
   * the node was down, and starts publishing. A node that keeps no rating of its own (a
   * bootstrap relay) only answers queries. Calling it again does nothing.
   */
  async afterStart (): Promise<void> {
    if (this.started || !this.init.ownRecord) return
    this.started = true
    // Listening before the first await: games resumed at start are counted, and applied after the book is loaded.
    this.components.games.addEventListener('game:ended', this.onEnded)
    this.components.games.addEventListener('game:started', this.onStarted)
    this.components.games.addEventListener('game:closed', this.onClosed)
    await this.enqueue(async () => {
      await this.load()
      await this.catchUp()
    })
    this.timer = setInterval(() => { this.publishInBackground() }, REPUBLISH_INTERVAL)
    this.timer.unref?.()
    this.publishInBackground()
  }

  /**
   * Before libp2p stops the DHT: a record or result being published (say, right after the last
   * game) gets a moment to go out. Calling it again does nothing.
   */
  async beforeStop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.components.games.removeEventListener('game:ended', this.onEnded)
    this.components.games.removeEventListener('game:started', this.onStarted)
    this.components.games.removeEventListener('game:closed', this.onClosed)
    clearInterval(this.timer)
    clearTimeout(this.retry)
    await Promise.race([this.queue, new Promise(resolve => setTimeout(resolve, STOP_GRACE_MS).unref())])
  }

  /** Ends every query still running. */
  async stop (): Promise<void> {
    await this.beforeStop()
    this.abort.abort()
    await this.queue
  }

  /** The own record and sequence as last stored. */
  private async load (): Promise<void> {
    this.own = await this.state.loadOwn().catch(err => {
      this.log.error('own rating record unreadable, starting from the finished games - %e', err)
      return undefined
    })
    this.book = this.own?.sizes ?? {}
    this.seq = Math.max(await this.state.loadSeq(), this.own?.seq ?? 0)
  }

  /** How this node fares with relays, as its record reports it. */
  private relayPerformance (): RelayPerformance {
    const relayed = optional(() => this.components.peers)?.delivery.summary().relayed
    const served = optional(() => this.components.relay)?.reservations.size ?? 0
    return { delivered: relayed?.delivered ?? 0, failed: relayed?.failed ?? 0, served }
  }

  /** The player's ratings per size (sizes with no rated game absent). */
  get ratings (): RatingBook {
    return this.book
  }

  /** The rating on a size, a newcomer's when there is none yet. */
  ratingOn (size: RatedSize): FixedRating {
    return ratingOn(this.book, size, this.params)
  }

  /** The own record as last published (undefined before the first publish). */
  get ownRecord (): SignedRatingRecord | undefined {
    return this.own
  }

  /**
   * What this node claims when it agrees a game (the challenge protocol's `rating`): its rating on
   * the size, or undefined (the game is then unrated) while another rated game on that size is
   * running or not yet applied, so every rated game starts from the rating the last one ended with.
   */
  claim (size: number): FixedRating | undefined {
    if (!isRatedSize(size) || (this.pending.get(size)?.size ?? 0) > 0) return undefined
    return this.ratingOn(size)
  }

  private readonly onStarted = (e: CustomEvent<{ gameId: CID, size: number }>): void => {
    const session = this.components.games.session(e.detail.gameId)
    if (session?.start.ratings == null || session.end != null) return
    const games = this.pending.get(e.detail.size) ?? new Set<string>()
    games.add(e.detail.gameId.toString())
    this.pending.set(e.detail.size, games)
  }

  /**
   * A game closed without the opponent's signature on its end (protocols/game.md, "Abandonment")
   * holds its size no longer: the next game there is rated. A co-signature that still comes is
   * applied as usual.
   */
  private readonly onClosed = (e: CustomEvent<{ gameId: CID }>): void => {
    for (const games of this.pending.values()) games.delete(e.detail.gameId.toString())
  }

  private readonly onEnded = (e: CustomEvent<{ gameId: CID, cosigned: boolean }>): void => {
    const session = this.components.games.session(e.detail.gameId)
    const size = session?.start.terms.size
    const rated = session?.start.ratings != null
    if (!e.detail.cosigned) {
      // Over without both signatures (yet): the result signatures may still come; if the game
      // ends unrated for good, the size is free again after a restart.
      return
    }
    this.enqueue(async () => {
      let applied: Evidence | undefined
      try {
        applied = await this.applyStored(await this.components.games.storage.get(e.detail.gameId))
      } finally {
        if (rated && size != null) this.pending.get(size)?.delete(e.detail.gameId.toString())
      }
      if (applied != null) await this.dht.putResult(applied.id, applied.result).catch(err => { this.log('could not store result %s in the DHT - %e', applied?.id.toString(), err) })
      this.retryIfUnstored((await this.publishNow()).peers)
    }).catch(err => { this.log.error('could not apply game %s - %e', e.detail.gameId.toString(), err) })
  }

  /** Applies every finished rated game not applied yet, in the order they finished. */
  private async catchUp (): Promise<void> {
    const finished: StoredGame[] = []
    for (const id of await this.components.games.storage.ids()) {
      try {
        const stored = await this.components.games.storage.get(id)
        if (stored.meta.finishedAt != null && stored.start.ratings != null) finished.push(stored)
      } catch (err) {
        this.log.error('stored game %s unreadable - %e', id.toString(), err)
      }
    }
    finished.sort((a, b) => (a.meta.finishedAt ?? 0) - (b.meta.finishedAt ?? 0))
    const evidence: Evidence[] = []
    for (const stored of finished) {
      const e = await this.applyStored(stored)
      if (e != null) evidence.push(e)
    }
    // Storing the evidence waits for the network: in the background, after start.
    if (evidence.length > 0) {
      this.enqueue(async () => {
        for (const e of evidence) await this.dht.putResult(e.id, e.result).catch(err => { this.log('could not store result %s in the DHT - %e', e.id.toString(), err) })
      }).catch(() => {})
    }
  }

  /** Builds the co-signed result of a finished game and applies it once; returns it when it was new (to be stored in the DHT). */
  private async applyStored (stored: StoredGame): Promise<Evidence | undefined> {
    const result = cosignedResultOf(stored)
    if (result == null) return undefined
    const id = cosignedResultId(result)
    if (await this.state.isApplied(id)) return undefined
    await verifyCosignedResult(result)
    const applied = applyResult(this.book, this.me, result, this.params)
    if (applied.applied) {
      this.book = applied.book
      // The signed record is the book on disk: write it before the result counts as applied.
      await this.saveOwn()
      this.dispatchEvent(new CustomEvent('rating', { detail: { size: applied.size, before: applied.before, after: applied.after, result: id, gameId: stored.id } }))
    } else {
      this.log('game %s does not change the rating: %s (%s)', stored.id.toString(), applied.reason, applied.detail)
    }
    await this.state.markApplied(id, applied.applied ? 'applied' : applied.reason)
    return { id, result }
  }

  /** Signs the book as a new record (the next sequence) and keeps it; not yet sent. */
  private async saveOwn (): Promise<SignedRatingRecord> {
    const now = this.now()
    this.seq = Math.max(this.seq + 1, now)
    await this.state.saveSeq(this.seq)
    const record = await signRatingRecord(this.components.privateKey, {
      peer: this.me,
      seq: this.seq,
      updated: now,
      expires: now + RECORD_TTL,
      sizes: this.book,
      relay: this.relayPerformance()
    })
    await this.state.saveOwn(record)
    this.own = record
    return record
  }

  /**
   * Signs a fresh record and puts it to the DHT peers closest to its key; resolves with how many
   * took it. It waits its turn behind work on the book (a game being applied, its result stored
   * and its record published), so the record it puts out is the newest and stays so.
   */
  async publish (options: AbortOptions = {}): Promise<{ seq: number, peers: number }> {
    let out: { seq: number, peers: number } | undefined
    await this.enqueue(async () => { out = await this.publishNow(options) })
    return out as { seq: number, peers: number }
  }

  private async publishNow (options: AbortOptions = {}): Promise<{ seq: number, peers: number }> {
    const started = this.now()
    const record = await this.saveOwn()
    const key = ratingKey(this.me)
    const bytes = encodeRatingRecord(record)
    const peers = await this.dht.put(key, bytes, options)
    this.dispatchEvent(new CustomEvent('published', { detail: { seq: record.seq, peers, ms: this.now() - started } }))
    return { seq: record.seq, peers }
  }

  /**
   * Publishes without waiting; a put that reached no DHT peer (the node had just joined, its
   * peers were busy) is tried again after PUBLISH_RETRY_MS, doubling, instead of at the next
   * republish 12 hours later.
   */
  private publishInBackground (delay = PUBLISH_RETRY_MS): void {
    this.enqueue(async () => { this.retryIfUnstored((await this.publishNow()).peers, delay) })
      .catch(err => { this.log('could not publish the rating record - %e', err) })
  }

  private retryIfUnstored (peers: number, delay = PUBLISH_RETRY_MS): void {
    if (peers > 0 || this.abort.signal.aborted) return
    clearTimeout(this.retry)
    this.retry = setTimeout(() => { this.publishInBackground(Math.min(delay * 2, MAX_PUBLISH_RETRY_MS)) }, delay)
    this.retry.unref?.()
  }

  /**
   * Fetches a peer's rating record from the DHT and verifies it (key, signature, expiry, not
   * older than one seen). Throws RecordNotFoundError, or InvalidRatingRecordError with the reason.
   */
  async fetchRecord (peer: PeerId | string, options: AbortOptions & { mode?: LookupMode } = {}): Promise<SignedRatingRecord> {
    const id = typeof peer === 'string' ? peerIdFromString(peer) : peer
    if (id.equals(this.components.peerId) && this.own != null) return this.own
    const { record } = await this.lookupRecord(id, options)
    if (record == null) throw new RecordNotFoundError(`no rating record of ${id.toString()} was found in the DHT`)
    return record
  }

  /**
   * Looks a peer's rating record up, reputation-weighted unless `mode` says otherwise, and tells
   * how the lookup went (answers, refusals, whether a trusted answer settled it).
   */
  async lookupRecord (peer: PeerId, options: AbortOptions & { mode?: LookupMode } = {}): Promise<{ record?: SignedRatingRecord, lookup: LookupResult }> {
    return this.dht.lookupRecord(peer, options)
  }

  /** Fetches a co-signed result by CID and checks that it is what the CID names (signatures are the audit's). */
  async fetchResult (id: CID, options: AbortOptions = {}): Promise<CosignedResult> {
    return this.dht.fetchResult(id, options)
  }

  /**
   * Audits a record: fetches every result it cites and recomputes the ratings (auditor.ts). A
   * record shown false is remembered; matchmaking then never proposes to its publisher, and the
   * reputation work reads `auditFailures()`.
   */
  async audit (record: SignedRatingRecord, options: AbortOptions = {}): Promise<AuditReport> {
    return this.auditor.audit(record, options)
  }

  /** Peers whose records failed an audit here. */
  async auditFailures (): Promise<Map<string, AuditFailure>> {
    return this.auditor.failures()
  }

  /** Whether a peer's record failed an audit here. */
  async auditFailed (peer: string): Promise<boolean> {
    return this.auditor.failed(peer)
  }

  private async enqueue (work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work)
    this.queue = next.catch(() => {})
    return next
  }
}
