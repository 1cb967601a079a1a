// Two players who are never online together (issue 21): a correspondence game agreed while both
// were up, then every act goes through the bootstrap relay's mailbox. Full p2pgo nodes on
// 127.0.0.1; each player restarts from the same home, so its game persists, and meets nobody
// but the relay while the other is away.
import { afterEach, describe, expect, it } from 'vitest'
import { CORRESPONDENCE_3D } from '../../../src/game/correspondence.js'
import { cidOf } from '../../../src/wire/cid.js'
import { actMessage } from '../../../src/wire/game-messages.js'
import { ackedByMail, heldFor, home, mailed, meet, playerRun, relayNode, stopRun, until, type Run } from './mail-nodes.js'
import type { P2pgoNode } from '../../../src/net/node.js'
import type { GameTerms } from '../../../src/wire/game-start.js'

const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: CORRESPONDENCE_3D }
const MOVES = [[2, 2], [6, 6], [2, 6], [6, 2], [4, 4], [4, 2], [2, 4], [6, 4], [4, 6], [3, 3]].map(([x, y]) => ({ x, y }))

const running: P2pgoNode[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async n => { await n.stop() })) })

describe('a correspondence game between players never online together', () => {
  it('ten moves, a resignation and the co-signed result, each act once and in order, meeting only the relay', { timeout: 300_000 }, async () => {
    const relay = await relayNode(running)
    const alice = await home('alice')
    const bob = await home('bob')
    const a0 = await playerRun(alice, [relay], running)
    const b0 = await playerRun(bob, [relay], running)
    await until(() => a0.node.self().relays.includes(relay.peerId) && b0.node.self().relays.includes(relay.peerId), 'both players\' reservations on the relay')
    await until(() => relay.mailbox.knownAt(a0.node.peerId) != null && relay.mailbox.knownAt(b0.node.peerId) != null, 'the relay to know both players')
    await meet(a0, b0)
    b0.node.decide = async () => ({ accept: true })
    const started = await a0.node.propose(b0.node.peerId, { terms, color: 'black', name: 'alice' }, { signal: AbortSignal.timeout(30_000) })
    const id = started.gameId
    const gameId = id.toString()
    await until(() => b0.node.games.session(id) != null, 'Bob to start the game')
    await stopRun(b0, running)

    // From here on the two are never up at the same time.
    const apart: Run[] = []
    const runsOf = new Map<string, Run[]>([['alice', [a0]], ['bob', [b0]]])
    const start = async (h: typeof alice): Promise<Run> => {
      const run = await playerRun(h, [relay], running)
      apart.push(run)
      runsOf.get(h.name)?.push(run)
      return run
    }
    for (let ply = 0; ply < MOVES.length; ply++) {
      const who = ply % 2 === 0 ? alice : bob
      const run = ply === 0 ? a0 : await start(who)
      await until(() => run.node.games.session(id)?.game.moves.length === ply, `move ${ply} to reach ${who.name}`)
      // Days later the peer store has forgotten the opponent's addresses: the holders remembered for the game serve.
      if (ply === 4) await run.node.libp2p.peerStore.delete(b0.node.libp2p.peerId)
      const act = await run.node.games.perform(id, s => s.move(MOVES[ply]))
      await until(() => mailed(run, gameId).includes(act.n), `${who.name}'s move ${ply + 1} to be left with the relay`)
      await stopRun(run, running)
    }

    // Alice resigns; her result signature goes with it.
    const a1 = await start(alice)
    await until(() => a1.node.games.session(id)?.game.moves.length === MOVES.length, 'Bob\'s last move to reach Alice')
    const resign = await a1.node.games.perform(id, s => s.resign())
    await until(() => mailed(a1, gameId).includes(resign.n) && mailed(a1, gameId).includes(resign.n + 1), 'the resignation and Alice\'s result to be left')
    await stopRun(a1, running)

    // Bob takes both, signs the result, and leaves it (with an ack of Alice's acts).
    const b1 = await start(bob)
    await until(() => b1.events.some(e => e.type === 'game:ended' && e.detail.cosigned === true), 'Bob to see the co-signed end')
    const bobActs = (await b1.node.games.storage.get(id)).acts.W.length
    await until(() => mailed(b1, gameId).includes(bobActs) && ackedByMail(b1, gameId, resign.n + 1), 'Bob\'s result and his ack to be left')
    await stopRun(b1, running)

    // Alice takes Bob's result (the game is co-signed on her side too) and acknowledges it.
    const a2 = await start(alice)
    await until(() => a2.events.some(e => e.type === 'game:ended' && e.detail.cosigned === true), 'Alice to see the co-signed end')
    await until(() => ackedByMail(a2, gameId, bobActs), 'Alice\'s ack of Bob\'s result to be left')
    await stopRun(a2, running)

    // Bob's outbox drains on the ack, though his game is over and no longer in memory.
    const b2 = await start(bob)
    await until(async () => (await b2.node.games.storage.get(id)).meta.acked === bobActs, 'Bob\'s outbox to drain')
    const storedB = await b2.node.games.storage.get(id)
    await stopRun(b2, running)
    const a3 = await start(alice)
    const storedA = await a3.node.games.storage.get(id)

    // Every move once, in order, on each side; the same record and result on both.
    const received = (h: typeof alice): number[] => (runsOf.get(h.name) ?? []).flatMap(r => r.events.filter(e => e.type === 'game:move' && e.detail.mine === false).map(e => e.detail.ply as number))
    expect(received(alice)).toEqual([1, 3, 5, 7, 9])
    expect(received(bob)).toEqual([0, 2, 4, 6, 8])
    expect(storedA.meta.result).toMatch(/^W\+R/)
    expect(storedB.meta.result).toBe(storedA.meta.result)
    expect(storedA.meta.finishedAt).toBeDefined()
    expect(storedB.meta.finishedAt).toBeDefined()
    const cids = (acts: readonly any[]): string[] => acts.map(a => cidOf(actMessage(a)).toString())
    expect(cids(storedB.acts.B)).toEqual(cids(storedA.acts.B))
    expect(cids(storedB.acts.W)).toEqual(cids(storedA.acts.W))
    expect(storedA.meta.acked).toBe(storedA.acts.B.length)
    expect((await a3.node.games.storage.mailMarks(id)).holders.some(h => h.includes(`/p2p/${relay.peerId}/p2p-circuit`))).toBe(true)
    // Nothing refused on either side, and no player met anyone but the relay while apart.
    expect([a0, b0, ...apart].flatMap(r => r.events.filter(e => e.type === 'rejected'))).toEqual([])
    // (The last run only reads its store: it may stop before it has met even the relay.)
    for (const run of apart) expect([...run.met].filter(p => p !== relay.peerId)).toEqual([])
    expect(apart.slice(0, -1).every(r => r.met.has(relay.peerId))).toBe(true)
    await until(() => relay.mailbox.holding()?.count === 0, 'the relay to have nothing left to hold')
  })

  it('an act that comes both over the game stream and from the mailbox is applied once, and acknowledged', { timeout: 120_000 }, async () => {
    const relay = await relayNode(running)
    const alice = await home('alice')
    const bob = await home('bob')
    const a = await playerRun(alice, [relay], running)
    const b0 = await playerRun(bob, [relay], running)
    await until(() => a.node.self().relays.length === 1 && b0.node.self().relays.length === 1, 'both players\' reservations')
    await until(() => relay.mailbox.knownAt(b0.node.peerId) != null, 'the relay to know Bob')
    await meet(a, b0)
    b0.node.decide = async () => ({ accept: true })
    const started = await a.node.propose(b0.node.peerId, { terms: { ...terms, tc: { kind: 'none' } }, color: 'black', name: 'alice' }, { signal: AbortSignal.timeout(30_000) })
    const id = started.gameId
    await until(() => b0.node.games.session(id) != null, 'Bob to start the game')
    await stopRun(b0, running)
    // A live game: the move goes to the mailbox once the dial to Bob fails; Alice stays up and keeps trying him.
    const move = await a.node.games.perform(id, s => s.move(MOVES[0]))
    await until(() => mailed(a, id.toString()).includes(move.n), 'Alice\'s move to be left with the relay')
    // Bob comes back: his game reaches Alice over the relay, and he collects the same act from his holder.
    const b1 = await playerRun(bob, [relay], running)
    await until(() => b1.node.games.session(id)?.game.moves.length === 1, 'the move to reach Bob')
    await until(async () => (await heldFor(relay, b1.node.peerId)).length === 0, 'Bob to take the mailbox copy too')
    await until(async () => (await b1.node.mailbox.inbox()).every(i => i.kind !== 'act'), 'the copy to leave Bob\'s inbox')
    await until(() => a.node.games.session(id)?.acked === 1, 'Alice to learn the move arrived')
    expect(b1.events.filter(e => e.type === 'game:move' && e.detail.mine === false).map(e => e.detail.ply)).toEqual([0])
    expect((await b1.node.games.storage.get(id)).acts.B).toHaveLength(1)
    // With a stream open, Bob's reply goes over it and is not left with the relay.
    const reply = await b1.node.games.perform(id, s => s.move(MOVES[1]))
    await until(() => a.node.games.session(id)?.game.moves.length === 2, 'Bob\'s reply to reach Alice')
    expect(mailed(b1, id.toString())).not.toContain(reply.n)
    expect([a, b1].flatMap(r => r.events.filter(e => e.type === 'rejected'))).toEqual([])
  })
})
