// The bootstrap relay's metrics and health endpoint: a few lines of node:http on their own port,
// local by default (Prometheus or a reverse proxy on the same host scrapes it), never the libp2p port.
import { createServer } from 'node:http'
import { register } from 'prom-client'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

/** Where the server listens unless told otherwise: only this host can read it. */
export const METRICS_HOST = '127.0.0.1'

/** What /health reports. */
export interface HealthReport {
  /** 'stopping' once a graceful shutdown began: /health then answers 503 so balancers move on. */
  readonly status: 'ok' | 'stopping'
  readonly peerId: string
  /** Seconds since the daemon started. */
  readonly uptimeS: number
  readonly peers: number
  readonly reservations: number
  readonly circuits: number
}

/** The part of a logger the server uses (bootstrap/log.ts's `Logger` fits). */
export interface MetricsServerLog {
  warn: (msg: string, fields?: Record<string, unknown>) => void
}

export interface MetricsServerInit {
  /** METRICS_HOST when unset; '0.0.0.0' or '::' exposes it to the network. */
  readonly host?: string
  /** 0 picks a free port (tests): `address()` tells which. */
  readonly port: number
  /** The node's state, read on every /health request. */
  readonly health: () => HealthReport | Promise<HealthReport>
  /** Where the metrics are: prom-client's global registry (libp2p's and p2pgo's) when unset. */
  readonly registry?: Registry
  /** Where failed scrapes and health checks are reported. */
  readonly log?: MetricsServerLog
}

/** Serves `GET /metrics` (Prometheus text) and `GET /health` (JSON). */
export class MetricsServer {
  private readonly init: MetricsServerInit
  private readonly registry: Registry
  private server: Server | undefined
  private starting: Promise<void> | undefined
  private stopping: Promise<void> | undefined

  constructor (init: MetricsServerInit) {
    this.init = init
    this.registry = init.registry ?? register
  }

  /** Listens on host:port; resolves once bound, rejects if the port is taken. Idempotent. */
  async start (): Promise<void> {
    // A start during a stop waits for the stop, then binds again.
    if (this.stopping != null) await this.stopping
    if (this.starting != null) return await this.starting
    const server = createServer((req, res) => {
      this.handle(req, res).catch(err => {
        this.init.log?.warn('metrics request failed', { err })
        res.destroy()
      })
    })
    this.server = server
    this.starting = new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        this.server = undefined
        this.starting = undefined
        reject(err)
      }
      server.once('error', onError)
      server.listen(this.init.port, this.init.host ?? METRICS_HOST, () => {
        server.off('error', onError)
        server.on('error', err => { this.init.log?.warn('metrics server error', { err }) })
        resolve()
      })
    })
    await this.starting
  }

  /** Stops listening and closes open connections (Prometheus keeps them alive). Idempotent. */
  async stop (): Promise<void> {
    if (this.stopping != null) return await this.stopping
    const server = this.server
    const starting = this.starting
    if (server == null || starting == null) return
    this.stopping = (async () => {
      await starting.catch(() => {})
      await new Promise<void>(resolve => {
        server.close(() => { resolve() })
        server.closeAllConnections()
      })
      this.server = undefined
      this.starting = undefined
    })()
    try {
      await this.stopping
    } finally {
      this.stopping = undefined
    }
  }

  /** The bound address, or undefined when not listening. */
  address (): { host: string, port: number } | undefined {
    const address = this.server?.address()
    if (address == null || typeof address === 'string') return undefined
    return { host: (address as AddressInfo).address, port: (address as AddressInfo).port }
  }

  private async handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    // HEAD is GET without the body (node:http drops it): curl -I and uptime checkers use it.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' })
      return
    }
    const path = pathOf(req.url)
    if (path === '/metrics') {
      try {
        send(res, 200, this.registry.contentType, await this.registry.metrics())
      } catch (err) {
        this.init.log?.warn('metrics scrape failed', { err })
        send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n')
      }
    } else if (path === '/health') {
      try {
        const report = await this.init.health()
        send(res, report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report) + '\n')
      } catch (err) {
        this.init.log?.warn('health check failed', { err })
        send(res, 503, 'application/json', JSON.stringify({ status: 'error' }) + '\n')
      }
    } else {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n')
    }
  }
}

/** The request's path without its query string ('/metrics?x=1' is '/metrics'). */
function pathOf (url: string | undefined): string {
  const raw = url ?? '/'
  const q = raw.indexOf('?')
  return q === -1 ? raw : raw.slice(0, q)
}

function send (res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers
  })
  res.end(body)
}
