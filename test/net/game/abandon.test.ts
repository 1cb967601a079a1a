import { afterEach, describe, expect, it } from 'vitest'
import { agree, gameNode, until, type GameNode } from '../../helpers/game-nodes.js'
import type { GameService } from '../../../src/net/game/index.js'
import type { CID } from 'multiformats/cid'

/** Short enough for a test; the node's setting (config.json's abandonAfterSeconds). */
const LIMIT_MS = 1_500

const running: GameNode[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map(async n => n.stop()))
})

async function pair (me: 'B' | 'W' = 'B') {
  const a = await gameNode(undefined, undefined, 200, {}, { abandonAfterMs: LIMIT_MS })
  const b = await gameNode(undefined, undefined, 200, {}, { abandonAfterMs: LIMIT_MS })
  running.push(a.node, b.node)
  await a.node.peerStore.merge(b.node.peerId, { multiaddrs: b.node.getMultiaddrs() })
  await b.node.peerStore.merge(a.node.peerId, { multiaddrs: a.node.getMultiaddrs() })
  const { start, gameId } = me === 'B' ? await agree(a.key, b.key) : await agree(b.key, a.key)
  await a.node.services.games.startGame({ start, gameId, opponent: b.node.peerId, me })
  await b.node.services.games.startGame({ start, gameId, opponent: a.node.peerId, me: me === 'B' ? 'W' : 'B' })
  return { a, b, gameId }
}

function closedOf (games: GameService): Array<{ gameId: CID, result: string, reason: string }> {
  const out: Array<{ gameId: CID, result: string, reason: string }> = []
  games.addEventListener('game:closed', e => { out.push(e.detail) })
  return out
}

describe('a game whose opponent vanished holds its player no longer (protocols/game.md, "Abandonment")', () => {
  it('says when the player may leave a silent opponent, closes the game it leaves, and does not resume it after a restart', async () => {
    const { a, b, gameId } = await pair('B')
    const ga = a.node.services.games
    const closed = closedOf(ga)
    const silent: number[] = []
    ga.addEventListener('game:silent', e => { silent.push(e.detail.since) })
    // Two turns each way first: past the first two turns, leaving is an abandonment the opponent can check.
    await ga.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => b.node.services.games.session(gameId)?.game.moves.length === 1, 'White to see the move')
    await b.node.services.games.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => ga.session(gameId)?.game.moves.length === 2, 'Black to see White\'s move')
    await ga.perform(gameId, s => s.move({ x: 6, y: 6 }))
    await until(() => ga.session(gameId)?.acked === 2, 'White to acknowledge')
    await b.node.stop()
    expect(ga.over(gameId)).toBe(false)
    await until(() => silent.length > 0, 'the silence to be reported')
    await ga.perform(gameId, s => s.abandon())
    await until(() => closed.length > 0, 'the game to close')
    expect(closed[0]).toMatchObject({ result: 'Void', reason: 'abandoned' })
    expect(ga.session(gameId)?.end).toEqual({ result: 'Void', turns: 3 })
    expect(ga.over(gameId)).toBe(true)
    expect(ga.playing(b.node.peerId.toString())).toBe(false)
    expect((await ga.storage.get(gameId)).meta.closedAt).toBeGreaterThan(0)
    await a.node.stop()
    const again = await gameNode(a.key, a.datastore, 200, {}, { abandonAfterMs: LIMIT_MS })
    running.push(again.node)
    expect(again.node.services.games.session(gameId)).toBeUndefined()
  })

  it('gives up waiting for the signature of an end the opponent never signs', async () => {
    const { a, b, gameId } = await pair('B')
    const ga = a.node.services.games
    const closed = closedOf(ga)
    await ga.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => b.node.services.games.session(gameId)?.game.moves.length === 1, 'White to see the move')
    await b.node.stop()
    await ga.perform(gameId, s => s.resign())
    expect(ga.over(gameId)).toBe(false)
    await until(() => closed.length > 0, 'the unsigned end to be given up')
    expect(closed[0]).toMatchObject({ result: 'W+R', reason: 'unsigned' })
  })

  it('still takes the signature of an opponent that comes back while the node runs', async () => {
    const { a, b, gameId } = await pair('W')
    const ga = a.node.services.games
    const closed = closedOf(ga)
    const cosigned: string[] = []
    ga.addEventListener('game:ended', e => { if (e.detail.cosigned) cosigned.push(e.detail.result) })
    await b.node.stop()
    await until(() => ga.session(gameId)?.mayLeave() === true, 'White to have waited its limit on Black')
    await ga.perform(gameId, s => s.abandon())
    await until(() => closed.length > 0, 'the game to close')
    const back = await gameNode(b.key, b.datastore, 200, {}, { abandonAfterMs: LIMIT_MS })
    running.push(back.node)
    await back.node.peerStore.merge(a.node.peerId, { multiaddrs: a.node.getMultiaddrs() })
    await until(() => cosigned.length > 0, 'Black to sign the end on its return')
    expect(cosigned).toEqual(['Void'])
    expect((await ga.storage.get(gameId)).meta.finishedAt).toBeGreaterThan(0)
  })
})
