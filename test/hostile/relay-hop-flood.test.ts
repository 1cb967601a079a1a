// A hostile peer against the bootstrap relay's HOP protocol: many identities, each opening as
// many HOP streams as the relay lets one connection have, each declaring a 4 MiB message (the
// library's own read limit) and sending all of it but the last byte. A HOP message is a few
// hundred bytes: the relay must reset such a stream as soon as it has read past its bound,
// without waiting for the hop timeout (set to its maximum here, 5 minutes, so only the bound can
// end the streams), and keep serving a legitimate reservation. The daemon's resident memory
// before, during and after is printed for the record (not asserted: it depends on the machine).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { createClient, ECHO } from '../helpers/relay-clients.js'
import { rssMb, startRelayDaemon } from './relay-daemon.js'
import type { Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

let dir: string
const procs: P2pgoProcess[] = []
const nodes: Libp2p[] = []

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'p2pgo-hostile-relay-')) })
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  rmSync(dir, { recursive: true, force: true })
})

const MiB = 1024 * 1024
const IDENTITIES = 10
/** maxCircuitsPerPeer (4, the default) + 2: every HOP stream the relay lets one connection open. */
const STREAMS_PER_IDENTITY = 6
const DECLARED = 4 * MiB
const CHUNK = new Uint8Array(64 * 1024)

/** An unsigned varint, as HOP's length prefix. */
function lengthPrefix (n: number): Uint8Array {
  const out: number[] = []
  for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n & 0x7f) | 0x80)
  out.push(n)
  return Uint8Array.from(out)
}

/** Sends a length prefix of `DECLARED` and then `DECLARED - 1` bytes, stopping when the relay ends the stream. */
async function unfinishedFrame (stream: Stream): Promise<number> {
  let sent = 0
  const total = DECLARED - 1
  try {
    stream.send(lengthPrefix(DECLARED))
    while (sent < total && stream.status === 'open') {
      const n = Math.min(CHUNK.length, total - sent)
      sent += n
      if (!stream.send(CHUNK.subarray(0, n))) await stream.onDrain({ signal: AbortSignal.timeout(60_000) })
    }
  } catch {
    // The relay reset the stream under us: what a bound does.
  }
  return sent
}

/** Resolves with the stream's status once it is no longer open. */
async function ended (stream: Stream): Promise<string> {
  if (stream.status !== 'open') return stream.status
  return await new Promise(resolve => { stream.addEventListener('close', () => { resolve(stream.status) }, { once: true }) })
}

describe('a HOP flood of unfinished large frames', () => {
  it('resets every stream once it reads past the bound, long before the hop timeout, and still grants a reservation', async () => {
    const daemon = await startRelayDaemon(join(dir, 'relay'), { relay: { hopTimeoutMs: 300_000 } }, procs)
    const pid = daemon.proc.child.pid!
    const relay = multiaddr(daemon.address)
    const before = rssMb(pid)

    const streams: Stream[] = []
    const sending: Array<Promise<number>> = []
    for (let i = 0; i < IDENTITIES; i++) {
      const attacker = await createClient(nodes)
      await attacker.start()
      const connection = await attacker.dial(relay, { signal: AbortSignal.timeout(10_000) })
      for (let s = 0; s < STREAMS_PER_IDENTITY; s++) {
        const stream = await connection.newStream(RELAY_V2_HOP_CODEC, { signal: AbortSignal.timeout(10_000) })
        streams.push(stream)
        sending.push(unfinishedFrame(stream))
      }
    }
    const sent = await Promise.all(sending)
    const during = rssMb(pid)
    console.info(`relay RSS: ${before} MB before, ${during} MB with ${IDENTITIES}x${STREAMS_PER_IDENTITY} unfinished 4 MiB HOP frames sent (bytes accepted per stream: max ${Math.max(...sent)}); ${streams.filter(s => s.status === 'open').length} streams still open`)

    // Every stream ends by the relay's doing; the hop timeout is 5 minutes away.
    const outcomes = await Promise.race([
      Promise.all(streams.map(ended)),
      new Promise<never>((_resolve, reject) => setTimeout(() => { reject(new Error(`after 90 s, ${streams.filter(s => s.status === 'open').length} of ${streams.length} HOP streams were still open: the relay is waiting for the rest of each 4 MiB frame`)) }, 90_000))
    ])
    expect(new Set(outcomes)).toEqual(new Set(['reset']))

    await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
    await new Promise(resolve => setTimeout(resolve, 2000))
    const after = rssMb(pid)
    console.info(`relay RSS: ${after} MB after the attackers left`)

    // A legitimate player still gets a reservation.
    const player = await createClient(nodes, [`${daemon.address}/p2p-circuit`])
    await player.start() // resolves once the reservation is made
    await waitFor(() => player.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit')), 'the player to advertise its circuit address')
  }, 180_000)

  it('leaves a granted circuit unbounded by it: a MiB each way goes through', async () => {
    const daemon = await startRelayDaemon(join(dir, 'relay'), {}, procs)
    const bob = await createClient(nodes, [`${daemon.address}/p2p-circuit`])
    await bob.start()
    await waitFor(() => bob.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit')), 'bob\'s reservation')
    const ann = await createClient(nodes)
    await ann.start()
    const connection = await ann.dial(multiaddr(`${daemon.address}/p2p-circuit/p2p/${bob.peerId.toString()}`), { signal: AbortSignal.timeout(10_000) })
    const stream = await connection.newStream(ECHO, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    const size = MiB
    let back = 0
    const reading = (async () => { for await (const chunk of stream) back += chunk.byteLength })()
    for (let sent = 0; sent < size; sent += CHUNK.length) {
      if (!stream.send(CHUNK)) await stream.onDrain({ signal: AbortSignal.timeout(60_000) })
    }
    await stream.close()
    await reading
    expect(back).toBe(size)
  })
})
