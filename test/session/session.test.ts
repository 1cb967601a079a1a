import { describe, expect, it } from 'vitest'
import { ActRejectedError, type RejectReason } from '../../src/session/index.js'
import { ACT_DOMAIN, actToSign, type Act, type UnsignedAct } from '../../src/wire/game-messages.js'
import { sign } from '../../src/wire/signing.js'
import { cidOf } from '../../src/wire/cid.js'
import { actMessage } from '../../src/wire/game-messages.js'
import { deliver, sessionPair, settle } from '../helpers/sessions.js'
import type { PrivateKey } from '@libp2p/interface'

/** The reason an act is refused with, or 'accepted'. */
async function verdict (promise: Promise<unknown>): Promise<RejectReason | 'accepted'> {
  try {
    await promise
    return 'accepted'
  } catch (err) {
    if (err instanceof ActRejectedError) return err.reason
    throw err
  }
}

/** Signs a hand-made act, as a hostile peer holding its own key could. */
async function forge (key: PrivateKey, act: UnsignedAct): Promise<Act> {
  return { ...act, sig: (await sign(key, ACT_DOMAIN, actToSign(act))).sig }
}

describe('GameSession', () => {
  it('plays a whole game to a co-signed result that both sides hold alike', async () => {
    const { black, white } = await sessionPair()
    const ended: string[] = []
    white.addEventListener('ended', e => { if (e.detail.cosigned) ended.push(`W saw ${e.detail.result}`) })
    black.addEventListener('ended', e => { if (e.detail.cosigned) ended.push(`B saw ${e.detail.result}`) })
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    await white.move({ x: 2, y: 2 }); await deliver(white, black)
    await black.pass(); await deliver(black, white)
    await white.pass(); await deliver(white, black)
    expect(black.game.phase).toBe('scoring')
    await black.mark([{ x: 2, y: 2 }]); await deliver(black, white)
    expect(white.game.marking.dead).toEqual([{ x: 2, y: 2 }])
    await white.acceptScore(); await black.acceptScore()
    await settle(black, white)
    expect(black.end).toEqual({ result: 'B+73.5', turns: 4 })
    expect(white.end).toEqual(black.end)
    expect(ended.sort()).toEqual(['B saw B+73.5', 'W saw B+73.5'])
    expect(black.results.W?.final?.equals(white.results.B!.final!)).toBe(true)
    expect(black.turnActs.map(a => cidOf(actMessage(a)).toString())).toEqual(white.turnActs.map(a => cidOf(actMessage(a)).toString()))
  })

  it('applies a retried act once, and refuses a different act under an old number', async () => {
    const { black, white, keys } = await sessionPair()
    const act = await black.move({ x: 4, y: 4 })
    expect(await white.receive(act)).toBe(true)
    expect(await white.receive(act)).toBe(false)
    expect(white.game.moves).toHaveLength(1)
    const replaced = await forge(keys.B, { ...act, x: 5 })
    expect(await verdict(white.receive(replaced))).toBe('broken-chain')
    expect(white.game.moves).toHaveLength(1)
  })

  it('refuses every kind of bad act and changes nothing', async () => {
    const { black, white, keys } = await sessionPair()
    const first = await black.move({ x: 4, y: 4 })
    await deliver(black, white)
    const before = white.game.position.board.toRows().join('/')
    const base: UnsignedAct = { game: white.gameId, by: 'B', n: 2, prev: cidOf(actMessage(first)), seen: 0, at: 0, kind: 'move', ply: 1, x: 0, y: 0, clock: 0 }
    // Black moving again out of turn, a move on an occupied point, an unsigned or wrongly signed act.
    expect(await verdict(white.receive(await forge(keys.B, base)))).toBe('not-your-turn')
    expect(await verdict(white.receive(await forge(keys.W, { ...base, by: 'B' })))).toBe('bad-signature')
    expect(await verdict(white.receive({ ...(await forge(keys.B, base)), sig: new Uint8Array(64) }))).toBe('bad-signature')
    expect(await verdict(white.receive(await forge(keys.B, { ...base, n: 3 })))).toBe('out-of-order')
    expect(await verdict(white.receive(await forge(keys.B, { ...base, prev: cidOf({ nope: 1 }) })))).toBe('broken-chain')
    expect(await verdict(white.receive(await forge(keys.B, { ...base, game: cidOf({ other: 'game' }) })))).toBe('wrong-game')
    expect(await verdict(white.receive(await forge(keys.W, { ...base, by: 'W', n: 1, prev: null })))).toBe('wrong-author')
    // White to move: an illegal White move made by White's own session is refused before it is signed.
    await expect(white.move({ x: 4, y: 4 })).rejects.toThrow(/illegal move: that point already has a stone on it/)
    expect(white.game.position.board.toRows().join('/')).toBe(before)
    expect(white.have).toBe(1)
  })

  it('voids a move that crossed a resignation, on both sides', async () => {
    const { black, white } = await sessionPair()
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    // White moves while Black, not having seen it, resigns.
    await white.move({ x: 3, y: 3 })
    await black.resign()
    await settle(black, white)
    expect(black.end).toEqual({ result: 'W+R', turns: 1 })
    expect(white.end).toEqual({ result: 'W+R', turns: 1 })
    expect(white.turnActs).toHaveLength(1)
    expect(white.game.position.board.toRows().join('')).not.toContain('O')
    expect(black.results.W).toBeDefined()
    expect(white.results.B).toBeDefined()
  })

  it('rejects a forged result', async () => {
    const { black, white, keys } = await sessionPair()
    await black.resign()
    const resign = black.acts.B[0]
    await white.receive(resign)
    const lie: UnsignedAct = { game: black.gameId, by: 'B', n: 2, prev: cidOf(actMessage(resign)), seen: 1, at: 0, kind: 'result', result: 'B+R', final: cidOf({ game: black.gameId, result: 'B+R', turns: 0, last: null }) }
    expect(await verdict(white.receive(await forge(keys.B, lie)))).toBe('forged-result')
    expect(white.end?.result).toBe('W+R')
  })

  it('says what a forged result got wrong: its final summary, not the result text both share', async () => {
    const { black, white, keys } = await sessionPair()
    await black.resign()
    const resign = black.acts.B[0]
    await white.receive(resign)
    // The right result text, signed over another game's end (0 turns instead of the game's).
    const lie: UnsignedAct = { game: black.gameId, by: 'B', n: 2, prev: cidOf(actMessage(resign)), seen: 1, at: 0, kind: 'result', result: 'W+R', final: cidOf({ game: black.gameId, result: 'W+R', turns: 5, last: null }) }
    let message = ''
    try {
      await white.receive(await forge(keys.B, lie))
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).not.toMatch(/the result W\+R does not match this game's end \(W\+R\)/)
    expect(message).toMatch(/final summary/)
    expect(message).toContain(white.finalSummary().turns.toString())
    // A wrong result text is named as such.
    const wrongText: UnsignedAct = { ...lie, result: 'B+R', final: cidOf({ ...white.finalSummary() }) }
    let textMessage = ''
    try {
      await white.receive(await forge(keys.B, wrongText))
    } catch (err) {
      textMessage = (err as Error).message
    }
    expect(textMessage).toMatch(/B\+R.*W\+R/)
  })

  it('takes back a move only when the opponent agrees', async () => {
    const { black, white } = await sessionPair()
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    await black.requestUndo(); await deliver(black, white)
    await white.replyUndo(false); await deliver(white, black)
    expect(black.turnActs).toHaveLength(1)
    await black.requestUndo(); await deliver(black, white)
    await white.replyUndo(true); await deliver(white, black)
    expect(black.turnActs).toHaveLength(0)
    expect(white.turnActs).toHaveLength(0)
    expect(white.game.toMove).toBe(1)
    await black.move({ x: 3, y: 3 }); await deliver(black, white)
    expect(white.game.position.board.toRows()[3]).toBe('...X.....')
  })

  it('refuses a timeout claim the accused player\'s own clock does not support', async () => {
    const { black, white, time } = await sessionPair({ tc: { kind: 'absolute', mainMs: 60_000 } })
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    time.advance(30_000)
    // Black claims White flagged after 30 s of White's 60: White's clock says no.
    const claim = black.claimTimeout()
    await expect(claim).resolves.toBeDefined()
    expect(await verdict(white.receive(black.acts.B[1]))).toBe('false-claim')
    expect(white.end).toBeUndefined()
  })

  it('accepts a timeout claim that holds, and both sign the time loss', async () => {
    const { black, white, time } = await sessionPair({ tc: { kind: 'absolute', mainMs: 60_000 } })
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    time.advance(61_000)
    await black.claimTimeout()
    await settle(black, white)
    expect(white.end?.result).toBe('B+T')
    expect(black.results.W).toBeDefined()
  })

  it('refuses a turn made after the flag fell without changing anything; the claim then ends the game', async () => {
    const { black, white, time } = await sessionPair({ tc: { kind: 'absolute', mainMs: 60_000 } })
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    time.advance(62_000)
    await expect(white.move({ x: 3, y: 3 })).rejects.toThrow(/ran out of time/)
    expect(white.game.phase).toBe('play')
    expect(white.acts.W).toHaveLength(0)
    await black.claimTimeout()
    await settle(black, white)
    expect(white.end?.result).toBe('B+T')
    expect(black.results.W).toBeDefined()
  })

  it('rebuilds the same game from stored acts after a restart', async () => {
    const { black, white, start, keys } = await sessionPair()
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    await white.move({ x: 3, y: 3 }); await deliver(white, black)
    await black.chat('nice'); await deliver(black, white)
    await white.resign(); await settle(black, white)
    const { GameSession } = await import('../../src/session/index.js')
    const again = new GameSession({ start, gameId: white.gameId, me: 'W', key: keys.W, keys: { B: keys.B.publicKey, W: keys.W.publicKey }, now: () => 0 })
    await again.replay({ B: black.acts.B, W: white.acts.W })
    expect(again.end).toEqual(white.end)
    expect(again.game.position.board.toRows()).toEqual(white.game.position.board.toRows())
    expect(again.results.B).toBeDefined()
  })
})
