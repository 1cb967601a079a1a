// `p2pgo inbox`, `inbox accept`, `message`, `challenge` and the `games --json` additions with the
// real binary: bad arguments refused in words before any network, then a node opened on a home
// (its control socket answering the binary) receiving a message and a challenge from a real peer
// on 127.0.0.1, the challenge accepted from the command line, and the game listed after.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { openNode } from '../../src/home/open-node.js'
import { startNode, stopAll, until, type NetNode } from '../net/rating/harness.js'
import { day } from '../../src/units.js'
import type { GameTerms } from '../../src/wire/game-start.js'

const somebody = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-inbox-'))
  process.env.P2PGO_HOME = join(dir, 'env-home')
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe('p2pgo message, challenge and inbox refuse bad arguments', () => {
  it('in words, with exit status 2', { timeout: 120_000 }, async () => {
    const home = join(dir, 'bad')
    const long = await runCli(['message', '--home', home, somebody, 'x'.repeat(501)])
    expect(long.code).toBe(2)
    expect(long.stderr).toContain('a message is at most 500 characters (2000 bytes); this one has 501 characters')
    const none = await runCli(['message', '--home', home, somebody])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('give the player (PEER_ID or NAME) and the text')
    const id = await runCli(['inbox', 'accept', '--home', home, 'not-an-id'])
    expect(id.code).toBe(2)
    expect(id.stderr).toContain('"not-an-id" is not an inbox ID (p2pgo inbox lists them)')
    const color = await runCli(['challenge', '--home', home, '--color', 'purple', somebody])
    expect(color.code).toBe(2)
    expect(color.stderr).toContain('--color must be black, white or random, got purple')
    const expires = await runCli(['challenge', '--home', home, '--expires', '45', somebody])
    expect(expires.code).toBe(2)
    expect(expires.stderr).toContain('--expires must be a number of days from more than 0 to 30, got 45')
  })
})

describe('p2pgo inbox with a running node', () => {
  let home: string
  let close: () => Promise<void>
  let sender: NetNode
  let me: string
  let mine: Awaited<ReturnType<typeof openNode>>['node']
  const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day } }

  beforeAll(async () => {
    home = join(dir, 'home')
    const opened = await openNode({ home, local: true, listen: '/ip4/127.0.0.1/tcp/0', 'no-rendezvous': true }, 'player')
    close = opened.close
    await opened.node.start()
    me = opened.node.peerId
    mine = opened.node
    sender = await startNode([], 'Alice')
    await sender.node.libp2p.peerStore.merge(opened.node.libp2p.peerId, { multiaddrs: opened.node.libp2p.getMultiaddrs() })
  }, 60_000)
  afterAll(async () => {
    await stopAll([sender])
    await close?.()
  })

  it('lists a message and a challenge, accepts the challenge, and the game is listed with its kind, turn and time', { timeout: 180_000 }, async () => {
    expect((await runCli(['inbox', '--home', home])).stdout).toContain('nothing waiting')
    expect((await sender.node.post!.message(me, 'fancy a game this week?')).via).toBe('direct')
    const offer = await sender.node.post!.challenge(me, { terms, color: 'black', name: 'Alice' })
    expect(offer.via).toBe('direct')
    const listed = await runCli(['inbox', '--home', home, '--json'])
    expect(listed.code, listed.stderr).toBe(0)
    const inbox = JSON.parse(listed.stdout)
    expect(inbox.pending).toEqual([])
    expect(inbox.items).toHaveLength(2)
    const [message, challenge] = inbox.items
    expect(message).toMatchObject({ from: sender.node.peerId, kind: 'message', text: 'fancy a game this week?' })
    expect(challenge).toMatchObject({ id: offer.id, from: sender.node.peerId, kind: 'challenge', challenge: { name: 'Alice', terms, color: 'black' }, expires: new Date(offer.expires).toISOString() })
    for (const item of inbox.items) for (const field of ['sent', 'received', 'expires']) expect(Date.parse(item[field])).toBeGreaterThan(0)
    const text = await runCli(['inbox', '--home', home])
    expect(text.stdout).toContain(`${offer.id}  challenge from Alice (${sender.node.peerId}): 9x9, chinese rules, komi 7.5, 3d a move, they play black`)
    expect(text.stdout).toContain('message from')

    const accepted = await runCli(['inbox', 'accept', '--home', home, '--json', offer.id])
    expect(accepted.code, accepted.stderr).toBe(0)
    expect(JSON.parse(accepted.stdout)).toEqual({ to: sender.node.peerId, via: 'direct', id: offer.id })
    await until(() => sender.node.games.games.length === 1, 'the game on the challenger\'s side')
    const after = JSON.parse((await runCli(['inbox', '--home', home, '--json'])).stdout)
    expect(after.items.map((i: { kind: string }) => i.kind)).toEqual(['message'])
    const dismissed = await runCli(['inbox', 'dismiss', '--home', home, '--json', after.items[0].id])
    expect(JSON.parse(dismissed.stdout)).toEqual({ dismissed: after.items[0].id })
    const again = await runCli(['inbox', 'dismiss', '--home', home, after.items[0].id])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('nothing in the inbox has the ID')

    // The game is in the home once the confirm is back: games --json reads it with the node closed.
    const gameId = sender.node.games.games[0].gameId.toString()
    await until(() => mine.games.games.length === 1, 'the game on this home\'s side (the confirm)')
    await close()
    close = async () => {}
    const games = await runCli(['games', '--home', home, '--json'])
    expect(games.code, games.stderr).toBe(0)
    const [game] = JSON.parse(games.stdout)
    expect(game).toMatchObject({ id: gameId, opponent: sender.node.peerId, color: 'W', kind: 'correspondence', turn: 'B', myTurn: false, result: null, moves: 0 })
    // Black's correspondence clock runs on wall time from the start: a little of its 3 days is gone.
    expect(game.timeLeft.W).toBe(3 * day)
    expect(game.timeLeft.B).toBeLessThan(3 * day)
    expect(game.timeLeft.B).toBeGreaterThan(3 * day - 10 * 60_000)
  })
})
