// The relay quota on a real circuit-relay-v2 server: real libp2p nodes on 127.0.0.1, a
// minimal relay (TCP, Noise, Yamux, identify, the relay server with the gate as its connection
// gater) and clients with the circuit relay transport. No timing thresholds: only outcomes.
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { RelayQuota } from '../../bootstrap/relay-quota.js'
import { createRelayLimits, relayServerLimits } from '../../bootstrap/relay-limits.js'
import { until } from '../helpers/game-nodes.js'
import { common, createClient, echo, failure, OK, PERMISSION_DENIED, reserveAgain } from '../helpers/relay-clients.js'
import type { RelayLimits } from '../../bootstrap/relay-limits.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Libp2p } from 'libp2p'

const nodes: Libp2p[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => { await Promise.resolve(n.stop()).catch(() => {}) })) })

/** A relay with `limits`, applied as the daemon does: the server's own part, and the gate. */
async function startRelay (limits: RelayLimits): Promise<{ relay: Libp2p<{ relay: CircuitRelayService }>, gate: RelayQuota, address: string }> {
  let relay: Libp2p<{ relay: CircuitRelayService }> | undefined
  const gate = new RelayQuota({
    reservations: () => relay?.services.relay.reservations ?? [],
    getConnections: peer => relay?.getConnections(peer) ?? []
  }, { limits })
  const server = relayServerLimits(limits)
  relay = await createLibp2p({
    ...common,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    connectionGater: gate.connectionGater(),
    services: {
      identify: identify(),
      relay: circuitRelayServer({
        ...(server.hopTimeoutMs != null ? { hopTimeout: server.hopTimeoutMs } : {}),
        reservations: {
          ...(server.maxReservations != null ? { maxReservations: server.maxReservations } : {}),
          ...(server.reservationTtlMs != null ? { reservationTtl: server.reservationTtlMs } : {}),
          ...(server.durationLimitMs != null ? { defaultDurationLimit: server.durationLimitMs } : {}),
          ...(server.dataLimitBytes != null ? { defaultDataLimit: server.dataLimitBytes } : {})
        }
      })
    }
  })
  nodes.push(relay)
  return { relay, gate, address: relay.getMultiaddrs()[0].toString() }
}

describe('the relay gate on a running relay', () => {
  it('refuses a 4th reservation from one IP with maxReservationsPerIp 3, while the first 3 hold and renew theirs', async () => {
    const { relay, gate, address } = await startRelay(createRelayLimits({ maxReservationsPerIp: 3 }))
    const circuit = `${address}/p2p-circuit`
    const holders: Libp2p[] = []
    for (let i = 0; i < 3; i++) {
      const c = await createClient(nodes, [circuit])
      await c.start() // resolves once the reservation is made
      holders.push(c)
    }
    expect(relay.services.relay.reservations.size).toBe(3)

    const fourth = await createClient(nodes, [circuit])
    const refusal = await failure(Promise.resolve(fourth.start()))
    expect(refusal).toContain('reservation failed with status PERMISSION_DENIED')
    expect(relay.services.relay.reservations.has(fourth.peerId)).toBe(false)
    expect(gate.refusals.snapshot()).toEqual({ 'reservations-full': 0, 'ip-reservations': 1, 'circuits-full': 0, 'peer-circuits': 0, 'ip-connections': 0 })

    // The three still hold theirs, and each still advertises its circuit address.
    expect(relay.services.relay.reservations.size).toBe(3)
    for (const c of holders) {
      expect(relay.services.relay.reservations.has(c.peerId)).toBe(true)
      expect(c.getMultiaddrs().some(a => a.toString().startsWith(circuit))).toBe(true)
    }
    // A renewal by one of them is granted though its IP is at the cap.
    expect(await reserveAgain(holders[1], relay)).toBe(OK)
    expect(relay.services.relay.reservations.size).toBe(3)
    // Another new peer from the same IP asking over an open connection gets the same clean answer.
    // (libp2p stops a node whose listen failed, so the fourth cannot ask again itself.)
    const fifth = await createClient(nodes)
    await fifth.start()
    await fifth.dial(multiaddr(address), { signal: AbortSignal.timeout(10_000) })
    expect(await reserveAgain(fifth, relay)).toBe(PERMISSION_DENIED)
    expect(gate.refusals.get('ip-reservations')).toBe(2)
    expect(relay.services.relay.reservations.size).toBe(3)
  })

  it('refuses a second circuit from one source with maxCircuitsPerPeer 1, while the first carries data', async () => {
    const { relay, gate, address } = await startRelay(createRelayLimits({ maxCircuitsPerPeer: 1 }))
    const circuit = `${address}/p2p-circuit`
    const [d1, d2] = [await createClient(nodes, [circuit]), await createClient(nodes, [circuit])]
    await d1.start()
    await d2.start()
    const source = await createClient(nodes)
    await source.start()

    const first = await source.dial(multiaddr(`${circuit}/p2p/${d1.peerId}`), { signal: AbortSignal.timeout(10_000) })
    expect(first.limits).not.toBeNull()
    // The relay sees the circuit as the gate counts it: one outbound STOP stream, one inbound HOP stream of the source.
    await until(() => gate.circuits() === 1 && gate.hopStreamsOf(source.peerId) === 1, 'the relay to count the circuit')

    const refusal = await failure(source.dial(multiaddr(`${circuit}/p2p/${d2.peerId}`), { signal: AbortSignal.timeout(10_000) }))
    expect(refusal).toContain('failed to connect via relay with status PERMISSION_DENIED')
    expect(gate.refusals.snapshot()).toEqual({ 'reservations-full': 0, 'ip-reservations': 0, 'circuits-full': 0, 'peer-circuits': 1, 'ip-connections': 0 })
    expect(source.getConnections(d2.peerId)).toHaveLength(0)

    // The first circuit is untouched and still carries data both ways.
    expect(first.status).toBe('open')
    expect(await echo(source, first)).toBe('hello')
    expect(gate.circuits()).toBe(1)

    // Once the first circuit closes, the relay counts it gone and the source may open another.
    await first.close()
    await until(() => gate.circuits() === 0 && gate.hopStreamsOf(source.peerId) === 0, 'the relay to see the circuit close')
    const second = await source.dial(multiaddr(`${circuit}/p2p/${d2.peerId}`), { signal: AbortSignal.timeout(10_000) })
    expect(await echo(source, second)).toBe('hello')
    expect(gate.refusals.total).toBe(1)
  })
})
