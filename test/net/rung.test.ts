import { describe, expect, it } from 'vitest'
import { addressOfPeer, betterRung, reachOf, rungOf, rungOfConnection, upgradeCandidates } from '../../src/net/rung.js'
import { isPublicAddress } from '../../src/net/reach.js'

describe('rungOf', () => {
  it.each([
    [{ limited: false, remoteAddr: '/ip4/203.0.113.5/tcp/4001' }, 'direct'],
    [{ limited: true, remoteAddr: '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit' }, 'relayed'],
    [{ limited: false, remoteAddr: '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit' }, 'relayed'],
    [{ limited: false, remoteAddr: '/webrtc/p2p/QmX', multiplexer: '/webrtc' }, 'hole-punched'],
    // The answering side sees the circuit address the signalling came through; the data goes direct.
    [{ limited: false, remoteAddr: '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit/webrtc/p2p/QmX', multiplexer: '/webrtc' }, 'hole-punched'],
    [{ limited: false, remoteAddr: '/ip4/198.51.100.7/tcp/4001', upgradedFromRelay: true }, 'hole-punched'],
    // With a public side, replacing the relay was an ordinary dial (DCUtR's connection reversal).
    [{ limited: false, remoteAddr: '/ip4/203.0.113.20/tcp/4001', upgradedFromRelay: true, peerReach: 'public' }, 'direct'],
    [{ limited: false, remoteAddr: '/ip4/198.51.100.7/tcp/4001', upgradedFromRelay: true, selfReach: 'public' }, 'direct'],
    [{ limited: false, remoteAddr: '/ip4/198.51.100.7/tcp/4001', direction: 'inbound', remotePublic: true, selfReach: 'upnp' }, 'upnp'],
    [{ limited: false, remoteAddr: '/ip4/198.51.100.7/tcp/4001', direction: 'outbound', remotePublic: true, peerReach: 'upnp' }, 'upnp'],
    // A LAN neighbour of a mapped node does not come through the mapping.
    [{ limited: false, remoteAddr: '/ip4/10.0.1.3/tcp/4001', direction: 'inbound', remotePublic: false, selfReach: 'upnp' }, 'direct'],
    // Dialling out from a mapped node to a public peer does not use the mapping either.
    [{ limited: false, remoteAddr: '/ip4/203.0.113.5/tcp/4001', direction: 'outbound', remotePublic: true, selfReach: 'upnp', peerReach: 'public' }, 'direct'],
    // A relayed connection stays relayed whatever the reach.
    [{ limited: true, remoteAddr: '/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit', direction: 'outbound', remotePublic: false, peerReach: 'upnp' }, 'relayed']
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

describe('reachOf', () => {
  const a = (address: string, type: string, verified: boolean, pub = true): { address: string, type: string, verified: boolean, public: boolean } => ({ address, type, verified, public: pub })
  it('prefers a confirmed UPnP mapping, then a confirmed public address, then relays', () => {
    const lan = a('/ip4/10.0.1.2/tcp/4001', 'transport', true, false)
    const circuit = a('/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit', 'transport', true)
    expect(reachOf([lan, circuit, a('/ip4/198.51.100.11/tcp/4001', 'ip-mapping', true)])).toBe('upnp')
    expect(reachOf([lan, circuit, a('/ip4/198.51.100.11/tcp/4001', 'ip-mapping', false)])).toBe('relayed')
    expect(reachOf([lan, a('/ip4/203.0.113.20/tcp/4001', 'transport', true)])).toBe('public')
    expect(reachOf([lan, a('/ip4/203.0.113.20/tcp/4001', 'observed', false)])).toBeUndefined()
    expect(reachOf([lan])).toBeUndefined()
  })
})

describe('isPublicAddress', () => {
  it('is true only for a public IP address that is not a circuit', () => {
    expect(isPublicAddress('/ip4/8.8.8.8/tcp/4001')).toBe(true)
    expect(isPublicAddress('/ip4/10.0.1.2/tcp/4001')).toBe(false)
    expect(isPublicAddress('/ip4/100.64.3.2/tcp/4001')).toBe(false)
    expect(isPublicAddress('/ip4/127.0.0.1/tcp/4001')).toBe(false)
    expect(isPublicAddress('/ip4/8.8.8.8/tcp/4001/p2p/12D3KooWFLtwueAPsafbTxqKx36CoTj6qfZexDk4JNpz6DskMFi2/p2p-circuit')).toBe(false)
    expect(isPublicAddress('/webrtc/p2p/12D3KooWFLtwueAPsafbTxqKx36CoTj6qfZexDk4JNpz6DskMFi2')).toBe(false)
    expect(isPublicAddress('not an address')).toBe(false)
  })
})

describe('addressOfPeer', () => {
  it('ends every address in the peer\'s own ID, also a circuit that names its relay', () => {
    expect(addressOfPeer('/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit/webrtc', 'QmB')).toBe('/ip4/203.0.113.10/tcp/4001/p2p/QmR/p2p-circuit/webrtc/p2p/QmB')
    expect(addressOfPeer('/ip4/198.51.100.7/tcp/4001', 'QmB')).toBe('/ip4/198.51.100.7/tcp/4001/p2p/QmB')
    expect(addressOfPeer('/ip4/198.51.100.7/tcp/4001/p2p/QmB', 'QmB')).toBe('/ip4/198.51.100.7/tcp/4001/p2p/QmB')
  })
})
