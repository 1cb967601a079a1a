// The bootstrap relay's abuse limits on a running circuit-relay-v2 server (bootstrap/README.md, "Relay limits, and why"), as a libp2p
// ConnectionGater fragment. The server asks `denyInboundRelayReservation(peer)` before it grants
// or renews a reservation, and `denyOutboundRelayedConnection(source, destination)` before it
// opens a circuit; on `true` it answers the client with status PERMISSION_DENIED and opens
// nothing (@libp2p/circuit-relay-v2 4.2.13, dist/src/server/index.js, handleReserve and
// handleConnect). The quota measures the relay's use from small injected functions, hands the
// numbers to the pure decisions of relay-limits.ts, and counts its refusals by reason.
//
// How use is measured (checked against the library source, and on real nodes in test/bootstrap/relay-quota-network.test.ts):
// - reservations: the server's store (`relay.reservations`, a PeerMap) keeps, per peer, the remote
//   address of the connection that reserved (`addr`). It keeps a reservation after its holder
//   disconnects, until it expires, and so does this count, as the server's own total does.
// - circuits: for a circuit's lifetime the relay pipes the source's inbound HOP stream
//   ('/libp2p/circuit/relay/0.2.0/hop') into an outbound STOP stream it opened to the destination
//   ('/libp2p/circuit/relay/0.2.0/stop'). Open outbound STOP streams are the circuits; a source's
//   open inbound HOP streams are its circuits plus the request being decided (and any reservation
//   exchange in flight, which errs on the side of refusing). A stream counts while both sides can
//   still write: after a refused reservation the server never closes its side of the HOP stream
//   (the client closes its own), and such a half-closed leftover is not a circuit.
import { RELAY_V2_HOP_CODEC, RELAY_V2_STOP_CODEC } from '@libp2p/circuit-relay-v2'
import { logger } from '@libp2p/logger'
import { ipv6Groups } from '../src/wire/ip.js'
import { decideCircuit, decideConnection, decideReservation, defaultRelayLimits, RELAY_REFUSAL_REASONS } from './relay-limits.js'
import type { RelayDecision, RelayLimits, RelayRefusalReason, RelayUsage } from './relay-limits.js'
import type { ConnectionGater, MultiaddrConnection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

const log = logger('p2pgo:bootstrap:relay-quota')

/** What the quota reads of a stream (libp2p's `Stream` has it). */
export interface QuotaStream {
  readonly protocol?: string
  readonly direction: 'inbound' | 'outbound'
  readonly status: string
  readonly writeStatus: string
  readonly remoteWriteStatus: string
}

/** What the quota reads of a connection (libp2p's `Connection` has it). */
export interface QuotaConnection {
  readonly remoteAddr: Multiaddr
  readonly status: string
  readonly streams: readonly QuotaStream[]
}

/** What the quota reads of a reservation (circuit-relay-v2's `RelayReservation` has it). */
export interface QuotaReservation {
  /** The remote address of the connection the reservation was made over. */
  readonly addr?: Multiaddr
}

/**
 * Where the quota reads the relay's use. Functions, called at each decision, so they may close over
 * a node created after the quota (the gater goes into `createLibp2p`'s options).
 */
export interface RelayQuotaComponents {
  /** The reservations held now: `() => node.services.relay.reservations`. */
  readonly reservations: () => Iterable<readonly [PeerId, QuotaReservation]>
  /** Open connections, all or one peer's: `(peer) => node.getConnections(peer)`. */
  readonly getConnections: (peer?: PeerId) => readonly QuotaConnection[]
}

/** One refusal, for the daemon's log. */
export interface RelayRefusal {
  readonly kind: 'reservation' | 'circuit' | 'connection'
  readonly reason: RelayRefusalReason
  /** Who asked: the reserving peer, or the circuit's source (a connection is refused before its peer is known). */
  readonly peer?: PeerId
  /** The circuit's destination. */
  readonly destination?: PeerId
  /** The address group counted against (reservations, connections): an IPv4 address or an IPv6 /64. */
  readonly ip?: string
}

export interface RelayQuotaInit {
  /** `defaultRelayLimits` when unset. */
  readonly limits?: RelayLimits
  /** Called on every refusal, after it is counted; its errors are logged and ignored. */
  readonly onRefusal?: (refusal: RelayRefusal) => void
  /**
   * Address groups `maxConnectionsPerIp` does not apply to: loopback for a network on one machine
   * (`p2pgo bootstrap --local`, whose libp2p connection manager allow-lists it too).
   */
  readonly exempt?: (group: string) => boolean
}

/** Refusals since start, by reason: what `p2pgo_relay_refusals_total{reason}` shows. */
export class RelayRefusals {
  private readonly counts = new Map<RelayRefusalReason, number>(RELAY_REFUSAL_REASONS.map(r => [r, 0]))

  /** Counts one refusal. */
  add (reason: RelayRefusalReason): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1)
  }

  /** Refusals for one reason. */
  get (reason: RelayRefusalReason): number {
    return this.counts.get(reason) ?? 0
  }

  /** All refusals. */
  get total (): number {
    let sum = 0
    for (const n of this.counts.values()) sum += n
    return sum
  }

  /** A copy with every reason, zeros included (relay-metrics' `refusals` source). */
  snapshot (): Record<RelayRefusalReason, number> {
    return Object.fromEntries(RELAY_REFUSAL_REASONS.map(r => [r, this.get(r)])) as Record<RelayRefusalReason, number>
  }
}

/** Addresses with no IP component (none should reach a reservation) share one group, so they are bounded too. */
export const NO_IP = 'no-ip'

/**
 * The group an address counts in for the per-IP cap: the IPv4 address (IPv4-mapped IPv6 too), or
 * the IPv6 /64, since one IPv6 host commonly holds a whole /64 and could otherwise pick a fresh
 * address per reservation. `NO_IP` when the address has no IP.
 */
export function ipGroup (addr: Multiaddr): string {
  for (const c of addr.getComponents()) {
    if (c.name === 'ip4' && c.value != null) return c.value
    if (c.name === 'ip6' && c.value != null) {
      const groups = ipv6Groups(c.value)
      if (groups == null) return c.value
      // ::ffff:a.b.c.d is an IPv4 peer seen through a dual-stack socket.
      if (groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff) {
        return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.')
      }
      return `${groups.slice(0, 4).map(g => g.toString(16)).join(':')}::/64`
    }
    if (c.name === 'p2p-circuit') break
  }
  return NO_IP
}

/** Whether an address group (`ipGroup`) is loopback: 127.0.0.0/8, or ::1's /64. */
export function isLoopbackGroup (group: string): boolean {
  return group.startsWith('127.') || group === '0:0:0:0::/64'
}

/** Whether a relay stream still carries data both ways (a half-closed leftover does not count). */
function live (stream: QuotaStream): boolean {
  return stream.status === 'open' && stream.writeStatus === 'writable' && stream.remoteWriteStatus === 'writable'
}

function isRelayed (connection: QuotaConnection): boolean {
  return connection.remoteAddr.getComponents().some(c => c.name === 'p2p-circuit')
}

/** Live streams of one direction and protocol over `connections`. */
function countLiveStreams (connections: Iterable<QuotaConnection>, direction: QuotaStream['direction'], protocol: string): number {
  let n = 0
  for (const connection of connections) {
    for (const stream of connection.streams) {
      if (stream.direction === direction && stream.protocol === protocol && live(stream)) n++
    }
  }
  return n
}

/** Circuits a relay carries now: its open outbound STOP streams, over `libp2p.getConnections()`. */
export function countCircuits (connections: Iterable<QuotaConnection>): number {
  return countLiveStreams(connections, 'outbound', RELAY_V2_STOP_CODEC)
}

/** Open inbound HOP streams over `connections` (one peer's): its circuits, plus any hop request being handled. */
export function countHopStreams (connections: Iterable<QuotaConnection>): number {
  return countLiveStreams(connections, 'inbound', RELAY_V2_HOP_CODEC)
}

/**
 * Enforces `RelayLimits` on a circuit-relay-v2 server through its connection gater.
 *
 * @example
 * ```ts
 * let node: Libp2p<{ relay: CircuitRelayService }> | undefined
 * const quota = new RelayQuota({
 *   reservations: () => node?.services.relay.reservations ?? [],
 *   getConnections: peer => node?.getConnections(peer) ?? []
 * }, { limits })
 * node = await createLibp2p({ ...options, connectionGater: quota.connectionGater(options.connectionGater) })
 * ```
 */
export class RelayQuota {
  readonly limits: RelayLimits
  readonly refusals = new RelayRefusals()
  private readonly components: RelayQuotaComponents
  private readonly onRefusal?: (refusal: RelayRefusal) => void
  private readonly exempt: (group: string) => boolean

  constructor (components: RelayQuotaComponents, init: RelayQuotaInit = {}) {
    this.components = components
    this.limits = init.limits ?? defaultRelayLimits
    if (init.onRefusal != null) this.onRefusal = init.onRefusal
    this.exempt = init.exempt ?? (() => false)
  }

  /** Open direct connections from the address group `group`. */
  connectionsOf (group: string): number {
    let n = 0
    for (const connection of this.components.getConnections()) {
      if (connection.status === 'open' && !isRelayed(connection) && ipGroup(connection.remoteAddr) === group) n++
    }
    return n
  }

  /**
   * ConnectionGater: true refuses a connection from an address already at its cap, before any
   * handshake. Connections still in their handshake are not counted yet, so a burst can pass the
   * cap by at most libp2p's pending inbound connections (maxIncomingPendingConnections, 10).
   */
  readonly denyInboundConnection = (connection: Pick<MultiaddrConnection, 'remoteAddr'>): boolean => {
    const ip = ipGroup(connection.remoteAddr)
    if (this.exempt(ip)) return false
    const decision = decideConnection(this.limits, { connectionsOfIp: this.connectionsOf(ip) })
    return this.refused(decision, { kind: 'connection', ip })
  }

  /** The address groups `peer` is directly connected from (reservations are never made over a relayed connection). */
  private groupsOf (peer: PeerId): Set<string> {
    const groups = new Set<string>()
    for (const connection of this.components.getConnections(peer)) {
      if (connection.status === 'open' && !isRelayed(connection)) groups.add(ipGroup(connection.remoteAddr))
    }
    return groups
  }

  /**
   * The use a reservation by `peer` is decided on, and the address group it counts against. A
   * peer connected from several groups at once is counted against the fullest.
   */
  reservationUsage (peer: PeerId): Pick<RelayUsage, 'reservations' | 'reservationsOfIp' | 'hasReservation'> & { readonly ip?: string } {
    const groups = this.groupsOf(peer)
    const perGroup = new Map<string, number>()
    let reservations = 0
    let hasReservation = false
    for (const [holder, reservation] of this.components.reservations()) {
      reservations++
      if (holder.equals(peer)) {
        hasReservation = true
        continue
      }
      const held = reservation.addr != null ? [ipGroup(reservation.addr)] : [...this.groupsOf(holder)]
      for (const group of held) {
        if (groups.has(group)) perGroup.set(group, (perGroup.get(group) ?? 0) + 1)
      }
    }
    let ip: string | undefined
    let reservationsOfIp = 0
    for (const group of groups) {
      const n = perGroup.get(group) ?? 0
      if (ip == null || n > reservationsOfIp) {
        ip = group
        reservationsOfIp = n
      }
    }
    return { reservations, reservationsOfIp, hasReservation, ...(ip != null ? { ip } : {}) }
  }

  /** Circuits through the relay now. */
  circuits (): number {
    return countCircuits(this.components.getConnections())
  }

  /** Open inbound HOP streams of `peer`: its circuits, plus its hop requests being handled. */
  hopStreamsOf (peer: PeerId): number {
    return countHopStreams(this.components.getConnections(peer))
  }

  /** The use a circuit from `source` is decided on; called while its own HOP request is open, which is not counted. */
  circuitUsage (source: PeerId): Pick<RelayUsage, 'circuits' | 'circuitsOfPeer'> {
    return { circuits: this.circuits(), circuitsOfPeer: Math.max(0, this.hopStreamsOf(source) - 1) }
  }

  /** ConnectionGater: true refuses `peer`'s reservation (or renewal, which is never refused). */
  readonly denyInboundRelayReservation = (peer: PeerId): boolean => {
    const { ip, ...usage } = this.reservationUsage(peer)
    const decision = decideReservation(this.limits, usage)
    return this.refused(decision, { kind: 'reservation', peer, ...(ip != null ? { ip } : {}) })
  }

  /** ConnectionGater: true refuses a circuit from `source` to `destination`. */
  readonly denyOutboundRelayedConnection = (source: PeerId, destination: PeerId): boolean => {
    const decision = decideCircuit(this.limits, this.circuitUsage(source))
    return this.refused(decision, { kind: 'circuit', peer: source, destination })
  }

  private refused (decision: RelayDecision, what: Omit<RelayRefusal, 'reason'>): boolean {
    if (decision.allow) return false
    this.refusals.add(decision.reason)
    log('refused %s of %s: %s', what.kind, what.peer?.toString() ?? what.ip, decision.reason)
    try {
      this.onRefusal?.({ ...what, reason: decision.reason })
    } catch (err) {
      log.error('refusal listener failed - %e', err)
    }
    return true
  }

  /**
   * A connection gater with this quota's two relay checks added to `base` (e.g. a test topology's
   * gater): a request passes only if `base` does not deny it either.
   */
  connectionGater (base: ConnectionGater = {}): ConnectionGater {
    return {
      ...base,
      denyInboundConnection: async connection => (await base.denyInboundConnection?.(connection)) === true || this.denyInboundConnection(connection),
      denyInboundRelayReservation: async peer => (await base.denyInboundRelayReservation?.(peer)) === true || this.denyInboundRelayReservation(peer),
      denyOutboundRelayedConnection: async (source, destination) => (await base.denyOutboundRelayedConnection?.(source, destination)) === true || this.denyOutboundRelayedConnection(source, destination)
    }
  }
}
