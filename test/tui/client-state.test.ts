// The terminal client's state with real nodes on 127.0.0.1: the lobby as rows, an incoming
// challenge waiting for the player's answer, the game opening, a refused move in words, chat,
// an undo request, and the rating change after a co-signed result.
import { afterEach, describe, expect, it } from 'vitest'
import { ClientState } from '../../src/tui/client-state.js'
import { statusLine } from '../../src/tui/status-line.js'
import { startNode, stopAll, terms, until, type NetNode } from '../net/rating/harness.js'
import { playLongGame } from '../net/rna/harness.js'
import { BLACK, WHITE } from '../../src/game/constants.js'

let nodes: NetNode[] = []
const states: ClientState[] = []
afterEach(async () => {
  for (const s of states.splice(0)) s.stop()
  await stopAll(nodes)
  nodes = []
})

async function pair (): Promise<{ ann: NetNode, bob: NetNode, state: ClientState }> {
  const ann = await startNode([], 'ann')
  const bob = await startNode([ann.node.libp2p.getMultiaddrs()[0].toString()], 'bob')
  nodes = [ann, bob]
  const state = new ClientState(ann.node, 9)
  states.push(state)
  state.start()
  bob.node.lobby.setPresence({ name: 'bob', sizes: [9], status: 'idle' })
  await until(() => state.entries().some(e => e.kind === 'player' && e.player.name === 'bob'), 'bob in ann\'s lobby')
  return { ann, bob, state }
}

/** The RNA a node holds: IDs and origins. */
async function heldBy (x: NetNode): Promise<Array<{ id: string, origin: string }>> {
  const out: Array<{ id: string, origin: string }> = []
  for await (const { id, meta } of x.node.rna.store.list()) out.push({ id: id.toString(), origin: meta.origin })
  return out
}

describe('ClientState', () => {
  // A client on the local network npm start builds (loopback, no relay slot) said "finding out how it
  // is reached" for good: it settles at once, since nothing it waits for can change it.
  it('says a node on loopback with no relay slot is on a local network, at once', async () => {
    const { state } = await pair()
    expect(state.status().unreached).toMatchObject({ scope: 'loopback', relaySlots: 0 })
    expect(statusLine(state.status(), 120)).toContain(' · local network on this machine · in the lobby')
  })

  it('shows a challenge until the player answers, then opens the game; moves, refusals and chat reach the state', async () => {
    const { ann, bob, state } = await pair()
    const row = state.entries().find(e => e.kind === 'player')
    expect(row?.kind === 'player' && row.player.rung).toBe('direct')
    expect(state.status()).toMatchObject({ name: 'ann', peers: 1, activity: 'in the lobby' })
    const opened: string[] = []
    state.addEventListener('game', e => { opened.push(e.detail.gameId) })
    const proposal = bob.node.challenge.propose(ann.node.libp2p.peerId, { terms, color: 'black', name: 'bob' }, { signal: AbortSignal.timeout(20_000) })
    await until(() => state.challenges.length === 1, 'the challenge waiting')
    expect(state.notice).toMatch(/^bob challenges you: 9x9 · komi 7\.5/)
    expect(opened).toEqual([])
    state.answer(true)
    const started = await proposal
    await until(() => opened.length === 1, 'the game opened')
    expect(opened[0]).toBe(started.gameId.toString())
    expect(state.activity).toBe('playing bob (9x9)')
    expect(state.session()?.me).toBe('W')
    // Bob (Black) plays; Ann tries the same point: refused in words, nothing changes.
    await bob.node.games.perform(started.gameId, async s => s.move({ x: 4, y: 4 }))
    await until(() => state.session()?.game.moves.length === 1, 'bob\'s move at ann')
    state.act(async s => s.move({ x: 4, y: 4 }))
    await until(() => state.notice.startsWith('Illegal move'), 'the refusal')
    expect(state.notice).toBe('Illegal move: that point already has a stone on it')
    expect(state.session()?.game.moves).toHaveLength(1)
    // Chat both ways, and a take-back request shown to the player.
    state.act(async s => s.chat('good luck'))
    await bob.node.games.perform(started.gameId, async s => s.chat('you too'))
    await until(() => state.chat.length === 2, 'both chats')
    expect(state.chat.map(c => `${c.from}: ${c.text}`).sort()).toEqual(['B: you too', 'W: good luck'])
    state.act(async s => s.move({ x: 2, y: 2 }))
    await until(() => bob.node.games.session(started.gameId)?.game.moves.length === 2, 'ann\'s move at bob')
    await bob.node.games.perform(started.gameId, async s => s.move({ x: 6, y: 6 }))
    await bob.node.games.perform(started.gameId, async s => s.requestUndo())
    await until(() => state.undoAsked, 'the undo request')
    // A second challenge while playing is declined as busy, without asking.
    const carl = await startNode([ann.node.libp2p.getMultiaddrs()[0].toString()], 'carl')
    nodes.push(carl)
    // Carl knows ann's address only through its bootstrap dial: propose once that is up (a dial by
    // peer ID before it would wait on an empty DHT, see the README's known limits).
    await until(() => carl.node.peers().some(p => p.peer === ann.node.peerId), 'carl connected to ann')
    await expect(carl.node.challenge.propose(ann.node.libp2p.peerId, { terms, color: 'random', name: 'carl' }, { signal: AbortSignal.timeout(20_000) })).rejects.toThrow(/busy/)
    expect(state.challenges).toHaveLength(0)
  }, 60_000)

  it('declines on the player\'s word, and reports the rating change of a finished rated game', async () => {
    const { ann, bob, state } = await pair()
    const declined = bob.node.challenge.propose(ann.node.libp2p.peerId, { terms, color: 'black', name: 'bob' }, { signal: AbortSignal.timeout(20_000) })
    await until(() => state.challenges.length === 1, 'the challenge waiting')
    state.answer(false)
    await expect(declined).rejects.toThrow(/declined/)
    expect(state.notice).toBe('declined bob\'s challenge')
    // Ann challenges bob (who accepts anything), bob resigns at once: the rating moves.
    const rating = new Promise<{ gameId: string }>(resolve => { state.addEventListener('rating', e => { resolve(e.detail) }, { once: true }) })
    state.challenge(bob.node.peerId, terms, 'bob')
    await until(() => state.session() != null, 'the game')
    const gameId = state.session()!.gameId
    await until(() => bob.node.games.session(gameId) != null, 'the game at bob')
    await bob.node.games.perform(gameId, async s => s.resign())
    const change = await rating
    expect(change.gameId).toBe(gameId.toString())
    const { before, after } = state.ratingChanges.get(gameId.toString())!
    expect(after.mu).toBeGreaterThan(before.mu)
    await until(() => /wins by resignation/.test(state.notice), 'the result on the message line')
    state.leaveGame()
    expect(state.session()).toBeUndefined()
  }, 60_000)

  // The RNA browser reads its list again on this event: a game published after the player opened
  // it (the loser's node hears the winner's copy, or publishes its own 20 s later) must show.
  it('says when the node holds a new RNA: its own game published, or a game that arrived', async () => {
    const { ann, bob, state } = await pair()
    const held: string[] = []
    state.addEventListener('rna', e => { held.push(e.detail.id) })
    // Ann wins (bob resigns): ann's node publishes the game.
    await playLongGame(ann, bob, 16, 1, 'white')
    await until(() => held.length === 1, 'ann\'s own game as RNA')
    expect((await heldBy(ann)).map(r => r.id)).toEqual(held)
    // Ann loses: bob's copy arrives at ann.
    await playLongGame(ann, bob, 16, 2, 'black')
    await until(() => held.length === 2, 'bob\'s copy of the second game at ann')
    const stored = await heldBy(ann)
    expect(held.map(id => stored.find(r => r.id === id)?.origin)).toEqual([ann.node.peerId.toString(), bob.node.peerId.toString()])
  }, 60_000)

  // Found playing: the screen showed nothing marked, the bot's marking (every White stone dead)
  // landed a moment before the player's `a`, and the accept signed it.
  it('asks the player to look again before accepting a count the opponent re-marked a moment ago', async () => {
    const { ann, bob, state } = await pair()
    state.challenge(bob.node.peerId, terms, 'bob')
    await until(() => state.session() != null, 'the game')
    const gameId = state.session()!.gameId
    await until(() => bob.node.games.session(gameId) != null, 'the game at bob')
    // One stone each, then both pass: counting.
    const turn = async (act: 'move' | 'pass', at?: { x: number, y: number }): Promise<void> => {
      const s = ann.node.games.session(gameId)!
      const mover = s.game.toMove === (s.me === 'B' ? BLACK : WHITE) ? ann : bob
      const before = s.game.moves.length
      await mover.node.games.perform(gameId, async x => act === 'move' ? x.move(at!) : x.pass())
      await until(() => ann.node.games.session(gameId)!.game.moves.length === before + 1 && bob.node.games.session(gameId)!.game.moves.length === before + 1, 'the turn on both sides')
    }
    await turn('move', { x: 2, y: 2 })
    await turn('move', { x: 6, y: 6 })
    await turn('pass')
    await turn('pass')
    await until(() => state.session()?.game.phase === 'scoring', 'counting')
    // Bob marks a stone dead; ann's accept right after only asks her to look.
    await bob.node.games.perform(gameId, async x => x.mark([{ x: 2, y: 2 }]))
    await until(() => state.session()!.game.marking.dead.length === 1, 'bob\'s marking at ann')
    state.acceptCount()
    expect(state.notice).toBe('marking changed just now (1 dead stone): look, then press a again to accept')
    // It fits the 80-column message line whole, with the key to press.
    expect([...'marking changed just now (81 dead stones): look, then press a again to accept'].length).toBeLessThanOrEqual(80)
    // The second press accepts that marking; bob accepts too: the count is signed by both.
    state.acceptCount()
    await until(() => /^you accepted the count/.test(state.notice), 'ann\'s accept')
    await bob.node.games.perform(gameId, async x => x.acceptScore())
    await until(() => ann.node.games.over(gameId), 'the co-signed result')
  }, 60_000)

  it('quick match finds a seeker near the player\'s rating and challenges it', async () => {
    const { bob, state } = await pair()
    bob.node.lobby.postSeek({ terms, color: 'random' })
    await until(() => state.entries().some(e => e.kind === 'seek'), 'bob\'s seek at ann')
    state.quickMatch()
    expect(state.notice).toBe('looking for an opponent near your 9x9 rating (up to 30 s)…')
    await until(() => state.session() != null, 'the matched game', 30_000)
    const session = state.session()!
    expect(session.start.names[session.me === 'B' ? 'W' : 'B']).toBe('bob')
    expect(session.start.terms).toEqual(terms)
  }, 60_000)

  it('an incoming challenge says when it lapses, and that it was left unanswered', async () => {
    const { ann, bob, state } = await pair()
    const proposal = bob.node.challenge.propose(ann.node.libp2p.peerId, { terms, color: 'black', name: 'bob' }, { signal: AbortSignal.timeout(30_000), ttlMs: 2_000 })
      .then(() => 'accepted', (err: Error) => err.name)
    await until(() => state.challenges.length === 1, 'the challenge waiting')
    expect(state.notice).toMatch(/^bob challenges you: 9x9 · komi 7\.5 · chinese · no clock: a to accept, d to decline \(declined by itself after [0-9]+ m?s\)$/)
    await until(() => state.challenges.length === 0, 'the challenge to lapse')
    expect(state.notice).toMatch(/^bob's challenge is no longer open \(unanswered after [0-9]+ m?s\)$/)
    expect(await proposal).toBe('ChallengeTimeoutError')
  })
})
