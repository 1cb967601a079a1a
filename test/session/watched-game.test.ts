// A watcher's copy of a game (protocols/watch.md): every act checked as the opponent checks it,
// applied in causal order whatever order it arrives in, forged or forked acts refused.
import { describe, expect, it } from 'vitest'
import { ActRejectedError } from '../../src/session/index.js'
import { HELD_MAX, WatchedGame } from '../../src/session/watched-game.js'
import { ACT_DOMAIN, actMessage, actToSign, type Act, type UnsignedAct } from '../../src/wire/game-messages.js'
import { cidOf } from '../../src/wire/cid.js'
import { sign } from '../../src/wire/signing.js'
import { deliver, sessionPair, settle, type Pair } from '../helpers/sessions.js'
import type { GameSession } from '../../src/session/index.js'
import type { PrivateKey } from '@libp2p/interface'

/** The reason an offer is refused with, or what became of the act. */
async function verdict (promise: Promise<unknown>): Promise<string> {
  try {
    return String(await promise)
  } catch (err) {
    if (err instanceof ActRejectedError) return err.reason
    throw err
  }
}

/** Every act of a game in the order its players applied them (Black's view). */
function played (pair: Pair, log: Act[]): void {
  pair.black.addEventListener('act', e => { log.push(e.detail.act) })
}

/** A short game: moves, a capture, a chat from each side, a pass each, then White resigns and both sign. */
async function shortGame (): Promise<{ pair: Pair, acts: Act[] }> {
  const pair = await sessionPair()
  const acts: Act[] = []
  played(pair, acts)
  const { black, white, time } = pair
  const turn = async (s: GameSession, o: GameSession, x: number, y: number): Promise<void> => {
    time.advance(1000)
    await s.move({ x, y })
    await deliver(s, o)
  }
  await turn(black, white, 1, 0)
  await turn(white, black, 0, 0)
  await turn(black, white, 0, 1) // captures White's corner stone
  await white.chat('nice'); await deliver(white, black)
  await black.chat('thanks'); await deliver(black, white)
  await turn(white, black, 4, 4)
  await white.resign()
  await settle(white, black)
  return { pair, acts }
}

function watcherOf (pair: Pair): WatchedGame {
  return new WatchedGame({ start: pair.start, gameId: pair.black.gameId, keys: { B: pair.keys.B.publicKey, W: pair.keys.W.publicKey } })
}

async function signAs (key: PrivateKey, unsigned: UnsignedAct): Promise<Act> {
  return { ...unsigned, sig: (await sign(key, ACT_DOMAIN, actToSign(unsigned))).sig }
}

describe('a watched game', () => {
  it('applies a whole game offered in play order and ends as the players did, co-signed', async () => {
    const { pair, acts } = await shortGame()
    const watched = watcherOf(pair)
    const seen: Act[] = []
    const ended: Array<{ result: string, cosigned: boolean }> = []
    watched.addEventListener('act', e => { seen.push(e.detail.act) })
    watched.addEventListener('ended', e => { ended.push(e.detail) })
    for (const act of acts) expect(await watched.offer(act)).toBe('applied')
    expect(seen).toEqual(acts)
    expect(watched.end).toEqual(pair.black.end)
    expect(watched.end?.result).toBe('B+R')
    expect(watched.finished).toBe(true)
    expect(ended.at(-1)?.cosigned).toBe(true)
    expect(watched.game.position.board.toRows()).toEqual(pair.black.game.position.board.toRows())
    expect(watched.game.captures).toEqual(pair.black.game.captures)
  })

  it('holds acts that arrive before the ones they follow, and applies them in causal order', async () => {
    const { pair, acts } = await shortGame()
    const watched = watcherOf(pair)
    const seen: Act[] = []
    watched.addEventListener('act', e => { seen.push(e.detail.act) })
    const reversed = [...acts].reverse()
    for (const act of reversed.slice(0, -1)) expect(await watched.offer(act)).toBe('held')
    expect(watched.heldCount).toBe(acts.length - 1)
    expect(await watched.offer(reversed.at(-1)!)).toBe('applied')
    expect(watched.heldCount).toBe(0)
    expect(seen.map(a => `${a.by}${a.n}`)).toEqual(acts.map(a => `${a.by}${a.n}`))
    expect(watched.finished).toBe(true)
    // Offered again, each is a duplicate and nothing changes.
    for (const act of acts) expect(await watched.offer(act)).toBe('duplicate')
    expect(seen).toHaveLength(acts.length)
  })

  it('gives a late watcher the same game from a catch-up of any prefix', async () => {
    const { pair, acts } = await shortGame()
    const full = watcherOf(pair)
    for (const act of acts) await full.offer(act)
    const late = watcherOf(pair)
    for (const act of acts.slice(0, 4)) await late.offer(act)
    const rest = full.actsAfter(late.have)
    expect(rest.map(r => `${r.act.by}${r.act.n}`)).toEqual(acts.slice(4).map(a => `${a.by}${a.n}`))
    for (const { act, encoded } of rest) expect(await late.offer(act, encoded)).toBe('applied')
    expect(late.end).toEqual(full.end)
    expect(late.finished).toBe(true)
  })

  it('refuses an act signed by anyone but its player, and a second act under a number already used', async () => {
    const pair = await sessionPair()
    const watched = watcherOf(pair)
    await pair.black.move({ x: 2, y: 2 })
    const first = pair.black.acts.B[0]
    // White signs an act in Black's name.
    const forged = await signAs(pair.keys.W, { game: first.game, by: 'B', n: 1, prev: null, seen: 0, at: first.at, kind: 'move', ply: 0, x: 3, y: 3, clock: 0 })
    expect(await verdict(watched.offer(forged))).toBe('bad-signature')
    expect(watched.heldCount).toBe(0)
    expect(await watched.offer(first)).toBe('applied')
    // Black signs another first act: a fork of its own chain.
    const fork = await signAs(pair.keys.B, { game: first.game, by: 'B', n: 1, prev: null, seen: 0, at: first.at, kind: 'move', ply: 0, x: 3, y: 3, clock: 0 })
    expect(await verdict(watched.offer(fork))).toBe('broken-chain')
    expect(watched.turnActs).toEqual([first])
  })

  it('refuses a fork of an act still held, and an act for another game', async () => {
    const pair = await sessionPair()
    const other = await sessionPair({}, { B: pair.keys.B, W: pair.keys.W })
    const watched = watcherOf(pair)
    await pair.black.chat('one')
    await pair.black.chat('two')
    const second = pair.black.acts.B[1]
    expect(await watched.offer(second)).toBe('held')
    const fork = await signAs(pair.keys.B, { game: second.game, by: 'B', n: 2, prev: cidOf(actMessage(pair.black.acts.B[0])), seen: 0, at: second.at, kind: 'chat', text: 'three' })
    expect(await verdict(watched.offer(fork))).toBe('broken-chain')
    await other.black.move({ x: 1, y: 1 })
    expect(await verdict(watched.offer(other.black.acts.B[0]))).toBe('wrong-game')
  })

  it('stops at an illegal move its player signed, as the opponent would refuse it, and takes nothing after', async () => {
    const pair = await sessionPair()
    const watched = watcherOf(pair)
    let stopped: string | undefined
    watched.addEventListener('stopped', e => { stopped = e.detail.error.reason })
    await pair.black.move({ x: 2, y: 2 }); await deliver(pair.black, pair.white)
    await pair.white.move({ x: 5, y: 5 }); await deliver(pair.white, pair.black)
    for (const act of [pair.black.acts.B[0], pair.white.acts.W[0]]) await watched.offer(act)
    // Black signs a move on White's stone.
    const last = pair.black.acts.B[0]
    const illegal = await signAs(pair.keys.B, { game: last.game, by: 'B', n: 2, prev: cidOf(actMessage(last)), seen: 1, at: last.at + 1, kind: 'move', ply: 2, x: 5, y: 5, clock: 0 })
    await expect(pair.white.receive(illegal)).rejects.toMatchObject({ reason: 'illegal-move' })
    expect(await verdict(watched.offer(illegal))).toBe('illegal-move')
    expect(stopped).toBe('illegal-move')
    expect(watched.turnActs).toHaveLength(2)
    await pair.white.chat('hello')
    expect(await verdict(watched.offer(pair.white.acts.W[1]))).toBe('illegal-move')
    expect(watched.acts.W).toHaveLength(1)
  })

  it(`holds at most ${HELD_MAX} acts of a player waiting for an earlier one`, async () => {
    const pair = await sessionPair()
    const watched = watcherOf(pair)
    for (let i = 0; i < HELD_MAX + 2; i++) await pair.black.chat(`line ${i}`)
    const chats = pair.black.acts.B
    for (const act of chats.slice(1, HELD_MAX + 1)) expect(await watched.offer(act)).toBe('held')
    expect(await verdict(watched.offer(chats[HELD_MAX + 1]))).toBe('out-of-order')
    expect(await watched.offer(chats[0])).toBe('applied')
    expect(watched.acts.B).toHaveLength(HELD_MAX + 1)
    expect(await watched.offer(chats[HELD_MAX + 1])).toBe('applied')
  })
})
