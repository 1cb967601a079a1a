import { describe, expect, it } from 'vitest'
import { checkEvent, InvalidReputationEventError, reputationEventProblemMessage, type ReputationEvent, type ReputationEventProblem } from '../../src/reputation/index.js'
import { auditFailed, delivered, invalid, originated, spam, T0 } from './helpers.js'

const reasonOf = (e: unknown): ReputationEventProblem | 'ok' => {
  try {
    checkEvent(e as ReputationEvent)
    return 'ok'
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidReputationEventError)
    expect((err as Error).message).toContain(reputationEventProblemMessage((err as InvalidReputationEventError).reason))
    return (err as InvalidReputationEventError).reason
  }
}

describe('checkEvent', () => {
  it.each<[string, unknown, ReputationEventProblem | 'ok']>([
    ['a delivery', delivered(0.5), 'ok'],
    ['an origination at quality 0 and 1', originated(0), 'ok'],
    ['quality 1', originated(1), 'ok'],
    ['an invalid RNA, without and with its CID', invalid(), 'ok'],
    ['an invalid RNA with its CID', { ...invalid(), rna: 'bafy' }, 'ok'],
    ['spam', spam(), 'ok'],
    ['a failed audit', auditFailed(), 'ok'],
    ['time 0', { ...auditFailed(), at: 0 }, 'ok'],
    ['quality above 1', { ...delivered(1), quality: 1.5 }, 'bad-quality'],
    ['quality below 0', { ...originated(0), quality: -0.01 }, 'bad-quality'],
    ['quality NaN', { ...spam(), quality: Number.NaN }, 'bad-quality'],
    ['quality infinite', { ...delivered(1), quality: Infinity }, 'bad-quality'],
    ['quality missing', { kind: 'originated', peer: 'p', rna: 'r', at: T0 }, 'bad-quality'],
    ['quality as text', { ...delivered(1), quality: '1' }, 'bad-quality'],
    ['an empty peer', { ...delivered(1), peer: '' }, 'no-peer'],
    ['no peer', { kind: 'audit-failed', at: T0 }, 'no-peer'],
    ['a negative time', { ...delivered(1), at: -1 }, 'bad-time'],
    ['a NaN time', { ...invalid(), at: Number.NaN }, 'bad-time'],
    ['an infinite time', { ...auditFailed(), at: Infinity }, 'bad-time'],
    ['a time as text', { ...auditFailed(), at: '1700000000000' }, 'bad-time'],
    ['an unknown kind', { ...delivered(1), kind: 'bribe' }, 'unknown-kind'],
    ['a delivery without origin', { ...delivered(1), origin: '' }, 'no-origin'],
    ['a delivery without RNA', { ...delivered(1), rna: '' }, 'malformed'],
    ['an invalid RNA without reason', { kind: 'invalid', peer: 'p', at: T0 }, 'malformed'],
    ['null', null, 'malformed'],
    ['a string', 'delivered', 'malformed']
  ])('%s: %s', (_name, event, expected) => {
    expect(reasonOf(event)).toBe(expected)
  })

  it('returns the event itself', () => {
    const e = delivered(0.3)
    expect(checkEvent(e)).toBe(e)
  })
})
