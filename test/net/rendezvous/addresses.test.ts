import { describe, expect, it } from 'vitest'
import { dialAddresses, publishable, rendezvousKey, shouldProvide, speaksP2pgo } from '../../../src/net/rendezvous/index.js'
import { MAX_PUBLISHED_ADDRESSES } from '../../../src/net/rendezvous/constants.js'
import { createHash } from 'node:crypto'

const PEER = '12D3KooWKnDdG3iXw9eTFijk3EWSunZcFi54Zka4wmtqtt6rPxc8'
const RELAY = 'QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ'

describe('rendezvous key', () => {
  it('is CIDv1, raw, sha2-256 of "p2pgo rendezvous v1: <network>"', () => {
    const key = rendezvousKey()
    expect(key.version).toBe(1)
    expect(key.code).toBe(0x55)
    expect(key.multihash.code).toBe(0x12)
    expect(Buffer.from(key.multihash.digest).toString('hex')).toBe(createHash('sha256').update('p2pgo rendezvous v1: p2pgo').digest('hex'))
    // The value protocols/rendezvous.md gives: a change here splits the network.
    expect(key.toString()).toBe(rendezvousKey('p2pgo').toString())
    expect(rendezvousKey('other').equals(key)).toBe(false)
  })
})

describe('rendezvous addresses', () => {
  const addresses = [
    '/ip4/192.168.1.5/tcp/4001',
    '/ip4/127.0.0.1/tcp/4001',
    `/ip4/192.168.1.1/tcp/4001/p2p/${RELAY}/p2p-circuit`,
    `/ip4/8.8.8.8/tcp/4001/p2p/${RELAY}/p2p-circuit`,
    '/ip4/8.8.4.4/tcp/4001',
    '/dns4/go.example.org/tcp/4001'
  ]

  it('publishes only what the internet can dial, direct addresses first', () => {
    expect(publishable(addresses, false)).toEqual(['/ip4/8.8.4.4/tcp/4001', '/dns4/go.example.org/tcp/4001', `/ip4/8.8.8.8/tcp/4001/p2p/${RELAY}/p2p-circuit`])
  })

  it('keeps everything on a private network, bounded', () => {
    expect(publishable(addresses, true)).toHaveLength(addresses.length)
    expect(publishable(Array.from({ length: 20 }, (_, i) => `/ip4/127.0.0.1/tcp/${i + 1}`), true)).toHaveLength(MAX_PUBLISHED_ADDRESSES)
  })

  it.each([
    ['a bootstrap relay with addresses', { mode: 'always', reach: undefined, privateNetwork: false, published: ['/ip4/8.8.4.4/tcp/4001'] }, true],
    ['a bootstrap relay with none', { mode: 'always', reach: 'public', privateNetwork: false, published: [] }, false],
    ['a public player', { mode: 'when-reachable', reach: 'public', privateNetwork: false, published: ['/ip4/8.8.4.4/tcp/4001'] }, true],
    ['a UPnP-mapped player', { mode: 'when-reachable', reach: 'upnp', privateNetwork: false, published: ['/ip4/8.8.4.4/tcp/4001'] }, true],
    ['a relayed player', { mode: 'when-reachable', reach: 'relayed', privateNetwork: false, published: [`/ip4/8.8.8.8/tcp/4001/p2p/${RELAY}/p2p-circuit`] }, false],
    ['a player on a private network with a direct address', { mode: 'when-reachable', reach: undefined, privateNetwork: true, published: ['/ip4/127.0.0.1/tcp/1'] }, true]
  ] as const)('who provides: %s', (_what, context, expected) => {
    expect(shouldProvide({ ...context, published: [...context.published] })).toBe(expected)
  })

  it('dials found addresses with the peer ID, drops garbage and other peers\' addresses', () => {
    expect(dialAddresses(PEER, ['/ip4/10.0.0.1/tcp/1', '/ip4/8.8.4.4/tcp/4001', `/ip4/8.8.4.4/tcp/4002/p2p/${RELAY}`, `/ip4/8.8.8.8/tcp/4001/p2p/${RELAY}/p2p-circuit`], false)).toEqual([
      `/ip4/8.8.4.4/tcp/4001/p2p/${PEER}`,
      `/ip4/8.8.8.8/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`
    ])
  })

  it('knows a p2pgo peer by its protocols', () => {
    expect(speaksP2pgo(['/ipfs/kad/1.0.0', '/p2pgo/challenge/1.0.0'])).toBe(true)
    expect(speaksP2pgo(['/ipfs/kad/1.0.0', '/ipfs/id/1.0.0'])).toBe(false)
  })
})
