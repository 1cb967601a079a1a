import { TypedEventEmitter } from 'main-event'
import { DeliveryLedger } from '../delivery-ledger.js'
import { optional } from '../components.js'
import { RUNG_ORDER } from '../rung.js'
import { PING_TIMEOUT_MS } from './constants.js'
import type { ConnectionView, PeerDirectoryComponents, PeerDirectoryEvents, PeerView } from './index.js'
import type { Connection, Logger, PeerId, Startable } from '@libp2p/interface'

/** See `peers()` in index.ts. */
export class PeerDirectory extends TypedEventEmitter<PeerDirectoryEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:peers'
  /** Acts delivered per rung since start: counts, success rate, latency. */
  readonly delivery = new DeliveryLedger()
  private readonly components: PeerDirectoryComponents
  private readonly log: Logger
  /** The round trip measured when each peer connected, for connections the monitor has not measured yet. */
  private readonly firstRtt = new Map<string, number>()
  private started = false

  constructor (components: PeerDirectoryComponents) {
    super()
    this.components = components
    this.log = components.logger.forComponent('p2pgo:peers')
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.components.events.addEventListener('connection:open', this.onOpen)
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    this.components.games.addEventListener('delivery', this.onDelivery)
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.components.events.removeEventListener('connection:open', this.onOpen)
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    this.components.games.removeEventListener('delivery', this.onDelivery)
  }

  /** Every connected peer, best path first (then by peer ID). */
  peers (): PeerView[] {
    const { connectionManager, games } = this.components
    const lobby = optional(() => this.components.lobby)
    const byPeer = new Map<string, Connection[]>()
    for (const c of connectionManager.getConnections()) {
      const key = c.remotePeer.toString()
      byPeer.set(key, [...(byPeer.get(key) ?? []), c])
    }
    const views = [...byPeer].map(([peer, connections]): PeerView => {
      const list = connections.map((c): ConnectionView => ({
        rung: games.rungOf(c),
        address: c.remoteAddr.toString(),
        direction: c.direction,
        limited: c.limits != null,
        ...(c.rtt != null ? { rttMs: c.rtt } : {}),
        since: new Date(c.timeline.open).toISOString()
      })).sort((a, b) => RUNG_ORDER.indexOf(a.rung) - RUNG_ORDER.indexOf(b.rung))
      const presence = lobby?.presenceOf(connections[0].remotePeer)
      // A player in a game has left the lobby: its name comes from the game then.
      const name = presence?.name ?? games.opponentName(peer)
      const rtt = list[0].rttMs ?? this.firstRtt.get(peer)
      return {
        peer,
        ...(name != null ? { name } : {}),
        ...(presence?.reach != null ? { reach: presence.reach } : {}),
        rung: list[0].rung,
        ...(rtt != null ? { rttMs: rtt } : {}),
        connections: list
      }
    })
    return views.sort((a, b) => RUNG_ORDER.indexOf(a.rung) - RUNG_ORDER.indexOf(b.rung) || (a.peer < b.peer ? -1 : 1))
  }

  /** One peer's view, when it is connected. */
  peer (peer: string): PeerView | undefined {
    return this.peers().find(p => p.peer === peer)
  }

  /** One ping measures the round trip; the event waits for it, briefly, and goes out regardless. */
  private readonly onOpen = (evt: CustomEvent<Connection>): void => {
    const c = evt.detail
    const base = { peer: c.remotePeer.toString(), rung: this.components.games.rungOf(c), address: c.remoteAddr.toString() }
    // libp2p's ping takes a peer and opens a connection to it, reusing none that is limited: a
    // ping on a new relayed connection dialled the peer again through the relay, from both sides,
    // and dials between the two then failed "Remote closed connection during opening"
    // (test/net/peers/relayed-first-ping.test.ts). A relayed connection's round trip comes from
    // libp2p's connection monitor.
    if (c.limits != null) {
      this.safeDispatchEvent('peer:connected', { detail: base })
      return
    }
    this.components.ping.ping(c.remotePeer, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) })
      .then(rtt => {
        this.firstRtt.set(base.peer, rtt)
        this.safeDispatchEvent('peer:connected', { detail: { ...base, rttMs: rtt } })
      }, err => {
        this.log.trace('no first ping from %s - %e', base.peer, err)
        this.safeDispatchEvent('peer:connected', { detail: base })
      })
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    this.firstRtt.delete(evt.detail.toString())
  }

  private readonly onDelivery = (evt: CustomEvent<{ method: ConnectionView['rung'], ok: boolean, latencyMs?: number }>): void => {
    this.delivery.record(evt.detail.method, evt.detail.ok, evt.detail.latencyMs)
  }
}
