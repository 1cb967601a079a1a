// Offline challenges with real p2pgo nodes on 127.0.0.1 (protocols/post.md): the two players
// listen only on a slot on one bootstrap relay and are never online together until the game has
// begun on both sides; everything between them waits in the relay's mailbox.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { day } from '../../../src/units.js'
import { World, postOf, until, type Player } from './world.js'
import type { GameTerms } from '../../../src/wire/game-start.js'
import type { StartedGame } from '../../../src/net/game/game-service.js'

const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day } }

describe('an offline challenge', () => {
  let world: World
  let alice: Player
  let bob: Player
  beforeEach(async () => {
    world = new World()
    await world.start()
    ;({ alice, bob } = await world.aliceAndAbsentBob())
  }, 60_000)
  afterEach(async () => { await world.stop() })

  it('is accepted when the player comes back, and the game is played', { timeout: 120_000 }, async () => {
    const bobId = peerIdFromPrivateKey(bob.key).toString()
    const aliceId = peerIdFromPrivateKey(alice.key).toString()
    const sent = await postOf(alice).challenge(bobId, { terms, color: 'black' })
    expect(sent.via).toBe('mailbox')
    expect((await postOf(alice).pending()).map(p => ({ id: p.id, state: p.state, peer: p.peer }))).toEqual([{ id: sent.id, state: 'sent', peer: bobId }])
    await world.down(alice)

    // Bob returns: the challenge is in his inbox.
    await world.up(bob)
    await until(async () => (await postOf(bob).inbox()).length === 1, 'the challenge in Bob\'s inbox')
    const [offer] = await postOf(bob).inbox()
    expect(offer).toMatchObject({ kind: 'challenge', from: aliceId, challenge: { name: 'Alice', terms, color: 'black' } })
    const accepted = await postOf(bob).accept(offer.id)
    expect(accepted.via).toBe('mailbox')
    expect(await postOf(bob).inbox()).toEqual([])
    expect((await postOf(bob).pending()).map(p => p.state)).toEqual(['accepted'])
    await world.down(bob)

    // Alice returns: the accept makes the game on her side; her confirm waits for Bob.
    const aliceGames: StartedGame[] = []
    const aliceNode = await world.up(alice)
    postOf(alice).addEventListener('post:game', e => { aliceGames.push(e.detail) })
    await until(() => aliceGames.length === 1 || aliceNode.games.games.length === 1, 'the game on Alice\'s side')
    const gameId = aliceNode.games.games[0].gameId
    expect(await postOf(alice).pending()).toEqual([])
    await until(async () => await world.heldFor(bobId) === 1, 'the confirm to wait at the relay for Bob')
    await world.down(alice)

    const bobNode = await world.up(bob)
    const refused: string[] = []
    postOf(bob).addEventListener('post:rejected', e => { refused.push(e.detail.message) })
    await until(() => refused.length > 0 || bobNode.games.session(gameId) != null, 'the game on Bob\'s side')
    expect(refused).toEqual([])
    expect(await postOf(bob).pending()).toEqual([])
    const session = bobNode.games.session(gameId)!
    expect(session.me).toBe('W')

    // Both online now: the first moves are played.
    await world.up(alice)
    await until(() => alice.node!.games.session(gameId) != null, 'Alice\'s game to resume')
    await alice.node!.games.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => (bobNode.games.session(gameId)?.turnActs.length ?? 0) === 1, 'Black\'s first move to reach Bob')
    await bobNode.games.perform(gameId, s => s.move({ x: 6, y: 6 }))
    await until(() => (alice.node!.games.session(gameId)?.turnActs.length ?? 0) === 2, 'White\'s answer to reach Alice')
  })
})
