// Commands that wait on the network, run as the real `p2pgo` with nobody reachable: each ends
// with a sentence that says what happened, what it waited for and what to do, and the exit status
// the command's help promises (never "The operation was aborted due to timeout").
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin, runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor } from '../helpers/processes.js'

let dir: string
let stranger: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-words-'))
  stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** A bootstrap address nobody answers on: a port that was free a moment ago. */
async function deadAddress (): Promise<string> {
  const server: Server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise(resolve => server.close(resolve))
  return `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()}`
}

/** Each case waits for the process to end by itself: the limit here is only a safety net. */
const CASE_MS = 240_000

describe('p2pgo rating PEER with no reachable DHT peers', () => {
  it('with no bootstrap peer configured: says so at once and exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['rating', stranger, '--home', join(dir, 'lonely'), '--local'])
    expect(stdout).toBe('')
    expect(stderr.trim()).toBe(`p2pgo rating: could not look up the rating record of ${stranger}: this node knows no DHT peers to ask; ` +
      'this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS)')
    expect(code).toBe(1)
  }, CASE_MS)

  it('with a bootstrap peer that does not answer: names it and says what to check', async () => {
    const { code, stderr } = await runCli(['rating', stranger, '--home', join(dir, 'dead-boot'), '--local', '--bootstrap', await deadAddress()])
    expect(stderr.trim()).toBe(`p2pgo rating: could not look up the rating record of ${stranger}: this node knows no DHT peers to ask (waited 10 s for one); ` +
      'this node reached none of its 1 bootstrap peer: check that it runs and that the addresses in config.json "bootstrap" (or --bootstrap) are right')
    expect(code).toBe(1)
  }, CASE_MS)
})

describe('p2pgo reputation PEER with no reachable DHT peers', () => {
  it('still answers from this node (exit 0) and says why the rating is missing', async () => {
    const { code, stdout, stderr } = await runCli(['reputation', stranger, '--home', join(dir, 'rep'), '--local'])
    expect(code, stderr).toBe(0)
    expect(stdout).toContain(`rating      could not look up the rating record of ${stranger}: this node knows no DHT peers to ask; `)
  }, CASE_MS)
})

describe('p2pgo match with nobody around', () => {
  it('exits 1 and says that nobody was found and why', async () => {
    const { code, stdout } = await runCli(['match', '--home', join(dir, 'match'), '--local'])
    expect(stdout).toContain('9x9: you are 30k (provisional); 0 candidates found')
    expect(stdout).toContain('nobody is seeking a game near your rating right now: this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS)')
    expect(code).toBe(1)
  }, CASE_MS)
})

describe('asking a running node that has no DHT peers (over its control socket)', () => {
  it('p2pgo rating PEER gets the node\'s words and exits 1; p2pgo peers with no node running says how to start one', async () => {
    const home = join(dir, 'running')
    const bot = startP2pgo(['bot', '--home', home, '--local', '--listen', '/ip4/127.0.0.1/tcp/0', '--seek', '--engine', `${process.execPath} ${bin} engine`, '--json-events'])
    try {
      await waitFor(() => bot.events.some(e => e.type === 'listening'), 'the bot to start')
      const { code, stderr } = await runCli(['rating', stranger, '--home', home])
      expect(stderr.trim()).toBe(`p2pgo rating: failed: could not look up the rating record of ${stranger}: this node knows no DHT peers to ask; ` +
        'this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS)')
      expect(code).toBe(1)
    } finally {
      bot.child.kill('SIGKILL')
      await bot.exited
    }
    const nobody = join(dir, 'nobody')
    const { code, stderr } = await runCli(['peers', '--home', nobody])
    expect(stderr.trim()).toBe(`p2pgo peers: no p2pgo node is running with home ${nobody} (start one with p2pgo bot, p2pgo bootstrap or the terminal client)`)
    expect(code).toBe(1)
  }, CASE_MS)
})

describe('a running node that does not answer its control socket', () => {
  it('p2pgo peers says how long it waited and what to do, and exits 1', async () => {
    const home = join(dir, 'stuck')
    const bot = startP2pgo(['bot', '--home', home, '--local', '--listen', '/ip4/127.0.0.1/tcp/0', '--seek', '--engine', `${process.execPath} ${bin} engine`, '--json-events'])
    try {
      await waitFor(() => bot.events.some(e => e.type === 'listening'), 'the bot to start')
      // A stopped process: its socket still takes connections (the kernel's backlog) but nobody answers.
      bot.child.kill('SIGSTOP')
      const { code, stderr } = await runCli(['peers', '--home', home])
      expect(stderr.trim()).toBe(`p2pgo peers: the p2pgo node running with home ${home} did not answer within 10 s: it may be busy or stuck; try again, and if it stays silent, restart that node`)
      expect(code).toBe(1)
    } finally {
      bot.child.kill('SIGKILL')
      await bot.exited
    }
  }, CASE_MS)
})
