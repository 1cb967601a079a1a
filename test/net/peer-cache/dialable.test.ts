import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { dialableAddresses, withPeer } from '../../../src/net/peer-cache/dialable.js'

const RELAY = '12D3KooWGRUVh7ogA5JD8kdGumrrftGt4YsVhVrVz6iZzTvTTcAq'
const PEER = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'

describe('peer cache: addresses worth keeping', () => {
  it.each([
    ['/ip4/203.0.113.7/tcp/4001', true],
    ['/ip4/192.168.1.20/tcp/4001', true],
    ['/dns4/relay.example.org/tcp/4001', true],
    ['/ip6/2001:db8::1/tcp/4001', true],
    [`/ip4/203.0.113.7/tcp/4001/p2p/${RELAY}/p2p-circuit`, true],
    [`/ip4/203.0.113.7/tcp/4001/p2p/${RELAY}/p2p-circuit/webrtc`, true],
    ['/ip4/127.0.0.1/tcp/4001', false],
    ['/ip6/::1/tcp/4001', false],
    [`/ip4/127.0.0.1/tcp/4001/p2p/${RELAY}/p2p-circuit`, false],
    ['/ip4/169.254.3.4/tcp/4001', false],
    ['/ip6/fe80::1/tcp/4001', false]
  ])('%s: %s', (address, kept) => {
    expect(dialableAddresses([multiaddr(address)], false).map(String)).toEqual(kept ? [address] : [])
  })

  it('keeps loopback addresses on a private network (one machine)', () => {
    expect(dialableAddresses([multiaddr('/ip4/127.0.0.1/tcp/4001')], true).map(String)).toEqual(['/ip4/127.0.0.1/tcp/4001'])
  })

  it('adds the peer ID to an address that lacks it, once', () => {
    expect(withPeer(multiaddr('/ip4/203.0.113.7/tcp/4001'), PEER).toString()).toBe(`/ip4/203.0.113.7/tcp/4001/p2p/${PEER}`)
    expect(withPeer(multiaddr(`/ip4/203.0.113.7/tcp/4001/p2p/${PEER}`), PEER).toString()).toBe(`/ip4/203.0.113.7/tcp/4001/p2p/${PEER}`)
    expect(withPeer(multiaddr(`/ip4/203.0.113.7/tcp/4001/p2p/${RELAY}/p2p-circuit`), PEER).toString()).toBe(`/ip4/203.0.113.7/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`)
  })
})
