import { describe, expect, it } from 'vitest'
import { remaining } from '../../src/game/clock.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { ActRejectedError, GameSession, type RejectReason } from '../../src/session/index.js'
import { CORRESPONDENCE_SKEW_MS } from '../../src/session/constants.js'
import { ACT_DOMAIN, actMessage, actToSign, type Act, type UnsignedAct } from '../../src/wire/game-messages.js'
import { cidOf } from '../../src/wire/cid.js'
import { sign } from '../../src/wire/signing.js'
import { deliver, sessionPair, settle, type Pair } from '../helpers/sessions.js'
import type { CorrespondenceTime } from '../../src/game/correspondence.js'
import type { PrivateKey } from '@libp2p/interface'

const hour = 3_600_000
const day = 24 * hour
/** 3 days a move, up to 7 banked, no weekend pause: the flag falls on any day of the week alike. */
const threeDays: CorrespondenceTime = { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day }

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

/** Signs a hand-made act, as a peer holding its own key could (with any `at` it likes). */
async function forge (key: PrivateKey, act: UnsignedAct): Promise<Act> {
  return { ...act, sig: (await sign(key, ACT_DOMAIN, actToSign(act))).sig }
}

/** Plays `moves` turns, one every `every` ms of fake time; each act reaches the other side only `delay` later. */
async function play (pair: Pair, moves: number, every: number, delay = 0): Promise<void> {
  const { black, white, time } = pair
  for (let i = 0; i < moves; i++) {
    const [mover, other] = i % 2 === 0 ? [black, white] : [white, black]
    time.advance(every)
    await mover.move({ x: i % 9, y: Math.floor(i / 9) * 2 })
    time.advance(delay)
    await deliver(mover, other)
    time.advance(-delay)
  }
}

/** A new session of `side` rebuilt from both players' acts, as after a restart `at` later. */
async function rebuilt (pair: Pair, side: 'B' | 'W', at: number): Promise<GameSession> {
  const { start, keys, black } = pair
  const again = new GameSession({ start, gameId: black.gameId, me: side, key: keys[side], keys: { B: keys.B.publicKey, W: keys.W.publicKey }, now: () => at })
  await again.replay({ B: pair.black.acts.B, W: pair.white.acts.W })
  return again
}

describe('a correspondence game in sessions', () => {
  it('times each turn by its signed time, not by when it arrived: both sides read the same clocks', async () => {
    const pair = await sessionPair({ tc: threeDays })
    // A move every 2 days, each held 30 hours before it reaches the other side.
    await play(pair, 6, 2 * day, 30 * hour)
    const { black, white, time } = pair
    for (const color of [BLACK, WHITE] as const) {
      expect(remaining(white.game.clock, color, time.now()).totalMs).toBe(remaining(black.game.clock, color, time.now()).totalMs)
    }
    // 3 - 2 + 3 = 4 days after the first move, 5 after the second, 6 after the third.
    expect(remaining(black.game.clock, BLACK, time.now()).totalMs).toBe(6 * day)
    expect(remaining(black.game.clock, WHITE, time.now()).totalMs).toBe(6 * day)
    // The acts' clock field says the same.
    expect(white.acts.W.at(-1)?.clock).toBe(6 * day)
  })

  it('a player who stops answering loses on a claim, and agrees when it returns days later', async () => {
    const pair = await sessionPair({ tc: threeDays })
    const { black, white, time } = pair
    await play(pair, 2, day)
    await black.move({ x: 8, y: 8 }); await deliver(black, white)
    const blackMoved = time.now()
    // White goes silent; its time (3 - 1 + 3 = 5 days) runs out; Black waits the tolerance too.
    time.advance(5 * day + CORRESPONDENCE_SKEW_MS + 1)
    const claim = await black.claimTimeout()
    expect(black.end?.result).toBe('B+T')
    // White comes back two weeks later and finds the claim waiting for it.
    time.advance(14 * day)
    expect(await verdict(white.receive(claim))).toBe('accepted')
    expect(white.end).toEqual(black.end)
    await settle(black, white)
    expect(black.results.W).toBeDefined()
    expect(white.results.B).toBeDefined()
    expect(claim.at - blackMoved).toBeGreaterThan(5 * day + CORRESPONDENCE_SKEW_MS)
    // Anyone replaying the signed acts reaches the same result, whenever they do.
    expect((await rebuilt(pair, 'W', time.now() + 365 * day)).end).toEqual(white.end)
  })

  it('refuses an early claim: before the flag plus the tolerance, by the signed times', async () => {
    const pair = await sessionPair({ tc: threeDays })
    const { black, white, time, keys } = pair
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    const moved = time.now()
    // White's 3 days are up, but not the hour's tolerance: Black's own session will not make the claim.
    time.advance(3 * day + CORRESPONDENCE_SKEW_MS / 2)
    await expect(black.claimTimeout()).rejects.toMatchObject({ reason: 'false-claim' })
    expect(black.end).toBeUndefined()
    // A claim signed by hand anyway is refused by White, even days later.
    const unsigned: UnsignedAct = { game: black.gameId, by: 'B', n: 2, prev: cidOf(actMessage(black.acts.B[0])), seen: 0, at: time.now(), kind: 'timeout-claim', ply: 1, proof: [] }
    time.advance(10 * day)
    expect(await verdict(white.receive(await forge(keys.B, unsigned)))).toBe('false-claim')
    expect(white.end).toBeUndefined()
    // A claim dated ahead of the receiver's clock by more than the tolerance is refused too,
    // though its date would be past the flag: a claimer cannot date its way to a win.
    const future = await forge(keys.B, { ...unsigned, at: moved + 3 * day + 2 * CORRESPONDENCE_SKEW_MS })
    time.t = moved + 3 * day
    expect(await verdict(white.receive(future))).toBe('false-claim')
    // White, in time, may still move.
    await white.move({ x: 3, y: 3 })
    expect(white.game.moves).toHaveLength(2)
  })

  it('a move made after the flag, by its own signed time, is refused on both sides', async () => {
    const pair = await sessionPair({ tc: threeDays })
    const { black, white, time } = pair
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    time.advance(3 * day + 1)
    await expect(white.move({ x: 3, y: 3 })).rejects.toThrow(/ran out of time/)
    expect(white.acts.W).toHaveLength(0)
  })

  it('a turn made in time that crossed the claim in flight is void: the claim stands on both sides', async () => {
    const pair = await sessionPair({ tc: threeDays })
    const { black, white, time } = pair
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    // White moves with an hour left, but the move waits somewhere and reaches Black only late.
    time.advance(3 * day - hour)
    const late = await white.move({ x: 3, y: 3 })
    time.advance(hour + CORRESPONDENCE_SKEW_MS + 1)
    const claim = await black.claimTimeout()
    expect(await verdict(white.receive(claim))).toBe('accepted')
    expect(await verdict(black.receive(late))).toBe('accepted')
    expect(black.end).toEqual({ result: 'B+T', turns: 1 })
    expect(white.end).toEqual(black.end)
    expect(white.game.moves).toHaveLength(1)
    await settle(black, white)
    expect(black.results.W).toBeDefined()
    expect(white.results.B).toBeDefined()
    // Replayed from the stored acts, on either side, the crossing turn is void again.
    for (const side of ['B', 'W'] as const) {
      const again = await rebuilt(pair, side, time.now() + day)
      expect(again.end).toEqual(black.end)
      expect(again.game.moves).toHaveLength(1)
    }
  })

  it('the weekend pause puts the flag off, and a claim on the Sunday is refused', async () => {
    // The pair's games are agreed on Tuesday 14 November 2023, 22:13 UTC.
    const pair = await sessionPair({ tc: { ...threeDays, weekendPause: { utcOffsetMin: 0 } } })
    const { black, white, time } = pair
    const saturday = Date.UTC(2023, 10, 18)
    const monday = Date.UTC(2023, 10, 20)
    time.t = Date.UTC(2023, 10, 16, 12) // Thursday noon
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    // White's 3 days: Thursday noon to Saturday 00:00 is 1.5 days; the other 1.5 run from Monday.
    time.t = saturday + day + 2 * hour // Sunday
    await expect(black.claimTimeout()).rejects.toMatchObject({ reason: 'false-claim' })
    time.t = monday + 1.5 * day + CORRESPONDENCE_SKEW_MS + 1
    await black.claimTimeout()
    expect(black.end?.result).toBe('B+T')
    expect(await verdict(white.receive(black.acts.B.at(-2)!))).toBe('accepted')
    expect(white.end?.result).toBe('B+T')
  })
})

describe('a correspondence game taking a move back', () => {
  it('gives the clock back as it stood before the move, on both sides', async () => {
    const pair = await sessionPair({ tc: threeDays })
    const { black, white, time } = pair
    await black.move({ x: 4, y: 4 }); await deliver(black, white)
    time.advance(day)
    await white.move({ x: 3, y: 3 }); await deliver(white, black)
    const whiteMoved = time.now()
    await white.requestUndo(); await deliver(white, black)
    time.advance(hour)
    await black.replyUndo(true); await deliver(black, white)
    expect(white.game.moves).toHaveLength(1)
    // White is to move again, its clock running since Black's move: 3 days less the day and the hour.
    for (const s of [black, white]) {
      expect(s.game.toMove).toBe(WHITE)
      expect(remaining(s.game.clock, WHITE, time.now()).totalMs).toBe(3 * day - day - hour)
    }
    expect(time.now() - whiteMoved).toBe(hour)
    time.advance(2 * day - hour)
    await white.move({ x: 2, y: 2 }); await deliver(white, black)
    expect(remaining(black.game.clock, WHITE, time.now()).totalMs).toBe(3 * day)
  })
})
