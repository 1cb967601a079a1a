import { describe, expect, it } from 'vitest'
import { betterRung, rungOf, rungOfConnection, upgradeCandidates } from '../../src/net/rung.js'

describe('rungOf', () => {
  it.each([
    [{ limited: false, remoteAddr: '/ip4/203.0.113.5/tcp/4001' }, 'direct'],
    [{ limited: true, remoteAddr: '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit' }, 'relayed'],
    [{ limited: false, remoteAddr: '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit' }, 'relayed'],
    [{ limited: false, remoteAddr: '/webrtc/p2p/QmX', multiplexer: '/webrtc' }, 'hole-punched'],
    [{ limited: false, remoteAddr: '/ip4/198.51.100.7/tcp/4001', upgradedFromRelay: true }, 'hole-punched'],
    [{ limited: false, remoteAddr: '/ip4/198.51.100.7/tcp/4001', viaUpnp: true }, 'upnp']
  ] as const)('%o is %s', (shape, rung) => {
    expect(rungOf(shape)).toBe(rung)
  })

  it('orders rungs from direct to relayed', () => {
    expect(betterRung('direct', 'relayed')).toBe(true)
    expect(betterRung('hole-punched', 'relayed')).toBe(true)
    expect(betterRung('relayed', 'upnp')).toBe(false)
    expect(betterRung('direct', 'direct')).toBe(false)
  })
})

describe('upgradeCandidates', () => {
  it('tries direct addresses first, then WebRTC through the relay, never the relay itself', () => {
    expect(upgradeCandidates([
      '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit',
      '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit/webrtc',
      '/ip4/198.51.100.7/tcp/4001',
      '/ip4/10.0.1.2/tcp/4001'
    ])).toEqual(['/ip4/198.51.100.7/tcp/4001', '/ip4/10.0.1.2/tcp/4001', '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit/webrtc'])
  })
})

describe('rungOfConnection', () => {
  const relayed = { limits: { bytes: 1n }, remoteAddr: '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit/p2p/QmB' }
  const tcp = { remoteAddr: '/ip4/198.51.100.7/tcp/4001/p2p/QmB' }
  it('calls a direct connection opened beside a relayed one hole-punched, and never counts itself', () => {
    expect(rungOfConnection(tcp, [tcp])).toBe('direct')
    expect(rungOfConnection(tcp, [tcp, relayed])).toBe('hole-punched')
    expect(rungOfConnection(relayed, [relayed, tcp])).toBe('relayed')
  })
})
