import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { GtpEngine } from '../../src/gtp/gtp-engine.js'
import { checkSgf } from '../../src/game/sgf-check.js'

const GNUGO = '/usr/games/gnugo'
const haveGnuGo = existsSync(GNUGO)
const ENGINE = `${GNUGO} --mode gtp --level 1`

let dir: string
const procs: P2pgoProcess[] = []

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'p2pgo-e2e-')) })
afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  rmSync(dir, { recursive: true, force: true })
})

/** A bootstrap node on loopback; resolves with its multiaddr once it prints it. */
async function bootstrapNode (): Promise<string> {
  const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
  procs.push(boot)
  await waitFor(() => boot.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to print its address')
  return boot.lines.find(l => l.includes('/tcp/')) as string
}

function bot (name: string, mode: '--seek' | '--accept', bootstrap: string, games = 1): P2pgoProcess {
  const p = startP2pgo(['bot', '--home', join(dir, name), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', bootstrap, '--local', mode, '--engine', ENGINE, '--games', String(games), '--name', name, '--json-events'])
  procs.push(p)
  return p
}

async function gamesOf (name: string): Promise<Array<Record<string, any>>> {
  const { code, stdout, stderr } = await runCli(['games', '--home', join(dir, name), '--json'])
  expect(code, stderr).toBe(0)
  return JSON.parse(stdout)
}

async function exportOf (name: string, id: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(['export', id, '--home', join(dir, name)])
  expect(code, stderr).toBe(0)
  return stdout
}

/** GNU Go loads the SGF; returns its list of black and white stones. */
async function gnugoLoads (sgf: string): Promise<string[]> {
  const file = join(dir, 'check.sgf')
  writeFileSync(file, sgf)
  const engine = new GtpEngine({ command: GNUGO, args: ['--mode', 'gtp'] })
  try {
    await engine.send('loadsgf', file)
    return [await engine.send('list_stones', 'black'), await engine.send('list_stones', 'white')]
  } finally {
    await engine.close()
  }
}

describe.skipIf(!haveGnuGo)('two GNU Go bots over a bootstrap node (real processes)', () => {
  it('find each other, play complete games to co-signed results, and hold identical records', async () => {
    const address = await bootstrapNode()
    const seeker = bot('seeker', '--seek', address, 2)
    const taker = bot('taker', '--accept', address, 2)
    expect(await seeker.exited, seeker.stderr()).toBe(0)
    expect(await taker.exited, taker.stderr()).toBe(0)
    const a = await gamesOf('seeker')
    const b = await gamesOf('taker')
    expect(a).toHaveLength(2)
    expect(b.map(g => g.id).sort()).toEqual(a.map(g => g.id).sort())
    for (const game of a) {
      const other = b.find(g => g.id === game.id)!
      expect(game.result).toMatch(/^(B|W)\+/)
      expect(other.result).toBe(game.result)
      expect(other.moves).toBe(game.moves)
      expect(other.color).not.toBe(game.color)
      const sgfA = await exportOf('seeker', game.id)
      const sgfB = await exportOf('taker', game.id)
      expect(sgfB).toBe(sgfA)
      const check = checkSgf(sgfA)
      expect(check.illegal).toBeNull()
      expect(check.moves).toBe(game.moves)
      // Both bots declared their engine in the co-signed start record; the export names them in GC, not in PB/PW.
      expect(sgfA).toMatch(/GC\[p2pgo game \S+; engines: B GNU Go 3\.\d+, W GNU Go 3\.\d+\]/)
      expect(sgfA).toMatch(/P[BW]\[seeker\]/)
      const stones = await gnugoLoads(sgfA)
      expect(stones.join(' ').trim().length).toBeGreaterThan(0)
      // Every move event was seen once per side: nothing lost, nothing doubled.
      const plies = (p: P2pgoProcess): number[] => p.events.filter(e => e.type === 'game:move' && e.gameId === game.id).map(e => e.ply)
      expect(plies(seeker)).toEqual([...Array(game.moves).keys()])
      expect(plies(taker)).toEqual([...Array(game.moves).keys()])
      expect(seeker.events.some(e => e.type === 'game:ended' && e.gameId === game.id && e.cosigned === true)).toBe(true)
    }
    // Each finished game became RNA: the winner published it, the other bot received it by gossip.
    const rnaOf = async (name: string): Promise<Array<Record<string, any>>> => {
      const { code, stdout, stderr } = await runCli(['rna', 'ls', '--json', '--home', join(dir, name)])
      expect(code, stderr).toBe(0)
      return JSON.parse(stdout).rna
    }
    const rnaA = await rnaOf('seeker')
    const rnaB = await rnaOf('taker')
    expect(rnaA).toHaveLength(2)
    expect(rnaB.map(r => r.id).sort()).toEqual(rnaA.map(r => r.id).sort())
    for (const r of rnaA) {
      const game = a.find(g => g.result === r.result && g.moves === r.turns)
      expect(game).toBeDefined()
      expect(r.quality).toBeGreaterThanOrEqual(0.2)
      const other = rnaB.find(x => x.id === r.id)!
      // One of the two published it (from null); the other got it from that one, or, when both
      // bots quit right after the last game, published it too on its way out (the same RNA).
      expect([r.from, other.from].filter(f => f == null).length).toBeGreaterThanOrEqual(1)
    }
    const shown = await runCli(['rna', 'show', rnaA[0].id.slice(0, 20), '--json', '--home', join(dir, 'seeker')])
    expect(shown.code, shown.stderr).toBe(0)
    expect(JSON.parse(shown.stdout).rna).toMatchObject({ id: rnaA[0].id, size: 9, end: expect.any(String), novelty: expect.any(Number) })
    const exported = await runCli(['rna', 'export', '--home', join(dir, 'taker')])
    expect(exported.code, exported.stderr).toBe(0)
    const trees = exported.stdout.trim().split(/\n(?=\(\s*;)/)
    expect(trees).toHaveLength(2)
    for (const tree of trees) {
      expect(checkSgf(tree).illegal).toBeNull()
      // Training pipelines learn which engine played which side.
      expect(tree).toMatch(/GC\[p2pgo game \S+; RNA \S+; engines: B GNU Go 3\.\d+, W GNU Go 3\.\d+\]/)
    }
    const cbor = await runCli(['rna', 'export', '--format', 'cbor', '--home', join(dir, 'taker')])
    expect(cbor.stdout.trim().split('\n').every(line => /^[0-9a-f]+$/.test(line))).toBe(true)
    // Whoever received a game credits its origin; the top peers list shows it.
    const receiver = rnaA.some(r => r.from != null) ? 'seeker' : 'taker'
    expect([...rnaA, ...rnaB].some(r => r.from != null)).toBe(true)
    const rep = await runCli(['reputation', '--json', '--home', join(dir, receiver)])
    expect(rep.code, rep.stderr).toBe(0)
    const top = JSON.parse(rep.stdout).top
    expect(top[0].originated.count).toBeGreaterThanOrEqual(1)
    // Honest bots give each other no cause for a penalty: the message names any the book holds.
    expect(top[0].trust, JSON.stringify(top[0])).toBeGreaterThan(0.5)
    // Bad input: a clear message and the documented exit status.
    expect((await runCli(['rna', 'show', 'bafynothing', '--home', join(dir, 'seeker')])).code).toBe(1)
    expect((await runCli(['rna', 'frobnicate', '--home', join(dir, 'seeker')])).code).toBe(2)
    expect((await runCli(['rna', 'export', '--format', 'xml', '--home', join(dir, 'seeker')])).code).toBe(2)
    expect((await runCli(['reputation', 'not-a-peer', '--home', join(dir, 'seeker')])).code).toBe(2)
  }, 240_000)

  it('finishes a game when one bot is killed (SIGKILL) mid-game and restarted with the same home', async () => {
    const address = await bootstrapNode()
    const seeker = bot('seeker', '--seek', address)
    const first = bot('taker', '--accept', address)
    // Kill the taker at a random move between the 4th and the 20th.
    const killAt = 4 + Math.floor(Math.random() * 16)
    await waitFor(() => first.events.filter(e => e.type === 'game:move').length >= killAt, `move ${killAt}`)
    first.child.kill('SIGKILL')
    await first.exited
    const again = bot('taker', '--accept', address)
    expect(await again.exited, again.stderr()).toBe(0)
    expect(await seeker.exited, seeker.stderr()).toBe(0)
    const [a] = await gamesOf('seeker')
    const [b] = await gamesOf('taker')
    expect(b.id).toBe(a.id)
    expect(b.result).toBe(a.result)
    expect(b.moves).toBe(a.moves)
    const sgf = await exportOf('seeker', a.id)
    expect(await exportOf('taker', a.id)).toBe(sgf)
    expect(checkSgf(sgf).illegal).toBeNull()
    // The seeker saw every ply exactly once, across the kill.
    expect(seeker.events.filter(e => e.type === 'game:move').map(e => e.ply)).toEqual([...Array(a.moves).keys()])
    // The restarted taker resumed from its own store: it announced the resumed game.
    expect(again.events.some(e => e.type === 'game:started' && e.gameId === a.id)).toBe(true)
  }, 240_000)
})

describe.skipIf(!haveGnuGo)('ratings and matchmaking with real processes', () => {
  it('a --match bot finds a --seek bot through the DHT, they play a rated game, and p2pgo rating verifies and audits the result from a fresh node', async () => {
    const address = await bootstrapNode()
    const seeker = bot('seeker', '--seek', address)
    const matchProc = startP2pgo(['bot', '--home', join(dir, 'matcher'), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', address, '--local', '--match', '--engine', ENGINE, '--games', '1', '--name', 'matcher', '--json-events'])
    procs.push(matchProc)
    expect(await matchProc.exited, matchProc.stderr()).toBe(0)
    expect(await seeker.exited, seeker.stderr()).toBe(0)
    expect(matchProc.stderr()).toMatch(/matched 12D3\S+ \(score/)
    const [game] = await gamesOf('seeker')
    const id = await runCli(['id', '--home', join(dir, 'seeker'), '--json'])
    const peer = JSON.parse(id.stdout).peerId as string
    // A node that never played asks the DHT (through the bootstrap node) for the seeker's record.
    const { code, stdout, stderr } = await runCli(['rating', peer, '--audit', '--json', '--home', join(dir, 'reader'), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', address, '--local'])
    expect(code, stderr).toBe(0)
    const answer = JSON.parse(stdout)
    expect(answer).toMatchObject({ peer, self: false, sizes: { 9: { games: 1 } }, audit: { ok: true, checked: 1, findings: [] } })
    // The winner's rating went up, the loser's down, from a newcomer's 25.
    const won = game.result.startsWith(game.color === 'B' ? 'B+' : 'W+')
    expect(answer.sizes['9'].mu > 25).toBe(won)
    // Own rating, offline (no node runs in the home now): from the home's datastore.
    const own = await runCli(['rating', '--json', '--home', join(dir, 'seeker'), '--listen', '/ip4/127.0.0.1/tcp/0', '--local'])
    expect(own.code, own.stderr).toBe(0)
    expect(JSON.parse(own.stdout).sizes['9']).toEqual(answer.sizes['9'])
  }, 240_000)
})
