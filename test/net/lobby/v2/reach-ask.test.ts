import { describe, expect, it } from 'vitest'
import { decodeReach, encodeReach, REACH_MAX_BYTES } from '../../../../src/net/lobby/v2/reach-ask.js'
import { encodeMessage, WireError } from '../../../../src/wire/index.js'

describe('the reach answer', () => {
  it('round-trips each reach, and says nothing while the node does not know yet', () => {
    for (const reach of ['public', 'upnp', 'relayed'] as const) expect(decodeReach(encodeReach(reach))).toBe(reach)
    expect(decodeReach(encodeReach(undefined))).toBeUndefined()
    // The vector in protocols/lobby.md.
    expect(Buffer.from(encodeReach('upnp')).toString('hex')).toBe('a361746572656163686176016572656163686475706e70')
  })

  it('refuses another reach, an extra key, another type and an oversize answer, with a wire error', () => {
    const bad = [
      encodeMessage(1, 'reach', { reach: 'teleport' }),
      encodeMessage(1, 'reach', { reach: 'upnp', extra: 1 }),
      encodeMessage(1, 'presence', {}),
      encodeMessage(2, 'reach', {}),
      new Uint8Array(REACH_MAX_BYTES + 1),
      Uint8Array.of(0xff)
    ]
    for (const bytes of bad) expect(() => decodeReach(bytes)).toThrow(WireError)
  })
})
