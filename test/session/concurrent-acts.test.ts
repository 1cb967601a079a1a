// A player's acts made at the same moment (a bot's move and the node's own flag-fall claim, a
// result signed as the opponent's result arrives) are numbered one after another. Before, each
// read its number before the other was signed: two acts under one number, which the opponent
// refuses as a forged history (`broken-chain`) and holds against an honest player's reputation.
import { describe, expect, it } from 'vitest'
import { deliver, sessionPair, settle } from '../helpers/sessions.js'
import { GameSession } from '../../src/session/index.js'
import type { Act } from '../../src/wire/game-messages.js'

const numbers = (acts: readonly Act[]): number[] => acts.map(a => a.n)

describe('acts made at once', () => {
  it('are numbered one after another, and the opponent takes them all', async () => {
    const { black, white } = await sessionPair()
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    const made = await Promise.all([white.move({ x: 2, y: 2 }), white.chat('good luck'), white.chat('have fun')])
    expect(made.map(a => a.n).sort()).toEqual([1, 2, 3])
    expect(numbers(white.acts.W)).toEqual([1, 2, 3])
    await deliver(white, black)
    expect(black.have).toBe(3)
    expect(black.game.moves).toHaveLength(2)
  })

  it('sign the result once when the opponent\'s result arrives while mine is being signed', async () => {
    const pair = await sessionPair()
    // Black's key can be held mid-signature, as a busy thread or a hardware key holds it.
    let hold: Promise<void> | undefined
    let entered = (): void => {}
    const black = new GameSession({
      start: pair.start,
      gameId: pair.black.gameId,
      me: 'B',
      key: { sign: async data => { entered(); if (hold != null) await hold; return pair.keys.B.sign(data) } },
      keys: { B: pair.keys.B.publicKey, W: pair.keys.W.publicKey },
      now: pair.time.now
    })
    const { white } = pair
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    await white.pass(); await deliver(white, black)
    await black.pass(); await deliver(black, white)
    await black.acceptScore(); await deliver(black, white)
    // White accepts last: the game ends on White's side, and White signs its result at once.
    const wAccept = await white.acceptScore()
    const wResult = white.acts.W.at(-1) as Act
    expect(wResult.kind).toBe('result')
    // Black takes White's accept: the game ends, and Black starts signing its result (held).
    let release = (): void => {}
    hold = new Promise(resolve => { release = resolve })
    const signing = new Promise<void>(resolve => { entered = resolve })
    const first = black.receive(wAccept)
    await signing
    // White's result arrives meanwhile, as the network hands acts over one after another.
    const second = black.receive(wResult)
    await new Promise(resolve => setTimeout(resolve, 50))
    release()
    await Promise.all([first, second])
    expect(black.acts.B.filter(a => a.kind === 'result')).toHaveLength(1)
    expect(numbers(black.acts.B)).toEqual(black.acts.B.map((_, i) => i + 1))
    await settle(black, white)
    expect(black.results.W).toBeDefined()
    expect(white.results.B).toBeDefined()
  })
})
