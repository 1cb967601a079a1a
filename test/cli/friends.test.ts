// `p2pgo friends`, `friends add`, `friends remove` with the real binary: the list in the home's
// friends.json, names refused in words without a running node, and with one (a node opened on the
// home, its lobby seeing real players on 127.0.0.1) a name resolved, an ambiguous one refused, and
// the friend's status read from its presence record.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { openNode } from '../../src/home/open-node.js'
import { startNode, stopAll, until, type NetNode } from '../net/rating/harness.js'
import type { P2pgoNode } from '../../src/net/node.js'

const alice = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
let dir: string
let count = 0
const newHome = (): string => join(dir, `home-${count++}`)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-friends-'))
  process.env.P2PGO_HOME = join(dir, 'env-home')
})

afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe('p2pgo friends without a running node', () => {
  it('adds by peer ID, lists (text and --json), refuses a duplicate, removes', { timeout: 120_000 }, async () => {
    const home = newHome()
    expect((await runCli(['friends', '--home', home])).stdout).toContain('no friends yet')
    const added = await runCli(['friends', 'add', '--home', home, '--json', alice])
    expect(added.code).toBe(0)
    expect(JSON.parse(added.stdout)).toEqual({ added: { peer: alice } })
    expect(JSON.parse(await readFile(join(home, 'friends.json'), 'utf8'))).toEqual({ friends: [{ peer: alice }] })
    const list = await runCli(['friends', '--home', home, '--json'])
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual({ running: false, friends: [{ peer: alice, state: 'no-node' }] })
    expect((await runCli(['friends', '--home', home])).stdout).toContain('status unknown (no node running with this home)')
    const again = await runCli(['friends', 'add', '--home', home, alice])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('is already a friend')
    const removed = await runCli(['friends', 'remove', '--home', home, alice])
    expect(removed.code).toBe(0)
    expect(removed.stdout).toContain(`removed ${alice}`)
    expect(JSON.parse((await runCli(['friends', '--home', home, '--json'])).stdout)).toEqual({ running: false, friends: [] })
  })

  it('refuses a name in words when no node runs, and an unknown friend on remove', { timeout: 60_000 }, async () => {
    const home = newHome()
    const byName = await runCli(['friends', 'add', '--home', home, 'Alice'])
    expect(byName.code).toBe(1)
    expect(byName.stderr).toContain('no p2pgo node runs with this home to look the name up')
    const remove = await runCli(['friends', 'remove', '--home', home, alice])
    expect(remove.code).toBe(1)
    expect(remove.stderr).toContain('is not in the friends list')
  })

  it('a damaged friends.json is refused with what to do (exit 1); bad arguments exit 2', { timeout: 60_000 }, async () => {
    const home = newHome()
    await runCli(['id', '--home', home])
    await writeFile(join(home, 'friends.json'), '{"friends":[{"peer":"nope"}]}')
    const bad = await runCli(['friends', '--home', home])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('friends[0].peer is not a peer ID')
    const none = await runCli(['friends', 'add', '--home', home])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('give exactly one PEER_ID or NAME')
    expect((await runCli(['friends', '--bogus'])).code).toBe(2)
  })
})

describe('p2pgo friends with a node running in the home', () => {
  let home: string
  let node: P2pgoNode
  let close: () => Promise<void>
  const others: NetNode[] = []

  beforeAll(async () => {
    home = newHome()
    ;({ node, close } = await openNode({ home, local: true, listen: '/ip4/127.0.0.1/tcp/0', 'no-rendezvous': true }, 'player'))
    await node.start()
    const address = node.libp2p.getMultiaddrs()[0].toString()
    for (const name of ['Bob', 'Carol', 'Carol']) others.push(await startNode([address], name))
    const ratings = { 9: { mu: 25, sigma: 8 } }
    node.lobby.setPresence({ name: 'Me', sizes: [9], ratings, status: 'idle' })
    for (const [i, x] of others.entries()) x.node.lobby.setPresence({ name: ['Bob', 'Carol', 'Carol'][i], sizes: [9], ratings, status: 'idle' })
    await until(() => node.lobby.presences().length === 3, 'the lobby to show the three players', 60_000)
  }, 120_000)

  afterAll(async () => {
    await stopAll(others)
    await close?.()
  })

  it('adds a name seen in the lobby, refuses an ambiguous or unknown one, and lists the friend\'s status', async () => {
    const bob = others[0].node.libp2p.peerId.toString()
    const added = await runCli(['friends', 'add', '--home', home, '--json', 'Bob'])
    expect(added.stderr).toBe('')
    expect(JSON.parse(added.stdout)).toEqual({ added: { peer: bob, name: 'Bob' } })
    const ambiguous = await runCli(['friends', 'add', '--home', home, 'Carol'])
    expect(ambiguous.code).toBe(1)
    expect(ambiguous.stderr).toContain('2 players are named "Carol"')
    const unknown = await runCli(['friends', 'add', '--home', home, 'Dave'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('nobody named "Dave" is in the lobby now')
    // Bob's node puts its presence record; the running node reads it (as it does every 2 minutes).
    const friends = node.friends
    if (friends == null || others[0].node.friends == null) throw new Error('player nodes run the friends service')
    const bobFriends = others[0].node.friends
    await until(async () => (await bobFriends.putOwn()) || bobFriends.lastPut?.kind === 'open', 'Bob\'s record to be put', 60_000)
    await until(async () => (await friends.read(bob)).state === 'open', 'Bob to be read as open', 60_000)
    const list = await runCli(['friends', '--home', home, '--json'])
    expect(JSON.parse(list.stdout)).toMatchObject({ running: true, friends: [{ peer: bob, name: 'Bob', state: 'open', sizes: [9] }] })
    const removed = await runCli(['friends', 'remove', '--home', home, 'Bob'])
    expect(removed.code).toBe(0)
    expect(friends.statuses()).toEqual([])
  }, 180_000)
})
