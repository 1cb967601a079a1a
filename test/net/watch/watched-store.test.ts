// Games watched to their end are kept (protocols/watch.md; review): a watcher on 127.0.0.1 that
// saw a game to its co-signed result restarts on the same datastore, still lists the game, opens
// it as the players' own record, and serves it to a new watcher that knows nobody else. A kept
// game altered on disk is neither shown nor served.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { Key } from 'interface-datastore'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNode, stopAll, terms, until, type NetNode } from '../rating/harness.js'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { WatchedGameCorruptError } from '../../../src/net/watch/watched-store.js'
import { decodeGameMessage, encodeGameMessage } from '../../../src/wire/game-messages.js'
import type { CID } from 'multiformats/cid'
import { finishedGames } from '../../../src/tui/game-list.js'
import { askWatch, WatchRefusedError } from '../../../src/net/watch/ask.js'
import type { AbortOptions, PeerId, PrivateKey } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

const MOVES = 10
const point = (ply: number): { x: number, y: number } => ({ x: Math.floor(ply / 2), y: ply % 2 === 0 ? 0 : 4 })

/** A full node on a datastore and key of the test's choosing: the same two make the same node again. */
async function nodeOn (datastore: MemoryDatastore, key: PrivateKey): Promise<NetNode> {
  const config = { ...defaultConfig({ userName: 'watcher' }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: key, datastore, config, role: 'player', privateNetwork: true })
  await node.start()
  return { node, key }
}

describe('games watched to their end are kept', () => {
  let nodes: NetNode[] = []
  let black: NetNode
  let white: NetNode
  let gameId: CID
  const datastore = new MemoryDatastore()
  let key: PrivateKey

  const knows = async (who: NetNode, other: NetNode): Promise<void> => {
    await who.node.libp2p.peerStore.merge(other.node.libp2p.peerId, { multiaddrs: other.node.libp2p.getMultiaddrs() })
  }

  beforeAll(async () => {
    ;[black, white] = await Promise.all([startNode([], 'black'), startNode([], 'white')])
    nodes = [black, white]
    key = await generateKeyPair('Ed25519')
    await knows(black, white)
    const started = await black.node.challenge.propose(white.node.libp2p.peerId, { terms, color: 'black', name: 'black' }, { signal: AbortSignal.timeout(20_000) })
    gameId = started.gameId
    await until(() => white.node.games.session(gameId) != null, 'the game to start on both sides')
  }, 60_000)

  afterAll(async () => { await stopAll(nodes) })

  it('keeps the game, lists it and opens it after a restart, and serves it to a new watcher', async () => {
    const watcher = await nodeOn(datastore, key)
    nodes.push(watcher)
    await knows(watcher, black)
    await knows(watcher, white)
    const watching = await watcher.node.watch.watch(gameId, { holders: [black.node.libp2p.peerId, white.node.libp2p.peerId] })
    for (let ply = 0; ply < MOVES; ply++) {
      const [mover, other] = ply % 2 === 0 ? [black, white] : [white, black]
      await mover.node.games.perform(gameId, s => s.move(point(ply)))
      await until(() => (other.node.games.session(gameId)?.turnActs.length ?? 0) > ply, `move ${ply + 1} to reach the opponent`)
    }
    expect(await watcher.node.watch.watched()).toEqual([])
    await white.node.games.perform(gameId, s => s.resign())
    await until(() => watching.game?.finished === true, 'the watcher to see the co-signed result')
    await until(async () => (await watcher.node.watch.watched()).some(id => id.equals(gameId)), 'the watched game to be kept')
    const own = await black.node.games.record(gameId)
    expect(await watcher.node.watch.watchedRecord(gameId)).toEqual(own)

    // The watcher restarts on the same datastore.
    await watcher.node.stop()
    const again = await nodeOn(datastore, key)
    nodes.push(again)
    expect((await again.node.watch.watched()).map(String)).toEqual([gameId.toString()])
    const record = await again.node.watch.watchedRecord(gameId)
    expect(record).toEqual(own)
    expect(record.moves).toHaveLength(MOVES)
    expect(record.result).toBe('B+R')
    // The terminal client's `g` list shows it, and opens it with this record.
    const rows = await finishedGames(again.node)
    expect(rows.map(r => r.id)).toEqual([gameId.toString()])
    expect(rows[0].line).toMatch(/9x9 {2}watched: .+ \(B\) vs .+ \(W\) {2}B\+R$/)

    // A new watcher that knows only the restarted one gets the whole game from it.
    const late = await startNode([], 'late')
    nodes.push(late)
    await knows(late, again)
    const lateWatching = await late.node.watch.watch(gameId, { holders: [again.node.libp2p.peerId] })
    await until(() => lateWatching.game?.finished === true, 'the new watcher to get the whole game from the restarted one')
    expect(lateWatching.game!.turnActs.map(a => ({ x: a.x, y: a.y }))).toEqual(Array.from({ length: MOVES }, (_, ply) => point(ply)))
    expect(lateWatching.game!.end?.result).toBe('B+R')
  }, 120_000)

  it('shows and serves nothing of a kept game altered on disk', async () => {
    const keys: Key[] = []
    for await (const k of datastore.queryKeys({ prefix: `/p2pgo/watched/${gameId.toString()}/acts/` })) keys.push(k)
    const third = keys.map(String).sort()[2]
    const m = decodeGameMessage(await datastore.get(new Key(third)))
    if (m.t !== 'act') throw new Error('not an act')
    await datastore.put(new Key(third), encodeGameMessage({ ...m, x: 8, y: 8 }))
    const again = nodes.at(-2)!
    await expect(again.node.watch.watchedRecord(gameId)).rejects.toThrow(WatchedGameCorruptError)
    await expect(again.node.watch.watchedRecord(gameId)).rejects.toThrow(/fails its checks .*signature/)
    const late = nodes.at(-1)!
    const dialler = { openConnection: async (peer: PeerId, options: AbortOptions) => late.node.libp2p.dial(peer, options), getConnections: (peer: PeerId) => late.node.libp2p.getConnections(peer) } as unknown as ConnectionManager
    const asked = async (): Promise<unknown> => {
      try {
        for await (const _ of askWatch(dialler, again.node.libp2p.peerId, gameId, { have: { B: 0, W: 0 }, follow: false })) { /* refused first */ }
      } catch (err) {
        return err
      }
    }
    const refusal = await asked()
    expect(refusal).toBeInstanceOf(WatchRefusedError)
    expect((refusal as WatchRefusedError).reason).toBe('unknown-game')
  })
})
