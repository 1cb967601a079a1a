import { afterEach, describe, expect, it, vi } from 'vitest'
import { FlagWatch } from '../../../src/net/game/flag-watch.js'
import { FLAG_CHECK_MS } from '../../../src/net/game/constants.js'
import { CLAIM_ALLOWANCE_MS, CORRESPONDENCE_SKEW_MS } from '../../../src/session/index.js'
import { deliver, sessionPair } from '../../helpers/sessions.js'

afterEach(() => { vi.useRealTimers() })

describe('the flag watch', () => {
  it('claims once the opponent\'s time is up by more than the lag allowance, and never before', async () => {
    vi.useFakeTimers()
    const { black, white, time } = await sessionPair({ tc: { kind: 'absolute', mainMs: 10_000 } })
    await black.move({ x: 4, y: 4 })
    await deliver(black, white)
    let claims = 0
    const watch = new FlagWatch(black, time.now, () => { claims++ })
    // White's ten seconds run out, but the allowance has not passed yet.
    time.advance(10_000 + CLAIM_ALLOWANCE_MS - 1)
    vi.advanceTimersByTime(FLAG_CHECK_MS)
    expect(claims).toBe(0)
    time.advance(2)
    vi.advanceTimersByTime(FLAG_CHECK_MS)
    expect(claims).toBe(1)
    watch.stop()
    vi.advanceTimersByTime(10 * FLAG_CHECK_MS)
    expect(claims).toBe(1)
  })

  it('in a correspondence game, waits the skew tolerance past the flag, so its claim holds at the other side', async () => {
    vi.useFakeTimers()
    const day = 86_400_000
    const { black, white, time } = await sessionPair({ tc: { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day } })
    await black.move({ x: 4, y: 4 })
    await deliver(black, white)
    let claims = 0
    const watch = new FlagWatch(black, time.now, () => { claims++ })
    time.advance(3 * day + CORRESPONDENCE_SKEW_MS)
    vi.advanceTimersByTime(FLAG_CHECK_MS)
    expect(claims).toBe(0)
    time.advance(1)
    vi.advanceTimersByTime(FLAG_CHECK_MS)
    expect(claims).toBe(1)
    watch.stop()
    await black.claimTimeout()
    await deliver(black, white)
    expect(white.end?.result).toBe('B+T')
  })

  it('does not claim on its own turn, and stops by itself once the game is over', async () => {
    vi.useFakeTimers()
    const { black, white, time } = await sessionPair({ tc: { kind: 'absolute', mainMs: 10_000 } })
    let claims = 0
    // Black is to move: Black's own flag is not Black's to claim.
    new FlagWatch(black, time.now, () => { claims++ })
    time.advance(60_000)
    vi.advanceTimersByTime(4 * FLAG_CHECK_MS)
    expect(claims).toBe(0)
    await white.resign()
    await deliver(white, black)
    expect(black.end).toBeDefined()
    vi.advanceTimersByTime(FLAG_CHECK_MS)
    expect(vi.getTimerCount()).toBe(0)
  })
})
