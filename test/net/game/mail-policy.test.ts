// What a game leaves with the opponent's holders (src/net/game/mail-policy.ts): table-driven.
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { NO_MARKS, mailPlan, mailsAtOnce, marksAfter, readMailedGameMessage } from '../../../src/net/game/mail-policy.js'
import { cidOf } from '../../../src/wire/cid.js'
import { encodeGameMessage, type Act } from '../../../src/wire/game-messages.js'
import { MalformedMessageError } from '../../../src/wire/errors.js'

const game: CID = cidOf({ game: 'mail-policy' })
const act = (n: number, seen: number): Act => ({ game, by: 'B', n, prev: null, seen, at: 1, kind: 'pass', ply: 0, clock: 0, sig: new Uint8Array(64) })

describe('mailPlan', () => {
  const cases: Array<{ name: string, unacked: Act[], last?: Act, have: number, marks?: typeof NO_MARKS, acts: number[], ack?: number }> = [
    { name: 'nothing made, nothing held: nothing', unacked: [], have: 0, acts: [] },
    { name: 'a new act that saw everything: the act alone', unacked: [act(1, 0)], last: act(1, 0), have: 0, acts: [1] },
    { name: 'acts already deposited are not deposited again', unacked: [act(1, 0), act(2, 1)], last: act(2, 1), have: 1, marks: { ...NO_MARKS, acts: 1 }, acts: [2] },
    { name: 'an opponent act came after my last: an ack', unacked: [], last: act(2, 1), have: 2, acts: [], ack: 2 },
    { name: 'the ack already deposited: nothing', unacked: [], last: act(2, 1), have: 2, marks: { ...NO_MARKS, acts: 2, ack: 2 }, acts: [] },
    { name: 'no act of mine yet, one of theirs held: an ack', unacked: [], have: 1, acts: [], ack: 1 },
    { name: 'an act not yet deposited, made before the latest of theirs: both', unacked: [act(3, 1)], last: act(3, 1), have: 2, marks: { ...NO_MARKS, acts: 2 }, acts: [3], ack: 2 }
  ]
  for (const c of cases) {
    it(c.name, () => {
      const plan = mailPlan(c.unacked, c.last, c.have, c.marks ?? NO_MARKS)
      expect(plan.acts.map(a => a.n)).toEqual(c.acts)
      expect(plan.ack).toBe(c.ack)
    })
  }

  it('the marks move by what was deposited, never back', () => {
    const m = marksAfter({ acts: 4, ack: 3, holders: ['/p2p/x/p2p-circuit'] }, { acts: [act(2, 0)], ack: 1 })
    expect(m).toEqual({ acts: 4, ack: 3, holders: ['/p2p/x/p2p-circuit'] })
    expect(marksAfter(NO_MARKS, { acts: [act(1, 0), act(2, 0)], ack: 5 })).toMatchObject({ acts: 2, ack: 5 })
  })
})

describe('mailsAtOnce', () => {
  it('a correspondence act goes at once; a live one after a failed dial', () => {
    expect(mailsAtOnce({ kind: 'correspondence', perMoveMs: 86_400_000, maxBankMs: 86_400_000 * 7 })).toBe(true)
    expect(mailsAtOnce({ kind: 'none' })).toBe(false)
    expect(mailsAtOnce({ kind: 'absolute', mainMs: 60_000 })).toBe(false)
  })
})

describe('readMailedGameMessage', () => {
  it('reads an act and an ack as the game stream carries them', () => {
    const a = act(1, 0)
    expect(readMailedGameMessage(encodeGameMessage({ t: 'act', ...a }))).toMatchObject({ t: 'act', n: 1, by: 'B' })
    expect(readMailedGameMessage(encodeGameMessage({ t: 'ack', game, by: 'W', n: 3 }))).toEqual({ t: 'ack', game, by: 'W', n: 3 })
  })

  it('refuses a hello, a reject and bytes that are no game message, saying why', () => {
    expect(() => readMailedGameMessage(encodeGameMessage({ t: 'hello', game, have: 0, sent: 0 }))).toThrow(/does not travel through the mailbox/)
    expect(() => readMailedGameMessage(encodeGameMessage({ t: 'reject', game, n: 0, reason: 'x', message: 'y' }))).toThrow(MalformedMessageError)
    expect(() => readMailedGameMessage(new Uint8Array([1, 2, 3]))).toThrow(MalformedMessageError)
  })
})
