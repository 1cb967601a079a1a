// A slot does not move while a game's opponent is connected through the old relay's circuit:
// closing the connection to the relay (which is what frees a reservation) would cut the game.
// Real relays, a real game between two nodes on 127.0.0.1, over the relay.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { agree, gameNode, until } from '../../helpers/game-nodes.js'
import { games, type GameServiceInit } from '../../../src/net/game/index.js'
import { relayChoice, type FoundRelay, type RelayMove } from '../../../src/net/relay-choice/index.js'
import { addressOf, fill, loadFrom, playerNode, relayNode, relaysOf, type RelayNode } from './relays.js'
import type { GameService } from '../../../src/net/game/game-service.js'
import type { Libp2p } from 'libp2p'

const ids = (...nodes: Libp2p[]): string => nodes.map(n => n.peerId.toString()).sort().join()

/** Whether a game in progress (not over) is played with `peer`: how node-services.ts wires it. */
function playingOn (service: () => GameService): (peer: string) => boolean {
  return peer => service().games.some(s => service().opponentOf(s.gameId) === peer && !service().over(s.gameId))
}

describe('relay choice defers a move while a game runs through the old relay', () => {
  const started: Libp2p[] = []
  afterEach(async () => { await Promise.all(started.splice(0).map(async n => { await n.stop() })) })

  it('keeps the slot on the loaded relay while the game is on it, and moves it once the game is over', async () => {
    const relays: RelayNode[] = [await relayNode(10), await relayNode(10), await relayNode(10)]
    const [loaded, a, b] = relays
    started.push(...relays)
    await Promise.all([loaded, a].map(async r => { await r.start() }))
    await fill(loaded, 8, started)
    const found: FoundRelay[] = []
    const ref: { games?: GameService } = {}
    const gamesInit: GameServiceInit = { retryMs: 200, maxRetryMs: 1000 }
    const playerKey = await generateKeyPair('Ed25519')
    const player = await playerNode({ privateKey: playerKey, bootstrap: [loaded, a].map(addressOf) }, {
      games: games(gamesInit),
      relayChoice: relayChoice({
        slots: 2,
        bootstrap: [loaded, a].map(addressOf),
        load: loadFrom(relays, 10),
        findRelays: async function * () { yield * found },
        playing: playingOn(() => ref.games as GameService),
        interval: 300,
        firstDelay: 0
      })
    })
    started.push(player)
    ref.games = player.services.games
    const deferred: RelayMove[] = []
    const moved: RelayMove[] = []
    player.services.relayChoice.addEventListener('relay-choice:deferred', e => { deferred.push(e.detail) })
    player.services.relayChoice.addEventListener('relay-choice:moved', e => { moved.push(e.detail) })
    await player.start()
    await player.services.games.afterStart()
    await until(() => relaysOf(player).join() === ids(loaded, a), 'slots on the only two relays')

    // The opponent has no address of its own: it reaches the player through the loaded relay only.
    const opponent = await gameNode(undefined, undefined, 200, { listen: [] })
    started.push(opponent.node)
    await opponent.node.dial(multiaddr(`${addressOf(loaded)}/p2p-circuit/p2p/${player.peerId.toString()}`))
    const { start, gameId } = await agree(opponent.key, playerKey)
    await opponent.node.services.games.startGame({ start, gameId, opponent: player.peerId, me: 'B' })
    await player.services.games.startGame({ start, gameId, opponent: opponent.node.peerId, me: 'W' })
    await opponent.node.services.games.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => player.services.games.session(gameId)?.game.moves.length === 1, 'the first move, over the relay')

    // A better relay appears: the move from the loaded relay is decided, and deferred.
    await b.start()
    found.push({ id: b.peerId, multiaddrs: b.getMultiaddrs() })
    await until(() => deferred.length >= 2, 'two rounds that defer the move')
    expect(deferred[0]).toEqual({ from: loaded.peerId.toString(), to: b.peerId.toString(), opponents: [opponent.node.peerId.toString()] })
    expect(moved).toEqual([])
    expect(relaysOf(player)).toContain(loaded.peerId.toString())
    await player.services.games.perform(gameId, s => s.move({ x: 3, y: 3 }))
    await until(() => opponent.node.services.games.session(gameId)?.game.moves.length === 2, 'the game still going over the relay')

    // The game ends (resigned, both signatures held): the slot moves.
    await opponent.node.services.games.perform(gameId, s => s.resign())
    await until(() => player.services.games.over(gameId) && opponent.node.services.games.over(gameId), 'the game to be over on both sides')
    await until(() => relaysOf(player).join() === ids(a, b), 'the slot to move to the new relay', 30_000)
    expect(moved).toEqual([{ from: loaded.peerId.toString(), to: b.peerId.toString() }])
  })
})
