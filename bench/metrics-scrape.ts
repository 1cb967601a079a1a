// What one /metrics scrape costs the bootstrap relay's process: a real BootstrapDaemon (in this
// process, so its CPU can be read per scrape and per metric) on 127.0.0.1 with PEERS connected
// clients holding reservations and RECORDS DHT records in its datastore, scraped over HTTP as
// Prometheus would. Reports the CPU time per scrape (process.cpuUsage around the request, the
// idle clients in the same process cost nothing measurable) and the most expensive metrics.
//
// `npm run build && node dist/bench/metrics-scrape.js [--peers N] [--records N] [--scrapes N]`
import '../src/polyfill.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { Key } from 'interface-datastore'
import { createLibp2p, type Libp2p } from 'libp2p'
import { BootstrapDaemon, daemonConfig } from '../bootstrap/daemon.js'
import { Logger } from '../bootstrap/log.js'
import { DHT_RECORD_PREFIX } from '../bootstrap/relay-metrics.js'
import { LOOPBACK_ALLOW } from '../src/net/constants.js'
import type { Registry } from 'prom-client'

const { values } = parseArgs({ options: { peers: { type: 'string', default: '40' }, records: { type: 'string', default: '5000' }, scrapes: { type: 'string', default: '40' } } })
const PEERS = Number(values.peers)
const RECORDS = Number(values.records)
const SCRAPES = Number(values.scrapes)

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000

async function main (): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'p2pgo-metrics-bench-'))
  const clients: Libp2p[] = []
  const flags = { home, listen: '/ip4/127.0.0.1/tcp/0', local: true, metrics: '127.0.0.1:0', stunPort: '0' }
  const config = await daemonConfig(flags)
  const daemon = await BootstrapDaemon.start(flags, { ...config, relay: { ...config.relay, maxReservations: 1024, maxReservationsPerIp: 1024 } }, new Logger({ write: () => {} }))
  try {
    for (let i = 0; i < RECORDS; i++) await daemon.node.datastore.put(new Key(`${DHT_RECORD_PREFIX}bench-${i}`), new Uint8Array(200))
    const relay = daemon.addresses()[0]
    for (let i = 0; i < PEERS; i++) {
      const c = await createLibp2p({
        transports: [tcp(), circuitRelayTransport()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        connectionManager: { allow: [...LOOPBACK_ALLOW] },
        connectionMonitor: { enabled: false },
        addresses: { listen: [`${relay}/p2p-circuit`] },
        services: { identify: identify() }
      })
      clients.push(c)
    }
    const url = `http://127.0.0.1:${daemon.metrics!.address()!.port}/metrics`
    for (let i = 0; i < 5; i++) await (await fetch(url)).text()

    let total = 0
    let bytes = 0
    for (let i = 0; i < SCRAPES; i++) {
      const start = process.cpuUsage()
      bytes = (await (await fetch(url)).text()).length
      total += cpuMs(process.cpuUsage(start))
    }
    const registry = (daemon.metrics as unknown as { registry: Registry }).registry
    let collect = 0
    for (let i = 0; i < SCRAPES; i++) {
      const start = process.cpuUsage()
      await registry.metrics()
      collect += cpuMs(process.cpuUsage(start))
    }
    const costs: Array<[string, number]> = []
    for (const metric of registry.getMetricsAsArray()) {
      const start = process.cpuUsage()
      for (let i = 0; i < 10; i++) await (metric as unknown as { get: () => Promise<unknown> }).get()
      costs.push([metric.name, cpuMs(process.cpuUsage(start)) / 10])
    }
    costs.sort((a, b) => b[1] - a[1])
    console.log(`${PEERS} peers with reservations, ${RECORDS} DHT records, ${registry.getMetricsAsArray().length} metrics, ${bytes} bytes per scrape`)
    console.log(`CPU per /metrics scrape: ${(total / SCRAPES).toFixed(1)} ms over HTTP (this process's fetch included), ${(collect / SCRAPES).toFixed(1)} ms to collect and format (mean of ${SCRAPES})`)
    console.log('costliest metrics (CPU ms per collect):')
    for (const [name, ms] of costs.slice(0, 8)) console.log(`  ${ms.toFixed(2).padStart(7)}  ${name}`)
  } finally {
    await Promise.all(clients.map(async c => { await c.stop() }))
    await daemon.shutdown()
    rmSync(home, { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), err => { console.error(err); process.exit(1) })
