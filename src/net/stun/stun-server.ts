import { createSocket, type Socket } from 'node:dgram'
import { bindingResponse, parseBindingRequest } from '../../wire/stun.js'
import type { Logger } from '@libp2p/interface'

/** The STUN port clients expect (RFC 8489). */
export const STUN_PORT = 3478
/** Answers per source address per second: enough for ICE, too few to make the relay a useful reflector. */
export const STUN_RATE_PER_SECOND = 20

export interface StunServerInit {
  readonly port?: number
  /** Addresses to bind; default both families on every interface. */
  readonly hosts?: readonly string[]
  readonly log?: Logger
  /** The clock the per-second rate limit reads (ms since the epoch); Date.now unless a test injects one. */
  readonly now?: () => number
}

/**
 * A STUN Binding responder on UDP: tells each peer the address and port its packets arrive from,
 * which is what WebRTC hole punching needs. Never answers anything but well-formed Binding
 * requests, and rate-limits each source.
 */
export class StunServer {
  private readonly sockets: Socket[] = []
  private readonly init: StunServerInit
  private readonly budget = new Map<string, { window: number, used: number }>()
  /** Requests answered, refused and dropped, for metrics. */
  readonly counts = { answered: 0, dropped: 0, limited: 0 }

  constructor (init: StunServerInit = {}) {
    this.init = init
  }

  /** The port actually bound (useful with port 0). */
  get port (): number {
    return this.sockets[0]?.address().port ?? this.init.port ?? STUN_PORT
  }

  async start (): Promise<void> {
    const hosts = this.init.hosts ?? ['0.0.0.0', '::']
    let port = this.init.port ?? STUN_PORT
    for (const host of hosts) {
      const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', ipv6Only: host.includes(':') })
      socket.on('message', (msg, rinfo) => { this.answer(socket, msg, rinfo.address, rinfo.port) })
      socket.on('error', err => { this.init.log?.error('STUN socket error - %e', err) })
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject)
          socket.bind(port, host, () => { socket.off('error', reject); resolve() })
        })
      } catch (err) {
        socket.close()
        // A host without IPv6 still serves IPv4; a port in use on the first family is a real error.
        if (this.sockets.length === 0 && !host.includes(':')) throw err
        this.init.log?.('STUN not listening on %s - %e', host, err)
        continue
      }
      port = socket.address().port
      this.sockets.push(socket)
    }
  }

  async stop (): Promise<void> {
    await Promise.all(this.sockets.splice(0).map(async s => new Promise<void>(resolve => { s.close(() => { resolve() }) })))
  }

  private answer (socket: Socket, msg: Uint8Array, address: string, port: number): void {
    const request = parseBindingRequest(msg)
    if (request == null) {
      this.counts.dropped++
      return
    }
    const window = Math.floor((this.init.now ?? Date.now)() / 1000)
    const b = this.budget.get(address)
    if (b == null || b.window !== window) {
      if (this.budget.size > 10_000) this.budget.clear()
      this.budget.set(address, { window, used: 1 })
    } else if (++b.used > STUN_RATE_PER_SECOND) {
      this.counts.limited++
      return
    }
    // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d; answer with the plain IPv4 address.
    const plain = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
    socket.send(bindingResponse(request, plain, port), port, address)
    this.counts.answered++
  }
}
