import { describe, expect, it } from 'vitest'
import { stunFromBootstrap } from '../../../src/net/node.js'

describe('STUN servers from bootstrap peers', () => {
  it('uses each bootstrap host once, on port 3478', () => {
    expect(stunFromBootstrap([
      '/ip4/203.0.113.10/tcp/4001/p2p/12D3KooWA',
      '/ip4/203.0.113.10/udp/4001/quic-v1/p2p/12D3KooWA',
      '/ip6/2001:db8::1/tcp/4001/p2p/12D3KooWB',
      '/dns4/relay.example.org/tcp/4001/p2p/12D3KooWC'
    ])).toEqual(['stun:203.0.113.10:3478', 'stun:[2001:db8::1]:3478', 'stun:relay.example.org:3478'])
    expect(stunFromBootstrap([])).toEqual([])
  })
})
