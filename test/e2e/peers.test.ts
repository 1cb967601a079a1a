import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'

const GNUGO = '/usr/games/gnugo'
const ENGINE = `${GNUGO} --mode gtp --level 1`

// `p2pgo peers` asks a running node (here a bot in the middle of a game) over its control socket.
describe.skipIf(!existsSync(GNUGO))('p2pgo peers against running nodes', () => {
  let dir: string
  const procs: P2pgoProcess[] = []
  let bootPeer: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2pgo-peers-'))
    const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    procs.push(boot)
    await waitFor(() => boot.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to print its address')
    const address = boot.lines.find(l => l.includes('/tcp/')) as string
    bootPeer = address.split('/p2p/')[1]
    // A slow game, so the bots are still playing while they are asked.
    for (const [name, mode] of [['alice', '--seek'], ['bob', '--accept']]) {
      procs.push(startP2pgo(['bot', '--home', join(dir, name), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', address, '--local', mode, '--engine', ENGINE, '--name', name, '--move-delay', '400', '--json-events']))
    }
    // Each bot has sent a game message and had it acknowledged: until then it has no delivery to
    // list ("no game messages sent yet"), and a bot whose opponent moved first has only received.
    const delivered = (p: P2pgoProcess): boolean => p.lines.some(l => l.includes('"type":"delivery"') && l.includes('"ok":true'))
    await waitFor(() => delivered(procs[1]) && delivered(procs[2]), 'a game message of each bot to be delivered')
  }, 120_000)

  afterAll(async () => {
    for (const p of procs) {
      if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
      await p.exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('--json lists the bootstrap node and the opponent with their rungs, this node, and delivery per rung', async () => {
    const { code, stdout, stderr } = await runCli(['peers', '--home', join(dir, 'alice'), '--json'])
    expect(code, stderr).toBe(0)
    const answer = JSON.parse(stdout)
    const bobId = procs[2].lines.map(l => l.startsWith('{') ? JSON.parse(l) : {}).find(e => e.type === 'listening')?.addresses[0].split('/p2p/')[1]
    expect(answer.self).toMatchObject({ name: 'alice' })
    expect(answer.self.addresses.length).toBeGreaterThan(0)
    const ids = answer.peers.map((p: any) => p.peer)
    expect(ids).toContain(bootPeer)
    expect(ids).toContain(bobId)
    const bob = answer.peers.find((p: any) => p.peer === bobId)
    // On loopback every connection is direct; bob is in the lobby under his name.
    expect(bob).toMatchObject({ name: 'bob', rung: 'direct' })
    expect(bob.connections[0]).toMatchObject({ rung: 'direct', limited: false })
    expect(['inbound', 'outbound']).toContain(bob.connections[0].direction)
    expect(Date.parse(bob.connections[0].since)).toBeLessThanOrEqual(Date.now())
    expect(answer.delivery.direct.delivered).toBeGreaterThan(0)
    expect(answer.delivery.direct.successRate).toBeGreaterThan(0)
    expect(typeof answer.delivery.direct.medianMs).toBe('number')
  })

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await runCli(['peers', '--home', join(dir, 'bob')])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^2 peers connected/)
    expect(stdout).toContain('(alice)')
    expect(stdout).toMatch(/direct .* delivered, 0 failed/)
  })

  it('says clearly when no node runs with the home (exit 1)', async () => {
    const { code, stdout, stderr } = await runCli(['peers', '--home', join(dir, 'nobody'), '--json'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain('no p2pgo node is running with home')
  })
})
