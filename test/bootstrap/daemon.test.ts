// `p2pgo bootstrap` as an operator runs it (bootstrap/README.md): a real process with a bootstrap.json, its
// /health and /metrics endpoints, the limits of the file enforced on real clients, malformed and
// oversized relay messages refused, a graceful SIGTERM that lets an open circuit finish, and bad
// configuration refused at load. Outcomes only; waits are bounded safety nets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { createClient, echo, failure, hopStatus, MALFORMED_MESSAGE, OK, reserveAgain } from '../helpers/relay-clients.js'
import type { Libp2p } from 'libp2p'
import { sample } from '../helpers/prometheus.js'

let dir: string
const procs: P2pgoProcess[] = []
const nodes: Libp2p[] = []

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'p2pgo-daemon-')) })
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  rmSync(dir, { recursive: true, force: true })
})

/** The daemon's JSON log lines so far. */
function logLines (p: P2pgoProcess): Array<Record<string, any>> {
  return p.stderr().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as Record<string, any>)
}

async function startDaemon (home: string, settings: object): Promise<{ proc: P2pgoProcess, address: string, url: (path: string) => string }> {
  await mkdir(home, { recursive: true })
  writeFileSync(join(home, 'bootstrap.json'), JSON.stringify(settings))
  const proc = startP2pgo(['bootstrap', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local', '--metrics', '127.0.0.1:0'])
  procs.push(proc)
  await waitFor(() => proc.lines.some(l => l.includes('/tcp/')) && logLines(proc).some(l => l.msg === 'started'), 'the daemon to start')
  const started = logLines(proc).find(l => l.msg === 'started')!
  const address = proc.lines.find(l => l.includes('/tcp/'))!
  return { proc, address, url: path => `http://127.0.0.1:${started.metrics.port as number}${path}` }
}

describe('p2pgo bootstrap, the daemon', () => {
  it('serves /health and /metrics, enforces its bootstrap.json limits, refuses malformed relay messages, and drains on SIGTERM', async () => {
    const { proc, address, url } = await startDaemon(join(dir, 'relay'), {
      shutdownGraceMs: 60_000,
      relay: { maxReservationsPerIp: 3, maxCircuitsPerPeer: 1, hopTimeoutMs: 5000 }
    })
    const peerId = address.split('/p2p/')[1]
    const circuit = `${address}/p2p-circuit`
    const relayPeer = peerIdFromString(peerId)

    const health = await fetch(url('/health'))
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', peerId, reservations: 0, circuits: 0 })
    const idle = await (await fetch(url('/metrics'))).text()
    expect(sample(idle, 'p2pgo_relay_reservations')).toBe(0)
    expect(sample(idle, 'p2pgo_relay_refusals_total', 'reason="ip-reservations"')).toBe(0)
    expect(idle).toContain('libp2p_connection_manager_connections')
    expect(idle).toContain('process_resident_memory_bytes')

    // bootstrap.json says 3 reservations per IP: three clients on 127.0.0.1 get one, the fourth is refused.
    const holders: Libp2p[] = []
    for (let i = 0; i < 3; i++) {
      const c = await createClient(nodes, [circuit])
      await c.start()
      holders.push(c)
    }
    const fourth = await createClient(nodes, [circuit])
    expect(await failure(Promise.resolve(fourth.start()))).toContain('reservation failed with status PERMISSION_DENIED')
    // A holder renews at the cap.
    expect(await reserveAgain(holders[0], relayPeer)).toBe(OK)

    const loaded = await (await fetch(url('/metrics'))).text()
    expect(sample(loaded, 'p2pgo_relay_reservations')).toBe(3)
    expect(sample(loaded, 'p2pgo_relay_refusals_total', 'reason="ip-reservations"')).toBe(1)
    expect(sample(loaded, 'p2pgo_peers')).toBeGreaterThanOrEqual(3)
    expect(logLines(proc)).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'relay refused', kind: 'reservation', reason: 'ip-reservations', ip: '127.0.0.1' }))

    // A malformed HOP message gets MALFORMED_MESSAGE; an oversized one is cut off unread. Neither creates anything.
    const garbled = lpStream(await holders[0].dialProtocol(relayPeer, RELAY_V2_HOP_CODEC, { signal: AbortSignal.timeout(10_000) }))
    await garbled.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff), { signal: AbortSignal.timeout(10_000) })
    expect(hopStatus((await garbled.read({ signal: AbortSignal.timeout(10_000) })).subarray())).toBe(MALFORMED_MESSAGE)
    const huge = await holders[1].dialProtocol(relayPeer, RELAY_V2_HOP_CODEC, { signal: AbortSignal.timeout(10_000) })
    const ended = new Promise<void>(resolve => { huge.addEventListener('close', () => { resolve() }, { once: true }) })
    // A length prefix announcing 100 MiB, then 5 MiB of it: the relay buffers at most 4 MiB of a HOP message.
    huge.send(Uint8Array.of(0x80, 0x80, 0x80, 0x32))
    for (let i = 0; i < 80 && huge.status === 'open' && huge.writeStatus === 'writable'; i++) {
      if (!huge.send(new Uint8Array(64 * 1024))) await huge.onDrain({ signal: AbortSignal.timeout(10_000) }).catch(() => {})
    }
    await ended
    expect(huge.status).not.toBe('open')

    // Circuits: one per source, as configured; the first carries data.
    const [d1, d2] = holders
    const source = holders[2]
    const first = await source.dial(multiaddr(`${circuit}/p2p/${d1.peerId}`), { signal: AbortSignal.timeout(10_000) })
    expect(await echo(source, first)).toBe('hello')
    expect(await failure(source.dial(multiaddr(`${circuit}/p2p/${d2.peerId}`), { signal: AbortSignal.timeout(10_000) }))).toContain('PERMISSION_DENIED')
    const busy = await (await fetch(url('/metrics'))).text()
    expect(sample(busy, 'p2pgo_relay_circuits')).toBe(1)
    expect(sample(busy, 'p2pgo_relay_refusals_total', 'reason="peer-circuits"')).toBe(1)
    const relayed = (text: string): number => sample(text, 'libp2p_data_transfer_bytes_total', `protocol="${RELAY_V2_HOP_CODEC} received"`) ?? 0
    expect(relayed(busy)).toBeGreaterThan(relayed(loaded))
    expect((await (await fetch(url('/health'))).json())).toMatchObject({ status: 'ok', reservations: 3, circuits: 1 })

    // SIGTERM with a circuit open: health turns 503, the relay takes no new reservation, the circuit goes on.
    proc.child.kill('SIGTERM')
    await waitFor(() => logLines(proc).some(l => l.msg === 'stopping'), 'the daemon to begin stopping')
    const draining = await fetch(url('/health'))
    expect(draining.status).toBe(503)
    expect(await draining.json()).toMatchObject({ status: 'stopping', circuits: 1 })
    const late = await createClient(nodes)
    await late.start()
    await late.dial(multiaddr(address), { signal: AbortSignal.timeout(10_000) })
    expect(await failure(reserveAgain(late, relayPeer))).toMatch(/protocol|negotiat/i)
    expect(await echo(source, first)).toBe('hello')
    // The circuit ends: the daemon stops at once, well inside its grace, and exits 0.
    await first.close()
    expect(await proc.exited).toBe(0)
    expect(logLines(proc)).toContainEqual(expect.objectContaining({ msg: 'stopped', circuitsCut: 0 }))
    expect(logLines(proc).find(l => l.msg === 'stopped')!.waitedMs).toBeLessThan(60_000)
  }, 90_000)

  it('keeps its identity across restarts', async () => {
    const home = join(dir, 'relay')
    const first = await startDaemon(home, {})
    // A supervisor that repeats its SIGTERM hurries the stop; it never kills the daemon half way.
    first.proc.child.kill('SIGTERM')
    first.proc.child.kill('SIGTERM')
    expect(await first.proc.exited).toBe(0)
    const second = await startDaemon(home, {})
    expect(second.address.split('/p2p/')[1]).toBe(first.address.split('/p2p/')[1])
  }, 60_000)

  it('publishes itself through the rendezvous its bootstrap.json names (on --local, only one named)', async () => {
    // A peer that is not there: the rendezvous runs (and is not reached), which doctor reports.
    const unreachable = '/ip4/127.0.0.1/tcp/9/p2p/12D3KooWLeDRt4jUpoEW4RHq68DFT2QNp5ooksmC5s1MMvqRhKK4'
    const named = join(dir, 'named')
    await startDaemon(named, { rendezvous: [unreachable] })
    const plain = join(dir, 'plain')
    await startDaemon(plain, {})
    const rendezvousOf = async (home: string): Promise<unknown> => {
      const { stdout } = await runCli(['doctor', '--json', '--home', home])
      return (JSON.parse(stdout) as { rendezvous: unknown }).rendezvous
    }
    expect(await rendezvousOf(named)).toMatchObject({ ok: false })
    expect(await rendezvousOf(plain)).toBeNull()
   }, 120_000)

  it('refuses a bad bootstrap.json at load with the file, the setting and the reason, and exits 1', async () => {
    const home = join(dir, 'bad')
    await mkdir(home, { recursive: true })
    const file = join(home, 'bootstrap.json')
    writeFileSync(file, JSON.stringify({ relay: { maxReservationsPerIP: 4, circuitDurationMs: 10 }, metrics: 'everywhere' }))
    const { code, stderr } = await runCli(['bootstrap', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    expect(code).toBe(1)
    expect(stderr).toContain(`${file}: relay.maxReservationsPerIP: unknown setting (did you mean "maxReservationsPerIp"?)`)
    expect(stderr).toContain(`${file}: relay.circuitDurationMs: must be a whole number from 1000 to`)
    expect(stderr).toContain(`${file}: metrics: "everywhere" is not "HOST:PORT"`)

    writeFileSync(file, '{ "stunPort": 3478, }')
    const syntax = await runCli(['bootstrap', '--home', home])
    expect(syntax.code).toBe(1)
    expect(syntax.stderr).toContain(`${file}: line 1, column`)

    const missing = await runCli(['bootstrap', '--home', home, '--config', join(dir, 'nowhere.json')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`${join(dir, 'nowhere.json')}: does not exist`)
  }, 60_000)

  it('refuses bad flags with the usage and exit 2', async () => {
    for (const args of [['--metrics', 'nowhere'], ['--stun-port', '70000'], ['--listen', 'not-a-multiaddr'], ['--bogus']]) {
      const { code, stderr } = await runCli(['bootstrap', '--home', join(dir, 'flags'), ...args])
      expect(code, args.join(' ')).toBe(2)
      expect(stderr).toContain('Usage: p2pgo bootstrap')
    }
  }, 60_000)
})
