import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { addressOrder } from '../../src/net/address-order.js'

const relay = '/ip4/203.0.113.10/tcp/4001/p2p/12D3KooWRjsQBNVUEiD5PCrvAARiRer5MnuFfWFcfyS7mnKnctTX'
const at = (address: string, isCertified = true): { multiaddr: ReturnType<typeof multiaddr>, isCertified: boolean } => ({ multiaddr: multiaddr(address), isCertified })

describe('addressOrder', () => {
  it('dials direct addresses, then the plain circuit, then WebRTC through the relay, loopback last', () => {
    const sorted = [
      at(`${relay}/p2p-circuit/webrtc`),
      at('/ip4/127.0.0.1/tcp/4001'),
      at(`${relay}/p2p-circuit`),
      at('/ip4/8.8.8.8/tcp/4001'),
      at('/ip4/10.0.1.2/tcp/4001')
    ].sort(addressOrder).map(a => a.multiaddr.toString())
    expect(sorted).toEqual([
      '/ip4/8.8.8.8/tcp/4001',
      '/ip4/10.0.1.2/tcp/4001',
      `${relay}/p2p-circuit`,
      `${relay}/p2p-circuit/webrtc`,
      '/ip4/127.0.0.1/tcp/4001'
    ])
  })

  it('prefers certified addresses among equals', () => {
    const sorted = [at('/ip4/8.8.4.4/tcp/4001', false), at('/ip4/8.8.8.8/tcp/4001', true)].sort(addressOrder)
    expect(sorted.map(a => a.isCertified)).toEqual([true, false])
  })
})
