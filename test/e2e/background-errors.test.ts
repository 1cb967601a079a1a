// Issue 17: errors thrown in the background by libraries (event listeners, timers, promises
// nobody awaits) are logged with what and where, and the node keeps running and keeps its games.
// Real processes: a bootstrap relay and two bots; the relay and one bot have a listener that
// throws on every connection they open, a timer that throws and a rejected promise injected
// (test/net/background/inject-background-errors.mjs). A process that does die resumes its games on
// restart: test/e2e/bots.test.ts, "finishes a game when one bot is killed (SIGKILL) mid-game and
// restarted with the same home".
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bin, runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'

const INJECT = { NODE_OPTIONS: `--import=${fileURLToPath(new URL('../net/background/inject-background-errors.mjs', import.meta.url))}` }
// p2pgo's built-in GTP player: no GNU Go needed.
const ENGINE = `${process.execPath} ${bin} engine`

let dir: string
const procs: P2pgoProcess[] = []

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'p2pgo-background-')) })
afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  rmSync(dir, { recursive: true, force: true })
})

function start (args: string[], env: NodeJS.ProcessEnv = {}): P2pgoProcess {
  const p = startP2pgo(args, env)
  procs.push(p)
  return p
}

function bot (name: string, mode: '--seek' | '--accept', bootstrap: string, env: NodeJS.ProcessEnv = {}): P2pgoProcess {
  return start(['bot', '--home', join(dir, name), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', bootstrap, '--local', mode, '--engine', ENGINE, '--games', '1', '--name', name, '--json-events'], env)
}

describe('errors thrown in the background by libraries', () => {
  it('are logged with what was thrown and where; the relay and the bots keep running and finish their game', async () => {
    const relay = start(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'], INJECT)
    await waitFor(() => relay.lines.some(l => l.includes('/tcp/')) || relay.child.exitCode != null, 'the bootstrap relay to print its address')
    expect(relay.child.exitCode, relay.stderr()).toBeNull()
    const address = relay.lines.find(l => l.includes('/tcp/')) as string
    const seeker = bot('seeker', '--seek', address, INJECT)
    const taker = bot('taker', '--accept', address)
    expect(await seeker.exited, seeker.stderr()).toBe(0)
    expect(await taker.exited, taker.stderr()).toBe(0)
    const games = await runCli(['games', '--home', join(dir, 'seeker'), '--json'])
    const [game] = JSON.parse(games.stdout)
    expect(game.result).toMatch(/^(B|W)\+/)
    expect(seeker.events.some(e => e.type === 'game:ended' && e.cosigned === true)).toBe(true)

    // The bot's log says what was thrown, by what, and where.
    const log = seeker.stderr()
    expect(log).toMatch(/p2pgo: an error was thrown in the background by an event listener \(libraries on its stack: libp2p, [^\n]*\), and nothing caught it\. This node keeps running and keeps its games[^\n]*\n {2}Error: injected: a connection:open listener threw\n {2}thrown at \S+\.injectedListener \(file:/)
    expect(log).toMatch(/p2pgo: an error was thrown in the background by a timer[^\n]*\n {2}Error: injected: a timer threw\n {2}thrown at Timeout\.injectedTimer/)
    expect(log).toMatch(/p2pgo: an error was thrown in the background by a promise nobody awaited[^\n]*\n {2}Error: injected: a promise nobody awaited/)
    // The listener threw on every connection: the 2nd, 4th, ... repeats are counted, not each printed in full.
    expect(log.split('\n').filter(l => l.startsWith('  Error: injected: a connection:open listener threw'))).toHaveLength(1)

    // The relay logs the same as JSON lines, and is still up: it answers a fresh peer.
    const lines = relay.stderr().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l))
    const listener = lines.find(l => l.msg === 'background error: logged, still running' && l.source === 'event listener')
    expect(listener).toMatchObject({ level: 'error', service: 'p2pgo-bootstrap', origin: 'uncaughtException', name: 'Error', message: 'injected: a connection:open listener threw', count: 1 })
    expect(listener.at).toMatch(/^\S+\.injectedListener \(file:/)
    expect(listener.packages).toContain('libp2p')
    expect(lines.some(l => l.msg === 'background error: logged, still running' && l.source === 'timer')).toBe(true)
    expect(relay.child.exitCode).toBeNull()
    const relayId = address.split('/p2p/')[1]
    const late = bot('late', '--seek', address)
    await waitFor(() => late.events.some(e => e.type === 'peer:connected' && JSON.stringify(e).includes(relayId)), 'a fresh bot to connect to the relay')
  }, 240_000)
})
