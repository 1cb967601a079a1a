import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { closestKnown, onePeerGet, onePeerPut } from '../../../src/net/adapters/kad-dht-internals.js'
import { installedVersion } from './installed.js'
import type { KadDHT } from '@libp2p/kad-dht'

const versions = `@libp2p/kad-dht ${installedVersion('@libp2p/kad-dht')} (the adapter was written for 16.4.5)`

describe('the kad-dht adapter (src/net/adapters/kad-dht-internals.ts)', () => {
  let node: Libp2p<{ dht: KadDHT }> | undefined
  afterEach(async () => { await node?.stop() })

  it('finds the one-peer GET_VALUE the weighted lookup uses', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), ping: ping(), dht: kadDHT({ protocol: '/p2pgo-test/kad/1.0.0', clientMode: true }) } })
    let get
    try {
      get = onePeerGet(node.services.dht)
    } catch (err) {
      throw new Error(`${versions}: ${(err as Error).message}`)
    }
    expect(typeof get, `${versions}: peerRouting.getValueOrPeers is gone`).toBe('function')
  })

  it('says which library lacks it', () => {
    expect(() => onePeerGet({} as unknown as KadDHT)).toThrow(/kad-dht has no peerRouting.getValueOrPeers\(\): p2pgo needs @libp2p\/kad-dht 16/)
  })

  it('finds the one-peer PUT_VALUE the lookup corrects stale copies with', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), ping: ping(), dht: kadDHT({ protocol: '/p2pgo-test/kad/1.0.0', clientMode: true }) } })
    let put
    try {
      put = onePeerPut(node.services.dht)
    } catch (err) {
      throw new Error(`${versions}: ${(err as Error).message}`)
    }
    expect(typeof put, `${versions}: network.sendRequest is gone`).toBe('function')
    expect(() => onePeerPut({} as unknown as KadDHT)).toThrow(/kad-dht has no network.sendRequest\(\): p2pgo needs @libp2p\/kad-dht 16/)
  })

  it('finds the routing table\'s closest peers the lookup\'s first round asks', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), ping: ping(), dht: kadDHT({ protocol: '/p2pgo-test/kad/1.0.0', clientMode: true }) } })
    let closest
    try {
      closest = closestKnown(node.services.dht)
    } catch (err) {
      throw new Error(`${versions}: ${(err as Error).message}`)
    }
    expect(await closest(new Uint8Array([1, 2, 3]), 4), `${versions}: an empty routing table names nobody`).toEqual([])
    expect(() => closestKnown({} as unknown as KadDHT)).toThrow(/kad-dht has no routingTable.closestPeers\(\): p2pgo needs @libp2p\/kad-dht 16/)
  })
})
