// The relay gate's counting and decisions on fake relay state (no network): reservations per IP,
// renewals, circuits from stream lists, refusal counters, composition with another gater.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { countCircuits, countHopStreams, ipGroup, isLoopbackGroup, NO_IP, RelayQuota } from '../../bootstrap/relay-quota.js'
import { createRelayLimits } from '../../bootstrap/relay-limits.js'
import type { QuotaConnection, QuotaReservation, QuotaStream, RelayRefusal } from '../../bootstrap/relay-quota.js'
import type { PeerId } from '@libp2p/interface'

const HOP = '/libp2p/circuit/relay/0.2.0/hop'
const STOP = '/libp2p/circuit/relay/0.2.0/stop'

async function peers (n: number): Promise<PeerId[]> {
  return Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
}

function stream (protocol: string, direction: 'inbound' | 'outbound', state: Partial<QuotaStream> = {}): QuotaStream {
  return { protocol, direction, status: 'open', writeStatus: 'writable', remoteWriteStatus: 'writable', ...state }
}

function connection (addr: string, streams: QuotaStream[] = [], status = 'open'): QuotaConnection {
  return { remoteAddr: multiaddr(addr), status, streams }
}

/** A fake relay: reservations with the address they were made from, and connections per peer. */
class FakeRelay {
  readonly reservations = new Map<string, [PeerId, QuotaReservation]>()
  readonly connections = new Map<string, [PeerId, QuotaConnection[]]>()

  reserve (peer: PeerId, addr?: string): void {
    this.reservations.set(peer.toString(), [peer, addr != null ? { addr: multiaddr(addr) } : {}])
  }

  connect (peer: PeerId, ...conns: QuotaConnection[]): void {
    this.connections.set(peer.toString(), [peer, conns])
  }

  gate (init: ConstructorParameters<typeof RelayQuota>[1] = {}): RelayQuota {
    return new RelayQuota({
      reservations: () => this.reservations.values(),
      getConnections: peer => peer == null ? [...this.connections.values()].flatMap(([, c]) => c) : this.connections.get(peer.toString())?.[1] ?? []
    }, init)
  }
}

describe('ipGroup', () => {
  it.each([
    ['/ip4/203.0.113.7/tcp/4001', '203.0.113.7'],
    ['/ip4/127.0.0.1/tcp/5/p2p-circuit', '127.0.0.1'],
    ['/ip6/2001:db8:1:2:3:4:5:6/tcp/4001', '2001:db8:1:2::/64'],
    ['/ip6/2001:db8:1:2::99/tcp/4001', '2001:db8:1:2::/64'],
    ['/ip6/2001:db8::1/tcp/4001', '2001:db8:0:0::/64'],
    ['/ip6/::ffff:192.0.2.1/tcp/4001', '192.0.2.1'],
    ['/ip6/::1/tcp/4001', '0:0:0:0::/64'],
    ['/dns4/example.org/tcp/4001', NO_IP]
  ])('%s counts as %s', (addr, group) => {
    expect(ipGroup(multiaddr(addr))).toBe(group)
  })
})

describe('circuit counting', () => {
  it('counts live outbound STOP streams as circuits and live inbound HOP streams per peer', () => {
    const conns = [
      connection('/ip4/192.0.2.1/tcp/1', [stream(STOP, 'outbound'), stream(STOP, 'outbound'), stream(HOP, 'inbound'), stream('/ipfs/id/1.0.0', 'inbound')]),
      connection('/ip4/192.0.2.2/tcp/1', [
        stream(STOP, 'inbound'), // someone relaying to us: not a circuit of ours
        stream(HOP, 'outbound'), // us asking another relay: not a circuit of ours
        stream(STOP, 'outbound', { writeStatus: 'closing' }), // a failed stop being closed
        stream(HOP, 'inbound', { remoteWriteStatus: 'closed' }), // left half-open after a refused reservation
        stream(HOP, 'inbound', { status: 'reset' })
      ])
    ]
    expect(countCircuits(conns)).toBe(2)
    expect(countHopStreams(conns)).toBe(1)
    expect(countCircuits([])).toBe(0)
  })
})

describe('RelayQuota reservations', () => {
  it('refuses a new peer at an address at its cap, and allows renewals and other addresses', async () => {
    const [a, b, c, d, e] = await peers(5)
    const relay = new FakeRelay()
    for (const p of [a, b, c]) {
      relay.reserve(p, '/ip4/198.51.100.9/tcp/1000')
      relay.connect(p, connection('/ip4/198.51.100.9/tcp/1000'))
    }
    relay.connect(d, connection('/ip4/198.51.100.9/tcp/2000'))
    relay.connect(e, connection('/ip4/198.51.100.10/tcp/2000'))
    const refusals: RelayRefusal[] = []
    const gate = relay.gate({ limits: createRelayLimits({ maxReservationsPerIp: 3 }), onRefusal: r => { refusals.push(r) } })

    expect(gate.reservationUsage(d)).toEqual({ reservations: 3, reservationsOfIp: 3, hasReservation: false, ip: '198.51.100.9' })
    expect(gate.denyInboundRelayReservation(d)).toBe(true)
    expect(gate.denyInboundRelayReservation(a)).toBe(false) // a renewal
    expect(gate.denyInboundRelayReservation(e)).toBe(false) // another address
    expect(refusals).toEqual([{ kind: 'reservation', peer: d, reason: 'ip-reservations', ip: '198.51.100.9' }])
    expect(gate.refusals.snapshot()).toEqual({ 'reservations-full': 0, 'ip-reservations': 1, 'circuits-full': 0, 'peer-circuits': 0, 'ip-connections': 0 })
  })

  it('counts a reservation against the address it was made from, after its holder left', async () => {
    const [a, b] = await peers(2)
    const relay = new FakeRelay()
    relay.reserve(a, '/ip4/192.0.2.1/tcp/1') // a disconnected; the relay keeps the reservation
    relay.connect(b, connection('/ip4/192.0.2.1/tcp/2'))
    const gate = relay.gate({ limits: createRelayLimits({ maxReservationsPerIp: 1 }) })
    expect(gate.denyInboundRelayReservation(b)).toBe(true)
  })

  it('groups IPv6 peers by /64 and ignores relayed and closed connections', async () => {
    const [a, b, c] = await peers(3)
    const relay = new FakeRelay()
    relay.reserve(a, '/ip6/2001:db8:5:6::1/tcp/1')
    relay.connect(b, connection('/ip6/2001:db8:5:6::2/tcp/1'))
    relay.connect(c, connection('/ip4/192.0.2.9/tcp/1/p2p/12D3KooWLRPJAA5o6P6oj1Y2aVByy5UhiEe9whN1ooKBmY4L8ufc/p2p-circuit'), connection('/ip6/2001:db8:5:6::3/tcp/1', [], 'closed'))
    const gate = relay.gate({ limits: createRelayLimits({ maxReservationsPerIp: 1 }) })
    expect(gate.denyInboundRelayReservation(b)).toBe(true)
    expect(gate.reservationUsage(c)).toEqual({ reservations: 1, reservationsOfIp: 0, hasReservation: false })
    expect(gate.denyInboundRelayReservation(c)).toBe(false)
  })

  it('refuses any new peer once the relay is full, with the reason said', async () => {
    const [a, b, c] = await peers(3)
    const relay = new FakeRelay()
    relay.reserve(a, '/ip4/192.0.2.1/tcp/1')
    relay.reserve(b, '/ip4/192.0.2.2/tcp/1')
    relay.connect(c, connection('/ip4/192.0.2.3/tcp/1'))
    const gate = relay.gate({ limits: createRelayLimits({ maxReservations: 2, maxReservationsPerIp: 2 }) })
    expect(gate.denyInboundRelayReservation(c)).toBe(true)
    expect(gate.refusals.get('reservations-full')).toBe(1)
  })
})

describe('RelayQuota circuits', () => {
  it('refuses a source at its cap, not counting the request being decided', async () => {
    const [src, other, dst] = await peers(3)
    const relay = new FakeRelay()
    // src: one circuit open and its new request; other: only its request.
    relay.connect(src, connection('/ip4/192.0.2.1/tcp/1', [stream(HOP, 'inbound'), stream(HOP, 'inbound')]))
    relay.connect(other, connection('/ip4/192.0.2.2/tcp/1', [stream(HOP, 'inbound')]))
    relay.connect(dst, connection('/ip4/192.0.2.3/tcp/1', [stream(STOP, 'outbound')]))
    const gate = relay.gate({ limits: createRelayLimits({ maxCircuitsPerPeer: 1 }) })
    expect(gate.circuitUsage(src)).toEqual({ circuits: 1, circuitsOfPeer: 1 })
    expect(gate.denyOutboundRelayedConnection(src, dst)).toBe(true)
    expect(gate.denyOutboundRelayedConnection(other, dst)).toBe(false)
    expect(gate.refusals.snapshot()).toEqual({ 'reservations-full': 0, 'ip-reservations': 0, 'circuits-full': 0, 'peer-circuits': 1, 'ip-connections': 0 })
  })

  it('refuses everyone once the relay carries its maximum of circuits', async () => {
    const [src, dst] = await peers(2)
    const relay = new FakeRelay()
    relay.connect(src, connection('/ip4/192.0.2.1/tcp/1', [stream(HOP, 'inbound')]))
    relay.connect(dst, connection('/ip4/192.0.2.3/tcp/1', [stream(STOP, 'outbound'), stream(STOP, 'outbound')]))
    const gate = relay.gate({ limits: createRelayLimits({ maxCircuits: 2, maxCircuitsPerPeer: 1 }) })
    expect(gate.denyOutboundRelayedConnection(src, dst)).toBe(true)
    expect(gate.refusals.get('circuits-full')).toBe(1)
    expect(gate.refusals.total).toBe(1)
  })
})

describe('RelayQuota.connectionGater', () => {
  it('keeps the base gater and denies when either denies', async () => {
    const [a, b] = await peers(2)
    const relay = new FakeRelay()
    relay.connect(a, connection('/ip4/192.0.2.1/tcp/1', [stream(HOP, 'inbound')]))
    const gate = relay.gate()
    const denyDialPeer = (): boolean => false
    const gater = gate.connectionGater({ denyDialPeer, denyInboundRelayReservation: peer => peer.equals(b) })
    expect(gater.denyDialPeer).toBe(denyDialPeer)
    expect(await gater.denyInboundRelayReservation?.(a)).toBe(false)
    expect(await gater.denyInboundRelayReservation?.(b)).toBe(true)
    expect(await gater.denyOutboundRelayedConnection?.(a, b)).toBe(false)
    // The base's refusal is the base's: the gate counts only its own.
    expect(gate.refusals.total).toBe(0)
  })

  it('survives a refusal listener that throws', async () => {
    const [a] = await peers(1)
    const relay = new FakeRelay()
    relay.connect(a, connection('/ip4/192.0.2.1/tcp/1'))
    relay.reserve((await peers(1))[0], '/ip4/192.0.2.1/tcp/9')
    const gate = relay.gate({ limits: createRelayLimits({ maxReservationsPerIp: 1 }), onRefusal: () => { throw new Error('log full') } })
    expect(gate.denyInboundRelayReservation(a)).toBe(true)
  })
})

describe('connections per address', () => {
  it('counts open direct connections of the address group, refuses at the cap, and leaves exempt groups alone', async () => {
    const [a, b, c] = await peers(3)
    const relay = new FakeRelay()
    relay.connect(a, connection('/ip4/203.0.113.7/tcp/1'), connection('/ip4/203.0.113.7/tcp/9/p2p-circuit'))
    relay.connect(b, connection('/ip4/203.0.113.7/tcp/2'), connection('/ip4/203.0.113.7/tcp/3', [], 'closed'))
    relay.connect(c, connection('/ip6/2001:db8:1:2::5/tcp/4'))
    const refused: RelayRefusal[] = []
    const gate = relay.gate({ limits: createRelayLimits({ maxConnectionsPerIp: 2 }), onRefusal: r => { refused.push(r) } })
    // Two open direct connections from 203.0.113.7 (the relayed and the closed ones do not count).
    expect(gate.connectionsOf('203.0.113.7')).toBe(2)
    expect(gate.denyInboundConnection({ remoteAddr: multiaddr('/ip4/203.0.113.7/tcp/5') })).toBe(true)
    expect(gate.denyInboundConnection({ remoteAddr: multiaddr('/ip4/203.0.113.8/tcp/5') })).toBe(false)
    expect(gate.denyInboundConnection({ remoteAddr: multiaddr('/ip6/2001:db8:1:2::99/tcp/5') })).toBe(false)
    expect(refused).toEqual([{ kind: 'connection', reason: 'ip-connections', ip: '203.0.113.7' }])
    expect(gate.refusals.get('ip-connections')).toBe(1)

    const exempt = relay.gate({ limits: createRelayLimits({ maxConnectionsPerIp: 1 }), exempt: group => group === '203.0.113.7' })
    expect(exempt.denyInboundConnection({ remoteAddr: multiaddr('/ip4/203.0.113.7/tcp/5') })).toBe(false)
    expect(exempt.denyInboundConnection({ remoteAddr: multiaddr('/ip6/2001:db8:1:2::99/tcp/5') })).toBe(true)
  })

  it('tells loopback groups', () => {
    expect(isLoopbackGroup(ipGroup(multiaddr('/ip4/127.0.0.2/tcp/1')))).toBe(true)
    expect(isLoopbackGroup(ipGroup(multiaddr('/ip6/::1/tcp/1')))).toBe(true)
    expect(isLoopbackGroup(ipGroup(multiaddr('/ip4/10.0.0.1/tcp/1')))).toBe(false)
  })
})
