import { TypedEventEmitter } from 'main-event'
import { IDENTIFY_AGAIN_TIMEOUT, IDENTIFY_AGAIN_TRIES, IDENTIFY_CHECK_INTERVAL, IDENTIFY_GRACE } from './constants.js'
import type { IdentifyAgainComponents, IdentifyAgainEvents, IdentifyAgainInit } from './index.js'
import type { Connection, IdentifyResult, Logger, Startable } from '@libp2p/interface'

/** What this service did for one connection so far. */
interface Tried { tries: number, next: number, running: boolean }

/** See `identifyAgain()` in index.ts. */
export class IdentifyAgain extends TypedEventEmitter<IdentifyAgainEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:identify-again'
  private readonly components: IdentifyAgainComponents
  private readonly log: Logger
  private readonly interval: number
  private readonly grace: number
  private readonly timeout: number
  /** Connections identify finished on, by ID; both maps forget a connection as it closes. */
  private readonly done = new Set<string>()
  private readonly tried = new Map<string, Tried>()
  private readonly stopping = new AbortController()
  private timer: ReturnType<typeof setInterval> | undefined
  private settled: Promise<void> = Promise.resolve()

  constructor (components: IdentifyAgainComponents, init: IdentifyAgainInit) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:identify-again')
    this.interval = init.interval ?? IDENTIFY_CHECK_INTERVAL
    this.grace = init.grace ?? IDENTIFY_GRACE
    this.timeout = init.timeout ?? IDENTIFY_AGAIN_TIMEOUT
  }

  async start (): Promise<void> {
    if (this.timer != null) return
    this.components.events.addEventListener('peer:identify', this.onIdentify)
    this.components.events.addEventListener('connection:close', this.onClose)
    this.timer = setInterval(() => { void this.check() }, this.interval)
    this.timer.unref?.()
  }

  /**
   * libp2p tells a topology (the DHT's, gossipsub's) of a peer only when identify finishes after
   * the topology registered, and services register theirs as they start: a bootstrap peer dialled
   * and identified while the DHT was still starting (a busy machine) never reached its routing
   * table. Every connection open now, when every service has started, is identified once more,
   * in the background: libp2p's start waits for afterStart, and a slow peer must not hold it.
   */
  afterStart (): void {
    this.settled = Promise.all(this.components.connectionManager.getConnections().map(async c => {
      try {
        await this.identify(c)
        this.log('identified %p again once every service had started', c.remotePeer)
      } catch (err) {
        if (!this.stopping.signal.aborted) this.log('could not identify %p again after start - %e', c.remotePeer, err)
      }
    })).then(() => {})
  }

  /** Resolves once the identifies begun at start have ended (tests). */
  async afterStartSettled (): Promise<void> {
    await this.settled
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    this.stopping.abort()
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    this.components.events.removeEventListener('connection:close', this.onClose)
    this.done.clear()
    this.tried.clear()
  }

  /** One look: identifies again each open connection old enough that identify never finished on. */
  async check (now = Date.now()): Promise<void> {
    await Promise.all(this.components.connectionManager.getConnections().map(async c => {
      if (c.status !== 'open' || this.done.has(c.id) || now - c.timeline.open < this.grace) return
      const tried = this.tried.get(c.id) ?? { tries: 0, next: 0, running: false }
      if (tried.running || tried.tries >= IDENTIFY_AGAIN_TRIES || now < tried.next) return
      tried.running = true
      tried.tries++
      this.tried.set(c.id, tried)
      try {
        await this.identify(c)
        this.log('identified %p on try %d after identify had failed on %a', c.remotePeer, tried.tries, c.remoteAddr)
        this.safeDispatchEvent('identified', { detail: { peer: c.remotePeer.toString(), tries: tried.tries } })
      } catch (err) {
        if (this.stopping.signal.aborted) return
        tried.next = Date.now() + this.grace * 2 ** tried.tries
        this.log('could not identify %p on %a (try %d of %d) - %e', c.remotePeer, c.remoteAddr, tried.tries, IDENTIFY_AGAIN_TRIES, err)
        if (tried.tries >= IDENTIFY_AGAIN_TRIES) this.safeDispatchEvent('gave-up', { detail: { peer: c.remotePeer.toString(), error: (err as Error).message } })
      } finally {
        tried.running = false
      }
    }))
  }

  private async identify (c: Connection): Promise<void> {
    await this.components.identify.identify(c, { signal: AbortSignal.any([AbortSignal.timeout(this.timeout), this.stopping.signal]) })
  }

  private readonly onIdentify = (e: CustomEvent<IdentifyResult>): void => {
    this.done.add(e.detail.connection.id)
  }

  private readonly onClose = (e: CustomEvent<Connection>): void => {
    this.done.delete(e.detail.id)
    this.tried.delete(e.detail.id)
  }
}
