// Asks STUN servers, from one local UDP socket, which public address and port they see; then the
// pure rule in classify.ts says what kind of NAT that means.
import { createSocket } from 'node:dgram'
import { lookup } from 'node:dns/promises'
import { networkInterfaces } from 'node:os'
import { bindingRequest, parseBindingResponse, STUN_MAX_BYTES } from '../../wire/stun.js'
import { classifyNat, type NatClassification, type StunAnswer } from './classify.js'
import { STUN_PROBE_MAX_SERVERS, STUN_PROBE_TIMEOUT_MS, STUN_RETRY_AT_MS } from './constants.js'

export interface StunProbeOptions {
  readonly signal?: AbortSignal
  /** How long to wait for all answers (default STUN_PROBE_TIMEOUT_MS). */
  readonly timeoutMs?: number
  /** The local address to bind (default every IPv4 interface). */
  readonly bindAddress?: string
}

/** `stun:host:port` (or `stun:host`, port 3478) as host and port; undefined for anything else or an IPv6 host (the probe speaks IPv4). */
export function stunServerOf (url: string): { host: string, port: number } | undefined {
  const m = /^stun:([^:[\]]+)(?::(\d{1,5}))?$/i.exec(url)
  if (m == null) return undefined
  const port = m[2] != null ? Number(m[2]) : 3478
  return port >= 1 && port <= 65535 ? { host: m[1], port } : undefined
}

/** This machine's own IP addresses (every interface, both families). */
export function localAddresses (): string[] {
  return Object.values(networkInterfaces()).flatMap(list => (list ?? []).map(i => i.address))
}

/**
 * Sends a Binding request to each STUN server (`stun:host:port` URLs, IPv4) from one UDP socket,
 * resends on RFC 8489's schedule, and classifies what came back once every server answered or
 * the time is up. Never throws for a silent or unresolvable server: that is an answer too.
 */
export async function probeNatType (servers: readonly string[], options: StunProbeOptions = {}): Promise<NatClassification & { answers: StunAnswer[] }> {
  const wanted = servers.map(stunServerOf).filter(s => s != null).slice(0, STUN_PROBE_MAX_SERVERS)
  const resolved: Array<{ host: string, port: number }> = []
  for (const s of wanted) {
    const host = await lookup(s.host, { family: 4 }).then(r => r.address, () => undefined)
    if (host != null && !resolved.some(r => r.host === host && r.port === s.port)) resolved.push({ host, port: s.port })
  }
  if (resolved.length === 0) return { ...classifyNat([], [], 0), answers: [] }
  const socket = createSocket('udp4')
  const timers: Array<ReturnType<typeof setTimeout>> = []
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, options.bindAddress, () => { socket.off('error', reject); resolve() })
    })
    socket.on('error', () => {})
    const asks = resolved.map(s => ({ ...s, tid: crypto.getRandomValues(new Uint8Array(12)), mapped: undefined as StunAnswer['mapped'] }))
    const done = Promise.withResolvers<void>()
    socket.on('message', (msg, rinfo) => {
      if (msg.length > STUN_MAX_BYTES) return
      const ask = asks.find(a => a.host === rinfo.address && a.port === rinfo.port && a.mapped == null)
      const mapped = ask != null ? parseBindingResponse(msg, ask.tid) : undefined
      if (ask == null || mapped == null) return
      ask.mapped = mapped
      if (asks.every(a => a.mapped != null)) done.resolve()
    })
    for (const at of STUN_RETRY_AT_MS) {
      timers.push(setTimeout(() => {
        for (const a of asks) if (a.mapped == null) socket.send(bindingRequest(a.tid), a.port, a.host)
      }, at))
    }
    const limit = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? STUN_PROBE_TIMEOUT_MS), ...(options.signal != null ? [options.signal] : [])])
    if (!limit.aborted) limit.addEventListener('abort', () => { done.resolve() }, { once: true })
    else done.resolve()
    await done.promise
    const answers: StunAnswer[] = asks.map(a => ({ host: a.host, port: a.port, ...(a.mapped != null ? { mapped: a.mapped } : {}) }))
    return { ...classifyNat(answers, localAddresses(), socket.address().port), answers }
  } finally {
    for (const t of timers) clearTimeout(t)
    socket.close()
  }
}
