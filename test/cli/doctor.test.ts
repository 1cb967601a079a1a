// `p2pgo doctor` as a user runs it: real processes on 127.0.0.1 (a bootstrap relay with its STUN
// responder, a bot), fresh homes. Outcomes only; waits are bounded safety nets.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin, runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'

const ENGINE = `${process.execPath} ${bin} engine`

describe('p2pgo doctor', () => {
  let dir: string
  const procs: P2pgoProcess[] = []
  let relay = ''
  let relayPeer = ''
  let stun = ''

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2pgo-doctor-'))
    const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    procs.push(boot)
    await waitFor(() => boot.lines.some(l => l.includes('/tcp/')) && boot.stderr().includes('"stunPort"'), 'the bootstrap node to print its address and STUN port')
    relay = boot.lines.find(l => l.includes('/tcp/')) as string
    relayPeer = relay.split('/p2p/')[1]
    stun = `127.0.0.1:${/"stunPort":(\d+)/.exec(boot.stderr())![1]}`
  }, 90_000)

  afterAll(async () => {
    for (const p of procs) {
      if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
      await p.exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('from a fresh home with a bootstrap relay: reached as the status line says, no NAT, DHT peers, the relay with its round trip; exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['doctor', '--json', '--home', join(dir, 'fresh'), '--bootstrap', relay, '--stun', stun, '--local'])
    expect(code, stderr).toBe(0)
    const answer = JSON.parse(stdout)
    // On loopback the relay's reservation is the only reach (its STUN sees this machine's own address).
    if (answer.reach === 'hole-punchable') expect(answer.reachText).toBe(`relayed via …${relayPeer.slice(-6)}`)
    else expect(answer.reach).toBe('local network')
    expect(answer.nat).toMatchObject({ type: 'none' })
    expect(answer.nat.publicAddresses[0]).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(answer.upnp).toEqual({ ok: null, mapped: null })
    expect(answer.dht.lan + answer.dht.wan).toBeGreaterThanOrEqual(1)
    expect(answer.relays).toEqual([expect.objectContaining({ peer: relayPeer, rttMs: expect.any(Number), reservations: null, circuits: null })])
    expect(answer).toMatchObject({ rendezvous: null, peerCache: expect.any(Number), canPlay: true })
    expect(answer.advice).toEqual([])
  }, 90_000)

  it('from a fresh home with no bootstrap and no mDNS: exit 1, and advice saying how to find players', async () => {
    const { code, stdout } = await runCli(['doctor', '--json', '--home', join(dir, 'alone'), '--local'])
    expect(code).toBe(1)
    const answer = JSON.parse(stdout)
    expect(answer).toMatchObject({ peers: 0, relays: [], dht: { lan: 0, wan: 0 }, canPlay: false })
    expect(answer.advice[0]).toMatch(/no way to find other players: give a bootstrap relay with --bootstrap/)
    // The human form: aligned lines, the same advice.
    const text = await runCli(['doctor', '--home', join(dir, 'alone'), '--local'])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/^reach {8}local network/m)
    expect(text.stdout).toContain('can play: no')
    expect(text.stdout).toContain(`- ${answer.advice[0] as string}`)
  }, 90_000)

  it('asks the node already running in the home over its control socket', async () => {
    const home = join(dir, 'bot')
    const bot = startP2pgo(['bot', '--home', home, '--bootstrap', relay, '--stun', stun, '--local', '--seek', '--engine', ENGINE, '--name', 'patient'])
    procs.push(bot)
    // First the bot's control socket must answer (`peers` never starts a node of its own), else the doctor would open the home first.
    while ((await runCli(['peers', '--home', home])).code !== 0 && bot.child.exitCode == null) await new Promise(resolve => setTimeout(resolve, 200))
    let answer: any
    let code: number | null = null
    const deadline = Date.now() + 60_000
    // Until it holds its relay reservation and has settled how it is reached (under load it said
    // 'local network' for a moment once, after the reservation).
    while (Date.now() < deadline && (answer?.relays?.some((r: { chosen: boolean }) => r.chosen) !== true || answer?.reach !== 'hole-punchable')) {
      const run = await runCli(['doctor', '--json', '--home', home])
      code = run.code
      if (run.stdout.startsWith('{')) answer = JSON.parse(run.stdout)
      if (bot.child.exitCode != null) break
    }
    expect(code, bot.stderr()).toBe(0)
    expect(answer).toMatchObject({ reach: 'hole-punchable', nat: { type: 'none' }, peers: expect.any(Number), canPlay: true })
    expect(answer.relays).toEqual([expect.objectContaining({ peer: relayPeer, rttMs: expect.any(Number), chosen: true })])
  }, 120_000)
})
