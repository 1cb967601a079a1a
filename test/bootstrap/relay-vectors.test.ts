// protocols/bootstrap-relay.md's vectors: the HOP frames are exchanged with a real circuit relay
// v2 server behind the daemon's gate (the answers compared byte for byte), the STUN ones are
// encoded and decoded by src/wire/stun.ts.
import { readFile } from 'node:fs/promises'
import { circuitRelayServer, RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterAll, describe, expect, it } from 'vitest'
import { RelayQuota } from '../../bootstrap/relay-quota.js'
import { createRelayLimits } from '../../bootstrap/relay-limits.js'
import { bindingRequest, bindingResponse, parseBindingRequest, parseBindingResponse } from '../../src/wire/stun.js'
import { common, createClient, hopStatus, MALFORMED_MESSAGE, OK, PERMISSION_DENIED } from '../helpers/relay-clients.js'
import { hex, readVectors, toHex } from '../wire/helpers.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Libp2p } from 'libp2p'

const vectors = readVectors(await readFile(new URL('../../protocols/bootstrap-relay.md', import.meta.url), 'utf8'))
const vector = (name: string): Uint8Array => {
  const v = vectors.get(name)
  if (v == null) throw new Error(`no vector ${name} in protocols/bootstrap-relay.md`)
  return hex(v.value)
}

const nodes: Libp2p[] = []
afterAll(async () => { await Promise.all(nodes.map(async n => { await Promise.resolve(n.stop()).catch(() => {}) })) })

/** Sends one raw frame on a fresh HOP stream and returns the relay's answer frame. */
async function exchange (client: Libp2p, relay: Libp2p, frame: Uint8Array): Promise<Uint8Array> {
  const stream = await client.dialProtocol(relay.peerId, RELAY_V2_HOP_CODEC, { signal: AbortSignal.timeout(10_000) })
  const lp = lpStream(stream)
  await lp.write(frame, { signal: AbortSignal.timeout(10_000) })
  const answer = (await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray()
  await stream.close().catch(() => {})
  return answer
}

describe('protocols/bootstrap-relay.md', () => {
  it('HOP frames: a reservation is granted, a second address-mate refused, garbage answered as malformed', async () => {
    expect(hopStatus(vector('hop-permission-denied'))).toBe(PERMISSION_DENIED)
    expect(hopStatus(vector('hop-malformed'))).toBe(MALFORMED_MESSAGE)
    let relay: Libp2p<{ relay: CircuitRelayService }> | undefined
    const gate = new RelayQuota({
      reservations: () => relay?.services.relay.reservations ?? [],
      getConnections: peer => relay?.getConnections(peer) ?? []
    }, { limits: createRelayLimits({ maxReservationsPerIp: 1 }) })
    relay = await createLibp2p({
      ...common,
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      connectionGater: gate.connectionGater(),
      services: { identify: identify(), relay: circuitRelayServer() }
    })
    nodes.push(relay)
    const [first, second] = [await createClient(nodes), await createClient(nodes)]
    for (const c of [first, second]) {
      await c.start()
      await c.dial(multiaddr(relay.getMultiaddrs()[0]), { signal: AbortSignal.timeout(10_000) })
    }
    const granted = await exchange(first, relay, vector('hop-reserve'))
    expect(granted[0]).toBe(0x08) // field 1, type
    expect(hopStatus(granted)).toBe(OK)
    expect(toHex(await exchange(second, relay, vector('hop-reserve')))).toBe(toHex(vector('hop-permission-denied')))
    expect(toHex(await exchange(second, relay, Uint8Array.of(0xff, 0xff, 0xff, 0xff)))).toBe(toHex(vector('hop-malformed')))
  })

  it('STUN: the request and the answer for 203.0.113.7:40000', () => {
    const tid = hex('b7e7a701bc34d686fa87dfae')
    expect(toHex(bindingRequest(tid))).toBe(toHex(vector('stun-request')))
    const request = parseBindingRequest(vector('stun-request'))
    expect(request).toBeDefined()
    expect(toHex(bindingResponse(request!, '203.0.113.7', 40000))).toBe(toHex(vector('stun-response')))
    expect(parseBindingResponse(vector('stun-response'), tid)).toEqual({ address: '203.0.113.7', port: 40000 })
  })
})
