import { describe, expect, it } from 'vitest'
import { PENALTY_INTERVAL_MS, Penalties } from '../../../src/net/reputation/penalties.js'
import type { ReputationEvent } from '../../../src/reputation/events.js'

describe('penalties: refusals become reputation, at most once per peer and interval', () => {
  it('records an invalid event named after the protocol, then holds further ones for the interval', () => {
    const events: ReputationEvent[] = []
    let now = 1_000_000
    const penalties = new Penalties({ source: 'game', reputation: () => ({ record: e => { events.push(e) } }), now: () => now })
    expect(penalties.penalize('peerA', 'bad-signature')).toBe(true)
    expect(penalties.penalize('peerA', 'malformed')).toBe(false)
    expect(penalties.penalize('peerB', 'malformed')).toBe(true)
    now += PENALTY_INTERVAL_MS
    expect(penalties.penalize('peerA', 'malformed')).toBe(true)
    expect(events).toEqual([
      { kind: 'invalid', peer: 'peerA', reason: 'game:bad-signature', at: 1_000_000 },
      { kind: 'invalid', peer: 'peerB', reason: 'game:malformed', at: 1_000_000 },
      { kind: 'invalid', peer: 'peerA', reason: 'game:malformed', at: 1_000_000 + PENALTY_INTERVAL_MS }
    ])
  })

  it('does nothing on a node without a reputation service', () => {
    expect(new Penalties({ source: 'lobby', reputation: () => undefined }).penalize('peerA', 'schema')).toBe(false)
  })
})
