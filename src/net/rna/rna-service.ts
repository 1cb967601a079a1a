// The RNA service: publishes each finished game as mRNA, validates what gossip delivers (off
// gossipsub's path, then accept / reject / ignore), keeps what is worth keeping, forwards the best
// first, traces where each RNA came from, and tells the reputation book what it saw.
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { serviceDependencies } from '@libp2p/interface'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { PriorityQueue, Queue } from '@libp2p/utils'
import { TypedEventEmitter } from 'main-event'
import * as Digest from 'multiformats/hashes/digest'
import { encodeMrna, mrnaOf } from '../../rna/mrna.js'
import { encodeRna, rnaIdOf, signRna } from '../../rna/rna.js'
import { validateRna, type ValidRna } from '../../rna/validate.js'
import { InvalidRnaError } from '../../rna/errors.js'
import { RNA_MAX_BYTES } from '../../rna/constants.js'
import { featuresOf, handlingOf, ttlOf, type Handling } from '../../rna/policy.js'
import { qualityOf, type GameFeatures } from '../../rna/quality.js'
import { NoveltyIndex } from '../../rna/novelty.js'
import { winnerOf } from '../../rating/cosigned-result.js'
import { gossipControl, type GossipControl } from '../adapters/gossipsub-internals.js'
import { STOP_GRACE, FORWARD_MAX_WAIT, FORWARD_RATE, PATH_CONCURRENCY, PATH_TRACE_DELAY, PUBLISH_FALLBACK_DELAY, RNA_TOPIC, VALIDATION_CONCURRENCY, VALIDATION_QUEUE_MAX } from './constants.js'
import { PathService } from './path-service.js'
import { MAX_USES, RnaStore, type PropagationPath, type RnaMeta, type StoredRna } from './rna-store.js'
import { optional } from '../components.js'
import type { RnaComponents, RnaInit, RnaServiceEvents } from './index.js'
import type { ReputationEvent } from '../../reputation/events.js'
import type { GossipSub, GossipsubMessage } from '@libp2p/gossipsub'
import type { Logger, Startable } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** A validated RNA waiting for its turn to be forwarded. */
interface Waiting { readonly msgId: string, readonly source: string, readonly queuedAt: number }

/** See `rna()` in index.ts. */
export class RnaService extends TypedEventEmitter<RnaServiceEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:rna'
  readonly [serviceDependencies]: string[] = ['@libp2p/pubsub']
  readonly store: RnaStore
  private readonly components: RnaComponents
  private readonly log: Logger
  private readonly now: () => number
  private readonly novelty = new NoveltyIndex()
  private readonly paths: PathService
  private readonly validation = new Queue<void>({ concurrency: VALIDATION_CONCURRENCY, maxSize: VALIDATION_QUEUE_MAX })
  private readonly forwarding = new PriorityQueue<void>({ concurrency: 1 })
  private readonly tracing = new Queue<void>({ concurrency: PATH_CONCURRENCY })
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private abort = new AbortController()
  private started = false
  /** Publishes under way: stopping lets them go out first (a bot that just finished its last game). */
  private readonly publishing = new Set<Promise<unknown>>()
  /** Games this node publishes only if nobody has by the fallback delay; stopping publishes them now. */
  private readonly fallbacks = new Map<string, () => void>()

  constructor (components: RnaComponents, init: RnaInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:rna')
    this.now = init.now ?? Date.now
    this.store = new RnaStore(components.datastore)
    this.paths = new PathService({
      components,
      log: this.log,
      held: async id => {
        const meta = await this.store.meta(id).catch(() => undefined)
        return meta == null ? undefined : { at: meta.receivedAt, ...(meta.from != null ? { from: meta.from } : {}), ...(meta.path != null ? { path: meta.path } : {}) }
      },
      save: async (id, path) => {
        await this.store.saveMeta(id, { ...(await this.store.meta(id)), path })
        this.dispatch('rna:path', { id: id.toString(), path })
      },
      asked: (peer, id) => { this.used(peer, id).catch(err => { this.log('could not count a use of %s - %e', id.toString(), err) }) }
    })
  }

  /** Where what this node sees goes to become reputation. */
  private reputation (event: ReputationEvent): void {
    optional(() => this.components.reputation)?.record(event)
  }

  private get pubsub (): GossipSub & GossipControl {
    return gossipControl(this.components.pubsub)
  }

  async start (): Promise<void> {}

  /** Once gossipsub runs: loads the store into the novelty index, joins the topic and starts answering path questions. */
  async afterStart (): Promise<void> {
    if (this.started) return
    this.started = true
    this.abort = new AbortController()
    for await (const { id, meta } of this.store.list()) this.novelty.add(id.toString(), meta.size, meta.moves)
    const pubsub = this.pubsub
    pubsub.addEventListener('gossipsub:message', this.onMessage)
    pubsub.subscribe(RNA_TOPIC)
    this.components.games.addEventListener('game:ended', this.onEnded)
    await this.paths.start()
  }

  /** Before libp2p stops gossipsub: a node leaving publishes the games it was waiting to see published (nobody else may), briefly. */
  async beforeStop (): Promise<void> {
    if (!this.started) return
    for (const publish of this.fallbacks.values()) publish()
    this.fallbacks.clear()
    await Promise.race([Promise.allSettled([...this.publishing]), new Promise(resolve => setTimeout(resolve, STOP_GRACE).unref())])
  }

  async stop (): Promise<void> {
    if (!this.started) return
    await this.beforeStop()
    this.started = false
    this.abort.abort()
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.components.games.removeEventListener('game:ended', this.onEnded)
    const pubsub = this.components.pubsub
    pubsub.removeEventListener('gossipsub:message', this.onMessage)
    try {
      pubsub.unsubscribe(RNA_TOPIC)
    } catch {}
    this.validation.abort()
    this.forwarding.abort()
    this.tracing.abort()
    await this.paths.stop()
  }

  /** The RNA this node holds, newest first. */
  async list (): Promise<Array<{ id: CID, meta: RnaMeta, quality: number }>> {
    const out: Array<{ id: CID, meta: RnaMeta, quality: number }> = []
    for await (const { id, meta } of this.store.list()) out.push({ id, meta, quality: currentQuality(meta) })
    return out.sort((a, b) => b.meta.receivedAt - a.meta.receivedAt)
  }

  /** One stored RNA by ID or unique prefix. */
  async get (idOrPrefix: string): Promise<StoredRna | undefined> {
    const id = await this.store.find(idOrPrefix)
    return id == null ? undefined : this.store.get(id)
  }

  /** Quality now: as when it arrived, raised by the peers that have used it since. */
  qualityOf (meta: RnaMeta): number {
    return currentQuality(meta)
  }

  /**
   * Publishes a finished game's mRNA (once: nothing happens when this node already holds it).
   * Checked as any receiver would check it first, and not published when it would be ignored
   * as worthless. Returns its ID when it went out.
   */
  async publishGame (gameId: CID): Promise<CID | undefined> {
    const stored = await this.components.games.storage.get(gameId)
    const body = encodeMrna(mrnaOf(stored.start, stored.acts))
    const id = rnaIdOf(body)
    if (await this.store.has(id)) return undefined
    const at = this.now()
    const rna = await signRna(this.components.privateKey, this.components.peerId.toMultihash().bytes, body, at)
    const bytes = encodeRna(rna)
    if (bytes.length > RNA_MAX_BYTES) {
      this.log('game %s is too long to publish as RNA (%d bytes)', gameId.toString(), bytes.length)
      return undefined
    }
    const valid = await validateRna(bytes, at)
    const { quality, novelty, features } = this.assess(valid)
    if (handlingOf(quality) === 'ignore') {
      this.log('game %s is not worth publishing (quality %d)', gameId.toString(), quality)
      return undefined
    }
    await this.keep(valid, bytes, { quality, novelty, features, receivedAt: at })
    await this.pubsub.publish(RNA_TOPIC, bytes)
    this.dispatch('rna:published', { id: id.toString(), gameId: gameId.toString(), quality })
    return id
  }

  /** Where an RNA this node holds came from, traced back to its origin (kept with it once traced). */
  async tracePath (id: CID, signal?: AbortSignal): Promise<PropagationPath | undefined> {
    return this.paths.pathOf(id, undefined, signal)
  }

  /** A game ended with both signatures: its winner publishes now, the other player later if nobody did. */
  private readonly onEnded = (e: CustomEvent<{ gameId: CID, cosigned: boolean, result: string }>): void => {
    const { gameId, cosigned, result } = e.detail
    const winner = winnerOf(result)
    if (!cosigned || winner === 'void') return
    const session = this.components.games.session(gameId)
    if (session == null) return
    const publisher = winner === 'draw' ? 'B' : winner
    const publish = (): void => {
      if (!this.started) return
      const p = this.publishGame(gameId).catch(err => { this.log.error('could not publish game %s as RNA - %e', gameId.toString(), err) })
      this.publishing.add(p)
      void p.finally(() => this.publishing.delete(p))
    }
    if (session.me === publisher) {
      publish()
    } else {
      const key = gameId.toString()
      this.fallbacks.set(key, publish)
      this.later(PUBLISH_FALLBACK_DELAY, () => {
        if (this.fallbacks.delete(key)) publish()
      })
    }
  }

  private readonly onMessage = (e: CustomEvent<GossipsubMessage>): void => {
    const { msgId, msg, propagationSource } = e.detail
    if (msg.topic !== RNA_TOPIC) return
    const source = propagationSource.toString()
    const data = msg.data
    if (this.validation.size >= VALIDATION_QUEUE_MAX) {
      this.report(msgId, source, TopicValidatorResult.Ignore)
      this.dispatch('rna:ignored', { from: source, reason: 'busy' })
      return
    }
    this.validation.add(async () => { await this.receive(msgId, data, source) }).catch(err => {
      this.log('validation of a message from %s stopped - %e', source, err)
    })
  }

  /** Validates one arrival and acts on it: reject, ignore, or keep and forward. */
  private async receive (msgId: string, data: Uint8Array, source: string): Promise<void> {
    const now = this.now()
    let valid: ValidRna
    try {
      valid = await validateRna(data, now)
    } catch (err) {
      if (err instanceof InvalidRnaError && err.reason === 'unknown-kind') {
        this.report(msgId, source, TopicValidatorResult.Ignore)
        this.dispatch('rna:ignored', { from: source, reason: err.reason })
        return
      }
      this.report(msgId, source, TopicValidatorResult.Reject)
      const reason = err instanceof InvalidRnaError ? err.reason : 'malformed'
      this.reputation({ kind: 'invalid', peer: source, reason, at: now })
      this.dispatch('rna:rejected', { peer: source, reason, message: (err as Error).message })
      return
    }
    const id = valid.id.toString()
    if (await this.store.has(valid.id)) {
      this.report(msgId, source, TopicValidatorResult.Ignore)
      this.dispatch('rna:ignored', { id, from: source, reason: 'known' })
      return
    }
    const { quality, novelty, features } = this.assess(valid)
    const origin = peerText(valid.rna.origin)
    if (valid.rna.at + ttlOf(quality) < now) {
      this.report(msgId, source, TopicValidatorResult.Ignore)
      this.dispatch('rna:ignored', { id, from: source, reason: 'expired' })
      return
    }
    const handling = handlingOf(quality)
    if (handling === 'ignore') {
      this.report(msgId, source, TopicValidatorResult.Ignore)
      this.reputation({ kind: 'spam', peer: origin, rna: id, quality, at: now })
      this.dispatch('rna:ignored', { id, from: source, reason: 'worthless' })
      return
    }
    await this.keep(valid, data, { quality, novelty, features, receivedAt: now, from: source })
    this.reputation({ kind: 'originated', peer: origin, rna: id, quality, at: now })
    if (source !== origin) this.reputation({ kind: 'delivered', peer: source, rna: id, origin, quality, at: now })
    if (handling === 'priority') {
      this.report(msgId, source, TopicValidatorResult.Accept)
    } else {
      this.queueForward({ msgId, source, queuedAt: now }, quality)
    }
    this.dispatch('rna:accepted', { id, origin, from: source, quality, handling })
    this.later(PATH_TRACE_DELAY, () => {
      this.tracing.add(async () => { await this.tracePath(valid.id) }).catch(err => { this.log('could not trace %s - %e', id, err) })
    })
  }

  /**
   * Quality and its inputs for a valid RNA not yet in the index. One worth keeping is indexed at
   * once, before anything is awaited: copies validated side by side then see each other.
   */
  private assess (valid: ValidRna): { quality: number, novelty: number, features: GameFeatures } {
    const features = featuresOf(valid.game)
    const novelty = this.novelty.noveltyOf(features.size, features.moves, { except: valid.id.toString() })
    const quality = qualityOf(features, { novelty, uses: 0 }).quality
    if (handlingOf(quality) !== 'ignore') this.novelty.add(valid.id.toString(), features.size, features.moves)
    return { quality, novelty, features }
  }

  /** Stores a valid RNA (the caller has indexed it for novelty). */
  private async keep (valid: ValidRna, bytes: Uint8Array, a: { quality: number, novelty: number, features: GameFeatures, receivedAt: number, from?: string }): Promise<void> {
    const { start } = valid.game
    const meta: RnaMeta = {
      kind: 'mrna',
      origin: peerText(valid.rna.origin),
      ...(a.from != null ? { from: a.from } : {}),
      receivedAt: a.receivedAt,
      publishedAt: valid.rna.at,
      quality: a.quality,
      expires: valid.rna.at + ttlOf(a.quality),
      gameId: valid.game.gameId.toString(),
      size: start.terms.size,
      ...(valid.game.result != null ? { result: valid.game.result } : {}),
      end: valid.game.end,
      handicap: start.terms.handicap,
      ...(a.features.ratings != null ? { ratings: a.features.ratings } : {}),
      novelty: a.novelty,
      names: { B: start.names.B, W: start.names.W },
      moves: valid.game.moves,
      uses: []
    }
    await this.store.put(valid.id, bytes, meta)
  }

  /** Forwards an RNA at or below the priority line in turn: best first, at most FORWARD_RATE a second. */
  private queueForward (item: Waiting, quality: number): void {
    this.forwarding.add(async () => {
      const waited = this.now() - item.queuedAt
      if (waited > FORWARD_MAX_WAIT) {
        this.report(item.msgId, item.source, TopicValidatorResult.Ignore)
        return
      }
      this.report(item.msgId, item.source, TopicValidatorResult.Accept)
      await new Promise(resolve => setTimeout(resolve, 1000 / FORWARD_RATE))
    }, { priority: quality }).catch(() => {})
  }

  /** A peer asked about an RNA: it counts as a use (once per peer). */
  private async used (peer: string, id: CID): Promise<void> {
    const meta = await this.store.meta(id)
    if (meta.uses.includes(peer) || meta.uses.length >= MAX_USES) return
    await this.store.saveMeta(id, { ...meta, uses: [...meta.uses, peer] })
  }

  private report (msgId: string, source: string, result: TopicValidatorResult): void {
    if (!this.started) return
    this.pubsub.reportMessageValidationResult(msgId, source, result)
  }

  private later (ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    t.unref?.()
    this.timers.add(t)
  }

  private dispatch<K extends keyof RnaServiceEvents> (type: K, detail: RnaServiceEvents[K]['detail']): void {
    this.safeDispatchEvent(type, { detail } as any)
  }
}

/** Quality from a stored RNA's meta, with the uses counted so far. */
export function currentQuality (meta: RnaMeta): number {
  const features: GameFeatures = {
    size: meta.size,
    moves: meta.moves,
    end: meta.end,
    cosigned: meta.end !== 'void',
    handicap: meta.handicap,
    ...(meta.ratings != null ? { ratings: meta.ratings } : {})
  }
  return qualityOf(features, { novelty: meta.novelty, uses: meta.uses.length }).quality
}

function peerText (multihash: Uint8Array): string {
  return peerIdFromMultihash(Digest.decode(multihash)).toString()
}
