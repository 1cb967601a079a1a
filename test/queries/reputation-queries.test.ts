import { describe, expect, it } from 'vitest'
import { formatReputationAnswer } from '../../src/queries/reputation-queries.js'
import { formatRnaAnswer, pathOf } from '../../src/queries/rna-queries.js'
import type { RnaMeta } from '../../src/net/rna/rna-store.js'

const peer = '12D3KooWLRPJAA5o6P6oj1Y2aVByy5UhiEe9whN1ooKBmY4L8ufc'

describe('reputation and RNA answers as text', () => {
  it('says so when nothing is recorded yet', () => {
    expect(formatReputationAnswer({ top: [] })).toEqual(['no reputation recorded yet: it comes from RNA (finished games) and rating audits'])
    expect(formatRnaAnswer({ op: 'ls', rna: [] })).toEqual(['no RNA yet: finished games arrive here as the network plays'])
  })

  it('shows one peer with its RNA paths shortened', () => {
    const lines = formatReputationAnswer({
      peer,
      known: true,
      score: 0.25,
      trust: 0.6,
      originated: { count: 2, gain: 0.2, meanQuality: 0.5 },
      delivered: { count: 1, gain: 0.05 },
      penalties: { invalid: 0, spam: 0, auditFailed: 0, loss: 0, reasons: {} },
      capped: 0,
      rna: [{ id: 'bafyreigameid0000000000', quality: 0.5, receivedAt: '2024-01-01T00:00:00.000Z', path: { complete: true, hops: [{ peer, at: '2024-01-01T00:00:00.000Z' }] } }],
      rating: null,
      games: []
    })
    expect(lines[0]).toBe(`peer        ${peer}`)
    expect(lines[1]).toBe('score       0.250 (trust 0.60)')
    expect(lines).toContain('rating      no record found')
    expect(lines).toContain('games       none with this node')
    expect(lines.at(-1)).toBe('rna         bafyreigameid000… q 0.50 path 12D3KooW…4L8ufc')
  })
})

// Found by the fuzzer (test/fuzz): a path answer may carry any safe integer as a hop's time (the
// answering peer chose it); past 8.64e15 ms `p2pgo rna show` threw RangeError ("Invalid time
// value") formatting the stored path, instead of showing it.
describe('an RNA path with a hop dated past the end of time', () => {
  it('shows the hop with its time as a count of ms', () => {
    const path = pathOf({ path: { complete: false, hops: [{ peer, at: Number.MAX_SAFE_INTEGER }, { peer, at: 1_700_000_000_000 }] } } as unknown as RnaMeta)
    expect(path?.hops.map(h => h.at)).toEqual([`${Number.MAX_SAFE_INTEGER} ms after the epoch`, '2023-11-14T22:13:20.000Z'])
  })
})
