// The lines `p2pgo rating --audit` prints for a cited result it could not fetch: what was
// missing, why that can be, and what to do, whatever ended the fetch (the JSON keeps the raw finding).
import { describe, expect, it } from 'vitest'
import { formatRatingAnswer, type RatingAnswer } from '../../src/queries/rating-queries.js'

const answer = (message: string): RatingAnswer => ({
  peer: '12D3KooWPeer',
  self: false,
  seq: 3,
  updated: '2026-12-06T09:00:00.000Z',
  expires: '2026-12-20T09:00:00.000Z',
  sizes: {},
  relay: null,
  audit: { ok: false, checked: 1, opponents: { 9: 1 }, findings: [{ size: 9, result: 'bafyresult', reason: 'missing-result', message }] }
})

describe('formatRatingAnswer: a cited result that could not be fetched', () => {
  it.each(['The operation was aborted due to timeout', 'bafyresult'])('ended by %j', message => {
    expect(formatRatingAnswer(answer(message)).slice(-2)).toEqual([
      '  audit: FAILED (1 finding)',
      '    9x9 missing-result: a cited result could not be found in the DHT (bafyresult): the peers holding it may be offline, or the DHT did not answer within 30 s; audit again later (a missing result is not held against the publisher)'
    ])
  })
})
