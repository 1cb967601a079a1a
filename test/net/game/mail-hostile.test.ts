// Games through the mailbox against holders and senders that misbehave (protocols/game.md, "Acts
// through the mailbox"). Full p2pgo nodes on 127.0.0.1; the test rewrites what the relays keep
// in their datastores, as a hostile operator would, and deposits what honest peers never send.
import { peerIdFromString } from '@libp2p/peer-id'
import { Key } from 'interface-datastore'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeCanonical, encodeCanonical } from '../../../src/wire/cbor.js'
import { cidOf } from '../../../src/wire/cid.js'
import { encodeGameMessage } from '../../../src/wire/game-messages.js'
import { ENVELOPE_MAX_BYTES } from '../../../src/net/mailbox/wire/limits.js'
import { heldFor, home, mailed, meet, playerRun, relayNode, stopRun, until, type Home, type Run } from './mail-nodes.js'
import type { P2pgoNode } from '../../../src/net/node.js'
import type { GameTerms } from '../../../src/wire/game-start.js'
import type { CID } from 'multiformats/cid'
import type { Datastore } from 'interface-datastore'

const live: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

const running: P2pgoNode[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async n => { await n.stop() })) })

/** Alters one byte of a held envelope's sealed box. */
async function alter (ds: Datastore, key: Key): Promise<void> {
  const fields = decodeCanonical(await ds.get(key), { maxBytes: ENVELOPE_MAX_BYTES }) as { box: Uint8Array }
  fields.box[0] ^= 1
  await ds.put(key, encodeCanonical(fields))
}

/** Both players up with reservations on every relay, a game agreed (Alice black); Bob then stops. */
async function agreed (relays: P2pgoNode[], terms: GameTerms): Promise<{ alice: Home, bob: Home, a: Run, gameId: CID, bobId: string }> {
  const alice = await home('alice')
  const bob = await home('bob')
  const a = await playerRun(alice, relays, running)
  const b = await playerRun(bob, relays, running)
  await until(() => a.node.self().relays.length === relays.length && b.node.self().relays.length === relays.length, 'both players\' reservations on every relay')
  await until(() => relays.every(r => r.mailbox.knownAt(b.node.peerId) != null && r.mailbox.knownAt(a.node.peerId) != null), 'the relays to know both players')
  await meet(a, b)
  b.node.decide = async () => ({ accept: true })
  const started = await a.node.propose(b.node.peerId, { terms, color: 'black', name: 'alice' }, { signal: AbortSignal.timeout(30_000) })
  await until(() => b.node.games.session(started.gameId) != null, 'Bob to start the game')
  const bobId = b.node.peerId
  await stopRun(b, running)
  return { alice, bob, a, gameId: started.gameId, bobId }
}

describe('a game through the mailbox with hostile holders and senders', () => {
  it('an altered act comes good from the other holder; a dropped one comes when the players meet', { timeout: 240_000 }, async () => {
    const relays = [await relayNode(running), await relayNode(running)]
    const { alice, bob, a, gameId, bobId } = await agreed(relays, live)
    const id = gameId.toString()
    // A live game: Alice's move goes to the mailbox once the dial to Bob fails.
    const first = await a.node.games.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => mailed(a, id).includes(first.n), 'Alice\'s move to be left with the relays')
    await stopRun(a, running)
    // Relay 1 alters its copy; relay 2 keeps a good one.
    const held1 = await heldFor(relays[0], bobId)
    expect(held1).toHaveLength(1)
    expect(await heldFor(relays[1], bobId)).toHaveLength(1)
    await alter(relays[0].datastore, held1[0])

    const b1 = await playerRun(bob, relays, running)
    const faults: Array<{ holder: string, reason: string }> = []
    b1.node.mailbox.addEventListener('mailbox:fault', e => { faults.push(e.detail) })
    await until(() => b1.node.games.session(gameId)?.game.moves.length === 1, 'Alice\'s move to reach Bob from the good holder')
    await until(() => faults.length > 0, 'the altered copy to be named')
    expect(faults[0]).toMatchObject({ holder: relays[0].peerId, reason: 'bad-signature' })
    const reply = await b1.node.games.perform(gameId, s => s.move({ x: 6, y: 6 }))
    await until(() => mailed(b1, id).includes(reply.n), 'Bob\'s reply to be left with the relays')
    await stopRun(b1, running)
    // Both relays drop everything held for Alice: Bob's reply never reaches her through them.
    const aliceId = a.node.peerId
    for (const r of relays) for (const key of await heldFor(r, aliceId)) await r.datastore.delete(key)

    const a1 = await playerRun(alice, relays, running)
    await until(async () => (await a1.node.mailbox.collect()).holders.every(h => h.ok), 'Alice to collect from both relays')
    expect(a1.node.games.session(gameId)?.game.moves).toHaveLength(1)
    // Bob comes back while Alice is up: his outbox still holds the reply, and the game stream carries it.
    const b2 = await playerRun(bob, relays, running)
    await until(() => a1.node.games.session(gameId)?.game.moves.length === 2, 'Bob\'s reply to reach Alice over the game stream', 60_000)
    await a1.node.games.perform(gameId, s => s.resign())
    await until(() => [a1, b2].every(r => r.events.some(e => e.type === 'game:ended' && e.detail.cosigned === true)), 'the co-signed end on both')
    const moves = (r: Run): number[] => r.events.filter(e => e.type === 'game:move' && e.detail.mine === false).map(e => e.detail.ply)
    expect(moves(b1)).toEqual([0])
    expect(moves(a1)).toEqual([1])
    expect([a, b1, a1, b2].flatMap(r => r.events.filter(e => e.type === 'rejected'))).toEqual([])
  })

  it('refuses mailbox acts that are not valid acts of a game with their sender, stores nothing and makes the sender pay', { timeout: 180_000 }, async () => {
    const relays = [await relayNode(running)]
    const { bob, a, gameId, bobId } = await agreed(relays, { ...live, tc: { kind: 'correspondence', perMoveMs: 3 * 86_400_000, maxBankMs: 7 * 86_400_000 } })
    const first = await a.node.games.perform(gameId, s => s.move({ x: 2, y: 2 }))
    await until(() => mailed(a, gameId.toString()).includes(first.n), 'Alice\'s move to be left')
    const bobAddrs = (await a.node.libp2p.peerStore.get(peerIdFromString(bobId))).addresses.map(x => x.multiaddr)
    // Carol deposits bytes that are no game message; Dave an act for a game nobody has, then a copy of Alice's real act (a game he does not play).
    const carol = await playerRun(await home('carol'), relays, running)
    const dave = await playerRun(await home('dave'), relays, running)
    for (const x of [carol, dave]) await x.node.libp2p.peerStore.merge(peerIdFromString(bobId), { multiaddrs: bobAddrs })
    await carol.node.mailbox.deposit(bobId, 'act', new TextEncoder().encode('not a game message'))
    const forged = { ...first, game: cidOf({ no: 'such game' }) }
    await dave.node.mailbox.deposit(bobId, 'act', encodeGameMessage({ t: 'act', ...forged }))
    await dave.node.mailbox.deposit(bobId, 'act', encodeGameMessage({ t: 'act', ...first }))
    await stopRun(a, running)

    const b1 = await playerRun(bob, relays, running)
    await until(() => b1.node.games.session(gameId)?.game.moves.length === 1, 'Alice\'s move to reach Bob')
    await until(() => b1.events.filter(e => e.type === 'rejected').length === 3, 'the three bad items to be refused')
    const refused = b1.events.filter(e => e.type === 'rejected').map(e => e.detail)
    expect(refused.map(r => [r.peer, r.reason, r.via])).toEqual(expect.arrayContaining([
      [carol.node.peerId, 'malformed', 'mailbox'],
      [dave.node.peerId, 'wrong-game', 'mailbox'],
      [dave.node.peerId, 'wrong-peer', 'mailbox']
    ]))
    for (const r of refused) expect(r.message.length).toBeGreaterThan(10)
    const invalid = (peer: string): string[] => b1.node.reputation.eventsOf(peer).filter(e => e.kind === 'invalid').map(e => (e as { reason: string }).reason)
    expect(invalid(carol.node.peerId)).toEqual(['game:mailbox-malformed'])
    expect(invalid(dave.node.peerId)).toEqual(['game:mailbox-wrong-peer'])
    // Nothing of it stored: Bob's game holds Alice's one act, no other game appeared, and the inbox is empty of acts.
    const stored = await b1.node.games.storage.get(gameId)
    expect(stored.acts.B).toHaveLength(1)
    expect(await b1.node.games.storage.ids()).toHaveLength(1)
    await until(async () => (await b1.node.mailbox.inbox()).filter(i => i.kind === 'act').length === 0, 'the inbox to hold no act')
  })
})
