import { KEEP_ALIVE } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { chooseToTrim, checkLimits, type TrimCandidate } from './trim-choice.js'
import { RELAY_RESERVATION_TAG } from './constants.js'
import { optional } from '../components.js'
import type { ConnectionTrimmerComponents, ConnectionTrimmerEvents, ConnectionTrimmerInit } from './index.js'
import type { Logger, Startable } from '@libp2p/interface'

/** See `connectionTrimmer()` in index.ts. */
export class ConnectionTrimmer extends TypedEventEmitter<ConnectionTrimmerEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:trimmer'
  private readonly components: ConnectionTrimmerComponents
  private readonly init: ConnectionTrimmerInit
  private readonly log: Logger
  private running = false
  private again = false
  private started = false

  constructor (components: ConnectionTrimmerComponents, init: ConnectionTrimmerInit) {
    super()
    checkLimits(init.limits)
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:trim')
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.components.events.addEventListener('connection:open', this.onOpen)
  }

  async stop (): Promise<void> {
    this.started = false
    this.components.events.removeEventListener('connection:open', this.onOpen)
  }

  private readonly onOpen = (): void => {
    if (this.peerCount() <= this.init.limits.high) return
    this.trim().catch(err => { this.log.error('could not trim connections - %e', err) })
  }

  private peerCount (): number {
    return new Set(this.components.connectionManager.getConnections().map(c => c.remotePeer.toString())).size
  }

  /** Closes connections to the least valued peers when there are too many; returns those closed. */
  async trim (): Promise<string[]> {
    // One pass at a time; connections that open meanwhile are looked at once more afterwards.
    if (this.running) {
      this.again = true
      return []
    }
    this.running = true
    try {
      const closed: string[] = []
      do {
        this.again = false
        closed.push(...await this.pass())
      } while (this.again && this.started)
      return closed
    } finally {
      this.running = false
    }
  }

  private async pass (): Promise<string[]> {
    const { connectionManager, peerStore } = this.components
    const { limits } = this.init
    const games = optional(() => this.components.games)
    const since = new Map<string, number>()
    for (const c of connectionManager.getConnections()) {
      const peer = c.remotePeer.toString()
      since.set(peer, Math.min(since.get(peer) ?? Infinity, c.timeline.open))
    }
    if (since.size <= limits.high) return []
    const tagsOf = new Map<string, Map<string, { value: number }>>()
    const candidates: TrimCandidate[] = await Promise.all([...since].map(async ([peer, opened]) => {
      const tags = await peerStore.get(peerIdFromString(peer)).then(p => p.tags, () => new Map<string, { value: number }>())
      tagsOf.set(peer, tags)
      let value = 0
      for (const t of tags.values()) value += t.value
      return { peer, value, since: opened, protected: (games?.playing(peer) ?? false) || tags.has(RELAY_RESERVATION_TAG) }
    }))
    const chosen = chooseToTrim(candidates, limits, this.init.now?.() ?? Date.now())
    await Promise.all(chosen.map(async peer => {
      this.log('too many peers (%d, at most %d): closing %s', since.size, limits.high, peer)
      const id = peerIdFromString(peer)
      // libp2p's reconnect queue dials a closed peer straight back while it carries a keep-alive
      // tag (kad-dht puts one on its closest peers, in a small network all of them); back within
      // its grace period, it would then be spared and a trusted peer closed in its place.
      const keepAlive = Object.fromEntries([...(tagsOf.get(peer)?.keys() ?? [])].filter(n => n.startsWith(KEEP_ALIVE)).map(n => [n, undefined]))
      if (Object.keys(keepAlive).length > 0) await peerStore.merge(id, { tags: keepAlive }).catch(err => { this.log('could not untag %s - %e', peer, err) })
      await connectionManager.closeConnections(id).catch(err => { this.log('could not close %s - %e', peer, err) })
    }))
    if (chosen.length > 0) this.safeDispatchEvent('trimmed', { detail: { peers: chosen } })
    return chosen
  }
}
