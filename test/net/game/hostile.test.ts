import { afterEach, describe, expect, it } from 'vitest'
import { createLibp2p } from 'libp2p'
import { MemoryDatastore } from 'datastore-core'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { agree, gameNode, until, type GameNode } from '../../helpers/game-nodes.js'
import { libp2pDefaults } from '../../../src/net/libp2p-defaults.js'
import { GAME_PROTOCOL } from '../../../src/net/game/constants.js'
import { GameSession } from '../../../src/session/index.js'
import { decodeFrames, encodeFrame } from '../../../src/wire/frame.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { cidOf } from '../../../src/wire/cid.js'
import { ACT_DOMAIN, actFields, actMessage, actToSign, decodeGameMessage, encodeGameMessage, type Act, type GameMessage, type UnsignedAct } from '../../../src/wire/game-messages.js'
import { sign } from '../../../src/wire/signing.js'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { GameTerms } from '../../../src/wire/game-start.js'

const running: Array<{ stop: () => Promise<void> }> = []
afterEach(async () => { await Promise.all(running.splice(0).map(async n => n.stop())) })

/**
 * An honest White node (the real game service) against a hostile Black peer that holds Black's
 * real key but speaks the protocol by hand on a raw stream.
 */
async function duel (terms: Partial<GameTerms> = {}) {
  const honest = await gameNode()
  const hostileKey = await generateKeyPair('Ed25519')
  const hostile: Libp2p = await createLibp2p(libp2pDefaults({ privateKey: hostileKey, datastore: new MemoryDatastore(), listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true }))
  running.push(honest.node, hostile)
  const { start, gameId } = await agree(hostileKey, honest.key, terms)
  const games = honest.node.services.games
  await games.startGame({ start, gameId, opponent: hostile.peerId, me: 'W' })
  const rejected: Array<{ reason: string, message: string, peer: string }> = []
  games.addEventListener('rejected', e => { rejected.push({ reason: e.detail.reason, message: e.detail.message, peer: e.detail.peer.toString() }) })
  // The hostile side keeps a real session to make valid acts when it wants to.
  const black = new GameSession({ start, gameId, me: 'B', key: hostileKey, keys: { B: hostileKey.publicKey, W: honest.key.publicKey }, now: Date.now })
  const stream = await hostile.dialProtocol(honest.node.getMultiaddrs()[0], GAME_PROTOCOL)
  const replies: GameMessage[] = []
  ;(async () => { for await (const f of decodeFrames(stream, { maxBytes: 1 << 20 })) replies.push(decodeGameMessage(f)) })().catch(() => {})
  const send = (m: GameMessage | Uint8Array): void => { stream.send(m instanceof Uint8Array ? m : encodeFrame(encodeGameMessage(m))) }
  send({ t: 'hello', game: gameId, have: 0, sent: 0 })
  return { honest, hostile, hostileKey, games, gameId, black, stream, send, replies, rejected, session: () => games.session(gameId) as GameSession }
}

async function forge (key: PrivateKey, act: UnsignedAct): Promise<Act> {
  return { ...act, sig: (await sign(key, ACT_DOMAIN, actToSign(act))).sig }
}

async function storedActs (node: GameNode, gameId: Parameters<GameNode['services']['games']['storage']['get']>[0]): Promise<number> {
  const s = await node.services.games.storage.get(gameId)
  return s.acts.B.length + s.acts.W.length
}

describe('a hostile opponent on the game protocol', () => {
  it('is refused on every bad message, reported, and the honest game and store stay intact', async () => {
    const d = await duel()
    const first = await d.black.move({ x: 4, y: 4 })
    d.send({ t: 'act', ...first })
    await until(() => d.session().game.moves.length === 1, 'the honest first move')
    const honestReply = await d.games.perform(d.gameId, s => s.move({ x: 2, y: 2 }))
    await d.black.receive(honestReply)
    const prev = cidOf(actMessage(first))
    const base: UnsignedAct = { game: d.gameId, by: 'B', n: 2, prev, seen: 1, at: Date.now(), kind: 'move', ply: 2, x: 6, y: 6, clock: 0 }
    const stranger = await generateKeyPair('Ed25519')
    const expectRefused = async (reason: string, message: GameMessage | Uint8Array): Promise<void> => {
      const before = d.rejected.length
      d.send(message)
      await until(() => d.rejected.length > before, `a ${reason} refusal`)
      expect(d.rejected[d.rejected.length - 1].reason).toBe(reason)
      expect(d.rejected[d.rejected.length - 1].peer).toBe(d.hostile.peerId.toString())
    }
    // Malformed CBOR, a valid map that is no message, an unknown version.
    await expectRefused('malformed', encodeFrame(new Uint8Array([0xbf, 0xff, 0x00])))
    await expectRefused('malformed', encodeFrame(encodeCanonical({ v: 1, t: 'act', kind: 'move' })))
    await expectRefused('unknown-version', encodeFrame(encodeCanonical({ ...actFields(await forge(d.hostileKey, base)), v: 2, t: 'act' })))
    // A missing signature, a signature by someone else.
    const { sig: _sig, ...unsignedFields } = actFields(await forge(d.hostileKey, base))
    await expectRefused('malformed', encodeFrame(encodeCanonical({ ...unsignedFields, v: 1, t: 'act' })))
    await expectRefused('bad-signature', { t: 'act', ...(await forge(stranger, base)) })
    // Out of turn (White's turn is over, Black's move at the wrong ply), an illegal move (occupied).
    await expectRefused('not-your-turn', { t: 'act', ...(await forge(d.hostileKey, { ...base, ply: 5 })) })
    await expectRefused('illegal-move', { t: 'act', ...(await forge(d.hostileKey, { ...base, x: 2, y: 2 })) })
    // A replayed first act with other content, an act from another game, a skipped number.
    await expectRefused('broken-chain', { t: 'act', ...(await forge(d.hostileKey, { ...first, x: 0, y: 0 })) })
    await expectRefused('wrong-game', { t: 'act', ...(await forge(d.hostileKey, { ...base, game: cidOf({ other: 'game' }) })) })
    await expectRefused('out-of-order', { t: 'act', ...(await forge(d.hostileKey, { ...base, n: 7 })) })
    // Every refusal was answered on the wire with the reason, too.
    await until(() => d.replies.filter(r => r.t === 'reject').length >= 10, 'the reject messages')
    // Nothing changed: two moves, two stored acts, and the honest game goes on.
    expect(d.session().game.moves).toHaveLength(2)
    expect(await storedActs(d.honest.node, d.gameId)).toBe(2)
    const good = await d.black.move({ x: 6, y: 6 })
    d.send({ t: 'act', ...good })
    await until(() => d.session().game.moves.length === 3, 'the next honest move')
    // An oversized frame ends the stream, and is reported too.
    const before = d.rejected.length
    d.stream.send(new Uint8Array([0xff, 0xff, 0xff, 0x7f]))
    await until(() => d.rejected.length > before, 'the oversized frame refusal')
    expect(d.rejected[d.rejected.length - 1].reason).toBe('too-large')
    expect(await storedActs(d.honest.node, d.gameId)).toBe(3)
  })

  it('refuses a forged result after a resignation, and keeps the true one', async () => {
    const d = await duel()
    const resign = await d.black.resign()
    d.send({ t: 'act', ...resign })
    await until(() => d.session().end?.result === 'W+R', 'the resignation')
    const lie = await forge(d.hostileKey, { game: d.gameId, by: 'B', n: 2, prev: cidOf(actMessage(resign)), seen: 0, at: Date.now(), kind: 'result', result: 'B+R', final: cidOf({ game: d.gameId, result: 'B+R', turns: 0, last: null }) })
    d.send({ t: 'act', ...lie })
    await until(() => d.rejected.some(r => r.reason === 'forged-result'), 'the forged result to be refused')
    expect(d.session().end?.result).toBe('W+R')
    expect(d.session().results.B).toBeUndefined()
  })

  it('refuses a false flag-fall claim', async () => {
    const d = await duel({ tc: { kind: 'absolute', mainMs: 600_000 } })
    const first = await d.black.move({ x: 4, y: 4 })
    d.send({ t: 'act', ...first })
    await until(() => d.session().game.moves.length === 1, 'the first move')
    // White has ten minutes; Black claims White's flag fell anyway.
    const claim = await forge(d.hostileKey, { game: d.gameId, by: 'B', n: 2, prev: cidOf(actMessage(first)), seen: 0, at: Date.now(), kind: 'timeout-claim', ply: 1, proof: [first] })
    d.send({ t: 'act', ...claim })
    await until(() => d.rejected.some(r => r.reason === 'false-claim'), 'the false claim to be refused')
    expect(d.session().end).toBeUndefined()
    expect(d.session().game.phase).toBe('play')
  })
})

describe('flag-fall over the network', () => {
  it('the waiting player claims when the opponent runs out, and both sign the time loss', async () => {
    // Both nodes' game clocks run on one injected clock, moved by hand instead of waited for.
    let skipped = 0
    const now = (): number => Date.now() + skipped
    const a = await gameNode(undefined, undefined, 200, {}, { now })
    const b = await gameNode(undefined, undefined, 200, {}, { now })
    running.push(a.node, b.node)
    await a.node.peerStore.merge(b.node.peerId, { multiaddrs: b.node.getMultiaddrs() })
    const { start, gameId } = await agree(a.key, b.key, { tc: { kind: 'absolute', mainMs: 1500 } })
    await a.node.services.games.startGame({ start, gameId, opponent: b.node.peerId, me: 'B' })
    await b.node.services.games.startGame({ start, gameId, opponent: a.node.peerId, me: 'W' })
    await a.node.services.games.perform(gameId, s => s.move({ x: 4, y: 4 }))
    await until(() => b.node.services.games.session(gameId)?.game.moves.length === 1, 'White to see Black\'s move')
    expect(b.node.services.games.session(gameId)?.end).toBeUndefined()
    // White never answers: its 1.5 s and the 1 s allowance pass on both clocks at once, Black's
    // clock sees White's time run out and claims it, and White's own clock agrees.
    skipped += 3000
    await until(() => b.node.services.games.session(gameId)?.end?.result === 'B+T' && a.node.services.games.session(gameId)?.results.W != null, 'the claim to be made and accepted')
    expect(a.node.services.games.session(gameId)?.end?.result).toBe('B+T')
  })
})

