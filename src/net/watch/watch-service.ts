// Watching live games as a libp2p service (protocols/watch.md): serves the games this node plays,
// played or watches to watchers (the feed), announces the games it plays in the DHT so a watcher
// with only a game ID finds the players, and watches games for the terminal client and scripts.
import { serviceDependencies, type Startable } from '@libp2p/interface'
import { TypedEventEmitter } from 'main-event'
import { STRANGER_TRUST } from '../../rating/answer-choice.js'
import { Penalties } from '../reputation/penalties.js'
import { gossipControl } from '../adapters/gossipsub-internals.js'
import { optional } from '../components.js'
import { WatchFeed } from './feed.js'
import { sessionSource, storedSource, watchedSource, type GameSource } from './sources.js'
import { Watching } from './watching.js'
import { WatchHub } from './hub.js'
import { WatchedStore } from './watched-store.js'
import { recordOfStored } from '../game/game-record.js'
import type { GameRecord } from '../../game/game-record.js'
import { decodeWatchChat, encodeWatchChat } from './wire/chat.js'
import { WATCHERS_WINDOW } from './wire/limits.js'
import { second } from '../../units.js'
import type { WatchComponents, WatchInit } from './index.js'
import { TopicValidatorResult, type GossipsubMessage } from '@libp2p/gossipsub'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, Logger, PeerId } from '@libp2p/interface'

/**
 * How long a watcher with only a game ID looks for its players in the DHT, one walk at most, and
 * how many it takes. A walk that found nobody is tried again until the whole wait is over: a
 * fresh node's first walks may end before its routing table holds the peers that know the game.
 */
const FIND_HOLDERS_MS = 45 * second
const FIND_WALK_MS = 15 * second
const FIND_RETRY_MS = 2 * second
const FIND_HOLDERS_MAX = 6

export class WatchService extends TypedEventEmitter<Record<string, never>> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:watch'
  readonly [serviceDependencies]: string[] = ['@libp2p/pubsub']

  private readonly components: WatchComponents
  private readonly init: WatchInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly penalties: Penalties
  private readonly feed: WatchFeed
  /** Games watched to their end, kept for review and served to later watchers. */
  private readonly store: WatchedStore
  /** The games watched now, by ID. */
  private readonly watchings = new Map<string, Watching>()
  /** Who asked this node for each game, and when: the watcher count it reports. */
  private readonly askers = new Map<string, Map<string, number>>()
  /** Watched games stored (or being stored) since start. */
  private readonly kept = new Set<string>()
  /** Watched games being written: stopping waits for them (the datastore closes after). */
  private readonly keeping = new Set<Promise<void>>()
  private started = false
  private hub: WatchHub | undefined

  constructor (components: WatchComponents, init: WatchInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:watch')
    this.now = init.now ?? Date.now
    this.store = new WatchedStore(components.datastore)
    this.penalties = new Penalties({ source: 'watch', reputation: () => optional(() => components.reputation), now: this.now })
    this.feed = new WatchFeed(components.registrar, {
      log: this.log,
      source: async game => this.sourceOf(game),
      watcher: (game, asker) => this.countWatcher(game, asker),
      maySeed: peer => (this.components.reputation?.trust(peer.toString()) ?? STRANGER_TRUST) >= STRANGER_TRUST,
      onFlood: peer => { this.penalties.penalize(peer, 'flood') }
    })
  }

  async start (): Promise<void> {
    this.started = true
    await this.feed.start()
    this.components.games.addEventListener('game:started', this.onStarted)
    this.components.pubsub.addEventListener('gossipsub:message', this.onMessage)
    if (this.init.hub === true) {
      this.hub = new WatchHub({
        log: this.log,
        pubsub: this.components.pubsub,
        self: this.components.peerId,
        watch: async (game, neighbour) => { await this.watch(game, { holders: [neighbour] }) },
        unwatch: game => { this.unwatch(game) }
      })
      this.hub.start()
    }
  }

  /** Leaves the watched games' topics while gossipsub still runs. */
  async beforeStop (): Promise<void> {
    this.started = false
    this.hub?.stop()
    this.hub = undefined
    for (const w of this.watchings.values()) w.stop()
    this.watchings.clear()
  }

  async stop (): Promise<void> {
    this.started = false
    this.components.games.removeEventListener('game:started', this.onStarted)
    this.components.pubsub.removeEventListener('gossipsub:message', this.onMessage)
    this.askers.clear()
    await this.feed.stop()
    await Promise.all(this.keeping)
  }

  /**
   * Watches a game: asks `holders` (its players, from the lobby) or, without them, the players
   * and watchers the DHT names for the game. Resolves once the game's start record is in; throws
   * an Error saying whom it asked and what they said when nobody had the game.
   */
  async watch (gameId: CID, options: AbortOptions & { holders?: readonly PeerId[] } = {}): Promise<Watching> {
    const key = gameId.toString()
    const known = this.watchings.get(key)
    if (known != null) return known
    const holders = options.holders ?? await this.findHolders(gameId, options)
    const w = new Watching(gameId, holders, {
      log: this.log,
      now: this.now,
      self: this.components.peerId,
      pubsub: this.components.pubsub,
      connections: this.components.connectionManager,
      penalize: (peer, reason) => { this.penalties.penalize(peer, reason) },
      accept: (msgId, from) => { gossipControl(this.components.pubsub).reportMessageValidationResult(msgId, from, TopicValidatorResult.Accept) }
    })
    // A game seen to its end (both results in) is kept: the act that finished it is applied by now.
    w.addEventListener('watch:act', () => { if (w.game?.finished === true) this.keep(w) })
    this.watchings.set(key, w)
    try {
      await w.start()
    } catch (err) {
      this.watchings.delete(key)
      throw err
    }
    return w
  }

  /** The game this node watches under that ID, if it does. */
  watching (gameId: CID): Watching | undefined {
    return this.watchings.get(gameId.toString())
  }

  /** Stops watching a game. */
  unwatch (gameId: CID): void {
    const key = gameId.toString()
    this.watchings.get(key)?.stop()
    this.watchings.delete(key)
  }

  /** Says something to a watched game's other watchers. */
  async say (gameId: CID, text: string): Promise<void> {
    const w = this.watchings.get(gameId.toString())
    if (w == null) throw new Error(`this node does not watch game ${gameId.toString()}: watch it first`)
    const bytes = await encodeWatchChat({ game: gameId, peer: this.components.peerId.toMultihash().bytes, name: this.init.name?.() ?? 'watcher', text, at: this.now() }, this.components.privateKey)
    await w.say(bytes, decodeWatchChat(bytes))
  }

  /** The games this node watched to their end and keeps. */
  async watched (): Promise<CID[]> {
    return this.store.ids()
  }

  /**
   * A game this node watched to its end, as review shows it (GameService.record's shape), its
   * acts checked again. Throws NotFoundError for a game not kept, WatchedGameCorruptError for one
   * that fails a check.
   */
  async watchedRecord (gameId: CID): Promise<GameRecord> {
    const game = await this.store.get(gameId)
    const result = game.end?.result
    return recordOfStored({ id: gameId, start: game.start, meta: { me: 'B', opponent: '', acked: 0, ...(result != null ? { result } : {}) }, acts: game.acts }, this.components.privateKey)
  }

  /** Watchers this node feeds new acts of a game (its seeds). */
  seedsOf (gameId: CID): number {
    return this.feed.seedsOf(gameId)
  }

  /** Distinct peers that asked this node for a game in the last 5 minutes. */
  watchersOf (gameId: CID): number {
    return this.countWatcher(gameId)
  }

  /** The players and watchers the DHT names for a game (they announce it as a provider). */
  private async findHolders (gameId: CID, options: AbortOptions): Promise<PeerId[]> {
    const found: PeerId[] = []
    const deadline = Date.now() + FIND_HOLDERS_MS
    for (let walk = 0; found.length === 0 && options.signal?.aborted !== true; walk++) {
      const left = deadline - Date.now()
      if (left <= 0) break
      if (walk > 0) await new Promise(resolve => setTimeout(resolve, Math.min(FIND_RETRY_MS, left)))
      const signal = AbortSignal.any([AbortSignal.timeout(Math.min(FIND_WALK_MS, left)), ...(options.signal != null ? [options.signal] : [])])
      try {
        for await (const p of this.components.contentRouting.findProviders(gameId, { signal })) {
          if (!p.id.equals(this.components.peerId) && !found.some(f => f.equals(p.id))) found.push(p.id)
          if (found.length >= FIND_HOLDERS_MAX) break
        }
      } catch (err) {
        if (found.length === 0) this.log('walk %d found no holder of %s in the DHT - %e', walk + 1, gameId, err)
      }
    }
    return found
  }

  private async sourceOf (game: CID): Promise<GameSource | undefined> {
    const session = this.components.games.session(game)
    if (session != null) return sessionSource(session)
    const watched = this.watchings.get(game.toString())?.game
    if (watched != null) return watchedSource(watched)
    try {
      return storedSource(await this.components.games.storage.get(game))
    } catch {}
    try {
      return watchedSource(await this.store.get(game))
    } catch (err) {
      if ((err as Error).name === 'WatchedGameCorruptError') this.log.error('%s', (err as Error).message)
      return undefined
    }
  }

  /** Keeps a watched game that just finished, once. */
  private keep (w: Watching): void {
    const game = w.game
    // A hub watches for others: keeping every game its neighbours watch would fill its disk.
    if (game == null || this.init.hub === true || this.kept.has(w.gameId.toString())) return
    this.kept.add(w.gameId.toString())
    const put = this.store.put(game)
      .catch(err => { this.log.error('could not keep watched game %s - %e', w.gameId, err) })
      .finally(() => { this.keeping.delete(put) })
    this.keeping.add(put)
  }

  private countWatcher (game: CID, asker?: string): number {
    const key = game.toString()
    const now = this.now()
    const seen = this.askers.get(key) ?? new Map<string, number>()
    if (asker != null) seen.set(asker, now)
    for (const [p, at] of seen) if (now - at > WATCHERS_WINDOW) seen.delete(p)
    if (seen.size > 0) this.askers.set(key, seen)
    else this.askers.delete(key)
    return seen.size
  }

  /** A game this node plays is announced in the DHT, so a watcher with only its ID finds the players. */
  private readonly onStarted = (e: CustomEvent<{ gameId: CID }>): void => {
    const { gameId } = e.detail
    this.components.contentRouting.provide(gameId, { signal: AbortSignal.timeout(FIND_HOLDERS_MS * 3) })
      .catch(err => { if (this.started) this.log('could not announce game %s in the DHT - %e', gameId, err) })
  }

  /** p2pgo's gossipsub validates asynchronously: a watch message that passed the validator is passed on. */
  private readonly onMessage = (evt: CustomEvent<GossipsubMessage>): void => {
    const { msgId, msg, propagationSource } = evt.detail
    for (const w of this.watchings.values()) {
      if (w.topic === msg.topic) w.received(msgId, propagationSource.toString())
    }
  }
}
