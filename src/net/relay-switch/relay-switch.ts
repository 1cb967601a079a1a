import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { TypedEventEmitter } from 'main-event'
import { optional } from '../components.js'
import { hookRelayServer, hopStreamLimits, relayHopHandler, reservationLimit, type HopHandler } from '../adapters/circuit-relay-hop.js'
import { HOP_MAX_BYTES, REFUSAL_WINDOW } from './constants.js'
import { HopGuard } from './hop-guard.js'
import { RefusalWindow } from './refusal-window.js'
import type { RelayCounts, RelaySwitchComponents, RelaySwitchEvents, RelaySwitchInit } from './index.js'
import type { Reach } from '../rung.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'

/** Whether a node with this reach should relay. */
export function shouldRelay (reach: Reach | undefined): boolean {
  return reach === 'public' || reach === 'upnp'
}

/** See `relaySwitch()` in index.ts. */
export class RelaySwitch extends TypedEventEmitter<RelaySwitchEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:relay-switch'
  private readonly components: RelaySwitchComponents
  private readonly init: RelaySwitchInit
  private readonly log: Logger
  private readonly now: () => number
  private onHop?: HopHandler
  /** The guards of HOP streams being answered, so a CONNECT that becomes a circuit lifts its own. */
  private readonly guards = new WeakMap<Stream, HopGuard>()
  /** The HOP streams that carry a circuit now: each leaves the set when it closes. */
  private readonly circuits = new Set<Stream>()
  /** Reservation requests answered with anything but OK. */
  private readonly refusals = new RefusalWindow(REFUSAL_WINDOW)
  private queue: Promise<void> = Promise.resolve()
  private started = false

  constructor (components: RelaySwitchComponents, init: RelaySwitchInit) {
    super()
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:relay-switch')
    this.now = init.now ?? Date.now
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.onHop = relayHopHandler(this.relay)
    hookRelayServer(this.relay, {
      onCircuit: stream => {
        this.guards.get(stream)?.lift()
        this.countCircuit(stream)
      },
      onReserveAnswer: status => { if (status !== 'OK') this.refusals.add(this.now()) }
    })
    if (this.init.byReach) optional(() => this.components.lobby)?.addEventListener('reach', this.onReach)
  }

  /**
   * The relay server registered its own hop handler as it started: replaced by the bounded one,
   * and, by reach, off until the node is found reachable.
   */
  async afterStart (): Promise<void> {
    if (this.init.byReach) {
      await this.update(optional(() => this.components.lobby)?.ownReach())
    } else {
      await this.handleHop({ force: true })
      this.safeDispatchEvent('relaying', { detail: true })
    }
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    optional(() => this.components.lobby)?.removeEventListener('reach', this.onReach)
    await this.queue
  }

  private get relay (): CircuitRelayService {
    const relay = this.components.relay
    if (relay == null) throw new Error('the relay switch needs the circuit relay server (service "relay")')
    return relay
  }

  /** Whether the node relays now. */
  get relaying (): boolean {
    return this.components.registrar.getProtocols().includes(RELAY_V2_HOP_CODEC)
  }

  /**
   * What the relay holds now: its reservations and their limit, the circuits open through it,
   * and the reservation requests it refused in the last REFUSAL_WINDOW.
   */
  counts (): RelayCounts {
    const relay = this.relay
    return { reservations: relay.reservations.size, maxReservations: reservationLimit(relay), circuits: this.circuits.size, refused: this.refusals.count(this.now()) }
  }

  private countCircuit (stream: Stream): void {
    if (stream.status !== 'open') return
    this.circuits.add(stream)
    stream.addEventListener('close', () => { this.circuits.delete(stream) }, { once: true })
  }

  /** Adds or removes the hop protocol for `reach`; calls are applied in order. */
  async update (reach: Reach | undefined): Promise<void> {
    if (this.onHop == null || !this.init.byReach) return
    this.queue = this.queue.then(async () => {
      const want = shouldRelay(reach)
      if (want === this.relaying) return
      if (want) {
        await this.handleHop()
      } else {
        await this.components.registrar.unhandle(RELAY_V2_HOP_CODEC)
      }
      this.safeDispatchEvent('relaying', { detail: want })
    })
    await this.queue
  }

  /** Registers the bounded hop handler with the server's own stream limits. */
  private async handleHop (options: { force?: true } = {}): Promise<void> {
    await this.components.registrar.handle(RELAY_V2_HOP_CODEC, this.boundedHop, { ...hopStreamLimits(this.relay), runOnLimitedConnection: true, ...options })
  }

  /**
   * The server's hop handler behind a byte bound: a relay request is tiny, and a peer that sends
   * more before its stream carries a circuit is reset at once (the guard) instead of being read
   * up to 4 MiB and held until the hop timeout.
   */
  private readonly boundedHop = async (stream: Stream, connection: Connection): Promise<void> => {
    const onHop = this.onHop
    if (onHop == null) return
    this.guards.set(stream, new HopGuard(stream, HOP_MAX_BYTES))
    // No await before onHop: it attaches its reader in this tick, so the guard and it see every byte.
    await onHop(stream, connection).catch(err => { this.log('hop stream from %p ended - %e', connection.remotePeer, err) })
  }

  private readonly onReach = (evt: CustomEvent<Reach | undefined>): void => {
    this.update(evt.detail).catch(err => { this.log.error('could not switch relaying - %e', err) })
  }

  /** A relay reaches a client only over the client's own connection: once that is gone, so is the use of its reservation. */
  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.relay.reservations.delete(evt.detail)
  }
}
