// Store-and-forward as a libp2p service (protocols/mailbox.md): a sender leaves envelopes for an
// offline peer with the relays that peer reserves on; the peer collects them when it is back. On a
// holder (a bootstrap relay) it also keeps envelopes for the recipients it knows.
import { serviceDependencies, type Startable } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { relayOf } from '../address-order.js'
import { optional } from '../components.js'
import { Penalties } from '../reputation/penalties.js'
import { collect, deposit, remove, MailboxRefusedError, type HolderAddress } from './client.js'
import { Collector, type CollectReport, type MailboxItem } from './collector.js'
import { HolderStore, peerText } from './holder-store.js'
import { MailboxHolder } from './holder.js'
import { MailState } from './mail-state.js'
import { createHolderLimits } from './quota.js'
import { COLLECT_DELAY, COLLECT_INTERVAL, DEFAULT_LIFETIME, COLLECT_ROUND_TIMEOUT, GAP_WAIT, KNOWN_FOR, MAX_HOLDERS, REMEMBER_EVERY, RESERVATION_SCAN, SWEEP_INTERVAL } from './constants.js'
import { checkCollected, encodeEnvelope, envelopeId, openEnvelope } from './wire/envelope.js'
import { MAX_LIFETIME, type MailboxKind } from './wire/limits.js'
import type { MailboxComponents, MailboxEvents, MailboxInit } from './index.js'
import type { AbortOptions, Logger, PeerId, PeerUpdate } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What a deposit did: the envelope's ID and number, the holders that keep it and those that refused. */
export interface DepositResult {
  readonly id: string
  readonly seq: number
  readonly held: readonly string[]
  readonly refused: ReadonlyArray<{ readonly holder: string, readonly reason: string, readonly message: string }>
}

export interface DepositOptions extends AbortOptions {
  /** When holders drop it (ms since the epoch); a week from now by default, at most 30 days. */
  readonly expires?: number
  /** The holders to use; by default the relays in the recipient's last known circuit addresses. */
  readonly holders?: readonly HolderAddress[]
}

/** No holder kept the envelope: each one's refusal or failure. */
export class MailboxDepositError extends Error {
  readonly refused: DepositResult['refused']
  constructor (recipient: string, refused: DepositResult['refused']) {
    super(refused.length === 0
      ? `no holder is known for ${recipient}: this node has no circuit address of it (it was never seen in the lobby, or holds no relay reservation)`
      : `no holder kept the envelope for ${recipient}: ${refused.map(r => r.message).join('; ')}`)
    this.name = 'MailboxDepositError'
    this.refused = refused
  }
}

export class MailboxService extends TypedEventEmitter<MailboxEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:mailbox'
  readonly [serviceDependencies]: string[] = []

  private readonly components: MailboxComponents
  private readonly init: MailboxInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly penalties: Penalties
  private readonly state: MailState
  private readonly collector: Collector
  private readonly store: HolderStore | undefined
  private holder: MailboxHolder | undefined
  /** Collection rounds run one at a time. */
  private rounds: Promise<unknown> = Promise.resolve()
  /** Deposits to one recipient run one at a time (each takes the next number). */
  private readonly sending = new Map<string, Promise<unknown>>()
  private timers: Array<ReturnType<typeof setInterval>> = []
  private pendingCollect: ReturnType<typeof setTimeout> | undefined
  private started = false
  /** Aborted at stop: a round waiting on a holder that does not answer ends at once. */
  private stopping = new AbortController()

  constructor (components: MailboxComponents, init: MailboxInit = {}) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:mailbox')
    this.now = init.now ?? Date.now
    this.penalties = new Penalties({ source: 'mailbox', reputation: () => optional(() => components.reputation), now: this.now })
    this.state = new MailState(components.datastore)
    this.store = init.holder === true ? new HolderStore(components.datastore, createHolderLimits(init.limits)) : undefined
    this.collector = new Collector({
      log: this.log,
      now: this.now,
      me: components.peerId.toMultihash().bytes,
      privateKey: components.privateKey,
      state: this.state,
      gapWaitMs: init.gapWaitMs ?? GAP_WAIT,
      fetch: async (h, o) => await collect(components.connectionManager, h, o),
      remove: async (h, ids, o) => await remove(components.connectionManager, h, ids, o),
      deliver: item => { this.safeDispatch('mailbox:item', item) },
      fault: f => {
        this.log('holder %s served a bad envelope: %s (%s)', f.holder, f.reason, f.detail)
        if (f.reason !== 'broken-chain') this.penalties.penalize(f.holder, `holder-${f.reason}`)
        this.safeDispatch('mailbox:fault', f)
      },
      missing: (gap, given) => { this.safeDispatch(given === 'missing' ? 'mailbox:missing' : 'mailbox:skipped', gap) }
    })
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.stopping = new AbortController()
    if (this.store != null) {
      await this.store.load()
      this.holder = new MailboxHolder(this.components.registrar, {
        log: this.log,
        now: this.now,
        store: this.store,
        knows: recipient => this.knows(recipient),
        penalize: (peer, reason) => { this.penalties.penalize(peer, reason) }
      })
      await this.holder.start()
      this.timers.push(setInterval(() => { void this.sweep() }, SWEEP_INTERVAL))
      // A relay drops a reservation when its client disconnects: the client is remembered as soon as it names this relay in its addresses, and by a scan.
      this.components.events.addEventListener('peer:update', this.onPeerUpdate)
      this.timers.push(setInterval(() => { this.scanReservations() }, RESERVATION_SCAN))
      await this.sweep()
    }
    if (this.init.collect !== false) {
      this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
      this.timers.push(setInterval(() => { this.collectSoon(0) }, this.init.collectIntervalMs ?? COLLECT_INTERVAL))
      this.collectSoon(0)
    }
    for (const t of this.timers) t.unref?.()
  }

  async stop (): Promise<void> {
    this.started = false
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.components.events.removeEventListener('peer:update', this.onPeerUpdate)
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    clearTimeout(this.pendingCollect)
    this.stopping.abort(new Error('the mailbox stopped'))
    await this.holder?.stop()
    this.holder = undefined
    await this.rounds.catch(() => {})
  }

  /**
   * Leaves `payload` for `recipient` with up to three holders (the relays it reserves on, as its
   * last known circuit addresses name them), sealed to its key and signed by this node. Resolves
   * once one holder keeps it; throws MailboxDepositError when none does.
   */
  async deposit (recipient: PeerId | string, kind: MailboxKind, payload: Uint8Array, options: DepositOptions = {}): Promise<DepositResult> {
    const to = typeof recipient === 'string' ? peerIdFromString(recipient) : recipient
    const key = to.toString()
    const before = this.sending.get(key) ?? Promise.resolve()
    const run = before.catch(() => {}).then(async () => await this.depositNow(to, kind, payload, options))
    this.sending.set(key, run)
    try {
      return await run
    } finally {
      if (this.sending.get(key) === run) this.sending.delete(key)
    }
  }

  /** The holders a sender would use for `recipient`: the relays in its known circuit addresses, with those addresses. */
  async holdersOf (recipient: PeerId): Promise<HolderAddress[]> {
    let addrs: Multiaddr[] = []
    try {
      addrs = (await this.components.peerStore.get(recipient)).addresses.map(a => a.multiaddr)
    } catch {}
    const out = new Map<string, Multiaddr[]>()
    for (const ma of addrs) {
      const relay = relayOf(ma)
      if (relay == null || relay === this.components.peerId.toString()) continue
      const text = ma.toString()
      const prefix = text.slice(0, text.indexOf('/p2p-circuit'))
      out.set(relay, [...(out.get(relay) ?? []), ...(prefix !== '' ? [ma.decapsulate('/p2p-circuit')] : [])])
    }
    return [...out].slice(0, MAX_HOLDERS).map(([peer, a]) => ({ peer: peerIdFromString(peer), addrs: a }))
  }

  /** The holders this node collects from: the relays it reserves on now, then those it reserved on before. */
  async ownHolders (): Promise<string[]> {
    const now = this.components.addressManager.getAddresses().map(relayOf).filter((r): r is string => r != null)
    return await this.state.addHolders(now)
  }

  /** Collects now from this node's holders (or those given); resolves with what the round found. */
  async collect (options: AbortOptions & { holders?: readonly HolderAddress[] } = {}): Promise<CollectReport> {
    const signal = AbortSignal.any([this.stopping.signal, ...(options.signal != null ? [options.signal] : [])])
    const round = this.rounds.catch(() => {}).then(async () => {
      const holders = options.holders ?? (await this.ownHolders()).map(peer => ({ peer: peerIdFromString(peer) }))
      return await this.collector.round(holders, { ...options, signal })
    })
    this.rounds = round
    return await round
  }

  /** What was delivered and has neither expired nor been dismissed, opened, oldest first. */
  async inbox (): Promise<MailboxItem[]> {
    const me = this.components.peerId.toMultihash().bytes
    const out: MailboxItem[] = []
    for (const bytes of await this.state.inbox()) {
      try {
        const r = await checkCollected(bytes, me)
        const e = r.envelope
        // An expired item is dropped (an offline challenge's time is up), as its holders dropped their copies.
        if (e.expires <= this.now()) { await this.state.dismiss(r.id); continue }
        out.push({ id: Buffer.from(r.id).toString('hex'), from: peerText(e.from), seq: e.seq, kind: e.kind, at: e.at, expires: e.expires, payload: openEnvelope(e, this.components.privateKey) })
      } catch (err) {
        this.log('an inbox entry no longer checks - %e', err)
      }
    }
    return out.sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  /** Drops an item from the inbox (the application has acted on it). */
  async dismiss (id: string): Promise<void> {
    await this.state.dismiss(Buffer.from(id, 'hex'))
  }

  /** On a holder: envelopes and bytes held now (undefined when this node holds for nobody). */
  holding (): { count: number, bytes: number } | undefined {
    return this.store?.quota.usage()
  }

  private async depositNow (to: PeerId, kind: MailboxKind, payload: Uint8Array, options: DepositOptions): Promise<DepositResult> {
    const now = this.now()
    const expires = options.expires ?? now + DEFAULT_LIFETIME
    if (expires <= now || expires - now > MAX_LIFETIME) throw new RangeError(`an envelope expires within 30 days of now, not ${expires - now} ms from now`)
    const holders = options.holders ?? await this.holdersOf(to)
    const recipient = to.toString()
    if (holders.length === 0) throw new MailboxDepositError(recipient, [])
    const before = await this.state.sent(recipient)
    const seq = before.seq + 1
    const envelope = await encodeEnvelope({ to: to.toMultihash().bytes, seq, ...(before.last != null ? { prev: before.last } : {}), kind, at: now, expires, payload }, this.components.privateKey)
    const id = envelopeId(envelope)
    // The number is taken before the envelope leaves: a crash then costs a gap, never a number used twice.
    await this.state.setSent(recipient, { seq, last: id })
    const held: string[] = []
    const refused: Array<{ holder: string, reason: string, message: string }> = []
    await Promise.all(holders.map(async h => {
      try {
        await deposit(this.components.connectionManager, h, envelope, options)
        held.push(h.peer.toString())
      } catch (err) {
        refused.push({ holder: h.peer.toString(), reason: err instanceof MailboxRefusedError ? err.reason : 'unreachable', message: (err as Error).message })
      }
    }))
    if (held.length === 0) {
      // Nobody keeps it: the number is free again.
      await this.state.setSent(recipient, before)
      throw new MailboxDepositError(recipient, refused)
    }
    return { id: Buffer.from(id).toString('hex'), seq, held, refused }
  }

  /** A holder takes envelopes for a recipient with a reservation here now, or one known here within 30 days. */
  private knows (recipient: string): boolean {
    const relay = optional(() => this.components.relay)
    if (relay?.reservations.has(peerIdFromString(recipient)) === true) {
      this.remember(recipient)
      return true
    }
    const at = this.store?.knownAt(recipient)
    return at != null && this.now() - at <= KNOWN_FOR
  }

  /** On a holder: when `recipient` was last seen reserving or collecting here (ms), if it was. */
  knownAt (recipient: PeerId | string): number | undefined {
    return this.store?.knownAt(recipient.toString())
  }

  /** Remembers a recipient as known, at most once an hour (each mark is a datastore write). */
  private remember (recipient: string): void {
    const at = this.store?.knownAt(recipient)
    if (this.store == null || (at != null && this.now() - at < REMEMBER_EVERY)) return
    this.store.markKnown(recipient, this.now()).catch(err => { this.log('could not remember recipient %s - %e', recipient, err) })
  }

  /** A peer whose addresses now name this relay in a circuit address reserves here. */
  private readonly onPeerUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const self = this.components.peerId.toString()
    if (evt.detail.peer.addresses.some(a => relayOf(a.multiaddr) === self)) this.remember(evt.detail.peer.id.toString())
  }

  private scanReservations (): void {
    const relay = optional(() => this.components.relay)
    for (const peer of relay?.reservations.keys() ?? []) this.remember(peer.toString())
  }

  private async sweep (): Promise<void> {
    try {
      const n = await this.store?.sweep(this.now())
      if (n != null && n > 0) this.log('dropped %d expired envelopes', n)
    } catch (err) {
      this.log.error('could not sweep expired envelopes - %e', err)
    }
  }

  /** A new reservation shows as a new circuit address: collect from it shortly. */
  private readonly onSelfUpdate = (): void => { this.collectSoon(this.init.collectDelayMs ?? COLLECT_DELAY) }

  private collectSoon (delay: number): void {
    if (!this.started || this.pendingCollect != null) return
    this.pendingCollect = setTimeout(() => {
      this.pendingCollect = undefined
      if (!this.started) return
      this.collect({ signal: AbortSignal.timeout(COLLECT_ROUND_TIMEOUT) }).catch(err => { this.log('collection failed - %e', err) })
    }, delay)
    this.pendingCollect.unref?.()
  }

  /** A listener's fault must not break a round. */
  private safeDispatch<K extends keyof MailboxEvents> (type: K, detail: MailboxEvents[K] extends CustomEvent<infer D> ? D : never): void {
    try {
      this.dispatchEvent(new CustomEvent(type, { detail }))
    } catch (err) {
      this.log.error('a mailbox listener failed - %e', err)
    }
  }
}
