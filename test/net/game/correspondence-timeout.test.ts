// A correspondence timeout while the loser is offline (issue 21): B stops answering, the clock
// runs out (fake time, shared by every node), A's node claims on its own (FlagWatch), A's game
// ends as a win on time, and B, returning days later, takes the claim from the mailbox and agrees.
// Full p2pgo nodes on 127.0.0.1, a bootstrap relay holding for both players.
import { afterEach, describe, expect, it } from 'vitest'
import { home, mailed, meet, playerRun, relayNode, stopRun, until, type Home, type Run } from './mail-nodes.js'
import { cidOf } from '../../../src/wire/cid.js'
import { ACT_DOMAIN, actMessage, actToSign, encodeGameMessage, type Act } from '../../../src/wire/game-messages.js'
import { sign } from '../../../src/wire/signing.js'
import type { P2pgoNode } from '../../../src/net/node.js'
import type { GameTerms } from '../../../src/wire/game-start.js'
import type { CID } from 'multiformats/cid'

const hour = 3_600_000
const day = 24 * hour
const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 1 * day, maxBankMs: 3 * day } }
const MOVES = [[2, 2], [6, 6], [2, 6]].map(([x, y]) => ({ x, y }))

const running: P2pgoNode[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async n => { await n.stop() })) })

/** Fake wall time: every node reads it; a player's may run ahead of it (`skew`). */
class FakeTime {
  t = Date.now()
  readonly skew = new Map<string, number>()
  clock (name = ''): () => number { return () => this.t + (this.skew.get(name) ?? 0) }
}

interface Table { relay: P2pgoNode, alice: Home, bob: Home, a: Run, id: CID }

/** Alice (Black) and Bob agree a game while both are up and play three moves, an hour apart; Bob, to move, goes offline. */
async function bobGoesAwayOnHisMove (time: FakeTime): Promise<Table> {
  const relay = await relayNode(running, time.clock())
  const alice = await home('alice')
  const bob = await home('bob')
  const a = await playerRun(alice, [relay], running, time.clock('alice'))
  const b = await playerRun(bob, [relay], running, time.clock('bob'))
  await until(() => a.node.self().relays.includes(relay.peerId) && b.node.self().relays.includes(relay.peerId), 'both players\' reservations on the relay')
  await until(() => relay.mailbox.knownAt(a.node.peerId) != null && relay.mailbox.knownAt(b.node.peerId) != null, 'the relay to know both players')
  await meet(a, b)
  b.node.decide = async () => ({ accept: true })
  const { gameId: id } = await a.node.propose(b.node.peerId, { terms, color: 'black', name: 'alice' }, { signal: AbortSignal.timeout(30_000) })
  await until(() => b.node.games.session(id) != null, 'Bob to start the game')
  for (let ply = 0; ply < MOVES.length; ply++) {
    time.t += hour
    const [mover, other] = ply % 2 === 0 ? [a, b] : [b, a]
    await mover.node.games.perform(id, s => s.move(MOVES[ply]))
    await until(() => other.node.games.session(id)?.game.moves.length === ply + 1, `move ${ply + 1} to reach the other player`)
  }
  await until(() => a.node.games.session(id)?.acked === MOVES.filter((_, i) => i % 2 === 0).length, 'Bob to acknowledge Alice\'s moves')
  await stopRun(b, running)
  return { relay, alice, bob, a, id }
}

const refusals = (runs: readonly Run[]): any[] => runs.flatMap(r => r.events.filter(e => e.type === 'rejected').map(e => e.detail))

describe('a correspondence timeout while the loser is offline', () => {
  it('Bob\'s clock runs out while he is away; Alice\'s node claims, her game ends on time, and Bob, back, agrees', { timeout: 240_000 }, async () => {
    const time = new FakeTime()
    const { relay, alice, bob, a, id } = await bobGoesAwayOnHisMove(time)
    const gameId = id.toString()
    expect(a.node.games.session(id)?.end).toBeUndefined()

    // Five days on, Bob's day a move and three banked days are spent: Alice's flag watch claims by itself.
    time.t += 5 * day
    await until(() => a.events.some(e => e.type === 'game:closed' && e.detail.reason === 'flag'), 'Alice\'s node to claim the timeout and close the game')
    const session = a.node.games.session(id)
    expect(session?.end?.result).toBe('B+T')
    expect(session?.endedBy).toMatchObject({ side: 'B', kind: 'timeout-claim' })
    const claim = session!.acts.B.find(act => act.kind === 'timeout-claim')!
    const aliceResult = session!.acts.B.find(act => act.kind === 'result')!
    expect(aliceResult.result).toBe('B+T')
    // The claim and Alice's result signature wait for Bob with the relay; then Alice may go too.
    await until(() => mailed(a, gameId).includes(claim.n) && mailed(a, gameId).includes(aliceResult.n), 'the claim and Alice\'s result to be left with the relay')
    const closed = await a.node.games.storage.get(id)
    expect(closed.meta).toMatchObject({ result: 'B+T' })
    expect(closed.meta.closedAt).toBeDefined()
    await stopRun(a, running)

    // Bob comes back a day later, takes both from his holder, finds the claim valid and signs the result.
    time.t += day
    const b1 = await playerRun(bob, [relay], running, time.clock('bob'))
    await until(() => b1.events.some(e => e.type === 'game:ended' && e.detail.cosigned === true), 'Bob to see the co-signed end')
    const storedB = await b1.node.games.storage.get(id)
    expect(storedB.meta.result).toBe('B+T')
    expect(storedB.meta.finishedAt).toBeDefined()
    const bobResult = storedB.acts.W.at(-1)!
    expect(bobResult).toMatchObject({ kind: 'result', result: 'B+T' })
    await until(() => mailed(b1, gameId).includes(bobResult.n), 'Bob\'s result signature to be left for Alice')
    await stopRun(b1, running)

    // Alice returns: Bob's signature reaches her closed game, which becomes co-signed.
    time.t += hour
    const a1 = await playerRun(alice, [relay], running, time.clock('alice'))
    await until(async () => (await a1.node.games.storage.get(id)).acts.W.length === storedB.acts.W.length, 'Bob\'s result signature to reach Alice\'s stored game')
    await until(async () => (await a1.node.games.storage.get(id)).meta.finishedAt != null, 'Alice\'s game to be marked co-signed')
    const storedA = await a1.node.games.storage.get(id)
    expect(storedA.meta.result).toBe('B+T')
    expect(storedA.acts.W.at(-1)?.sig).toEqual(bobResult.sig)
    expect(a1.events.some(e => e.type === 'game:ended' && e.detail.cosigned === true && e.detail.result === 'B+T')).toBe(true)
    // The closed game, opened again only to take the signature, is not announced as a game starting.
    expect(a1.events.some(e => e.type === 'game:started')).toBe(false)
    // Bob's ack of Alice's claim and result drains her outbox; nothing refused on either side.
    expect(storedA.meta.acked).toBe(storedA.acts.B.length)
    expect(refusals([a, b1, a1])).toEqual([])
  })

  it('a claim made before Bob\'s time is up: Alice\'s own session will not make it; forged with her key, Bob refuses it, saying why, and his game goes on', { timeout: 240_000 }, async () => {
    const time = new FakeTime()
    const { relay, alice, bob, a, id } = await bobGoesAwayOnHisMove(time)
    const gameId = id.toString()

    // A day later Bob still has days left: Alice's session refuses to claim (her flag watch never tries).
    time.t += day
    const session = a.node.games.session(id)!
    await expect(a.node.games.perform(id, s => s.claimTimeout())).rejects.toMatchObject({ reason: 'false-claim' })
    expect(session.end).toBeUndefined()

    // A node that would claim anyway: the same claim signed with Alice's key, left for Bob with the relay.
    const last = session.acts.B.at(-1)!
    const forged = await sign(alice.key, ACT_DOMAIN, actToSign({
      game: id, by: 'B', n: last.n + 1, prev: cidOf(actMessage(last)), seen: session.have, at: time.t, kind: 'timeout-claim',
      ply: session.game.moves.length, proof: [session.acts.W.at(-1)!, last]
    })) as unknown as Act
    await a.node.mailbox.deposit(a.node.games.opponentOf(id)!, 'act', encodeGameMessage({ t: 'act', ...forged }), { holders: [{ peer: relay.libp2p.peerId, addrs: relay.libp2p.getMultiaddrs() }] })
    expect(mailed(a, gameId)).not.toContain(forged.n)
    await stopRun(a, running)

    time.t += hour
    const b1 = await playerRun(bob, [relay], running, time.clock('bob'))
    await until(() => refusals([b1]).length > 0, 'Bob to judge the claim')
    const [refusal] = refusals([b1])
    expect(refusal).toMatchObject({ reason: 'false-claim', via: 'mailbox' })
    expect(refusal.message).toMatch(/^by the signed act times White still had .+ left, and a claim waits 1h past the flag$/)
    const bobSession = b1.node.games.session(id)
    expect(bobSession?.end).toBeUndefined()
    expect(bobSession?.game.phase).toBe('play')
    expect(bobSession?.game.moves).toHaveLength(MOVES.length)
    expect(b1.events.some(e => e.type === 'game:ended')).toBe(false)
  })
})
