// The relay's count of refused reservations over a sliding window, on injected time.
import { describe, expect, it } from 'vitest'
import { RefusalWindow } from '../../../src/net/relay-switch/refusal-window.js'
import { minute, second } from '../../../src/units.js'

describe('refused reservations in the last ten minutes', () => {
  it('counts what happened within the window and forgets what is older', () => {
    const w = new RefusalWindow(10 * minute)
    const t0 = 1_000_000_000
    expect(w.count(t0)).toBe(0)
    w.add(t0)
    w.add(t0 + 500)
    w.add(t0 + 3 * minute)
    expect(w.count(t0 + 3 * minute)).toBe(3)
    // Ten minutes after the first two, they are gone; the third stays.
    expect(w.count(t0 + 10 * minute + 1 * second)).toBe(1)
    expect(w.count(t0 + 13 * minute + 1 * second)).toBe(0)
  })

  it('holds a bounded amount of memory under a flood', () => {
    const w = new RefusalWindow(10 * minute)
    const t0 = 5_000_000
    for (let i = 0; i < 100_000; i++) w.add(t0 + i * 5)
    expect(w.count(t0 + 100_000 * 5)).toBe(100_000)
    expect(w.slots).toBeLessThanOrEqual(601)
  })

  it('does not count a clock that went backwards twice', () => {
    const w = new RefusalWindow(10 * minute)
    w.add(2_000_000)
    w.add(1_000_000)
    expect(w.count(2_000_000)).toBe(2)
  })
})
