// The scale harness's pure parts of churn and of its checks: the churn schedule, and which rating
// changes count as changed (a game explains its players'; nothing explains a steady node's).
import { describe, expect, it } from 'vitest'
import { churnPlan } from '../../bench/scale/churn.js'
import { compareRatings } from '../../bench/scale/checks.js'
import type { NodeRatings } from '../../bench/scale/messages.js'

const node = (peer: string, mu: number, view: Record<string, number | null> = {}, up = true): NodeRatings => ({ peer, up, mu, sigma: 8333, online: 3, view, refused: {} })

describe('scale churn and checks', () => {
  it('spreads the leaves and joins over the window, each join after its leave, every other leave abrupt', () => {
    const plan = churnPlan(4, 80_000)
    expect(plan.filter(s => s.kind === 'leave')).toHaveLength(4)
    expect(plan.filter(s => s.kind === 'join')).toHaveLength(4)
    expect(plan.filter(s => s.abrupt)).toHaveLength(2)
    expect(plan.map(s => s.at)).toEqual([5000, 15000, 25000, 35000, 45000, 55000, 65000, 75000])
    expect(churnPlan(0, 80_000)).toEqual([])
  })

  it('counts a steady node whose rating moved, or shown with a rating not its own, and not a player\'s', () => {
    const before = new Map([['a', node('a', 25000)], ['b', node('b', 25000)], ['c', node('c', 25000)]])
    const after = new Map([
      ['a', node('a', 25000, { b: 45, c: null })],
      ['b', node('b', 26000, { a: 25 })],
      ['c', node('c', 29000, { a: 25, s: 90 })]
    ])
    // b moved with no game; a is shown by a with 45 (not its 26); c played; s is a Sybil.
    expect(compareRatings(before, after, new Set(['c']), new Set(['s']))).toMatchObject({ checkedOwn: 2, changedOwn: 1, checkedShown: 3, changedShown: 1, sybilsShown: 1, onlineMean: 3 })
  })
})
