import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin, runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'

const ENGINE = `${process.execPath} ${bin} engine`

describe('--port and --no-relay arguments', () => {
  it.each([
    [['bot', '--engine', 'x', '--seek', '--port', '4002', '--listen', '/ip4/0.0.0.0/tcp/4003'], 'give --port or --listen, not both'],
    [['bot', '--engine', 'x', '--seek', '--port', '70000'], '--port must be a TCP port from 1 to 65535, got 70000'],
    [['bot', '--engine', 'x', '--seek', '--port', 'http'], '--port must be a TCP port from 1 to 65535, got http'],
    [['play', '--port', '0'], '--port must be a TCP port from 1 to 65535, got 0']
  ])('%j is refused with exit 2', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(stdout).toBe('')
  })

  it('the help of bot and play names --port and --no-relay', async () => {
    for (const command of ['bot', 'play']) {
      const { stdout } = await runCli([command, '--help'])
      expect(stdout).toContain('--port N')
      expect(stdout).toContain('--no-relay')
    }
  })
})

// A user picking a port with --listen must not lose the relay reservation that makes a NATed node reachable.
describe('a node started with --listen of TCP only', () => {
  let dir: string
  const procs: P2pgoProcess[] = []
  let relay = ''

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2pgo-listen-'))
    const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    procs.push(boot)
    await waitFor(() => boot.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to print its address')
    relay = boot.lines.find(l => l.includes('/tcp/')) as string
  }, 90_000)

  afterAll(async () => {
    for (const p of procs) {
      if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
      await p.exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  /** The addresses the bot in `home` has now, as `p2pgo peers --json` tells (empty until its node answers). */
  async function addresses (home: string): Promise<string[]> {
    const { code, stdout } = await runCli(['peers', '--home', home, '--json'])
    return code === 0 ? JSON.parse(stdout).self.addresses : []
  }

  it('still takes a relay reservation and listens for WebRTC through it', async () => {
    const home = join(dir, 'tcp-only')
    const bot = startP2pgo(['bot', '--home', home, '--listen', '/ip4/0.0.0.0/tcp/0', '--bootstrap', relay, '--local', '--seek', '--engine', ENGINE, '--name', 'porter'])
    procs.push(bot)
    let seen: string[] = []
    const relayPeer = relay.split('/p2p/')[1]
    const deadline = Date.now() + 60_000
    while (!seen.some(a => a.endsWith('/p2p-circuit/webrtc') || a.includes('/p2p-circuit/webrtc/')) && Date.now() < deadline) {
      seen = await addresses(home)
      if (bot.child.exitCode != null) break
    }
    expect(bot.stderr()).not.toContain('no relay slot')
    expect(seen.some(a => a.includes(`/p2p/${relayPeer}/p2p-circuit`)), `addresses: ${seen.join(' ')}; stderr: ${bot.stderr()}`).toBe(true)
    expect(seen.some(a => a.includes('/p2p-circuit/webrtc')), `addresses: ${seen.join(' ')}`).toBe(true)
  }, 120_000)

  it('--no-relay takes none and says in one sentence what that costs', async () => {
    const home = join(dir, 'no-relay')
    const bot = startP2pgo(['bot', '--home', home, '--listen', '/ip4/0.0.0.0/tcp/0', '--no-relay', '--bootstrap', relay, '--local', '--seek', '--engine', ENGINE, '--name', 'hermit'])
    procs.push(bot)
    await waitFor(() => bot.stderr().includes('no relay slot'), 'the warning about --no-relay')
    expect(bot.stderr()).toContain('nobody outside this network can reach this node')
    let seen: string[] = []
    while (seen.length === 0 && bot.child.exitCode == null) seen = await addresses(home)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.filter(a => a.includes('/p2p-circuit'))).toEqual([])
  }, 120_000)
})
