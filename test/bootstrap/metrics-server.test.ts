// The bootstrap relay's metrics and health endpoint, over real HTTP on 127.0.0.1; and once with a
// real libp2p node whose own metrics (@libp2p/prometheus-metrics) land on the same page.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { Gauge, register, Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { MetricsServer, type HealthReport } from '../../bootstrap/metrics-server.js'
import { registerRelayMetrics, RELAY_METRICS } from '../../bootstrap/relay-metrics.js'
import { LOOPBACK_ALLOW } from '../../src/net/constants.js'
import { until } from '../helpers/game-nodes.js'
import { sample } from '../helpers/prometheus.js'

const servers: MetricsServer[] = []
const nodes: Libp2p[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(async s => s.stop()))
  await Promise.all(nodes.splice(0).map(async n => { try { await n.stop() } catch {} }))
  register.clear()
})

async function serve (health: () => HealthReport | Promise<HealthReport>, registry?: Registry): Promise<{ server: MetricsServer, url: (path: string) => string }> {
  const server = new MetricsServer({ port: 0, health, ...(registry != null ? { registry } : {}) })
  servers.push(server)
  await server.start()
  const { host, port } = server.address()!
  return { server, url: path => `http://${host}:${port}${path}` }
}

const healthy: HealthReport = { status: 'ok', peerId: '12D3KooWExample', uptimeS: 42, peers: 3, reservations: 2, circuits: 1 }

describe('the metrics server', () => {
  it('binds 127.0.0.1 by default and serves the registry on /metrics, read afresh on every scrape', async () => {
    const registry = new Registry()
    const values = { reservations: 1, circuits: 0, dhtRecords: 10, peers: 4, refusals: { full: 1 } as Record<string, number> }
    registerRelayMetrics({
      reservations: () => values.reservations,
      circuits: () => values.circuits,
      dhtRecords: () => values.dhtRecords,
      peers: () => values.peers,
      refusals: () => values.refusals
    }, registry, { dhtRecordsMaxAgeMs: 0 }) // the server is under test here, not the record count's reuse (relay-metrics.test.ts)
    const { server, url } = await serve(() => healthy, registry)
    expect(server.address()?.host).toBe('127.0.0.1')
    expect(server.address()?.port).toBeGreaterThan(0)

    let res = await fetch(url('/metrics'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(registry.contentType)
    let text = await res.text()
    for (const name of Object.values(RELAY_METRICS)) expect(text).toContain(`# TYPE ${name} `)
    expect(sample(text, RELAY_METRICS.reservations)).toBe(1)
    expect(sample(text, RELAY_METRICS.circuits)).toBe(0)
    expect(sample(text, RELAY_METRICS.refusals, 'reason="full"')).toBe(1)

    values.reservations = 6
    values.circuits = 3
    values.peers = 20
    values.dhtRecords = 11
    values.refusals = { full: 2, 'per-ip': 5 }
    res = await fetch(url('/metrics?scrape=2'))
    text = await res.text()
    expect(sample(text, RELAY_METRICS.reservations)).toBe(6)
    expect(sample(text, RELAY_METRICS.circuits)).toBe(3)
    expect(sample(text, RELAY_METRICS.peers)).toBe(20)
    expect(sample(text, RELAY_METRICS.dhtRecords)).toBe(11)
    expect(sample(text, RELAY_METRICS.refusals, 'reason="full"')).toBe(2)
    expect(sample(text, RELAY_METRICS.refusals, 'reason="per-ip"')).toBe(5)
  })

  it('answers /health with the injected report: 200 when ok, 503 while stopping or when the check fails', async () => {
    let report: HealthReport = healthy
    let fail = false
    const { url } = await serve(async () => { if (fail) throw new Error('node gone'); return report })
    let res = await fetch(url('/health'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual(healthy)

    report = { ...healthy, status: 'stopping', circuits: 0 }
    res = await fetch(url('/health'))
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual(report)

    fail = true
    res = await fetch(url('/health'))
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 'error' })
  })

  it('answers 404 for other paths and 405 for methods other than GET and HEAD', async () => {
    const { url } = await serve(() => healthy, new Registry())
    for (const path of ['/', '/metricsx', '/health/', '/favicon.ico']) expect((await fetch(url(path))).status).toBe(404)
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(url('/metrics'), { method })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, HEAD')
    }
    const head = await fetch(url('/health'), { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('a failing scrape answers 500 and the server goes on', async () => {
    const registry = new Registry()
    const { url } = await serve(() => healthy, registry)
    // A collect that throws fails prom-client's whole scrape (relay-metrics.ts catches its own).
    const broken = new Gauge({ name: 'broken', help: 'fails', registers: [registry], collect () { throw new Error('boom') } })
    expect(broken).toBeDefined()
    expect((await fetch(url('/metrics'))).status).toBe(500)
    registry.removeSingleMetric('broken')
    expect((await fetch(url('/metrics'))).status).toBe(200)
  })

  it('starts and stops idempotently, and binds again after a stop', async () => {
    const server = new MetricsServer({ port: 0, health: () => healthy, registry: new Registry() })
    servers.push(server)
    await server.stop()
    expect(server.address()).toBeUndefined()
    await Promise.all([server.start(), server.start()])
    const first = server.address()!.port
    await server.start()
    expect(server.address()!.port).toBe(first)
    // A kept-alive scrape connection does not hold the stop up.
    expect((await fetch(`http://127.0.0.1:${first}/health`)).status).toBe(200)
    await Promise.all([server.stop(), server.stop()])
    expect(server.address()).toBeUndefined()
    await expect(fetch(`http://127.0.0.1:${first}/health`)).rejects.toThrow()
    await server.start()
    expect((await fetch(`http://127.0.0.1:${server.address()!.port}/health`)).status).toBe(200)
  })

  it('rejects start() when the port is taken', async () => {
    const { server } = await serve(() => healthy, new Registry())
    const second = new MetricsServer({ port: server.address()!.port, health: () => healthy })
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/)
    expect(second.address()).toBeUndefined()
    await second.stop()
  })
})

describe('with a real libp2p node', () => {
  it('shows libp2p\'s own connection and transfer metrics next to p2pgo\'s', async () => {
    const make = async (metrics: boolean): Promise<Libp2p> => {
      const n = await createLibp2p({
        addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
        transports: [tcp()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        connectionManager: { allow: [...LOOPBACK_ALLOW] },
        connectionMonitor: { enabled: false },
        // The daemon's way: prom-client's global registry, which the server reads by default.
        ...(metrics ? { metrics: prometheusMetrics() } : {}),
        services: { identify: identify() }
      })
      nodes.push(n)
      return n
    }
    const relay = await make(true)
    // After the node: @libp2p/prometheus-metrics clears the global registry when it is created.
    registerRelayMetrics({ reservations: () => 0, circuits: () => 0, dhtRecords: () => 0, peers: () => relay.getPeers().length, refusals: () => ({}) })
    const { url } = await serve(() => ({ ...healthy, peers: relay.getPeers().length }))

    const before = await (await fetch(url('/metrics'))).text()
    expect(sample(before, 'libp2p_connection_manager_connections', 'libp2p_connection_manager_connections="inbound"')).toBe(0)
    expect(sample(before, RELAY_METRICS.peers)).toBe(0)
    // prom-client's process metrics come along (collectDefaultMetrics).
    expect(before).toContain('process_cpu_user_seconds_total')

    const other = await make(false)
    await other.dial(relay.getMultiaddrs()[0], { signal: AbortSignal.timeout(10_000) })
    const scrape = async (): Promise<string> => await (await fetch(url('/metrics'))).text()
    let after = ''
    await until(async () => { after = await scrape(); return sample(after, RELAY_METRICS.peers) === 1 }, 'the connection on /metrics')
    expect(sample(after, 'libp2p_connection_manager_connections', 'libp2p_connection_manager_connections="inbound"')).toBe(1)
    expect(sample(after, 'libp2p_data_transfer_bytes_total', 'protocol="global received"')).toBeGreaterThan(0)
    expect((await (await fetch(url('/health'))).json()).peers).toBe(1)
  })
})
