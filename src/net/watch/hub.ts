// A bootstrap relay as a hub for watched games, as it is one for the lobby: players and watchers
// behind NAT are connected to relays, not to each other, so gossip would form no mesh on a game's
// topic. A hub watches every game a neighbour watches (it checks every act like any watcher: it
// cannot pass on what it could not check) and leaves it when no neighbour is left on its topic.
import { gameOfWatchTopic, isWatchTopic, watchTopic } from './wire/topic.js'
import { minute } from '../../units.js'
import type { GossipSub } from '@libp2p/gossipsub'
import type { CID } from 'multiformats/cid'
import type { Logger, PeerId } from '@libp2p/interface'

/** Games a hub watches at once: each costs it a game's acts in memory and its topic's traffic. */
export const HUB_MAX_GAMES = 200

/** Tries to get a game from the neighbours on its topic, 2, 4 and 8 s apart. */
export const HUB_TRIES = 4
const HUB_RETRY_MS = 2000

/** How often a hub drops games no neighbour watches any more. */
export const HUB_SWEEP_MS = minute

export interface HubHooks {
  readonly log: Logger
  readonly pubsub: GossipSub
  readonly self: PeerId
  /** Watches a game, asking `neighbour` (who just joined its topic) first. */
  readonly watch: (game: CID, neighbour: PeerId) => Promise<void>
  readonly unwatch: (game: CID) => void
}

export class WatchHub {
  private readonly hooks: HubHooks
  private readonly games = new Map<string, CID>()
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (hooks: HubHooks) {
    this.hooks = hooks
  }

  start (): void {
    this.hooks.pubsub.addEventListener('subscription-change', this.onChange)
    this.timer = setInterval(() => { this.sweep() }, HUB_SWEEP_MS)
    this.timer.unref?.()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.hooks.pubsub.removeEventListener('subscription-change', this.onChange)
    this.games.clear()
  }

  private readonly onChange = (evt: CustomEvent<{ peerId: PeerId, subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    for (const s of evt.detail.subscriptions) {
      if (!s.subscribe || !isWatchTopic(s.topic)) continue
      const game = gameOfWatchTopic(s.topic)
      if (game == null || this.games.has(game.toString()) || this.games.size >= HUB_MAX_GAMES) continue
      this.games.set(game.toString(), game)
      this.attempt(game, evt.detail.peerId, 0)
    }
  }

  /**
   * Watches a game a neighbour just joined. The neighbour joins the topic before it has the game
   * (it is catching up), so a failure is tried again a few times while the hub is still asked to
   * carry it; after that the game is forgotten until a neighbour joins its topic again.
   */
  private attempt (game: CID, neighbour: PeerId, tries: number): void {
    this.hooks.watch(game, neighbour).catch(err => {
      this.hooks.log('as a hub, could not watch %s (try %d) - %e', game, tries + 1, err)
      if (tries + 1 >= HUB_TRIES || this.timer == null) {
        this.games.delete(game.toString())
        return
      }
      const retry = setTimeout(() => { if (this.games.has(game.toString())) this.attempt(game, neighbour, tries + 1) }, HUB_RETRY_MS * 2 ** tries)
      retry.unref?.()
    })
  }

  /** Leaves the games whose topic no neighbour is on any more. */
  private sweep (): void {
    for (const [key, game] of this.games) {
      const others = this.hooks.pubsub.getSubscribers(watchTopic(game)).filter(p => !p.equals(this.hooks.self))
      if (others.length > 0) continue
      this.games.delete(key)
      this.hooks.unwatch(game)
    }
  }
}
