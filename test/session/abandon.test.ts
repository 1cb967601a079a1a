import { describe, expect, it } from 'vitest'
import { ActRejectedError } from '../../src/session/index.js'
import { ABANDON_AFTER_MS } from '../../src/session/constants.js'
import { deliver, sessionPair } from '../helpers/sessions.js'

/** The reason a promise is refused with, or 'accepted'. */
async function verdict (promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'accepted'
  } catch (err) {
    if (err instanceof ActRejectedError) return err.reason
    throw err
  }
}

describe('abandonment (protocols/game.md, "Abandonment")', () => {
  it('lets White leave a game whose Black never makes a first move, once the limit has passed', async () => {
    const { white, time } = await sessionPair()
    expect(white.waitingSince()).toBe(white.start.created)
    expect(white.mayLeave()).toBe(false)
    expect(await verdict(white.abandon())).toBe('not-now')
    time.advance(ABANDON_AFTER_MS)
    expect(white.mayLeave()).toBe(true)
    await white.abandon()
    expect(white.end?.result).toBe('Void')
    expect(white.endedBy).toEqual({ side: 'W', kind: 'abort' })
  })

  it('takes an abandonment after two turns from a player whose last act went unanswered, and ends the game without result', async () => {
    const { black, white, time } = await sessionPair()
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    await white.move({ x: 2, y: 2 }); await deliver(white, black)
    await black.move({ x: 6, y: 6 }); await deliver(black, white)
    // White, to move, is not waiting on anyone: it may not leave, however long it waits.
    time.advance(ABANDON_AFTER_MS * 2)
    expect(white.waitingSince()).toBeUndefined()
    expect(await verdict(white.abandon())).toBe('not-now')
    // Black is waiting on White: a chat from White does not count as an answer.
    await white.chat('thinking'); await deliver(white, black)
    expect(black.mayLeave()).toBe(true)
    await black.abandon()
    await deliver(black, white)
    expect(black.end).toEqual({ result: 'Void', turns: 3 })
    expect(white.end).toEqual(black.end)
    expect(white.results.B).toBeDefined()
  })

  it('refuses an abandonment from a player who was not waiting (the receiver had answered its last act)', async () => {
    const { black, white, keys, time } = await sessionPair()
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    await white.move({ x: 2, y: 2 }); await deliver(white, black)
    await black.move({ x: 6, y: 6 }); await deliver(black, white)
    await white.move({ x: 3, y: 3 }); await deliver(white, black)
    time.advance(ABANDON_AFTER_MS)
    // Black, to move, signs an abort by hand: White answered Black's last move, so it is no abandonment.
    const { ACT_DOMAIN, actToSign, actMessage } = await import('../../src/wire/game-messages.js')
    const { sign } = await import('../../src/wire/signing.js')
    const { cidOf } = await import('../../src/wire/cid.js')
    const prev = black.acts.B.at(-1)!
    const unsigned = { game: black.gameId, by: 'B' as const, n: black.acts.B.length + 1, prev: cidOf(actMessage(prev)), seen: black.have, at: time.now(), kind: 'abort' as const, ply: 4 }
    const forged = { ...unsigned, sig: (await sign(keys.B, ACT_DOMAIN, actToSign(unsigned))).sig }
    expect(await verdict(white.receive(forged))).toBe('not-now')
    expect(white.end).toBeUndefined()
  })

  it('leaves a timed game in play to the flag, and allows leaving it while counting', async () => {
    const { black, white, time } = await sessionPair({ tc: { kind: 'absolute', mainMs: 600_000 } })
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    await white.move({ x: 2, y: 2 }); await deliver(white, black)
    await black.pass(); await deliver(black, white)
    time.advance(ABANDON_AFTER_MS)
    expect(black.waitingSince()).toBeUndefined()
    expect(await verdict(black.abandon())).toBe('not-now')
    await white.pass(); await deliver(white, black)
    expect(black.game.phase).toBe('scoring')
    await black.mark([]); await black.acceptScore(); await deliver(black, white)
    time.advance(ABANDON_AFTER_MS)
    expect(black.mayLeave()).toBe(true)
    await black.abandon()
    expect(black.end?.result).toBe('Void')
  })

  it('keeps the limit a setting of the player: a session made with a shorter one may leave sooner', async () => {
    const { white, time } = await sessionPair({}, {}, { abandonAfterMs: 5_000 })
    time.advance(5_000)
    expect(white.mayLeave()).toBe(true)
  })
})
