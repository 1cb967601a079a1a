// Offline challenges and messages as a libp2p service (protocols/post.md). Items go straight to
// a peer that is online, else into the mailbox; what arrives either way is checked, kept in the
// inbox, or (an accept, a confirm) turned into a game. Lapsed items are swept on both sides.
import type { Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { InvalidSettingError } from '../../game/errors.js'
import { hashBytes } from '../../wire/cid.js'
import { decodeChallengeMessage, encodeChallengeMessage, type ChallengeColor, type Proposal } from '../challenge/messages.js'
import { negotiationHelpers } from './claims.js'
import { checkText } from './wire.js'
import { localTerms } from '../challenge/terms.js'
import { MailboxDepositError, type MailboxItem } from '../mailbox/index.js'
import { ACCEPT_GRACE, ANSWER_LIFETIME, DEFAULT_MESSAGE_LIFETIME, DEFAULT_OFFER_LIFETIME, INBOX_MAX, MIN_OFFER_LIFETIME, POST_PROTOCOL, SWEEP_INTERVAL } from './constants.js'
import { NoSuchItemError, PostDeliveryError, PostRefusedError } from './errors.js'
import { acceptOffer, completeAccept, confirmAccept } from './offline-challenge.js'
import { PostStore, type InboxEntry } from './post-store.js'
import { sendDirect, serveDirect } from './direct.js'
import { decodePayload, encodeDirect, encodePayload, type PostItem, type PostKind } from './wire.js'
import { ownReplyAddresses, replyAddresses } from './reply.js'
import { inboxView, pendingViews } from './views.js'
import type { InboxView, PendingView, PostComponents, PostEvents, PostInit } from './index.js'
import type { StartedGame } from '../game/game-service.js'
import type { GameTerms } from '../../wire/game-start.js'
import type { AbortOptions, Logger, PeerId, Startable } from '@libp2p/interface'

/** How an item left: straight to the peer, or into the mailbox (the holders that keep it). */
export interface SendResult {
  readonly via: 'direct' | 'mailbox'
  readonly held?: readonly string[]
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

export class PostService extends TypedEventEmitter<PostEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:post'
  private readonly components: PostComponents
  private readonly init: PostInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly store: PostStore
  private readonly me: Uint8Array
  private timer: ReturnType<typeof setInterval> | undefined
  private started = false
  /** Items are taken one at a time: an accept and its duplicate never both make a game. */
  private taking: Promise<unknown> = Promise.resolve()
  private catchingUp: Promise<unknown> = Promise.resolve()

  constructor (components: PostComponents, init: PostInit) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:post')
    this.now = init.now ?? Date.now
    this.store = new PostStore(components.datastore)
    this.me = components.peerId.toMultihash().bytes
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    await this.components.registrar.handle(POST_PROTOCOL, (stream, connection) => {
      serveDirect(stream, connection, this.me, this.now, async (item, bytes) => { await this.take(connection.remotePeer.toString(), hex(hashBytes(bytes).digest), item, 'direct') })
        .catch(err => { this.log('a direct item from %p failed - %e', connection.remotePeer, err) })
    }, { runOnLimitedConnection: true, maxInboundStreams: 8 })
    this.init.mailbox().addEventListener('mailbox:item', this.onMail)
    this.timer = setInterval(() => { void this.sweep() }, SWEEP_INTERVAL)
    this.timer.unref?.()
  }

  /** After every service started: what the mailbox delivered while this node was down (in the background: a retried confirm may take seconds). */
  afterStart (): void {
    this.catchingUp = (async () => {
      for (const item of await this.init.mailbox().inbox()) await this.fromMailbox(item)
      await this.sweep()
    })().catch(err => { this.log('could not read the mailbox inbox - %e', err) })
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    clearInterval(this.timer)
    this.init.mailbox().removeEventListener('mailbox:item', this.onMail)
    await this.components.registrar.unhandle(POST_PROTOCOL)
    await this.catchingUp
    await this.taking.catch(() => {})
  }

  /** Sends a short message (500 characters at most): straight to the peer, else through its relays. */
  async message (peer: PeerId | string, text: string, options: AbortOptions & { lifetimeMs?: number } = {}): Promise<SendResult> {
    return await this.send(peer, 'message', new TextEncoder().encode(checkText(text)), this.now() + (options.lifetimeMs ?? DEFAULT_MESSAGE_LIFETIME), options)
  }

  /**
   * Challenges a player who may be offline: the offer waits `lifetimeMs` (a week by default, at
   * most 30 days). Resolves with the proposal ID once the peer or a holder has it; the game
   * follows (`post:game`) when the peer accepts and its accept reaches this node.
   */
  async challenge (peer: PeerId | string, offer: { terms: GameTerms, color: ChallengeColor, name?: string }, options: AbortOptions & { lifetimeMs?: number } = {}): Promise<SendResult & { id: string, expires: number }> {
    const to = typeof peer === 'string' ? peerIdFromString(peer) : peer
    if (to.equals(this.components.peerId)) throw new InvalidSettingError('peer', 'you cannot challenge yourself')
    const lifetime = options.lifetimeMs ?? DEFAULT_OFFER_LIFETIME
    if (!Number.isSafeInteger(lifetime) || lifetime < MIN_OFFER_LIFETIME || lifetime > 30 * 24 * 3600_000) throw new InvalidSettingError('expires', 'an offline challenge waits from an hour to 30 days')
    const terms = localTerms(offer.terms)
    const helpers = negotiationHelpers(this.init)
    const proposal: Proposal = { id: helpers.randomId(), terms, color: offer.color, name: helpers.name(offer.name ?? this.init.name), expires: this.now() + lifetime, ...helpers.claims(terms.size) }
    const propose = encodeChallengeMessage({ t: 'propose', ...proposal })
    const id = hex(proposal.id)
    await this.store.put('sent', { id, to: to.toString(), propose, at: this.now(), expires: proposal.expires })
    try {
      return { ...await this.send(to, 'challenge', propose, proposal.expires, options), id, expires: proposal.expires }
    } catch (err) {
      await this.store.delete('sent', id)
      throw err
    }
  }

  /** Accepts a challenge in the inbox: the accept goes back to the challenger; the game follows its confirm. */
  async accept (id: string, options: AbortOptions & { name?: string } = {}): Promise<SendResult & { id: string }> {
    const entry = await this.store.get('inbox', id)
    if (entry == null || entry.kind !== 'challenge' || entry.expires <= this.now()) throw new NoSuchItemError(id)
    const propose = decodeChallengeMessage(entry.payload)
    if (propose.t !== 'propose') throw new NoSuchItemError(id)
    const { t: _t, ...proposal } = propose
    const helpers = negotiationHelpers(this.init)
    const claims = { name: helpers.name(options.name ?? this.init.name), ...helpers.claims(proposal.terms.size) }
    const author = peerIdFromString(entry.from)
    const accept = await acceptOffer(proposal, { author: author.toMultihash().bytes, accepter: this.me }, claims, this.components.privateKey, this.now())
    const acceptBytes = encodeChallengeMessage({ t: 'accept', ...accept })
    const pid = hex(proposal.id)
    await this.store.put('accepted', { id: pid, from: entry.from, propose: entry.payload, accept: acceptBytes, expires: proposal.expires + ACCEPT_GRACE })
    try {
      const sent = await this.send(author, 'challenge', acceptBytes, this.now() + ANSWER_LIFETIME, options)
      await this.store.delete('inbox', id)
      return { ...sent, id: pid }
    } catch (err) {
      await this.store.delete('accepted', pid)
      throw err
    }
  }

  /** Drops an item from the inbox; a challenge is declined (the challenger is told when it can be). */
  async dismiss (id: string, options: AbortOptions = {}): Promise<void> {
    const entry = await this.store.get('inbox', id)
    if (entry == null) throw new NoSuchItemError(id)
    await this.store.delete('inbox', id)
    if (entry.kind !== 'challenge') return
    try {
      const propose = decodeChallengeMessage(entry.payload)
      const decline = encodeChallengeMessage({ t: 'decline', id: propose.t === 'propose' ? propose.id : new Uint8Array(16), reason: 'declined' })
      await this.send(entry.from, 'challenge', decline, Math.min(entry.expires, this.now() + ANSWER_LIFETIME), options)
    } catch (err) {
      this.log('could not tell %s of the decline - %e', entry.from, err)
    }
  }

  /** Resolves once every item handed over so far has been taken or refused. */
  async settled (): Promise<void> {
    await this.catchingUp
    await this.taking.catch(() => {})
  }

  /** What waits in the inbox and has not lapsed, oldest first. */
  async inbox (): Promise<InboxView[]> {
    const now = this.now()
    return (await this.store.list('inbox')).filter(e => e.expires > now).sort((a, b) => a.at - b.at).map(inboxView)
  }

  /** This node's offline challenges that wait for the other player and have not lapsed. */
  async pending (): Promise<PendingView[]> {
    return pendingViews(await this.store.list('sent'), await this.store.list('accepted'), this.now())
  }

  /** Drops what has lapsed (inbox items and accepts at their expiry, sent offers ACCEPT_GRACE after theirs), and retries confirms nobody took. */
  async sweep (): Promise<void> {
    try {
      for (const o of await this.store.list('outbox')) {
        if (o.expires <= this.now()) continue
        try {
          await this.send(o.to, 'challenge', o.msg, o.expires, {})
          await this.store.delete('outbox', o.id)
        } catch (err) {
          this.log('the confirm to %s still cannot be sent - %e', o.to, err)
        }
      }
      const gone = await this.store.sweep(this.now(), ACCEPT_GRACE)
      const n = gone.inbox.length + gone.sent.length + gone.accepted.length
      if (n > 0) this.log('dropped %d lapsed items', n)
    } catch (err) {
      this.log.error('could not sweep the post - %e', err)
    }
  }

  /**
   * One item to a peer (`inner`: a message's text in UTF-8, or a challenge message), with this
   * node's circuit addresses to answer through: straight when it answers, else into the mailbox.
   * A peer's refusal is final.
   */
  private async send (peer: PeerId | string, kind: PostKind, inner: Uint8Array, expires: number, options: AbortOptions): Promise<SendResult> {
    const to = typeof peer === 'string' ? peerIdFromString(peer) : peer
    const reply = ownReplyAddresses(this.components.addressManager.getAddresses(), this.components.peerId.toString())
    const payload = encodePayload(kind === 'message' ? { kind, text: new TextDecoder().decode(inner), reply } : { kind, msg: inner, reply })
    const item: PostItem = { from: this.me, to: to.toMultihash().bytes, kind, at: this.now(), expires, payload }
    try {
      await sendDirect(this.components.connectionManager, to, await encodeDirect(item, this.components.privateKey), options)
      return { via: 'direct' }
    } catch (err) {
      if (err instanceof PostDeliveryError || options.signal?.aborted === true) throw err
      this.log('%p not reachable directly (%s): leaving it in the mailbox', to, (err as Error).message)
    }
    try {
      const r = await this.init.mailbox().deposit(to, kind, payload, { expires, ...(options.signal != null ? { signal: options.signal } : {}) })
      return { via: 'mailbox', held: r.held }
    } catch (err) {
      if (err instanceof MailboxDepositError) throw new MailboxDepositError(`${to.toString()} (offline, and no relay of theirs kept it)`, err.refused)
      throw err
    }
  }

  private readonly onMail = (evt: CustomEvent<MailboxItem>): void => { void this.fromMailbox(evt.detail) }

  /** A challenge or message the mailbox delivered: taken (or refused), then dismissed there. */
  private async fromMailbox (m: MailboxItem): Promise<void> {
    if (m.kind !== 'challenge' && m.kind !== 'message') return
    try {
      await this.take(m.from, m.id, { from: peerIdFromString(m.from).toMultihash().bytes, to: this.me, kind: m.kind, at: m.at, expires: m.expires, payload: m.payload }, 'mailbox')
    } catch (err) {
      this.log('refused a %s from %s - %e', m.kind, m.from, err)
    }
    await this.init.mailbox().dismiss(m.id).catch(() => {})
  }

  /** Takes one checked item, one at a time. PostRefusedError when it is refused (nothing kept). */
  private async take (from: string, id: string, item: PostItem, via: string): Promise<void> {
    const run = this.taking.catch(() => {}).then(async () => { await this.takeNow(from, id, item) })
    this.taking = run
    try {
      await run
    } catch (err) {
      if (err instanceof PostRefusedError) this.safeDispatch('post:rejected', { peer: from, reason: err.reason, message: err.message })
      this.log('refused a %s from %s via %s - %e', item.kind, from, via, err)
      throw err
    }
  }

  private async takeNow (from: string, id: string, item: PostItem): Promise<void> {
    const now = this.now()
    const payload = decodePayload(item.kind, item.payload)
    // Where to answer the sender: its relays, named in its own signed item.
    const reply = replyAddresses(payload.reply, from)
    if (reply.length > 0) await this.components.peerStore.merge(peerIdFromString(from), { multiaddrs: reply }).catch(() => {})
    if (payload.kind === 'message') {
      await this.keep({ id, from, kind: 'message', at: item.at, expires: item.expires, received: now, payload: new TextEncoder().encode(payload.text) })
      return
    }
    let message
    try {
      message = decodeChallengeMessage(payload.msg)
    } catch (err) {
      throw new PostRefusedError('malformed', `the challenge cannot be read: ${(err as Error).message}`)
    }
    const pid = hex(message.id)
    if (message.t === 'propose') {
      if (message.expires <= now) throw new PostRefusedError('expired', 'the challenge had expired when it arrived')
      // A challenge is known by its proposal ID on both sides, whichever way it came.
      await this.keep({ id: pid, from, kind: 'challenge', at: item.at, expires: Math.min(item.expires, message.expires), received: now, payload: payload.msg })
    } else if (message.t === 'accept') {
      const sent = await this.store.get('sent', pid)
      if (sent == null || sent.to !== from) throw new PostRefusedError('unknown-challenge', 'an accept of a challenge this node did not send to that peer (or that has lapsed)')
      const propose = decodeChallengeMessage(sent.propose)
      if (propose.t !== 'propose') throw new PostRefusedError('unknown-challenge', 'the challenge this node kept is damaged')
      const { t: _t, ...proposal } = propose
      const { t: _a, ...accept } = message
      const { confirm, game } = await confirmAccept(proposal, this.me, item.from, accept, this.components.privateKey)
      await this.begin(game, reply)
      await this.store.delete('sent', pid)
      // The confirm may wait in the mailbox; the game is already this node's. Nobody taking it: kept and retried.
      const msg = encodeChallengeMessage({ t: 'confirm', ...confirm })
      this.send(from, 'challenge', msg, now + ANSWER_LIFETIME, {}).catch(async err => {
        this.log('could not send the confirm to %s yet - %e', from, err)
        await this.store.put('outbox', { id: pid, to: from, msg, expires: now + ANSWER_LIFETIME }).catch(() => {})
      })
    } else if (message.t === 'confirm') {
      const accepted = await this.store.get('accepted', pid)
      if (accepted == null || accepted.from !== from) throw new PostRefusedError('unknown-challenge', 'a confirm of a challenge this node did not accept from that peer (or that has lapsed)')
      const propose = decodeChallengeMessage(accepted.propose)
      const accept = decodeChallengeMessage(accepted.accept)
      if (propose.t !== 'propose' || accept.t !== 'accept') throw new PostRefusedError('unknown-challenge', 'the accepted challenge this node kept is damaged')
      const { t: _p, ...proposal } = propose
      const { t: _a, ...a } = accept
      await this.begin(await completeAccept(proposal, item.from, this.me, a, message), reply)
      await this.store.delete('accepted', pid)
    } else if (message.t === 'decline') {
      const sent = await this.store.get('sent', pid)
      if (sent == null || sent.to !== from) throw new PostRefusedError('unknown-challenge', 'a decline of a challenge this node did not send to that peer')
      await this.store.delete('sent', pid)
      this.safeDispatch('post:declined', { id: pid, peer: from })
    } else {
      throw new PostRefusedError('malformed', 'an offline challenge has no counter-proposals: decline and challenge back')
    }
  }

  private async keep (entry: InboxEntry): Promise<void> {
    if (await this.store.has('inbox', entry.id)) return
    const all = await this.store.list('inbox')
    // A full inbox drops its oldest, so one noisy sender cannot stop new mail for good.
    for (const old of all.sort((a, b) => a.received - b.received).slice(0, Math.max(0, all.length - INBOX_MAX + 1))) await this.store.delete('inbox', old.id)
    await this.store.put('inbox', entry)
    this.safeDispatch('post:item', inboxView(entry))
  }

  private async begin (game: StartedGame, reply: readonly Multiaddr[]): Promise<void> {
    await this.init.startGame(game, reply.map(ma => ma.toString()))
    this.log('offline challenge %s became game %s with %p', hex(game.start.nonce), game.gameId, game.opponent)
    this.safeDispatch('post:game', game)
  }

  private safeDispatch<K extends keyof PostEvents> (type: K, detail: PostEvents[K] extends CustomEvent<infer D> ? D : never): void {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }))
    } catch (err) {
      this.log.error('a post listener failed - %e', err)
    }
  }
}
