// Plain libp2p clients of a circuit relay v2 server, and the raw HOP exchanges the relay tests
// need (test/bootstrap/): TCP, Noise, Yamux, identify and the circuit relay transport, nothing of p2pgo.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport, RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { createLibp2p } from 'libp2p'
import { LOOPBACK_ALLOW } from '../../src/net/constants.js'
import type { PeerId } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

export const ECHO = '/p2pgo-test/echo/1.0.0'

export const common = {
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  // Every node here is 127.0.0.1: libp2p's per-IP inbound rate limit (5/s, INBOUND_CONNECTION_THRESHOLD) would refuse them.
  connectionManager: { allow: [...LOOPBACK_ALLOW] },
  connectionMonitor: { enabled: false }
}

/** A client; with `listen` on `<relay>/p2p-circuit` it reserves a slot on that relay when started. */
export async function createClient (nodes: Libp2p[], listen: string[] = []): Promise<Libp2p> {
  const node = await createLibp2p({
    ...common,
    start: false,
    transports: [tcp(), circuitRelayTransport()],
    addresses: { listen },
    services: { identify: identify() }
  })
  nodes.push(node)
  await node.handle(ECHO, async stream => {
    for await (const chunk of stream) stream.send(chunk)
    await stream.close()
  }, { runOnLimitedConnection: true })
  return node
}

/** Every message in an error and the errors it wraps (libp2p aggregates dial and listen errors). */
export function messages (err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const inner = [(err as { cause?: unknown }).cause, ...((err as { errors?: unknown[] }).errors ?? [])].filter(e => e != null)
  return [err.message, ...inner.map(messages)].join(' | ')
}

export async function failure (p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (err) {
    return messages(err)
  }
  throw new Error('expected a refusal, but it succeeded')
}

/** The `status` (field 5) of a circuit relay v2 HopMessage, decoded by hand (the package does not export its protobuf codecs). */
export function hopStatus (bytes: Uint8Array): number | undefined {
  let i = 0
  const varint = (): number => {
    let value = 0
    let shift = 0
    for (;;) {
      const b = bytes[i++]
      value += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return value
      shift += 7
    }
  }
  let status: number | undefined
  while (i < bytes.length) {
    const tag = varint()
    const wire = tag & 7
    if (wire === 0) {
      const v = varint()
      if (tag >> 3 === 5) status = v
    } else if (wire === 2) {
      const length = varint()
      i += length
    } else if (wire === 1) {
      i += 8
    } else {
      i += 4
    }
  }
  return status
}

export const OK = 100
export const PERMISSION_DENIED = 202
export const MALFORMED_MESSAGE = 400

/** Sends a raw RESERVE over `client`'s connection to the relay (how the protocol renews) and returns the status. */
export async function reserveAgain (client: Libp2p, relay: Libp2p | PeerId): Promise<number | undefined> {
  const stream = await client.dialProtocol('peerId' in relay ? relay.peerId : relay, RELAY_V2_HOP_CODEC, { signal: AbortSignal.timeout(10_000) })
  const lp = lpStream(stream)
  await lp.write(Uint8Array.of(0x08, 0x00), { signal: AbortSignal.timeout(10_000) }) // HopMessage { type: RESERVE }
  const reply = await lp.read({ signal: AbortSignal.timeout(10_000) })
  await stream.close().catch(() => {})
  return hopStatus(reply.subarray())
}

export async function echo (client: Libp2p, connection: Awaited<ReturnType<Libp2p['dial']>>): Promise<string> {
  const stream = await connection.newStream(ECHO, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
  stream.send(new TextEncoder().encode('hello'))
  await stream.close()
  let text = ''
  for await (const chunk of stream) text += new TextDecoder().decode(chunk.subarray())
  return text
}
