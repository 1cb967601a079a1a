import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { addressOrder, addressOrderWith, relayOf } from '../../src/net/address-order.js'

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

  it('through two relays, dials the one this node trusts more first; without trust, keeps the order', () => {
    const trusted = '/ip4/198.51.100.7/tcp/4001/p2p/12D3KooWKnDdG3iXw9eTFijk3EWSunZcFi54Zka4wmtqtt6rPxc8'
    const target = '/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
    const trust = (peer: string): number => peer === relayOf(multiaddr(`${trusted}/p2p-circuit`)) ? 0.9 : 0.3
    const addresses = [at(`${relay}/p2p-circuit${target}`), at(`${trusted}/p2p-circuit${target}`), at('/ip4/8.8.8.8/tcp/4001')]
    expect([...addresses].sort(addressOrderWith(trust)).map(a => a.multiaddr.toString())).toEqual([
      '/ip4/8.8.8.8/tcp/4001', `${trusted}/p2p-circuit${target}`, `${relay}/p2p-circuit${target}`
    ])
    expect([...addresses].sort(addressOrder).map(a => a.multiaddr.toString())).toEqual([
      '/ip4/8.8.8.8/tcp/4001', `${relay}/p2p-circuit${target}`, `${trusted}/p2p-circuit${target}`
    ])
  })

  it('finds the relay of a circuit address, and none in a direct one', () => {
    expect(relayOf(multiaddr(`${relay}/p2p-circuit/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA`))).toBe('12D3KooWRjsQBNVUEiD5PCrvAARiRer5MnuFfWFcfyS7mnKnctTX')
    expect(relayOf(multiaddr(relay))).toBeUndefined()
  })
})
