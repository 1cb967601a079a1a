// `p2pgo rating --history` on a home that holds real finished games (co-signed starts and
// results, played through two GameSessions): the real binary, reading the home offline.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { openNode } from '../../src/home/open-node.js'
import { homeWithGames, type PlayedGame } from '../rating/played-games.js'
import { initialRating, rateGame } from '../../src/rating/trueskill.js'
import { viewOf } from '../../src/rating/display.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

let dir: string
let home: string
let games: PlayedGame[]
const t0 = 1_750_000_000_000
const somebody = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-history-'))
  home = join(dir, 'home')
  games = await homeWithGames(home, t0)
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

const fresh = initialRating()
const after1 = rateGame(fresh, fresh, 'win', 7.5)
const after2 = rateGame(after1, fresh, 'loss', 7.5)
const after3 = rateGame(after2, fresh, 'win', 7.5)
const point = (r: typeof fresh, at: number, game: PlayedGame): object => {
  const v = viewOf(r)
  return { at: new Date(at).toISOString(), mu: v.mu, sigma: v.sigma, conservative: v.conservative, game: game.stored.id.toString() }
}

describe('p2pgo rating --history', () => {
  it('prints the rating after each rated game of the size with most games, as JSON', async () => {
    const { code, stdout, stderr } = await runCli(['rating', '--history', '--json', '--home', home])
    expect(code, stderr).toBe(0)
    const hour = 3_600_000
    // The unrated game and the 13x13 one leave no 9x9 point.
    expect(JSON.parse(stdout)).toEqual({ size: 9, points: [point(after1, t0 + hour, games[0]), point(after2, t0 + 3 * hour, games[1]), point(after3, t0 + 5 * hour, games[2])] })
    // The games are the ones p2pgo games lists.
    const listed = JSON.parse((await runCli(['games', '--home', home, '--json'])).stdout) as Array<{ id: string }>
    for (const g of games) expect(listed.map(l => l.id)).toContain(g.stored.id.toString())
  })

  it('gives another size with --size, and an empty history for a size with no rated game', async () => {
    const thirteen = await runCli(['rating', '--history', '--size', '13', '--json', '--home', home])
    expect(thirteen.code, thirteen.stderr).toBe(0)
    expect(JSON.parse(thirteen.stdout)).toEqual({ size: 13, points: [point(rateGame(fresh, fresh, 'win', 7.5), t0 + 7 * 3_600_000, games[3])] })
    const nineteen = await runCli(['rating', '--history', '--size', '19', '--json', '--home', home])
    expect(nineteen.code, nineteen.stderr).toBe(0)
    expect(JSON.parse(nineteen.stdout)).toEqual({ size: 19, points: [] })
  })

  it('draws a sparkline for people, and says when there is nothing to draw', async () => {
    const { code, stdout } = await runCli(['rating', '--history', '--home', home])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^9x9 rating after each of 3 rated games \(mu - 3 sigma\): [▁-█]{3}$/m)
    expect(stdout.split('\n').filter(l => /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d +-?\d+\.\d \(\d+[kd]\) +mu /.test(l))).toHaveLength(3)
    const empty = await runCli(['rating', '--history', '--home', join(dir, 'empty')])
    expect(empty.code, empty.stderr).toBe(0)
    expect(empty.stdout).toMatch(/no rated 9x9 games in this home yet/)
  })

  it('asks the node running in the home over its control socket (its datastore is locked then), and gets the same answer', async () => {
    const offline = await runCli(['rating', '--history', '--json', '--home', home])
    const { node, close } = await openNode({ home, local: true, listen: '/ip4/127.0.0.1/tcp/0', 'no-rendezvous': true }, 'player')
    try {
      await node.start()
      const online = await runCli(['rating', '--history', '--json', '--home', home])
      expect(online.code, online.stderr).toBe(0)
      expect(JSON.parse(online.stdout)).toEqual(JSON.parse(offline.stdout))
      expect(JSON.parse(online.stdout).points).toHaveLength(3)
    } finally {
      await close()
    }
  })

  it.each([
    [['--history', somebody], /give no PEER_ID/],
    [['--history', '--audit'], /--history and --audit do not go together/],
    [['--history', '--size', '11'], /--size must be 9, 13 or 19/]
  ])('refuses %j with exit status 2', async (args, message) => {
    const { code, stderr, stdout } = await runCli(['rating', ...args, '--home', home])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(message)
  })
})
