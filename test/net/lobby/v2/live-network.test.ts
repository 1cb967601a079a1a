// Live games in the lobby on real nodes (protocols/watch.md, "Live games in the lobby"): a player
// who starts a game is listed as a live game by a node following its bucket, the ply advancing
// as the players republish, and removed when the game ends; a forged live entry is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNode, stopAll, terms, until, type NetNode } from '../../rating/harness.js'
import { lobbyV2Topic } from '../../../../src/net/lobby/v2/index.js'
import { liveTopic } from '../../../../src/net/lobby/v2/live.js'
import { forgeV2 } from './forge.js'
import type { LobbyLiveGame, LobbyRejection } from '../../../../src/net/lobby/index.js'
import type { CID } from 'multiformats/cid'

describe('live games in the lobby, on real nodes', () => {
  let nodes: NetNode[] = []
  let black: NetNode
  let white: NetNode
  let carol: NetNode
  let mallory: NetNode
  let gameId: CID
  const removed: Array<{ live: LobbyLiveGame, reason: string }> = []
  const rejected: LobbyRejection[] = []
  const listed = (): LobbyLiveGame | undefined => carol.node.lobby.liveGames().find(g => g.gameId.equals(gameId))

  beforeAll(async () => {
    const boot = await startNode([], 'boot')
    const address = boot.node.libp2p.getMultiaddrs()[0].toString()
    nodes = [boot, ...await Promise.all(['Black', 'White', 'Carol', 'Mallory'].map(async name => await startNode([address], name)))]
    ;[, black, white, carol, mallory] = nodes
    // Carol looks at 9×9 games: she follows her bucket there, where newcomers' games go.
    carol.node.lobby.follow([9])
    carol.node.lobby.addEventListener('live:removed', e => { removed.push(e.detail) })
    carol.node.lobby.addEventListener('rejected', e => { rejected.push(e.detail) })
    for (const n of [black, white, mallory]) await n.node.libp2p.dial(carol.node.libp2p.getMultiaddrs()[0])
  }, 120_000)

  afterAll(async () => { await stopAll(nodes) }, 60_000)

  it('lists a game as soon as a player starts it', async () => {
    const started = await black.node.challenge.propose(white.node.libp2p.peerId, { terms, color: 'black', name: 'Black' }, { signal: AbortSignal.timeout(20_000) })
    gameId = started.gameId
    await until(() => white.node.games.session(gameId) != null, 'the game to start on both sides')
    // As the terminal client does: a player in a game is not open to games.
    for (const p of [black, white]) p.node.lobby.setPresence({ name: p === black ? 'Black' : 'White', sizes: [9], status: 'playing' })
    await until(() => listed() != null, 'Carol to list the game', 60_000)
    const game = listed() as LobbyLiveGame
    expect(game.size).toBe(9)
    expect(game.black.equals(black.node.libp2p.peerId)).toBe(true)
    expect(game.white.equals(white.node.libp2p.peerId)).toBe(true)
    expect(game.names.B.length).toBeGreaterThan(0)
    expect(game.ply).toBe(0)
    expect(game.watchers).toBe(0)
    expect(game.age).toBeGreaterThanOrEqual(0)
  }, 120_000)

  it('shows the ply advancing as the players republish', async () => {
    await black.node.games.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => white.node.games.session(gameId)?.turnActs.length === 1, 'the move to reach White')
    await white.node.games.perform(gameId, s => s.move({ x: 6, y: 6 }))
    await until(() => (listed()?.ply ?? 0) === 2, 'Carol to see two moves played (a republish, within 1.5 periods of 30 s)', 120_000)
  }, 150_000)

  it('refuses a live entry signed by another key than its author\'s, or by someone not playing', async () => {
    const topic = lobbyV2Topic(liveTopic({ peer: black.node.libp2p.peerId.toMultihash().bytes, black: black.node.libp2p.peerId.toMultihash().bytes, size: 9 }).size, liveTopic({ peer: new Uint8Array(), black: new Uint8Array([1]), size: 9 }).bucket)
    const base = { t: 'live' as const, game: gameId, size: 9 as const, black: black.node.libp2p.peerId.toMultihash().bytes, white: white.node.libp2p.peerId.toMultihash().bytes, names: { B: 'Black', W: 'White' }, ply: 300, watchers: 99, expires: Date.now() + 60_000, seq: Date.now() + 10_000_000 }
    const me = mallory.node.libp2p.peerId.toMultihash().bytes
    // Mallory subscribes, so gossipsub knows a mesh for the topic on his side.
    mallory.node.lobby.follow([9])
    await until(() => mallory.node.libp2p.services.pubsub.getSubscribers(topic).some(p => p.equals(carol.node.libp2p.peerId)), 'Mallory to see Carol on the topic')
    await mallory.node.libp2p.services.pubsub.publish(topic, await forgeV2({ ...base, peer: me }, mallory.key))
    await until(() => rejected.some(r => r.peer.equals(mallory.node.libp2p.peerId) && r.reason === 'schema'), 'Carol to refuse Mallory\'s entry for a game he does not play')
    expect(rejected.find(r => r.reason === 'schema')?.message).toMatch(/one of the game's players/)
    // In Black's name, signed by Mallory: gossipsub's envelope is Mallory's, and the lobby's signature is not Black's.
    await mallory.node.libp2p.services.pubsub.publish(topic, await forgeV2({ ...base, peer: base.black }, mallory.key))
    await until(() => rejected.some(r => r.peer.equals(mallory.node.libp2p.peerId) && r.reason === 'wrong'), 'Carol to refuse the entry signed in Black\'s name')
    expect(listed()?.ply).toBe(2)
  }, 60_000)

  it('removes the game when it ends', async () => {
    await white.node.games.perform(gameId, s => s.resign())
    await until(() => listed() == null, 'Carol to drop the game once it ended', 60_000)
    expect(removed.filter(r => r.live.gameId.equals(gameId)).map(r => r.reason)).toEqual(['left'])
  }, 90_000)
})
