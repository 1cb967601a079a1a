import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { routingTableSize } from '../peers/empty-routing.js'
import { errorOf } from '../error-of.js'
import { raceSignal } from '../race-signal.js'
import { createAminoNode, type AminoNode } from './amino-node.js'
import { dialAddresses, publishable, shouldProvide, speaksP2pgo } from './addresses.js'
import { rendezvousKey } from './key.js'
import {
  DIAL_CONCURRENCY, DIAL_TIMEOUT, ENOUGH_PEERS, IDENTIFY_TIMEOUT, JOIN_TIMEOUT, LOOKUP_GRACE, LOOKUP_RETRY_MAX, LOOKUP_RETRY_MIN,
  LOOKUP_TIMEOUT, MAX_FOUND, PROVIDE_CHECK_INTERVAL, PROVIDE_TIMEOUT, REPROVIDE_INTERVAL, REPROVIDE_MIN
} from './constants.js'
import type { RendezvousComponents, RendezvousInit, RendezvousState } from './index.js'
import type { Connection, IdentifyResult, Logger, PeerId, Startable } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const pause = async (ms: number, signal: AbortSignal): Promise<void> => new Promise(resolve => {
  const timer = setTimeout(done, ms)
  function done (): void { clearTimeout(timer); signal.removeEventListener('abort', done); resolve() }
  signal.addEventListener('abort', done, { once: true })
})

/** See `rendezvous()` in index.ts. */
export class Rendezvous implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:rendezvous'
  private readonly components: RendezvousComponents
  private readonly init: RendezvousInit
  private readonly log: Logger
  private readonly key: CID
  private readonly now: () => number
  private amino: AminoNode | undefined
  private controller = new AbortController()
  private lookupTimer: ReturnType<typeof setTimeout> | undefined
  private provideTimer: ReturnType<typeof setInterval> | undefined
  private updateTimer: ReturnType<typeof setTimeout> | undefined
  private backoff = LOOKUP_RETRY_MIN
  private looking = false
  private provideRunning = false
  private lastProvide: { at: number, addresses: string } | undefined
  private providing = false
  private found = 0
  private error: string | undefined
  private completed = 0

  constructor (components: RendezvousComponents, init: RendezvousInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:rendezvous')
    this.key = rendezvousKey(init.network)
    this.now = init.now ?? Date.now
  }

  async start (): Promise<void> {}

  /** Starts the Amino node once the game node listens (its addresses are what a provide publishes), then provides and looks up in the background. */
  async afterStart (): Promise<void> {
    if (this.amino != null) return
    this.controller = new AbortController()
    const privateNetwork = this.init.privateNetwork === true
    this.amino = await createAminoNode({ privateKey: this.components.privateKey, addresses: () => this.published(), privateNetwork })
    await this.amino.start()
    this.provideTimer = setInterval(() => { void this.provideCheck() }, PROVIDE_CHECK_INTERVAL)
    this.provideTimer.unref?.()
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    void this.provideCheck()
    this.scheduleLookup(this.init.bootstrap > 0 ? LOOKUP_GRACE : 0)
  }

  async stop (): Promise<void> {
    this.controller.abort()
    clearTimeout(this.lookupTimer)
    clearTimeout(this.updateTimer)
    clearInterval(this.provideTimer)
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    const amino = this.amino
    this.amino = undefined
    this.providing = false
    await amino?.stop()
  }

  /**
   * What `p2pgo doctor` shows: ok when an Amino peer was reached (connected now, or known to its
   * routing table); found, p2pgo providers the last lookup returned (this node excluded);
   * providing, whether this node's provider record is published; peers, Amino peers connected now;
   * error, the last failure in words.
   */
  state (): RendezvousState {
    const amino = this.amino
    const peers = amino?.getConnections().length ?? 0
    return {
      ok: peers > 0 || routingTableSize(amino?.services.dht) > 0,
      found: this.found,
      providing: this.providing,
      peers,
      ...(this.error != null ? { error: this.error } : {})
    }
  }

  /** Lookups finished since start (whatever they found). */
  get lookups (): number {
    return this.completed
  }

  /** This node's addresses a provider record may carry now. */
  published (): string[] {
    return publishable(this.components.addressManager.getAddresses().map(a => a.toString()), this.init.privateNetwork === true)
  }

  private readonly onSelfUpdate = (): void => {
    // Addresses come in bursts (listeners, reservations, mappings): one check after they settle.
    clearTimeout(this.updateTimer)
    this.updateTimer = setTimeout(() => { void this.provideCheck() }, 1000)
    this.updateTimer.unref?.()
  }

  private scheduleLookup (delay: number): void {
    if (this.controller.signal.aborted) return
    this.lookupTimer = setTimeout(() => {
      void (async () => {
        if (await this.p2pgoPeers() > 0) {
          // Not alone: nothing to ask; look again soon after the node loses its last p2pgo peer.
          this.backoff = LOOKUP_RETRY_MIN
          this.scheduleLookup(LOOKUP_RETRY_MIN)
          return
        }
        await this.lookup()
        const next = this.backoff
        this.backoff = Math.min(this.backoff * 2, LOOKUP_RETRY_MAX)
        this.scheduleLookup(next)
      })().catch(err => { this.log.error('rendezvous lookup round failed - %e', err) })
    }, delay)
    this.lookupTimer.unref?.()
  }

  /** p2pgo peers connected now (identify said they speak a /p2pgo/ protocol). */
  private async p2pgoPeers (): Promise<number> {
    let count = 0
    for (const connection of this.components.connectionManager.getConnections()) {
      if (speaksP2pgo(await this.protocolsKnown(connection.remotePeer))) count++
    }
    return count
  }

  private async protocolsKnown (peer: PeerId): Promise<string[]> {
    try {
      return (await this.components.peerStore.get(peer)).protocols
    } catch {
      return []
    }
  }

  /** Connects the Amino node to a rendezvous peer when it has none, and waits for one in its routing table. False when none answered. */
  private async joinAmino (signal: AbortSignal): Promise<boolean> {
    const amino = this.amino
    if (amino == null) return false
    if (routingTableSize(amino.services.dht) > 0 && amino.getConnections().length > 0) return true
    const limit = AbortSignal.any([signal, AbortSignal.timeout(JOIN_TIMEOUT)])
    const failures: string[] = []
    await Promise.all(this.init.peers.map(async address => {
      try {
        await amino.dial(multiaddr(address), { signal: limit })
      } catch (err) {
        failures.push(`${address}: ${errorOf(err).message}`)
      }
    }))
    while (routingTableSize(amino.services.dht) === 0 && !limit.aborted) await pause(100, limit)
    if (routingTableSize(amino.services.dht) > 0) return true
    this.error = `no rendezvous peer answered within ${JOIN_TIMEOUT / 1000} s (${this.init.peers.length} tried${failures.length > 0 ? `; ${failures[0]}` : ''}); check the internet connection or the "rendezvous" list in config.json`
    this.log(this.error)
    return false
  }

  /** One lookup: the providers under the rendezvous key, dialled as they arrive (bounded), non-p2pgo peers dropped. */
  async lookup (): Promise<void> {
    if (this.looking || this.amino == null) return
    this.looking = true
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(LOOKUP_TIMEOUT)])
    const self = this.components.peerId.toString()
    const found = new Set<string>()
    const queue: Array<{ peer: string, addresses: string[] }> = []
    const running = new Set<Promise<void>>()
    let joined = 0
    const pump = (): void => {
      while (running.size < DIAL_CONCURRENCY && queue.length > 0 && joined < ENOUGH_PEERS && !signal.aborted) {
        const next = queue.shift()
        if (next == null) break
        const dial = this.join(next.peer, next.addresses, signal).then(ok => { if (ok) joined++ }).finally(() => {
          running.delete(dial)
          pump()
        })
        running.add(dial)
      }
    }
    try {
      if (!await this.joinAmino(signal)) return
      for await (const event of this.amino.services.dht.findProviders(this.key, { signal })) {
        if (event.name !== 'PROVIDER') continue
        for (const provider of event.providers) {
          const peer = provider.id.toString()
          if (peer === self || found.has(peer) || found.size >= MAX_FOUND) continue
          found.add(peer)
          queue.push({ peer, addresses: dialAddresses(peer, provider.multiaddrs.map(a => a.toString()), this.init.privateNetwork === true) })
          pump()
        }
        if (found.size >= MAX_FOUND) break
      }
      this.error = undefined
    } catch (err) {
      if (!this.controller.signal.aborted) {
        this.error = `the rendezvous lookup failed after finding ${found.size} peer(s): ${errorOf(err).message}`
        this.log(this.error)
      }
    } finally {
      this.found = found.size
      while (running.size > 0) await Promise.all([...running])
      this.looking = false
      this.completed++
      this.log('lookup found %d provider(s), joined %d p2pgo peer(s)', found.size, joined)
    }
  }

  /**
   * Dials a found provider (bounded) and keeps it when it speaks p2pgo. It is judged by what
   * identify answers, not by the peer store alone: until identify has answered, the store lists
   * only the protocols of the streams already negotiated on the connection (identify's own request
   * among them), never a /p2pgo/ one, so a p2pgo node looks like a stranger for a moment. Only the
   * connection this dial opened is closed, and only when identify positively lists no /p2pgo/
   * protocol; a provider that has not answered identify in time is kept (not counted).
   */
  private async join (peer: string, addresses: string[], signal: AbortSignal): Promise<boolean> {
    const { connectionManager, events } = this.components
    let peerId: PeerId
    try {
      peerId = peerIdFromString(peer)
    } catch {
      return false
    }
    if (addresses.length === 0) return false
    const before = new Set(connectionManager.getConnections(peerId).map(c => c.id))
    // Listened for before the dial: identify may answer before openConnection returns.
    const identified = Promise.withResolvers<string[]>()
    const onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
      if (evt.detail.peerId.equals(peerId)) identified.resolve(evt.detail.protocols)
    }
    events.addEventListener('peer:identify', onIdentify)
    try {
      let connection: Connection
      try {
        connection = await connectionManager.openConnection(addresses.map(a => multiaddr(a)), { signal: AbortSignal.any([signal, AbortSignal.timeout(DIAL_TIMEOUT)]) })
      } catch (err) {
        this.log('found provider %s did not answer - %e', peer, err)
        return false
      }
      // A /p2pgo/ protocol in the store is proof enough (identify, or a p2pgo stream, put it there).
      if (speaksP2pgo(await this.protocolsKnown(peerId))) return true
      const limit = AbortSignal.any([signal, AbortSignal.timeout(IDENTIFY_TIMEOUT)])
      const protocols = await raceSignal(identified.promise, limit).catch(() => undefined)
      if (protocols == null) {
        // Identify has not told yet: what it is is unknown, so it is not cut (it may be the very
        // p2pgo peer this node needs, on a slow link; a connection it does not need is trimmed later).
        this.log('found provider %s not identified within %d s: kept, not counted', peer, IDENTIFY_TIMEOUT / 1000)
        return false
      }
      if (speaksP2pgo(protocols)) return true
      if (before.has(connection.id)) {
        this.log('found provider %s speaks no p2pgo protocol: its connection was open before this lookup, left to its owner', peer)
        return false
      }
      this.log('found provider %s speaks no p2pgo protocol: closed', peer)
      await connection.close().catch(err => { connection.abort(errorOf(err)) })
      return false
    } finally {
      events.removeEventListener('peer:identify', onIdentify)
    }
  }

  /** Publishes (or renews) this node's provider record when it should: see `shouldProvide` and the REPROVIDE_* constants. */
  async provideCheck (): Promise<void> {
    if (this.provideRunning || this.amino == null) return
    const published = this.published()
    const mode = this.init.provide
    if (!shouldProvide({ mode, reach: this.init.reach?.(), privateNetwork: this.init.privateNetwork === true, published })) {
      // Amino has no withdrawal: a record published earlier expires there by itself (48 hours).
      this.providing = false
      return
    }
    const addresses = published.join(' ')
    const last = this.lastProvide
    const at = this.now()
    const due = last == null || at - last.at >= REPROVIDE_INTERVAL || (addresses !== last.addresses && at - last.at >= REPROVIDE_MIN)
    if (!due) return
    this.provideRunning = true
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(PROVIDE_TIMEOUT)])
    try {
      if (!await this.joinAmino(signal)) return
      for await (const _ of this.amino.services.dht.provide(this.key, { signal })) { /* the walk's events: only its end matters */ }
      this.lastProvide = { at, addresses }
      this.providing = true
      this.log('provided under %s with %d address(es)', this.key, published.length)
    } catch (err) {
      if (!this.controller.signal.aborted) {
        this.error = `publishing this node in the rendezvous failed: ${errorOf(err).message}`
        this.log(this.error)
      }
    } finally {
      this.provideRunning = false
    }
  }
}
