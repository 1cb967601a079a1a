// One game this node watches (protocols/watch.md): the game's topic, the checks every message
// passes before it is passed on, catch-up from the players or other watchers, and, as a seed, the
// acts a player feeds it published on the topic for everyone else.
import { TypedEventEmitter } from 'main-event'
import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import { WireError } from '../../wire/errors.js'
import { toSgfPoint } from '../../game/vertex.js'
import { verifierOfPeer } from '../../rna/rna.js'
import { ActRejectedError } from '../../session/errors.js'
import { WatchedGame } from '../../session/watched-game.js'
import { errorOf } from '../error-of.js'
import { isNoPeersError, publishOnce } from '../adapters/gossipsub-internals.js'
import { askWatch } from './ask.js'
import { checkChat, type WatchChat } from './wire/chat.js'
import { CHAT_RATE, FOLLOW_SILENCE, GAP_WAIT_MS, PLAYER_ASK_EVERY } from './wire/limits.js'
import { watchTopic } from './wire/topic.js'
import { decodeTopicMessage } from './wire/topic-message.js'
import { WATCH_VERDICTS, refusalOf } from './wire/errors.js'
import type { WatchAnswer } from './wire/messages.js'
import type { WatchedAct } from './wire/acts.js'
import type { SignedStart } from '../../wire/game-start.js'
import type { Act } from '../../wire/game-messages.js'
import type { CID } from 'multiformats/cid'
import type { Logger, PeerId } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

export interface WatchingEvents {
  /** A turn (a move or a pass) took effect. */
  'watch:move': CustomEvent<{ gameId: CID, by: 'B' | 'W', ply: number, move: string }>
  /** Any act took effect (chats between the players included). */
  'watch:act': CustomEvent<{ gameId: CID, act: Act }>
  /** A spectator said something. */
  'watch:chat': CustomEvent<{ gameId: CID, peer: string, name: string, text: string, at: number }>
  /** The game ended; `cosigned` once both players signed the result. */
  'watch:ended': CustomEvent<{ gameId: CID, result: string, cosigned: boolean }>
  /** The acts stopped applying: a player signed an act the rules refuse. */
  'watch:stopped': CustomEvent<{ gameId: CID, reason: string, message: string }>
}

export interface WatchingHooks {
  readonly log: Logger
  readonly now: () => number
  readonly self: PeerId
  readonly pubsub: GossipSub
  readonly connections: ConnectionManager
  /** Costs a peer reputation for `watch:<reason>`. */
  readonly penalize: (peer: PeerId, reason: string) => void
  /** Accepts a message gossipsub held for our verdict (p2pgo validates asynchronously). */
  readonly accept: (msgId: string, from: string) => void
}

/** Watchers on the topic asked before the players, and how long a new watcher waits to hear of them. */
const NEIGHBOURS_ASKED = 3
const NEIGHBOUR_WAIT_MS = 1000

/** Rounds of asking before a new watcher gives up, and the wait between them. */
const START_ROUNDS = 3
const START_RETRY_MS = 2000

/** A game this node watches. */
export class Watching extends TypedEventEmitter<WatchingEvents> {
  readonly gameId: CID
  readonly topic: string
  /** The game as checked so far; undefined until a holder sent the start record. */
  game: WatchedGame | undefined
  /** Whether a holder feeds this node new acts (it then publishes them on the topic). */
  seed = false

  private readonly hooks: WatchingHooks
  private readonly holders: PeerId[]
  private readonly abort = new AbortController()
  private readonly chats = new Map<string, number[]>()
  private timer: ReturnType<typeof setInterval> | undefined
  private heldSince: number | undefined
  private lastAct: number
  private lastAsk = 0
  /** Catch-ups asked for gaps and silences: every PLAYER_ASK_EVERY-th goes to a player. */
  private asks = 0

  constructor (gameId: CID, holders: readonly PeerId[], hooks: WatchingHooks) {
    super()
    this.gameId = gameId
    this.topic = watchTopic(gameId)
    this.holders = [...holders]
    this.hooks = hooks
    this.lastAct = hooks.now()
  }

  /**
   * Joins the topic and asks the holders in turn until one sends the game (asking to be its
   * seed). Resolves once the start record is in; acts keep coming. Throws an Error naming every
   * holder asked and what each said when none had the game.
   */
  async start (): Promise<void> {
    this.hooks.pubsub.topicValidators.set(this.topic, this.validate)
    this.hooks.pubsub.subscribe(this.topic)
    const said: string[] = []
    // A neighbour that joined the topic a moment ago may still be catching up itself: asked again.
    for (let round = 0; round < START_ROUNDS && this.game == null && !this.abort.signal.aborted; round++) {
      if (round > 0) await new Promise(resolve => setTimeout(resolve, START_RETRY_MS))
      said.length = 0
      // Connected peers already on the topic (other watchers) are asked first, so a crowd arriving
      // at a popular game does not each connect to the players; the players when nobody else has it.
      const neighbours = await this.neighbours()
      for (const holder of [...neighbours.slice(0, NEIGHBOURS_ASKED), ...this.holders.filter(h => !neighbours.some(n => n.equals(h)))]) {
        try {
          if (await this.pull(holder, true)) break
        } catch (err) {
          said.push(`${holder.toString()}: ${(err as Error).message}`)
        }
      }
      // The players' answer stands; only neighbours on the topic may still be catching up.
      if (neighbours.length === 0) break
    }
    if (this.game == null) {
      this.stop()
      throw new Error(`nobody asked has game ${this.gameId.toString()} (${said.length > 0 ? said.join('; ') : 'no player or watcher of it was found in the DHT'}): check the ID, or try again while the game is played`)
    }
    this.timer = setInterval(() => { this.check() }, 1000)
    this.timer.unref?.()
  }

  /** Connected peers on the game's topic, waiting a moment for their subscriptions to arrive (they come as connections open). */
  private async neighbours (): Promise<PeerId[]> {
    const on = (): PeerId[] => this.hooks.pubsub.getSubscribers(this.topic).filter(p => !p.equals(this.hooks.self))
    for (let waited = 0; on().length === 0 && waited < NEIGHBOUR_WAIT_MS && !this.abort.signal.aborted; waited += 100) {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    return on().sort(() => Math.random() - 0.5)
  }

  stop (): void {
    clearInterval(this.timer)
    this.abort.abort()
    if (this.hooks.pubsub.topicValidators.get(this.topic) === this.validate) this.hooks.pubsub.topicValidators.delete(this.topic)
    try {
      this.hooks.pubsub.unsubscribe(this.topic)
    } catch (err) {
      this.hooks.log('could not leave %s - %e', this.topic, err)
    }
  }

  /** Says something to the other watchers (the players do not see it while they play). */
  async say (chat: Uint8Array, decoded: WatchChat): Promise<void> {
    await this.hooks.pubsub.publish(this.topic, chat).catch(err => { if (!isNoPeersError(err)) throw err })
    this.dispatchEvent(new CustomEvent('watch:chat', { detail: { gameId: this.gameId, peer: this.hooks.self.toString(), name: decoded.name, text: decoded.text, at: decoded.at } }))
  }

  /** Called by the service for each message gossipsub passed on to us on this topic. */
  received (msgId: string, from: string): void {
    this.hooks.accept(msgId, from)
  }

  /**
   * Asks one holder; resolves true once it sent the start record (its acts then keep coming in
   * the background: a seed's stream lasts the game). Throws what went wrong.
   */
  private async pull (holder: PeerId, follow: boolean): Promise<boolean> {
    const game = this.game
    const answers = askWatch(this.hooks.connections, holder, this.gameId, {
      have: game?.have ?? { B: 0, W: 0 },
      follow,
      signal: this.abort.signal,
      ...(game != null ? { players: { B: game.start.black, W: game.start.white } } : {})
    })
    const first = await answers.next()
    if (first.done === true) return false
    const start = first.value
    if (start.t !== 'watch-start') throw new Error(`${holder.toString()} answered without the start record`)
    this.takeStart(start.start)
    if (start.following) this.seed = true
    void this.consume(answers, holder, start.following)
    return true
  }

  /** The acts a holder sends: a prefix checked act by act; what a forwarder could have checked costs it. */
  private async consume (answers: AsyncGenerator<WatchAnswer, void, undefined>, holder: PeerId, seed: boolean): Promise<void> {
    try {
      for await (const answer of answers) {
        if (answer.t !== 'watch-acts') throw new Error(`${holder.toString()} sent ${answer.t} among acts`)
        for (const watched of answer.acts) {
          const outcome = await this.takeFromHolder(watched, holder)
          if (outcome !== 'duplicate' && seed) await this.publish(watched.bytes)
        }
        if (answer.refused != null) {
          this.hooks.penalize(holder, 'broken-answer')
          throw answer.refused
        }
      }
    } catch (err) {
      if (err instanceof WireError) this.hooks.penalize(holder, 'broken-answer')
      if (!this.abort.signal.aborted) this.hooks.log('watching %s: %p stopped sending - %e', this.gameId, holder, err)
    } finally {
      if (seed) this.seed = false
    }
  }

  /** The start record (its signatures and ID checked by the codec): the game from now on. */
  private takeStart (start: SignedStart): void {
    if (this.game != null) return
    const game = new WatchedGame({ start, gameId: this.gameId, keys: { B: verifierOfPeer(start.black), W: verifierOfPeer(start.white) } })
    game.addEventListener('act', e => { this.applied(e.detail.act) })
    game.addEventListener('ended', e => { this.dispatchEvent(new CustomEvent('watch:ended', { detail: { gameId: this.gameId, ...e.detail } })) })
    game.addEventListener('stopped', e => { this.dispatchEvent(new CustomEvent('watch:stopped', { detail: { gameId: this.gameId, reason: e.detail.error.reason, message: e.detail.error.message } })) })
    this.game = game
  }

  /** An act from a catch-up answer; a forged or foreign one costs the holder and ends the exchange. */
  private async takeFromHolder (watched: WatchedAct, holder: PeerId): Promise<'applied' | 'held' | 'duplicate'> {
    try {
      return await this.game!.offer(watched.act, watched.bytes)
    } catch (err) {
      if (err instanceof ActRejectedError && (err.reason === 'bad-signature' || err.reason === 'wrong-game')) this.hooks.penalize(holder, 'broken-answer')
      throw err
    }
  }

  /** A seed passes an act on; an act that came by gossip too (from the other seed) is one message, not an error. */
  private async publish (bytes: Uint8Array): Promise<void> {
    try {
      await publishOnce(this.hooks.pubsub, this.topic, bytes)
    } catch (err) {
      if (!isNoPeersError(err)) this.hooks.log('could not publish an act of %s - %e', this.gameId, err)
    }
  }

  private applied (act: Act): void {
    this.lastAct = this.hooks.now()
    this.dispatchEvent(new CustomEvent('watch:act', { detail: { gameId: this.gameId, act } }))
    if (act.kind === 'move' || act.kind === 'pass') {
      this.dispatchEvent(new CustomEvent('watch:move', { detail: { gameId: this.gameId, by: act.by, ply: act.ply ?? 0, move: act.kind === 'pass' ? 'pass' : toSgfPoint({ x: act.x ?? 0, y: act.y ?? 0 }) } }))
    }
  }

  /** Every second: a gap held too long, or a silent game with no seed, is asked for again. */
  private check (): void {
    const game = this.game
    if (game == null || game.finished || game.stopped != null) return
    const now = this.hooks.now()
    if (game.heldCount === 0) this.heldSince = undefined
    else this.heldSince ??= now
    const gap = this.heldSince != null && now - this.heldSince >= GAP_WAIT_MS
    const quiet = !this.seed && now - this.lastAct >= FOLLOW_SILENCE
    if (!(gap || quiet) || now - this.lastAsk < GAP_WAIT_MS * 5) return
    this.lastAsk = now
    // A gap: other watchers first, so the players' upload stays flat however many watch; the
    // players only when no other watcher is known, or one ask in PLAYER_ASK_EVERY (the act may be
    // missing everywhere the gossip reached). A silence with no seed: anyone, players included
    // (a hub on the topic may hold nothing to seed from).
    const others = this.hooks.pubsub.getSubscribers(this.topic).filter(p => !p.equals(this.hooks.self) && !this.holders.some(h => h.equals(p)))
    this.asks++
    const holders = quiet || others.length === 0 || this.asks % PLAYER_ASK_EVERY === 0 ? [...this.holders, ...others] : others
    const holder = holders[Math.floor(Math.random() * holders.length)]
    if (holder == null) return
    this.pull(holder, !this.seed).catch(err => { this.hooks.log('watching %s: catch-up from %p failed - %e', this.gameId, holder, err) })
  }

  /** gossipsub's validator for the game's topic: never throws, whatever arrives. */
  private readonly validate = async (from: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    try {
      const game = this.game
      const message = decodeTopicMessage(msg.data, this.gameId)
      if (game == null) return TopicValidatorResult.Ignore
      // The chat's author is the message's signer (gossipsub StrictSign), not the peer that passed it on.
      if (message.t === 'watch-chat') return msg.type === 'signed' ? await this.validateChat(msg.from, msg.data, game) : TopicValidatorResult.Reject
      const outcome = await game.offer(message.act, message.bytes)
      return outcome === 'duplicate' ? TopicValidatorResult.Ignore : TopicValidatorResult.Accept
    } catch (err) {
      return this.refuse(from, err)
    }
  }

  private async validateChat (author: PeerId, data: Uint8Array, game: WatchedGame): Promise<TopicValidatorResult> {
    const now = this.hooks.now()
    const chat = await checkChat(data, { game: this.gameId, from: author, now, players: game.finished ? [] : [game.start.black, game.start.white] })
    const recent = (this.chats.get(author.toString()) ?? []).filter(t => now - t < 60_000)
    if (recent.length >= CHAT_RATE) return TopicValidatorResult.Ignore
    this.chats.set(author.toString(), [...recent, now])
    this.dispatchEvent(new CustomEvent('watch:chat', { detail: { gameId: this.gameId, peer: author.toString(), name: chat.name, text: chat.text, at: chat.at } }))
    return TopicValidatorResult.Accept
  }

  /** A refused message: rejected (and its sender penalised) when no honest peer sends it, else ignored. */
  private refuse (from: PeerId, err: unknown): TopicValidatorResult {
    const reason = err instanceof WireError ? refusalOf(err) : err instanceof ActRejectedError ? err.reason : 'internal'
    this.hooks.log('refused a message on %s from %p (%s): %s', this.topic, from, reason, errorOf(err).message)
    const verdict = reason in WATCH_VERDICTS ? WATCH_VERDICTS[reason as keyof typeof WATCH_VERDICTS] : 'ignore'
    if (verdict !== 'reject') return TopicValidatorResult.Ignore
    this.hooks.penalize(from, ['too-large', 'schema'].includes(reason) ? 'malformed' : reason)
    return TopicValidatorResult.Reject
  }
}
