// When a rating lookup may stop early (src/net/rating/lookup-settle.ts): enough distinct peers
// agreeing on the newest sequence heard; a newer valid record is never outvoted by older ones.
import { describe, expect, it } from 'vitest'
import { SETTLE_QUORUM, settlement, staleHolders, type Heard } from '../../../src/net/rating/lookup-settle.js'

const peer = (name: string, seq: number, counts = true): Heard => ({ peer: name, seq, counts })

describe('settling a rating lookup', () => {
  it('needs three distinct peers', () => {
    expect(SETTLE_QUORUM).toBe(3)
  })

  const cases: Array<{ name: string, answers: Heard[], settled: boolean, newest?: number, agreeing: number }> = [
    { name: 'no answer', answers: [], settled: false, agreeing: 0 },
    { name: 'two agreeing', answers: [peer('a', 5), peer('b', 5)], settled: false, newest: 5, agreeing: 2 },
    { name: 'three agreeing', answers: [peer('a', 5), peer('b', 5), peer('c', 5)], settled: true, newest: 5, agreeing: 3 },
    { name: 'the same peer three times (both DHTs, the trusted first ask)', answers: [peer('a', 5), peer('a', 5), peer('a', 5)], settled: false, newest: 5, agreeing: 1 },
    { name: 'a stale majority against one newer record', answers: [peer('a', 4), peer('b', 4), peer('c', 4), peer('d', 4), peer('e', 5)], settled: false, newest: 5, agreeing: 1 },
    { name: 'the newer record arriving last, after a stale quorum would have formed', answers: [peer('a', 4), peer('b', 4), peer('e', 5)], settled: false, newest: 5, agreeing: 1 },
    { name: 'three agreeing on the newer record, stale ones beside', answers: [peer('a', 4), peer('b', 5), peer('c', 4), peer('d', 5), peer('e', 5)], settled: true, newest: 5, agreeing: 3 },
    { name: 'the own copy newer than three remote answers', answers: [peer('self', 6, false), peer('a', 5), peer('b', 5), peer('c', 5)], settled: false, newest: 6, agreeing: 0 },
    { name: 'the own copy never counts toward agreement', answers: [peer('self', 5, false), peer('a', 5), peer('b', 5)], settled: false, newest: 5, agreeing: 2 },
    { name: 'distrusted peers never count, but their newer record raises the bar', answers: [peer('x', 7, false), peer('a', 6), peer('b', 6), peer('c', 6)], settled: false, newest: 7, agreeing: 0 },
    { name: 'distrusted peers agreeing with three others', answers: [peer('x', 6, false), peer('a', 6), peer('b', 6), peer('c', 6)], settled: true, newest: 6, agreeing: 3 }
  ]

  for (const c of cases) {
    it(`${c.name}: ${c.settled ? 'settled' : 'not settled'}`, () => {
      const s = settlement(c.answers)
      expect(s.settled).toBe(c.settled)
      expect(s.newest).toBe(c.newest)
      expect(s.agreeing).toBe(c.agreeing)
    })
  }

  it('takes another quorum when asked', () => {
    expect(settlement([peer('a', 1), peer('b', 1)], 2).settled).toBe(true)
    expect(settlement([peer('a', 1)], 1).settled).toBe(true)
  })

  it('corrects every remote peer that answered an older record, once, never the node itself', () => {
    expect(staleHolders([{ ...peer('self', 3, false), own: true }, peer('a', 3), peer('a', 3), peer('b', 5), peer('c', 4)], 5)).toEqual(['a', 'c'])
    expect(staleHolders([peer('b', 5)], 5)).toEqual([])
  })
})
