// The terminal client's words when a wait on the network fails, in a real terminal (tmux) with
// real processes: a bootstrap relay, a bot that is in the lobby and then dies, and the client
// challenging it. The message line says what happened and what to do, not a library's words.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { Terminal, haveTmux } from '../helpers/tmux.js'

let dir: string
const procs: P2pgoProcess[] = []
const terminals: Terminal[] = []

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'p2pgo-words-tui-')) })
afterAll(async () => {
  for (const t of terminals) await t.kill()
  for (const p of procs) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  await rm(dir, { recursive: true, force: true })
})

/** Selects the lobby row of `name` with j/k. */
async function select (t: Terminal, name: string): Promise<void> {
  for (let i = 0; i < 8; i++) {
    if (new RegExp(`^> ${name}\\s`, 'm').test(await t.screen())) return
    await t.keys('j')
    await new Promise(resolve => setTimeout(resolve, 150))
  }
  throw new Error(`could not select ${name}:\n${await t.screen()}`)
}

describe.skipIf(!haveTmux)('the terminal client when the network fails it', () => {
  it('a bootstrap peer that does not answer is named on the message line, with what to check', async () => {
    const { createServer } = await import('node:net')
    const { generateKeyPair } = await import('@libp2p/crypto/keys')
    const { peerIdFromPrivateKey } = await import('@libp2p/peer-id')
    const server = createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    await new Promise(resolve => server.close(resolve))
    const dead = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()}`
    const t = await Terminal.start(`${process.execPath} ${bin} play --home ${join(dir, 'alone')} --local --bootstrap ${dead} 2>${join(dir, 'alone.stderr')}`, 220, 24)
    terminals.push(t)
    const screen = await t.waitFor(/Players online/, 'the lobby')
    expect(screen).toContain('no bootstrap peer answered within 5 s (1 configured): the lobby fills once one does; if it stays empty, check config.json "bootstrap" (or --bootstrap)')
  }, 240_000)

  it('a challenge to a player who has gone offline says so and what to do', async () => {
    const relay = startP2pgo(['bootstrap', '--home', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    procs.push(relay)
    await waitFor(() => relay.lines.some(l => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//.test(l)), 'the relay\'s address')
    const address = relay.lines.find(l => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//.test(l)) as string
    const ghost = startP2pgo(['bot', '--home', join(dir, 'ghost'), '--local', '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', address, '--seek', '--name', 'ghost', '--engine', `${process.execPath} ${bin} engine`])
    procs.push(ghost)
    const t = await Terminal.start(`${process.execPath} ${bin} play --home ${join(dir, 'me')} --local --bootstrap ${address} 2>${join(dir, 'me.stderr')}`, 220, 24)
    terminals.push(t)
    await t.waitFor(/^. ghost .*direct/m, 'ghost in the lobby, connected')
    // Ghost dies; its lobby entry stays until it lapses, and its addresses stay known.
    ghost.child.kill('SIGKILL')
    await ghost.exited
    await t.waitFor(/^. ghost .*not connected/m, 'ghost shown as not connected')
    await select(t, 'ghost')
    await t.keys('c')
    await t.waitFor(/Challenge ghost/, 'the terms dialog')
    await t.keys('Enter')
    const screen = await t.waitFor(/could not (connect to|reach) ghost/, 'the failed challenge explained')
    const line = screen.split('\n').find(l => /could not (connect to|reach) ghost/.test(l))?.trim()
    expect([
      'could not connect to ghost at any address this node knows for it: it may have gone offline, or sit behind a NAT with no relay; try again when it shows in the lobby',
      // When libp2p had already dropped ghost's addresses, the DHT (the relay) was asked for them.
      'could not reach ghost: this node has no address for it and the DHT (1 peer to ask) does not know one; it is probably offline: try again when it shows in the lobby'
    ]).toContain(line)
  }, 240_000)
})
