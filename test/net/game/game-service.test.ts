import { afterEach, describe, expect, it } from 'vitest'
import { agree, gameNode, until, type GameNode } from '../../helpers/game-nodes.js'
import { GAME_PROTOCOL } from '../../../src/net/game/constants.js'
import { encodeFrame } from '../../../src/wire/frame.js'
import { encodeGameMessage, actToSign, ACT_DOMAIN, actMessage } from '../../../src/wire/game-messages.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { sign } from '../../../src/wire/signing.js'
import { cidOf } from '../../../src/wire/cid.js'

const running: GameNode[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map(async n => n.stop()))
})

async function pair () {
  const a = await gameNode()
  const b = await gameNode()
  running.push(a.node, b.node)
  await a.node.peerStore.merge(b.node.peerId, { multiaddrs: b.node.getMultiaddrs() })
  await b.node.peerStore.merge(a.node.peerId, { multiaddrs: a.node.getMultiaddrs() })
  const { start, gameId } = await agree(a.key, b.key)
  await a.node.services.games.startGame({ start, gameId, opponent: b.node.peerId, me: 'B' })
  await b.node.services.games.startGame({ start, gameId, opponent: a.node.peerId, me: 'W' })
  return { a, b, gameId, start }
}

describe('game service over real libp2p connections', () => {
  it('plays a game to a co-signed result, both stores alike', async () => {
    const { a, b, gameId } = await pair()
    const ga = a.node.services.games
    const gb = b.node.services.games
    const ended: string[] = []
    ga.addEventListener('game:ended', e => { if (e.detail.cosigned) ended.push('a') })
    gb.addEventListener('game:ended', e => { if (e.detail.cosigned) ended.push('b') })
    await ga.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => gb.session(gameId)!.game.moves.length === 1, 'white to see black\'s move')
    await gb.perform(gameId, s => s.move({ x: 3, y: 3 }))
    await until(() => ga.session(gameId)!.game.moves.length === 2, 'black to see white\'s move')
    await gb.perform(gameId, s => s.chat('good game'))
    await ga.perform(gameId, s => s.resign())
    await until(() => ended.length === 2, 'both sides to hold both signatures (and store them)')
    const sa = await ga.storage.get(gameId)
    const sb = await gb.storage.get(gameId)
    expect(sa.meta.result).toBe('W+R')
    expect(sb.meta.result).toBe('W+R')
    for (const side of ['B', 'W'] as const) {
      expect(sa.acts[side].map(x => cidOf(actMessage(x)).toString())).toEqual(sb.acts[side].map(x => cidOf(actMessage(x)).toString()))
    }
    const stats = ga.deliveryStats().get(b.node.peerId.toString())
    expect(stats?.acked).toBeGreaterThan(0)
    expect(stats?.lastMethod).toBe('direct')
  })

  it('keeps moves made while disconnected and delivers them once, after reconnecting', async () => {
    const { a, b, gameId } = await pair()
    const ga = a.node.services.games
    const gb = b.node.services.games
    await ga.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => gb.session(gameId)!.game.moves.length === 1, 'the first move')
    // Cut the connection: the next move waits in the outbox and is retried until it lands.
    await a.node.hangUp(b.node.peerId)
    await gb.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => ga.session(gameId)!.game.moves.length === 2, 'the move made while cut off')
    await ga.perform(gameId, s => s.move({ x: 6, y: 6 }))
    await until(() => gb.session(gameId)!.game.moves.length === 3, 'the next move')
    expect(gb.session(gameId)!.turnActs.map(t => t.ply)).toEqual([0, 1, 2])
    expect(ga.session(gameId)!.turnActs.map(t => t.ply)).toEqual([0, 1, 2])
  })

  it('resumes a game after a restart with the same key and datastore', async () => {
    const { a, b, gameId } = await pair()
    const ga = a.node.services.games
    await ga.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => b.node.services.games.session(gameId)!.game.moves.length === 1, 'the first move')
    await b.node.services.games.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => ga.session(gameId)!.game.moves.length === 2, 'the second move')
    await b.node.stop()
    // Black moves while White is down: the move waits in Black's outbox.
    await ga.perform(gameId, s => s.move({ x: 6, y: 6 }))
    const again = await gameNode(b.key, b.datastore)
    running.push(again.node)
    const gb = again.node.services.games
    // The restarted node rebuilt the game from its own store before hearing from Black.
    expect(gb.session(gameId)!.turnActs).toHaveLength(2)
    await until(() => gb.session(gameId)!.game.moves.length === 3, 'the move made while White was down')
    await gb.perform(gameId, s => s.move({ x: 2, y: 6 }))
    await until(() => ga.session(gameId)!.game.moves.length === 4, 'White\'s move after the restart')
    expect(ga.session(gameId)!.turnActs.map(t => t.ply)).toEqual([0, 1, 2, 3])
    expect(gb.session(gameId)!.turnActs.map(t => t.ply)).toEqual([0, 1, 2, 3])
  })

  it('resumes a stored game once, however often afterStart is called (libp2p, then P2pgoNode.start)', async () => {
    const { a, b, gameId } = await pair()
    const ga = a.node.services.games
    await ga.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => b.node.services.games.session(gameId)!.game.moves.length === 1, 'the first move')
    await b.node.services.games.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => ga.session(gameId)!.game.moves.length === 2, 'the second move')
    await b.node.stop()
    // Black's move waits in its outbox while White is down.
    await ga.perform(gameId, s => s.move({ x: 6, y: 6 }))
    // gameNode starts libp2p (which resumes the game) and calls afterStart again, as P2pgoNode.start does.
    const again = await gameNode(b.key, b.datastore)
    running.push(again.node)
    const gb = again.node.services.games
    const resumed = gb.session(gameId)!
    const started: string[] = []
    gb.addEventListener('game:started', e => { started.push(e.detail.gameId.toString()) })
    await until(() => resumed.turnActs.length === 3, 'the act Black made while White was down, on the resumed session')
    await gb.afterStart()
    // Still the session that received Black's act: a second one, read from the store earlier, would
    // lack it while Black counts it as delivered, and neither side would ever move again.
    expect(gb.session(gameId)).toBe(resumed)
    expect(gb.games).toHaveLength(1)
    expect(started).toEqual([])
    await gb.perform(gameId, s => s.move({ x: 2, y: 6 }))
    await until(() => ga.session(gameId)!.turnActs.length === 4, 'White\'s move after the restart')
  })

  it('refuses garbage, oversized frames and forged acts, reports the peer, and keeps the game intact', async () => {
    const { a, b, gameId } = await pair()
    const gb = b.node.services.games
    await a.node.services.games.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => gb.session(gameId)!.game.moves.length === 1, 'the first move')
    const rejected: string[] = []
    gb.addEventListener('rejected', e => { rejected.push(e.detail.reason) })
    // A third peer (a stranger) and the real opponent both try their luck on raw streams.
    const stranger = await gameNode()
    running.push(stranger.node)
    const s1 = await stranger.node.dialProtocol(b.node.getMultiaddrs()[0], GAME_PROTOCOL)
    s1.send(encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 0, sent: 0 })))
    await until(() => rejected.includes('wrong-game'), 'the stranger to be refused')
    const s2 = await a.node.dialProtocol(b.node.peerId, GAME_PROTOCOL)
    s2.send(encodeFrame(encodeGameMessage({ t: 'hello', game: gameId, have: 1, sent: 1 })))
    s2.send(encodeFrame(encodeCanonical({ v: 1, t: 'act', junk: true })))
    s2.send(encodeFrame(new Uint8Array([0xff, 0x00, 0x13])))
    const first = a.node.services.games.session(gameId)!.acts.B[0]
    const forged = { game: gameId, by: 'B' as const, n: 2, prev: cidOf(actMessage(first)), seen: 0, at: 0, kind: 'move' as const, ply: 1, x: 0, y: 0, clock: 0 }
    // Signed by the wrong key (the stranger's), and then out of turn with the right one.
    const wrongKey = await sign(stranger.key, ACT_DOMAIN, actToSign(forged))
    s2.send(encodeFrame(encodeGameMessage({ t: 'act', ...forged, sig: wrongKey.sig })))
    const outOfTurn = await sign(a.key, ACT_DOMAIN, actToSign(forged))
    s2.send(encodeFrame(encodeGameMessage({ t: 'act', ...forged, sig: outOfTurn.sig })))
    await until(() => rejected.filter(r => r === 'malformed').length >= 2 && rejected.includes('bad-signature') && rejected.includes('not-your-turn'), 'every bad message to be refused')
    // Oversized frame: a length prefix far beyond the limit closes the stream (and says why).
    expect(s2.status).toBe('open')
    s2.send(new Uint8Array([0xff, 0xff, 0xff, 0x7f]))
    await until(() => s2.status !== 'open' || s2.readStatus !== 'readable', 'the stream to be closed', 5000)
    expect(rejected).toContain('too-large')
    expect(gb.session(gameId)!.game.moves.length).toBe(1)
    expect(gb.session(gameId)!.have).toBe(1)
    const stored = await gb.storage.get(gameId)
    expect(stored.acts.B).toHaveLength(1)
    // The honest game goes on.
    await gb.perform(gameId, s => s.move({ x: 3, y: 3 }))
    await until(() => a.node.services.games.session(gameId)!.game.moves.length === 2, 'the game to go on')
  })
})
