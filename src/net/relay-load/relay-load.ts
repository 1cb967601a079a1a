// The relay's side of relay choice: while the node relays, it answers the load protocol (one
// report per stream, a few per peer per minute) and provides relayProviderKey() in each of its
// DHTs; when it stops relaying, both stop. The counts come from the relay switch, which keeps
// the relay server (src/net/relay-switch/).
import { encodeFrame } from '../../wire/frame.js'
import { PeerRateLimit } from '../peer-rate-limit.js'
import { optional } from '../components.js'
import { dualDhtOf, type DualDht } from '../dht/dual-dht.js'
import { errorOf } from '../error-of.js'
import { routingTableSize } from '../peers/empty-routing.js'
import {
  ADVERTISE_CHECK, ADVERTISE_TIMEOUT, RELAY_LOAD_MAX_BYTES, RELAY_LOAD_MAX_STREAMS, RELAY_LOAD_PROTOCOL,
  RELAY_LOAD_RATE_LIMIT, RELAY_LOAD_RATE_WINDOW, RELAY_LOAD_TIMEOUT
} from './constants.js'
import { advertiseDue, type LastAdvertised } from './advertise-due.js'
import { relayProviderKey } from './key.js'
import { encodeRelayLoad, type RelayLoad } from './messages.js'
import type { RelayLoadComponents, RelayLoadInit, RelayLoadState } from './index.js'
import type { RelaySwitch } from '../relay-switch/relay-switch.js'
import type { Connection, Logger, Startable, Stream } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'
import type { CID } from 'multiformats/cid'

/** See `relayLoad()` in index.ts. */
export class RelayLoadService implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:relay-load'
  private readonly components: RelayLoadComponents
  private readonly init: RelayLoadInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly key: CID
  private readonly limiter = new PeerRateLimit(RELAY_LOAD_RATE_LIMIT, RELAY_LOAD_RATE_WINDOW)
  private serving = false
  private queue: Promise<void> = Promise.resolve()
  /** Aborts the advertising of the current relaying spell. */
  private controller = new AbortController()
  private checkTimer: ReturnType<typeof setInterval> | undefined
  /** When each DHT last took this relay's provider record, and how many peers it knew then. */
  private readonly advertised = new Map<KadDHT, LastAdvertised>()
  private advertising = false

  constructor (components: RelayLoadComponents, init: RelayLoadInit = {}) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:relay-load')
    this.now = init.now ?? Date.now
    this.key = relayProviderKey(init.network)
  }

  async start (): Promise<void> {
    this.relaySwitch?.addEventListener('relaying', this.onRelaying)
  }

  /** Serves and advertises at once when the node already relays (a bootstrap relay); otherwise when the switch says so. */
  async afterStart (): Promise<void> {
    await this.apply(this.relaySwitch?.relaying === true)
  }

  /** Stops serving and withdraws the provider record while the DHTs still run. */
  async beforeStop (): Promise<void> {
    this.relaySwitch?.removeEventListener('relaying', this.onRelaying)
    await this.apply(false)
  }

  async stop (): Promise<void> {
    this.relaySwitch?.removeEventListener('relaying', this.onRelaying)
    await this.apply(false)
    this.limiter.clear()
  }

  /** What this relay reports now; undefined while it does not relay. */
  load (): RelayLoad | undefined {
    const relaySwitch = this.relaySwitch
    if (!this.serving || relaySwitch == null) return undefined
    const counts = relaySwitch.counts()
    return { ...counts, ...(this.init.maxCircuits != null ? { maxCircuits: this.init.maxCircuits } : {}) }
  }

  /** Whether the load protocol is served, and in how many DHTs the provider record was taken. */
  state (): RelayLoadState {
    return { serving: this.serving, advertisedIn: this.advertised.size }
  }

  private get relaySwitch (): RelaySwitch | undefined {
    return optional(() => this.components.relaySwitch)
  }

  private get dht (): DualDht {
    return dualDhtOf(this.components)
  }

  private readonly onRelaying = (evt: CustomEvent<boolean>): void => {
    this.apply(evt.detail).catch(err => { this.log.error('could not switch the load report - %e', err) })
  }

  /** Serves and advertises while `relaying`, neither otherwise; calls are applied in order. */
  private async apply (relaying: boolean): Promise<void> {
    // A step that failed (logged by its caller) must not stop the ones after it.
    this.queue = this.queue.catch(() => {}).then(async () => {
      if (relaying === this.serving) return
      if (relaying) {
        await this.components.registrar.handle(RELAY_LOAD_PROTOCOL, this.answer, { maxInboundStreams: RELAY_LOAD_MAX_STREAMS })
        this.serving = true
        this.startAdvertising()
      } else {
        this.serving = false
        await this.components.registrar.unhandle(RELAY_LOAD_PROTOCOL)
        await this.stopAdvertising()
      }
    })
    await this.queue
  }

  /** One report, then the stream closes; a peer over its rate is reset. */
  private readonly answer = async (stream: Stream, connection: Connection): Promise<void> => {
    const peer = connection.remotePeer
    const load = this.load()
    if (load == null || !this.limiter.allow(peer.toString())) {
      stream.abort(new Error(load == null ? 'this node does not relay now' : `more than ${RELAY_LOAD_RATE_LIMIT} load questions a minute`))
      return
    }
    const signal = AbortSignal.timeout(RELAY_LOAD_TIMEOUT)
    try {
      if (!stream.send(encodeFrame(encodeRelayLoad(load), { maxBytes: RELAY_LOAD_MAX_BYTES }))) await stream.onDrain({ signal })
      await stream.close({ signal })
    } catch (err) {
      this.log('load report to %p failed - %e', peer, err)
      stream.abort(errorOf(err))
    }
  }


  private startAdvertising (): void {
    this.controller = new AbortController()
    this.checkTimer = setInterval(() => { void this.advertise() }, ADVERTISE_CHECK)
    this.checkTimer.unref?.()
    void this.advertise()
  }

  private async stopAdvertising (): Promise<void> {
    this.controller.abort()
    clearInterval(this.checkTimer)
    this.advertised.clear()
    // Peers that took the record keep it until it expires (48 h in kad-dht): a client checks a
    // found relay with the load protocol, which a node that stopped relaying no longer serves.
    await this.dht.cancelReprovide(this.key).catch(err => { this.log('could not stop providing the relay key - %e', err) })
  }

  /**
   * Provides the relay key in each DHT that knows someone and is due (`advertiseDue`), DHT by DHT
   * (DualDht's DHTs, side by side), so a DHT that knew nobody at the first provide (a bootstrap
   * relay starts alone) gets it as soon as it has a peer.
   */
  private async advertise (): Promise<void> {
    if (this.advertising || this.controller.signal.aborted) return
    this.advertising = true
    const spell = this.controller.signal
    try {
      await Promise.all(this.dht.all().map(async dht => {
        const size = routingTableSize(dht)
        const at = this.now()
        if (!advertiseDue(this.advertised.get(dht), size, at)) return
        if (await this.provideIn(dht, spell) > 0 && !spell.aborted) this.advertised.set(dht, { at, size })
      }))
    } finally {
      this.advertising = false
    }
  }

  /** One provide walk in `dht`: the peers that took the record. */
  private async provideIn (dht: KadDHT, spell: AbortSignal): Promise<number> {
    let took = 0
    try {
      for await (const event of dht.provide(this.key, { signal: AbortSignal.any([spell, AbortSignal.timeout(ADVERTISE_TIMEOUT)]) })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') took++
      }
      this.log('relay key provided to %d peer(s)', took)
    } catch (err) {
      if (!spell.aborted) this.log('providing the relay key failed after %d peer(s) - %e', took, err)
    }
    return took
  }
}
