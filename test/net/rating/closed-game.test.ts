// A rated game closed without the opponent's signature on its end (here: the opponent vanished
// and this player claimed the flag) holds its board size no longer: the next game is rated.
import { afterEach, describe, expect, it } from 'vitest'
import { startNode, stopAll, terms, until, type NetNode } from './harness.js'
import type { GameTerms } from '../../../src/wire/game-start.js'

let nodes: NetNode[] = []
afterEach(async () => { await stopAll(nodes); nodes = [] })

describe('ratings and a closed game', () => {
  it('a flag claimed on a vanished opponent frees the size for the next rated game', async () => {
    const a = await startNode([], 'a')
    const b = await startNode([], 'b')
    nodes = [a, b]
    await a.node.libp2p.dial(b.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
    const closed: string[] = []
    a.node.addEventListener('game:closed', e => { closed.push(e.detail.gameId) })
    const timed: GameTerms = { ...terms, tc: { kind: 'absolute', mainMs: 5_000 } }
    // a is White: Black (b) is on the clock from the start, and vanishes.
    const started = await a.node.challenge.propose(b.node.libp2p.peerId, { terms: timed, color: 'white', name: 'a' }, { signal: AbortSignal.timeout(20_000) })
    expect(started.start.ratings).toBeDefined()
    await until(() => b.node.games.session(started.gameId) != null, 'b to start the game')
    expect(a.node.ratings.claim(9)).toBeUndefined()
    await b.node.stop()
    await until(() => closed.includes(started.gameId.toString()), 'a to close the game on the flag', 60_000)
    expect(a.node.ratings.claim(9)).toBeDefined()
  })
})
