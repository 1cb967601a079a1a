// p2pgo's relay metrics: values read from injected sources on every scrape; and, on a real relay
// on 127.0.0.1, the claims the module makes about libp2p's own metrics (relayed bytes are in
// libp2p_data_transfer_bytes_total under the HOP/STOP protocols; a circuit is an outbound STOP
// stream; kad-dht keeps the records it holds under /dht/record/).
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, circuitRelayTransport, RELAY_V2_HOP_CODEC, RELAY_V2_STOP_CODEC } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { Key } from 'interface-datastore'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p, type Libp2p } from 'libp2p'
import { Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { countCircuits } from '../../bootstrap/relay-quota.js'
import { countDhtRecords, DHT_RECORD_PREFIX, DHT_RECORDS_MAX_AGE_MS, registerRelayMetrics, MAILBOX_METRICS, RELAY_METRICS, type RelayMetricSources } from '../../bootstrap/relay-metrics.js'
import { LOOPBACK_ALLOW } from '../../src/net/constants.js'
import { until } from '../helpers/game-nodes.js'
import { sample } from '../helpers/prometheus.js'

function sources (values: { reservations: number, circuits: number, dhtRecords: number, peers: number, refusals: Record<string, number> }, extra: Partial<RelayMetricSources> = {}): RelayMetricSources {
  return {
    reservations: () => values.reservations,
    circuits: async () => values.circuits,
    dhtRecords: () => values.dhtRecords,
    peers: () => values.peers,
    refusals: () => values.refusals,
    ...extra
  }
}

describe('p2pgo relay metrics', () => {
  it('reports what the mailbox holds when the node holds, and nothing of it otherwise', async () => {
    const values = { reservations: 0, circuits: 0, dhtRecords: 0, peers: 0, refusals: {} }
    const holding = new Registry()
    let held = { count: 2, bytes: 700 }
    registerRelayMetrics(sources(values, { mailbox: { envelopes: () => held.count, bytes: () => held.bytes } }), holding)
    let text = await holding.metrics()
    expect(sample(text, MAILBOX_METRICS.envelopes)).toBe(2)
    expect(sample(text, MAILBOX_METRICS.bytes)).toBe(700)
    held = { count: 0, bytes: 0 }
    text = await holding.metrics()
    expect(sample(text, MAILBOX_METRICS.bytes)).toBe(0)
    const plain = new Registry()
    registerRelayMetrics(sources(values), plain)
    expect(await plain.metrics()).not.toContain('p2pgo_mailbox')
  })

  it('reads every source on each scrape (the DHT record count once it is a minute old)', async () => {
    const registry = new Registry()
    const values = { reservations: 3, circuits: 1, dhtRecords: 40, peers: 12, refusals: { 'per-ip': 2 } as Record<string, number> }
    let now = 0
    registerRelayMetrics(sources(values), registry, { now: () => now })
    let text = await registry.metrics()
    expect(sample(text, RELAY_METRICS.reservations)).toBe(3)
    expect(sample(text, RELAY_METRICS.circuits)).toBe(1)
    expect(sample(text, RELAY_METRICS.dhtRecords)).toBe(40)
    expect(sample(text, RELAY_METRICS.peers)).toBe(12)
    expect(sample(text, RELAY_METRICS.refusals, 'reason="per-ip"')).toBe(2)
    expect(text).toContain('# TYPE p2pgo_relay_refusals_total counter')
    expect(text).toContain('# TYPE p2pgo_relay_circuits gauge')

    values.reservations = 5
    values.circuits = 0
    values.dhtRecords = 41
    values.peers = 9
    values.refusals = { 'per-ip': 3, full: 1 }
    now += DHT_RECORDS_MAX_AGE_MS
    text = await registry.metrics()
    expect(sample(text, RELAY_METRICS.reservations)).toBe(5)
    expect(sample(text, RELAY_METRICS.circuits)).toBe(0)
    expect(sample(text, RELAY_METRICS.dhtRecords)).toBe(41)
    expect(sample(text, RELAY_METRICS.peers)).toBe(9)
    // The counter mirrors the source's totals: it is not added to on every scrape.
    expect(sample(text, RELAY_METRICS.refusals, 'reason="per-ip"')).toBe(3)
    expect(sample(text, RELAY_METRICS.refusals, 'reason="full"')).toBe(1)
  })

  it('counts the DHT records (a datastore scan) at most once per DHT_RECORDS_MAX_AGE_MS, however often it is scraped', async () => {
    const registry = new Registry()
    const datastore = new MemoryDatastore()
    for (let i = 0; i < 50; i++) await datastore.put(new Key(`${DHT_RECORD_PREFIX}k${i}`), Uint8Array.of(i))
    let scans = 0
    let now = 1_000_000
    registerRelayMetrics(sources({ reservations: 0, circuits: 0, dhtRecords: 0, peers: 0, refusals: {} }, {
      dhtRecords: async () => { scans++; return await countDhtRecords(datastore) }
    }), registry, { now: () => now })
    const scrapes = await Promise.all([registry.metrics(), registry.metrics()])
    for (let i = 0; i < 5; i++) {
      now += DHT_RECORDS_MAX_AGE_MS / 10
      scrapes.push(await registry.metrics())
    }
    expect(scans).toBe(1)
    expect(scrapes.map(t => sample(t, RELAY_METRICS.dhtRecords))).toEqual(Array(7).fill(50))
    await datastore.put(new Key(`${DHT_RECORD_PREFIX}k50`), Uint8Array.of(50))
    now += DHT_RECORDS_MAX_AGE_MS
    expect(sample(await registry.metrics(), RELAY_METRICS.dhtRecords)).toBe(51)
    expect(scans).toBe(2)
  })

  it('keeps a failing source\'s last value, reports it, and still answers the scrape', async () => {
    const registry = new Registry()
    const values = { reservations: 2, circuits: 1, dhtRecords: 7, peers: 4, refusals: { full: 1 } }
    let now = 0
    let broken = false
    const errors: string[] = []
    registerRelayMetrics(sources(values, {
      dhtRecords: async () => { if (broken) throw new Error('datastore closed'); return values.dhtRecords },
      refusals: () => { if (broken) throw new Error('gate gone'); return values.refusals },
      onError: metric => { errors.push(metric) }
    }), registry, { now: () => now })
    await registry.metrics()
    broken = true
    now += DHT_RECORDS_MAX_AGE_MS
    values.peers = 5
    const text = await registry.metrics()
    expect(sample(text, RELAY_METRICS.dhtRecords)).toBe(7)
    expect(sample(text, RELAY_METRICS.refusals, 'reason="full"')).toBe(1)
    expect(sample(text, RELAY_METRICS.peers)).toBe(5)
    expect(errors.sort()).toEqual([RELAY_METRICS.dhtRecords, RELAY_METRICS.refusals])
  })

  it('unregisters what it registered, once, and refuses a second registration without harm', async () => {
    const registry = new Registry()
    const values = { reservations: 0, circuits: 0, dhtRecords: 0, peers: 0, refusals: {} }
    const unregister = registerRelayMetrics(sources(values), registry)
    expect(() => registerRelayMetrics(sources(values), registry)).toThrow()
    expect((await registry.getMetricsAsJSON()).map(m => m.name).sort()).toEqual(Object.values(RELAY_METRICS).sort())
    unregister()
    unregister()
    expect(await registry.getMetricsAsJSON()).toEqual([])
    // Free again: registering after unregistering works.
    registerRelayMetrics(sources(values), registry)
    expect(sample(await registry.metrics(), RELAY_METRICS.peers)).toBe(0)
  })

  it('counts DHT records under kad-dht\'s prefix only', async () => {
    const datastore = new MemoryDatastore()
    await datastore.put(new Key(`${DHT_RECORD_PREFIX}CIQA`), new Uint8Array([1]))
    await datastore.put(new Key(`${DHT_RECORD_PREFIX}CIQB`), new Uint8Array([1]))
    await datastore.put(new Key('/dht/provider/CIQC/peer'), new Uint8Array([1]))
    await datastore.put(new Key('/dht/recordings'), new Uint8Array([1]))
    await datastore.put(new Key('/p2pgo/reputation/x'), new Uint8Array([1]))
    expect(await countDhtRecords(datastore)).toBe(2)
  })
})

const SINK = '/p2pgo-test/sink/1.0.0'
const DHT = '/p2pgo-test/kad/1.0.0'
const nodes: Libp2p[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => { try { await n.stop() } catch {} })) })

async function node (listen: string[], options: { relay?: boolean, registry?: Registry, datastore?: MemoryDatastore } = {}): Promise<Libp2p<any>> {
  const n = await createLibp2p({
    addresses: { listen },
    transports: [tcp(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { allow: [...LOOPBACK_ALLOW] },
    connectionMonitor: { enabled: false },
    ...(options.datastore != null ? { datastore: options.datastore } : {}),
    ...(options.registry != null ? { metrics: prometheusMetrics({ registry: options.registry, collectDefaultMetrics: false }) } : {}),
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: 4 }),
      dht: kadDHT({
        protocol: DHT,
        clientMode: options.relay !== true,
        peerInfoMapper: passthroughMapper,
        validators: { test: async () => {} },
        selectors: { test: () => 0 }
      }),
      ...(options.relay === true ? { relay: circuitRelayServer({ reservations: { applyDefaultLimit: false } }) } : {})
    }
  })
  nodes.push(n)
  return n
}

describe('on a real relay', () => {
  it('libp2p counts the relayed bytes under HOP/STOP, a circuit is an outbound STOP stream, records land under /dht/record/', async () => {
    const registry = new Registry()
    const datastore = new MemoryDatastore()
    const relay = await node(['/ip4/127.0.0.1/tcp/0'], { relay: true, registry, datastore })
    const relayAddr = relay.getMultiaddrs()[0].toString()
    registerRelayMetrics({
      reservations: () => (relay.services.relay as { reservations: Map<unknown, unknown> }).reservations.size,
      circuits: () => countCircuits(relay.getConnections()),
      dhtRecords: async () => countDhtRecords(datastore),
      peers: () => relay.getPeers().length,
      refusals: () => ({})
    }, registry, { dhtRecordsMaxAgeMs: 0 }) // counted afresh on each scrape here: the record's arrival is what is checked

    const bob = await node([`${relayAddr}/p2p-circuit`])
    let received = 0
    await bob.handle(SINK, async stream => {
      for await (const chunk of stream) received += chunk.byteLength
      await stream.close()
    }, { runOnLimitedConnection: true })
    await until(() => bob.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit')), 'bob\'s reservation')
    const ann = await node(['/ip4/127.0.0.1/tcp/0'])

    const before = await registry.metrics()
    expect(sample(before, RELAY_METRICS.reservations)).toBe(1)
    expect(sample(before, RELAY_METRICS.circuits)).toBe(0)

    const circuit = multiaddr(`${relayAddr}/p2p-circuit/p2p/${bob.peerId.toString()}`)
    const stream = await ann.dialProtocol(circuit, SINK, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    await until(async () => sample(await registry.metrics(), RELAY_METRICS.circuits) === 1, 'the circuit in p2pgo_relay_circuits')
    const size = 256 * 1024
    const chunk = new Uint8Array(16 * 1024).fill(7)
    for (let sent = 0; sent < size; sent += chunk.byteLength) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    await stream.close()
    await until(() => received === size, 'bob to receive everything')

    // Ann's bytes reach the relay on her HOP stream and leave it on its STOP stream to Bob.
    const after = await registry.metrics()
    const hop = (dir: string): number => sample(after, 'libp2p_data_transfer_bytes_total', `protocol="${RELAY_V2_HOP_CODEC} ${dir}"`) ?? 0
    const stop = (dir: string): number => sample(after, 'libp2p_data_transfer_bytes_total', `protocol="${RELAY_V2_STOP_CODEC} ${dir}"`) ?? 0
    expect(hop('received')).toBeGreaterThanOrEqual(size)
    expect(stop('sent')).toBeGreaterThanOrEqual(size)
    // Beyond the payload: the relay's own protocol messages and the relayed connection's end-to-end
    // framing (noise, yamux), which the relay carries like any other bytes.
    expect(hop('received') + stop('received')).toBeLessThan(size + 16 * 1024)
    expect(sample(after, 'libp2p_circuit_relay_server_reservations_total')).toBe(1)

    // The circuit ends with the streams over it.
    for (const c of ann.getConnections(bob.peerId)) await c.close()
    await until(async () => sample(await registry.metrics(), RELAY_METRICS.circuits) === 0, 'the circuit to close')

    // A record a client puts into the DHT is held by the relay (its only DHT server) under /dht/record/.
    expect(sample(await registry.metrics(), RELAY_METRICS.dhtRecords)).toBe(0)
    await until(async () => ((ann.services.dht as any).routingTable.size as number) > 0, 'ann\'s routing table')
    const key = new TextEncoder().encode('/test/p2pgo-metrics')
    for await (const _ of (ann.services.dht as any).put(key, new TextEncoder().encode('value'), { signal: AbortSignal.timeout(10_000) })) {}
    await until(async () => sample(await registry.metrics(), RELAY_METRICS.dhtRecords) === 1, 'the record on the relay')
    expect(sample(await registry.metrics(), RELAY_METRICS.peers)).toBe(2)
  }, 60_000)
})
