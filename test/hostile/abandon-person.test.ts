// A person in the terminal client whose opponent agrees a game and vanishes: told when it may
// leave, leaves with `L` (no result), and is free for the next challenge. Real nodes on 127.0.0.1.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { ClientState } from '../../src/tui/client-state.js'
import { actionOf } from '../../src/tui/keys.js'
import { startNode, stopAll, terms, until, type NetNode } from '../net/rating/harness.js'

let nodes: NetNode[] = []
const states: ClientState[] = []
afterEach(async () => {
  for (const s of states.splice(0)) s.stop()
  await stopAll(nodes)
  nodes = []
})

describe('a person whose opponent vanished', () => {
  it('is told it may leave, leaves without result, and answers the next challenge', async () => {
    const key = await generateKeyPair('Ed25519')
    // The person's node waits 2 s on a silent opponent (config.json's abandonAfterSeconds).
    const config = { ...defaultConfig({ userName: 'ann' }), listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: 'off' as const, abandonAfterSeconds: 2 }
    const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true })
    await node.start()
    const ann: NetNode = { node, key }
    const address = node.libp2p.getMultiaddrs()[0].toString()
    const bob = await startNode([address], 'bob')
    nodes = [ann, bob]
    const state = new ClientState(node, 9)
    states.push(state)
    state.start()
    await until(() => bob.node.libp2p.getConnections(node.libp2p.peerId).length > 0, 'bob to connect')
    // Bob takes Black, agrees, and disappears without a move.
    const proposal = bob.node.challenge.propose(node.libp2p.peerId, { terms, color: 'black', name: 'bob' }, { signal: AbortSignal.timeout(20_000) })
    await until(() => state.challenges.length === 1, 'the challenge waiting')
    state.answer(true)
    const started = await proposal
    await until(() => state.session()?.gameId.toString() === started.gameId.toString(), 'the game on screen')
    await bob.node.stop()
    await until(() => state.notice.includes('L leaves the game'), 'the client to offer leaving')
    expect(actionOf('board', 'L')).toBe('leave')
    state.act(async s => s.abandon(), 'you left the game: no result')
    await until(() => node.games.over(started.gameId), 'the game to close')
    await until(() => state.notice.includes('no result') || state.notice.includes('not rated'), 'the client to say so')
    expect(state.session()?.end?.result).toBe('Void')
    // Back in the lobby, the next challenge waits for the person's answer instead of "busy".
    state.leaveGame()
    const carl = await startNode([address], 'carl')
    nodes.push(carl)
    await until(() => carl.node.libp2p.getConnections(node.libp2p.peerId).length > 0, 'carl to connect')
    const next = carl.node.challenge.propose(node.libp2p.peerId, { terms, color: 'black', name: 'carl' }, { signal: AbortSignal.timeout(20_000) })
    await until(() => state.challenges.length === 1, 'carl\'s challenge waiting')
    state.answer(true)
    expect((await next).gameId).toBeDefined()
  })
})
