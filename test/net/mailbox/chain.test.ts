// The recipient's ordering of one sender's envelopes (src/net/mailbox/chain.ts) and a holder's
// quota counts (quota.ts): pure, with real signed envelopes.
import { describe, expect, it } from 'vitest'
import { FRESH_CHAIN, sortSender, type SenderChain } from '../../../src/net/mailbox/chain.js'
import { HolderQuota, createHolderLimits } from '../../../src/net/mailbox/quota.js'
import { checkCollected, encodeEnvelope, envelopeId, type Received } from '../../../src/net/mailbox/wire/index.js'
import { day, keys, now, peers } from './wire/fixtures.js'

const bob = peers.bob.toMultihash().bytes

/** Alice's envelopes 1..n to Bob, chained. */
async function chain (n: number, key = keys.alice): Promise<Received[]> {
  const out: Received[] = []
  let prev: Uint8Array | undefined
  for (let seq = 1; seq <= n; seq++) {
    const bytes = await encodeEnvelope({ to: bob, seq, ...(prev != null ? { prev } : {}), kind: 'act', at: now, expires: now + day, payload: new Uint8Array([seq]) }, key)
    prev = envelopeId(bytes)
    out.push(await checkCollected(bytes, bob))
  }
  return out
}

const seqs = (rs: readonly Received[]): number[] => rs.map(r => r.envelope.seq)
const wait = 1000

describe('sortSender', async () => {
  const five = await chain(5)

  it('delivers a whole chain in order whatever order the holders gave it in, and duplicates once', () => {
    const s = sortSender(FRESH_CHAIN, [five[3], five[0], five[4], five[2], five[1], five[2], five[0]], now, wait)
    expect(seqs(s.deliver)).toEqual([1, 2, 3, 4, 5])
    expect(s.chain.next).toBe(6)
    expect(s.missing).toBeUndefined()
  })

  it('drops what was delivered before (a replay)', () => {
    const after: SenderChain = { next: 4, last: five[2].id }
    const s = sortSender(after, five, now, wait)
    expect(seqs(s.old)).toEqual([1, 2, 3])
    expect(seqs(s.deliver)).toEqual([4, 5])
  })

  it('holds back everything after a gap and reports the gap, then delivers in order once it fills', () => {
    const s = sortSender(FRESH_CHAIN, [five[0], five[2], five[3]], now, wait)
    expect(seqs(s.deliver)).toEqual([1])
    expect(seqs(s.waiting)).toEqual([3, 4])
    expect(s.missing).toEqual({ first: 2, last: 2 })
    expect(s.chain).toMatchObject({ next: 2, gapSince: now })
    const filled = sortSender(s.chain, [five[1], five[2], five[3]], now + 10, wait)
    expect(seqs(filled.deliver)).toEqual([2, 3, 4])
    expect(filled.chain.gapSince).toBeUndefined()
  })

  it('gives up on a gap after the wait: the rest is delivered, the skipped numbers are dropped if they come', () => {
    const first = sortSender(FRESH_CHAIN, [five[0], five[3], five[4]], now, wait)
    const still = sortSender(first.chain, [five[3], five[4]], now + wait - 1, wait)
    expect(still.deliver).toEqual([])
    expect(still.chain.gapSince).toBe(now)
    const given = sortSender(first.chain, [five[3], five[4]], now + wait, wait)
    expect(given.skipped).toEqual({ first: 2, last: 3 })
    expect(seqs(given.deliver)).toEqual([4, 5])
    const late = sortSender(given.chain, [five[1], five[2]], now + wait + 1, wait)
    expect(seqs(late.old)).toEqual([2, 3])
    expect(late.deliver).toEqual([])
  })

  it('refuses an envelope with the next number that links to another chain', async () => {
    const other = await chain(2)
    const s = sortSender({ next: 2, last: five[0].id }, [other[1]], now, wait)
    expect(seqs(s.broken)).toEqual([2])
    expect(s.chain.next).toBe(2)
  })
})

describe('HolderQuota', () => {
  it('refuses by pair, sender, recipient and total, and frees on removal', () => {
    const q = new HolderQuota(createHolderLimits({ perPair: 2, perSender: 3, perRecipient: 4, totalBytes: 100, perSenderBytes: 1000, perRecipientBytes: 1000 }))
    const e = (from: string, to: string, size = 10): { from: string, to: string, size: number } => ({ from, to, size })
    q.add(e('a', 'x')); q.add(e('a', 'x'))
    expect(q.refusal(e('a', 'x'))).toBe('quota-pair')
    q.add(e('a', 'y'))
    expect(q.refusal(e('a', 'z'))).toBe('quota-sender')
    q.add(e('b', 'y')); q.add(e('c', 'y')); q.add(e('d', 'y'))
    expect(q.refusal(e('e', 'y'))).toBe('quota-recipient')
    expect(q.refusal(e('e', 'w', 50))).toBe('full')
    q.remove(e('a', 'x'))
    expect(q.refusal(e('a', 'x'))).toBeUndefined()
    expect(q.usage()).toEqual({ count: 5, bytes: 50 })
  })

  it('refuses limits that are not positive whole numbers', () => {
    expect(() => createHolderLimits({ perPair: 0 })).toThrow(/perPair/)
  })
})
