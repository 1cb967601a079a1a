// Which DHT answer a rating lookup believes (src/rating/answer-choice.ts). Every answer it is
// given has been checked (signature by the subject, expiry): a newer one is the subject's own
// later word whoever relays it, so the newest wins and trust only breaks ties.
import { describe, expect, it } from 'vitest'
import { askFirst, chooseAnswer, settles } from '../../src/rating/answer-choice.js'

describe('choosing a DHT answer', () => {
  it('believes the newest valid answer, even when a distrusted peer relayed it', () => {
    expect(chooseAnswer([{ peer: 'honest', seq: 5, trust: 0.5 }, { peer: 'shady', seq: 7, trust: 0.2 }])).toBe(1)
    expect(chooseAnswer([{ peer: 'shady', seq: 7, trust: 0.2 }, { peer: 'honest', seq: 5, trust: 0.9 }])).toBe(0)
  })

  it('breaks a tie on sequence by trust, then by order', () => {
    expect(chooseAnswer([{ peer: 'a', seq: 5, trust: 0.3 }, { peer: 'b', seq: 5, trust: 0.7 }])).toBe(1)
    expect(chooseAnswer([{ peer: 'a', seq: 5, trust: 0.5 }, { peer: 'b', seq: 5, trust: 0.5 }])).toBe(0)
    expect(chooseAnswer([])).toBeUndefined()
  })

  it('settles on trusted peers and asks the most trusted first', () => {
    expect(settles({ peer: 'a', seq: 1, trust: 0.6 })).toBe(true)
    expect(settles({ peer: 'a', seq: 1, trust: 0.59 })).toBe(false)
    const trust: Record<string, number> = { a: 0.9, b: 0.7, c: 0.5, d: 0.65, e: 0.8 }
    expect(askFirst(Object.keys(trust), p => trust[p])).toEqual(['a', 'e', 'b'])
  })
})
