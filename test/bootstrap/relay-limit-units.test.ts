// The circuit limit a client of `p2pgo bootstrap` receives, in the units of circuit relay v2
// (libp2p/specs relay/circuit-v2.md, protocols/bootstrap-relay.md): `Limit.duration` in seconds,
// `Limit.data` in bytes. Read two ways: the raw reservation answer (a HopMessage STATUS decoded
// field by field here), and what the library's clients make of the CONNECT and STOP messages
// (`connection.limits.seconds` on both ends of a circuit). The relay's default circuit lasts 6 h.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultRelayLimits } from '../../bootstrap/relay-limits.js'
import { waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { createClient, echo } from '../helpers/relay-clients.js'
import { startRelayDaemon } from '../hostile/relay-daemon.js'
import type { Connection } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

let dir: string
const procs: P2pgoProcess[] = []
const nodes: Libp2p[] = []

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'p2pgo-limit-units-')) })
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  rmSync(dir, { recursive: true, force: true })
})

type Field = bigint | Uint8Array

/** A protobuf message's fields by number (varints as bigint, length-delimited as bytes). */
function fields (bytes: Uint8Array): Map<number, Field[]> {
  const out = new Map<number, Field[]>()
  let i = 0
  const varint = (): bigint => {
    let value = 0n
    let shift = 0n
    for (;;) {
      const b = bytes[i++]
      value |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return value
      shift += 7n
    }
  }
  while (i < bytes.length) {
    const tag = Number(varint())
    const wire = tag & 7
    let value: Field
    if (wire === 0) value = varint()
    else if (wire === 2) {
      const length = Number(varint())
      value = bytes.subarray(i, i + length)
      i += length
    } else throw new Error(`unexpected wire type ${wire}`)
    out.set(tag >> 3, [...(out.get(tag >> 3) ?? []), value])
  }
  return out
}

const one = (m: Map<number, Field[]>, n: number): Field | undefined => m.get(n)?.[0]

const SIX_HOURS_S = defaultRelayLimits.circuitDurationMs / 1000

describe('the circuit limit a bootstrap relay sends', () => {
  it('gives the duration in seconds, in the reservation and to both ends of a circuit', async () => {
    const daemon = await startRelayDaemon(join(dir, 'relay'), {}, procs)
    const relay = multiaddr(daemon.address)

    // The reservation answer: HopMessage { type: STATUS, status: OK, reservation, limit { duration, data } }.
    const raw = await createClient(nodes)
    await raw.start()
    const stream = await raw.dialProtocol(relay, RELAY_V2_HOP_CODEC, { signal: AbortSignal.timeout(10_000) })
    const lp = lpStream(stream)
    await lp.write(Uint8Array.of(0x08, 0x00), { signal: AbortSignal.timeout(10_000) }) // HopMessage { type: RESERVE }
    const replyBytes = (await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray()
    const reply = fields(replyBytes)
    expect(one(reply, 5)).toBe(100n) // status OK
    const limit = fields(one(reply, 4) as Uint8Array)
    expect(one(limit, 1)).toBe(BigInt(SIX_HOURS_S)) // duration: 21600 s, not 21600000
    expect(one(limit, 2)).toBe(BigInt(defaultRelayLimits.circuitDataBytes))
    const reservation = fields(one(reply, 3) as Uint8Array)
    const expire = Number(one(reservation, 1))
    expect(expire - Date.now() / 1000).toBeGreaterThan(0)
    expect(expire - Date.now() / 1000).toBeLessThanOrEqual(defaultRelayLimits.reservationTtlMs / 1000 + 1) // the library rounds to the second
    console.info(`the reservation answer (signed voucher, ${reservation.get(2)?.length ?? 0} relay addresses, limit) is ${replyBytes.length} bytes`)

    // A circuit: what each end's libp2p makes of the limit (seconds left on the circuit).
    const bob = await createClient(nodes, [`${daemon.address}/p2p-circuit`])
    await bob.start()
    await waitFor(() => bob.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit')), 'bob\'s reservation')
    const ann = await createClient(nodes)
    await ann.start()
    const toBob = await ann.dial(multiaddr(`${daemon.address}/p2p-circuit/p2p/${bob.peerId.toString()}`), { signal: AbortSignal.timeout(10_000) })
    expect(await echo(ann, toBob)).toBe('hello')
    const fromAnn = bob.getConnections(ann.peerId).find(c => c.limits != null)
    expect(fromAnn).toBeDefined()
    for (const connection of [toBob, fromAnn] as Connection[]) {
      const seconds = connection.limits?.seconds ?? 0
      expect(seconds).toBeGreaterThan(SIX_HOURS_S - 60)
      expect(seconds).toBeLessThanOrEqual(SIX_HOURS_S)
      expect(connection.limits?.bytes).toBeGreaterThan(0n)
    }
  })
})
