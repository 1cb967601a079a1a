// Acts through the mailbox (protocols/game.md, "Acts through the mailbox"). A player whose
// opponent cannot be reached leaves its signed acts (the game protocol's own bytes) and, when
// nothing else tells it, an ack with the opponent's holders (src/net/mailbox/); acts collected
// from this node's own holders go into the game exactly as if they came over the game stream.
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { relayOf } from '../address-order.js'
import { Penalties, type ReputationRecorder } from '../reputation/penalties.js'
import { ActRejectedError } from '../../session/index.js'
import { WireError } from '../../wire/errors.js'
import { encodeGameMessage, otherSide } from '../../wire/game-messages.js'
import { MAIL_LIFETIME_CORRESPONDENCE, MAIL_LIFETIME_LIVE, MAIL_SETTLE_MS } from './constants.js'
import { OFFENCES } from './game-protocol.js'
import { NO_MARKS, mailPlan, marksAfter, readMailedGameMessage, type MailMarks, type MailedGameMessage } from './mail-policy.js'
import type { ActiveGame, Dispatch } from './active-game.js'
import type { GameStore } from './game-store.js'
import type { HolderAddress, MailboxItem, MailboxService } from '../mailbox/index.js'
import type { Logger, PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** The part of the mailbox service the games use. */
export type GameMailbox = Pick<MailboxService, 'deposit' | 'holdersOf' | 'inbox' | 'dismiss' | 'addEventListener' | 'removeEventListener'>

/** A stored game that is not in progress and cannot be: why. */
export type NotResumed = 'unknown' | 'finished' | 'closed'

export interface GameMailInit {
  readonly log: Logger
  readonly now: () => number
  readonly store: GameStore
  readonly dispatch: Dispatch
  /** The node's mailbox, when it has one. */
  readonly mailbox: () => GameMailbox | undefined
  readonly reputation: () => ReputationRecorder | undefined
  /** The game in progress with this ID, opened from the store if it is not yet (a game not over; with `closed`, a closed one too), or why not. */
  readonly resume: (gameId: CID, options?: { closed?: boolean }) => Promise<ActiveGame | NotResumed>
  /** Writes the game's new acts and bookkeeping. */
  readonly persist: (game: ActiveGame) => Promise<void>
  /** The opponent's acknowledged count may have moved (delivery statistics, retry delays). */
  readonly acknowledged: (game: ActiveGame) => void
  /** Acknowledges over the game's stream when one is open (and sends what waits); false without one. */
  readonly replyDirect: (game: ActiveGame) => boolean
}

/** Per game: deposits run one at a time (each reads and moves the marks). */
export class GameMail {
  private readonly init: GameMailInit
  private readonly log: Logger
  private readonly penalties: Penalties
  private readonly marks = new Map<string, MailMarks>()
  private readonly sending = new Map<string, Promise<void>>()
  private queue: MailboxItem[] = []
  private draining: Promise<void> | undefined
  private mailbox: GameMailbox | undefined

  constructor (init: GameMailInit) {
    this.init = init
    this.log = init.log
    this.penalties = new Penalties({ source: 'game', reputation: init.reputation, now: init.now })
  }

  /** Listens for acts collected from this node's holders, and takes those already in the inbox (delivered before a restart or before the games were open). */
  async start (): Promise<void> {
    this.mailbox = this.init.mailbox()
    if (this.mailbox == null) return
    this.mailbox.addEventListener('mailbox:item', this.onItem)
    try {
      this.take((await this.mailbox.inbox()).filter(i => i.kind === 'act'))
    } catch (err) {
      this.log.error('could not read the mailbox inbox - %e', err)
    }
  }

  /** Stops listening; what is being deposited or taken in is given a moment to finish. */
  async stop (): Promise<void> {
    this.mailbox?.removeEventListener('mailbox:item', this.onItem)
    this.mailbox = undefined
    this.queue = []
    await this.settle()
  }

  /** Waits (at most MAIL_SETTLE_MS) for deposits and intake under way. */
  async settle (): Promise<void> {
    const pending = [...this.sending.values(), ...(this.draining != null ? [this.draining] : [])]
    if (pending.length === 0) return
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([Promise.allSettled(pending), new Promise(resolve => { timer = setTimeout(resolve, MAIL_SETTLE_MS) })])
    clearTimeout(timer)
  }

  /**
   * Leaves with the opponent's holders what it lacks and cannot get directly: my acts neither
   * acknowledged nor deposited yet, then an ack when they do not say what I hold. Never throws;
   * `game:mail` reports each deposit.
   */
  async deposit (game: ActiveGame): Promise<void> {
    await this.serial(game.session.gameId, async () => { await this.depositNow(game) })
      .catch(err => { this.log.error('game %s: the mailbox deposit failed - %e', game.session.gameId, err) })
  }

  /**
   * Remembers the opponent's holders while its addresses are fresh (the game started, a stream
   * opened): days later, when it is away, the peer store will have forgotten them. `given` are
   * circuit addresses learnt elsewhere (an offline challenge, say); by default the peer store's.
   */
  async remember (gameId: CID, opponent: PeerId, given?: readonly string[]): Promise<void> {
    const mailbox = this.init.mailbox()
    if (mailbox == null) return
    await this.serial(gameId, async () => {
      const holders = given ?? (await this.holdersFor(mailbox, opponent, NO_MARKS)).seen
      if (holders.length === 0) return
      const key = gameId.toString()
      const marks = this.marks.get(key) ?? await this.init.store.mailMarks(gameId)
      if (marks.holders.join(' ') === holders.join(' ')) return
      const next = { ...marks, holders }
      this.marks.set(key, next)
      await this.init.store.saveMailMarks(gameId, next)
    }).catch(err => { this.log('could not remember the holders of game %s - %e', gameId, err) })
  }

  /** Runs `fn` after whatever else this game's marks are being used for. */
  private async serial (gameId: CID, fn: () => Promise<void>): Promise<void> {
    const key = gameId.toString()
    const before = this.sending.get(key) ?? Promise.resolve()
    const run = before.then(fn)
    const tail = run.catch(() => {})
    this.sending.set(key, tail)
    try {
      await run
    } finally {
      if (this.sending.get(key) === tail) this.sending.delete(key)
    }
  }

  private async depositNow (game: ActiveGame): Promise<void> {
    const mailbox = this.init.mailbox()
    if (mailbox == null) return
    const { session, opponent } = game
    const gameId = session.gameId
    const key = gameId.toString()
    let marks = this.marks.get(key) ?? await this.init.store.mailMarks(gameId)
    const plan = mailPlan(session.unacked, session.acts[session.me].at(-1), session.have, marks)
    if (plan.acts.length === 0 && plan.ack == null) return
    const start = marks
    const holders = await this.holdersFor(mailbox, opponent, marks)
    if (holders.seen.length > 0) marks = { ...marks, holders: holders.seen }
    const expires = this.init.now() + (session.start.terms.tc.kind === 'correspondence' ? MAIL_LIFETIME_CORRESPONDENCE : MAIL_LIFETIME_LIVE)
    const acts: number[] = []
    const held = new Set<string>()
    let ack: number | undefined
    let error: string | undefined
    try {
      for (const act of plan.acts) {
        const r = await mailbox.deposit(opponent, 'act', encodeGameMessage({ t: 'act', ...act }), { expires, holders: holders.use })
        for (const h of r.held) held.add(h)
        marks = marksAfter(marks, { acts: [act] })
        acts.push(act.n)
      }
      if (plan.ack != null) {
        const r = await mailbox.deposit(opponent, 'act', encodeGameMessage({ t: 'ack', game: gameId, by: otherSide(session.me), n: plan.ack }), { expires, holders: holders.use })
        for (const h of r.held) held.add(h)
        marks = marksAfter(marks, { acts: [], ack: plan.ack })
        ack = plan.ack
      }
    } catch (err) {
      error = (err as Error).message
      this.log('game %s: could not leave acts for %p with its holders - %e', gameId, opponent, err)
    }
    if (marks !== start) {
      this.marks.set(key, marks)
      await this.init.store.saveMailMarks(gameId, marks).catch(err => { this.log.error('could not store the mail marks of game %s - %e', gameId, err) })
    }
    this.init.dispatch('game:mail', { gameId, opponent, acts, ...(ack != null ? { ack } : {}), held: [...held], ok: error == null, ...(error != null ? { error } : {}) })
  }

  /**
   * The opponent's holders: the relays its circuit addresses name now (peer store entries expire
   * within the hour), else those remembered for the game, which a correspondence game needs for days.
   */
  private async holdersFor (mailbox: GameMailbox, opponent: PeerId, marks: MailMarks): Promise<{ use: HolderAddress[], seen: string[] }> {
    const now = await mailbox.holdersOf(opponent).catch(() => [])
    if (now.length > 0) return { use: now, seen: now.flatMap(h => (h.addrs != null && h.addrs.length > 0 ? h.addrs.map(a => a.toString()) : [`/p2p/${h.peer.toString()}`]).map(a => `${a}/p2p-circuit`)) }
    const byRelay = new Map<string, HolderAddress>()
    for (const text of marks.holders) {
      try {
        const ma = multiaddr(text)
        const relay = relayOf(ma)
        if (relay == null) continue
        const prefix = ma.decapsulate('/p2p-circuit')
        const bare = prefix.getComponents().length === 1
        const before = byRelay.get(relay)
        byRelay.set(relay, { peer: peerIdFromString(relay), addrs: [...(before?.addrs ?? []), ...(bare ? [] : [prefix])] })
      } catch (err) {
        this.log('a remembered holder address does not read - %e', err)
      }
    }
    return { use: [...byRelay.values()], seen: [] }
  }

  /** A mailbox item: acts and acks are this service's; challenges and messages are not. */
  private readonly onItem = (evt: CustomEvent<MailboxItem>): void => {
    if (evt.detail.kind === 'act') this.take([evt.detail])
  }

  /** Queues items; one drain at a time applies them in order. */
  private take (items: readonly MailboxItem[]): void {
    if (items.length === 0) return
    this.queue.push(...items)
    this.draining ??= (async () => {
      // Items that came while the last round's replies went out get a round of their own.
      while (this.queue.length > 0) await this.drain()
    })().finally(() => { this.draining = undefined })
  }

  private async drain (): Promise<void> {
    const touched = new Set<ActiveGame>()
    let waiting: MailboxItem[] = []
    let progress = false
    while (this.queue.length > 0) {
      const item = this.queue.shift() as MailboxItem
      try {
        const r = await this.intake(item)
        if (r === 'later') waiting.push(item)
        else if (r != null) { touched.add(r); progress = true }
      } catch (err) {
        // Not the sender's fault (the store failed, say): it stays in the inbox for the next start.
        this.log.error('could not take in mailbox item %s from %s - %e', item.id, item.from, err)
      }
      // An act that came before the one it follows (from another path) is tried again once the others are in.
      if (this.queue.length === 0 && waiting.length > 0 && progress) {
        this.queue.push(...waiting)
        waiting = []
        progress = false
      }
    }
    for (const game of touched) {
      if (!this.init.replyDirect(game)) await this.deposit(game)
    }
  }

  /**
   * One item: the game it names, checked as the game stream checks (sender is the opponent, the
   * act's signature, chain and legality), applied and stored. Returns the game when it applied
   * something, 'later' when the act must wait for an earlier one, undefined when it was done with.
   */
  private async intake (item: MailboxItem): Promise<ActiveGame | 'later' | undefined> {
    const from = peerIdFromString(item.from)
    let message: MailedGameMessage
    try {
      message = readMailedGameMessage(item.payload)
    } catch (err) {
      if (!(err instanceof WireError)) throw err
      await this.refuse(item, from, undefined, err.reason === 'unknown-version' ? 'unknown-version' : 'malformed', err.message)
      return undefined
    }
    // The opponent's signature on the end of a game closed without it (my flag claim, an
    // abandonment) still finishes it: the session checks it agrees, and the game becomes co-signed.
    const found = await this.init.resume(message.game, { closed: message.t === 'act' && message.kind === 'result' })
    if (typeof found === 'string') {
      if (found === 'unknown') await this.refuse(item, from, message.game, 'wrong-game', 'this node has no game with that ID')
      else if (found === 'closed' && message.t === 'ack') {
        // An ack is no move in the game: it drains what was left of a closed game's outbox too.
        await this.ackStored(message.game, from, message.by, message.n)
        await this.done(item)
      } else if (found === 'closed') await this.refuse(item, from, message.game, 'game-over', 'the game was closed without its end signed (a flag, an abandonment): it is not resumed')
      else {
        // A finished game: an act again changes nothing; an ack drains what was left of its outbox.
        if (message.t === 'ack') await this.ackStored(message.game, from, message.by, message.n)
        await this.done(item)
      }
      return undefined
    }
    const game = found
    const { session } = game
    if (!game.opponent.equals(from)) {
      await this.refuse(item, from, session.gameId, 'wrong-peer', 'the sender does not play this game with this node')
      return undefined
    }
    if (message.t === 'ack') {
      if (message.by !== session.me) {
        await this.refuse(item, from, session.gameId, 'malformed', `an ack through the mailbox must count this player's (${session.me}) acts`)
        return undefined
      }
      session.acknowledge(message.n)
      this.init.acknowledged(game)
      await this.init.persist(game)
      await this.done(item)
      return undefined
    }
    const { t: _t, ...act } = message
    let applied: boolean
    try {
      // The act's own time counts on a correspondence clock; a live clock is read now, as the act arrives.
      applied = await session.receive(act, { lagMs: 0 })
    } catch (err) {
      if (!(err instanceof ActRejectedError)) throw err
      if (err.reason === 'out-of-order' && act.n > session.have) return 'later'
      await this.refuse(item, from, session.gameId, err.reason, err.message)
      return undefined
    }
    // Its `seen` says how many of my acts the opponent holds: my outbox drains by it.
    session.acknowledge(act.seen)
    this.init.acknowledged(game)
    await this.init.persist(game)
    await this.done(item)
    return applied ? game : undefined
  }

  /** An ack for a finished or closed game that is no longer in memory: its stored acknowledged count moves. */
  private async ackStored (gameId: CID, from: PeerId, by: string, n: number): Promise<void> {
    const { meta, acts } = await this.init.store.get(gameId)
    if (meta.opponent !== from.toString() || by !== meta.me || n <= meta.acked || n > acts[meta.me].length) return
    await this.init.store.saveMeta(gameId, { ...meta, acked: n })
  }

  /** Refused: said (`rejected`, through the mailbox), the sender penalised for what an honest peer never sends, the item dropped. */
  private async refuse (item: MailboxItem, from: PeerId, gameId: CID | undefined, reason: string, message: string): Promise<void> {
    this.log('refused act %s from %p through the mailbox: %s (%s)', item.id, from, reason, message)
    this.init.dispatch('rejected', { peer: from, ...(gameId != null ? { gameId } : {}), reason, message, via: 'mailbox' })
    if (OFFENCES.has(reason) || reason === 'wrong-peer') this.penalties.penalize(from, `mailbox-${reason}`)
    await this.done(item)
  }

  private async done (item: MailboxItem): Promise<void> {
    await this.mailbox?.dismiss(item.id)
  }
}
