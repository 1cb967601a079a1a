// `p2pgo watch GAME_ID` (the real binary, a node of its own in a fresh home) following a game two
// real nodes play on 127.0.0.1: it finds the players in the DHT from the game ID alone, catches
// up the moves already played, prints the rest as they come and the co-signed result, and exits 0.
// A game nobody plays is a sentence and exit status 1; a malformed ID is exit status 2.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin, runCli } from '../helpers/cli.js'
import { startNode, stopAll, terms, until, type NetNode } from '../net/rating/harness.js'
import { cidOf } from '../../src/wire/cid.js'
import type { CID } from 'multiformats/cid'

const MOVES = 8
const CAUGHT_UP = 3

/** Black along row 0, White along row 4: legal, nothing captured. */
const point = (ply: number): { x: number, y: number } => ({ x: Math.floor(ply / 2), y: ply % 2 === 0 ? 0 : 4 })
const sgf = (p: { x: number, y: number }): string => String.fromCharCode(97 + p.x) + String.fromCharCode(97 + p.y)

describe('p2pgo watch', () => {
  let dir: string
  let nodes: NetNode[] = []
  let boot: NetNode
  let black: NetNode
  let white: NetNode
  let finished: CID | undefined

  /** The flags a user on this machine gives: a fresh home, the local network, its bootstrap peer. */
  const flags = (home: string): string[] => ['--home', join(dir, home), '--local', '--no-rendezvous', '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', boot.node.libp2p.getMultiaddrs()[0].toString()]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2pgo-watch-'))
    boot = await startNode([], 'boot')
    const address = boot.node.libp2p.getMultiaddrs()[0].toString()
    ;[black, white] = await Promise.all([startNode([address], 'black'), startNode([address], 'white')])
    nodes = [boot, black, white]
  })
  afterAll(async () => {
    await stopAll(nodes)
    await rm(dir, { recursive: true, force: true })
  })

  const play = async (gameId: CID, ply: number): Promise<void> => {
    const [mover, other] = ply % 2 === 0 ? [black, white] : [white, black]
    await mover.node.games.perform(gameId, s => s.move(point(ply)))
    await until(() => (other.node.games.session(gameId)?.turnActs.length ?? 0) > ply, `move ${ply + 1} to reach the opponent`)
  }

  it('prints every move in order and the co-signed result as JSON lines, and exits 0', async () => {
    // White's addresses, as its seek in the lobby carries them.
    await black.node.libp2p.peerStore.merge(white.node.libp2p.peerId, { multiaddrs: white.node.libp2p.getMultiaddrs() })
    const started = await black.node.challenge.propose(white.node.libp2p.peerId, { terms, color: 'black', name: 'black' }, { signal: AbortSignal.timeout(20_000) })
    const gameId = started.gameId
    await until(() => white.node.games.session(gameId) != null, 'the game to start on both sides')
    for (let ply = 0; ply < CAUGHT_UP; ply++) await play(gameId, ply)

    const child = spawn(process.execPath, [bin, 'watch', gameId.toString(), '--json-events', ...flags('watcher')], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
    const exited = new Promise<number | null>(resolve => { child.on('close', code => { resolve(code) }) })
    try {
      const events = (): Array<Record<string, unknown>> => stdout.split('\n').filter(l => l !== '').map(l => JSON.parse(l) as Record<string, unknown>)
      // The moves already played are caught up before the game goes on: a fresh node first finds
      // the players through the DHT, which took over 90 s twice inside the whole suite on two cores.
      await until(() => {
        if (child.exitCode != null) throw new Error(`p2pgo watch exited ${child.exitCode} before catching up: ${stderr}`)
        return events().filter(e => e.type === 'watch:move').length >= CAUGHT_UP
      }, `the watcher to catch up ${CAUGHT_UP} moves`, 180_000).catch((err: Error) => { throw new Error(`${err.message} (its stderr: ${stderr})`) })
      for (let ply = CAUGHT_UP; ply < MOVES; ply++) await play(gameId, ply)
      await white.node.games.perform(gameId, s => s.resign())
      const code = await exited
      expect(code, stderr).toBe(0)
      const moves = events().filter(e => e.type === 'watch:move')
      expect(moves.map(e => ({ gameId: e.gameId, by: e.by, ply: e.ply, move: e.move }))).toEqual(
        Array.from({ length: MOVES }, (_, ply) => ({ gameId: gameId.toString(), by: ply % 2 === 0 ? 'B' : 'W', ply, move: sgf(point(ply)) })))
      const ended = events().filter(e => e.type === 'watch:ended')
      expect(ended.at(-1)).toMatchObject({ gameId: gameId.toString(), result: 'B+R', cosigned: true })
      for (const e of events()) expect(typeof e.time).toBe('string')
      finished = gameId
    } finally {
      child.kill('SIGTERM')
    }
  }, 300_000)

  it('prints a finished game readably: a line per move with its number and point, then the result', async () => {
    expect(finished).toBeDefined()
    // A fresh node finds the players of a game over in the DHT (up to 45 s of walks on a loaded machine).
    const { code, stdout, stderr } = await runCli(['watch', finished!.toString(), ...flags('reader')], { timeoutMs: 200_000 })
    expect(code, stderr).toBe(0)
    // Black along row 9, White along row 5 (9x9), from A.
    const letters = 'ABCDEFGHJ'
    const expected = Array.from({ length: MOVES }, (_, ply) => `${ply + 1} ${ply % 2 === 0 ? 'B' : 'W'} ${letters[point(ply).x]}${9 - point(ply).y}`)
    expect(stdout.trimEnd().split('\n')).toEqual([...expected, 'result B+R'])
  }, 240_000)

  it('says nobody has a game nobody plays, and exits 1', async () => {
    const nobody = cidOf({ nobody: 'plays this' }).toString()
    const { code, stdout, stderr } = await runCli(['watch', nobody, ...flags('lonely')])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain(`could not watch game ${nobody}: nobody asked has game ${nobody}`)
    expect(stderr).toMatch(/check the ID, or try again while the game is played/)
  }, 120_000)

  it('refuses a malformed game ID with exit status 2', async () => {
    const { code, stderr } = await runCli(['watch', 'not-a-game', '--home', join(dir, 'bad')])
    expect(code).toBe(2)
    expect(stderr).toContain('"not-a-game" is not a game ID')
  })
})
