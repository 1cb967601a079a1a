// When a relay provides its key again in a DHT (src/net/relay-load/advertise-due.ts).
import { describe, expect, it } from 'vitest'
import { advertiseDue } from '../../../src/net/relay-load/advertise-due.js'
import { ADVERTISE_INTERVAL, ADVERTISE_REGROW_GAP } from '../../../src/net/relay-load/constants.js'

const t = 1_000_000_000
describe('advertising again', () => {
  it.each([
    ['a DHT that knows nobody, never', undefined, 0, t, false],
    ['a DHT that knows someone and never took it, at once', undefined, 1, t, true],
    ['the same peers a moment later, not', { at: t, size: 3 }, 3, t + 1000, false],
    ['the same peers after the interval, again', { at: t, size: 3 }, 3, t + ADVERTISE_INTERVAL, true],
    ['twice the peers, but too soon, not', { at: t, size: 1 }, 2, t + ADVERTISE_REGROW_GAP - 1, false],
    ['twice the peers after the gap, again', { at: t, size: 1 }, 2, t + ADVERTISE_REGROW_GAP, true],
    ['more peers but not twice, not before the interval', { at: t, size: 10 }, 19, t + ADVERTISE_REGROW_GAP * 5, false],
    ['a DHT that lost every peer, not', { at: t, size: 5 }, 0, t + ADVERTISE_INTERVAL * 2, false]
  ])('%s', (_, last, size, at, due) => {
    expect(advertiseDue(last, size, at)).toBe(due)
  })
})
