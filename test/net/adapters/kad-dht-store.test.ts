import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { withRecordStore } from '../../../src/net/adapters/kad-dht-store.js'
import { DhtRecords } from '../../../src/net/rating/dht-records.js'
import { RecordStore } from '../../../src/net/rating/record-store.js'
import { common } from '../../helpers/relay-clients.js'
import { installedVersion } from './installed.js'

const versions = `@libp2p/kad-dht ${installedVersion('@libp2p/kad-dht')} (the adapter was written for 16.4.5)`
const protocol = '/p2pgo-test/kad/1.0.0'
const ns = 'p2pgo-test'
const open = { validators: { [ns]: async () => {} }, selectors: { [ns]: () => 0 } }

describe('the kad-dht record store adapter (src/net/adapters/kad-dht-store.ts)', () => {
  const nodes: Array<Libp2p<{ dht: KadDHT }>> = []
  afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => n.stop())) })

  it('sees each record a remote peer PUTs, as that peer\'s, from its address', async () => {
    const store = new RecordStore({ records: new DhtRecords(), trust: () => 0.5, limits: { perSender: 2 } })
    const server = await createLibp2p({ ...common, privateKey: await generateKeyPair('Ed25519'), addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, services: { identify: identify(), ping: ping(), dht: withRecordStore(kadDHT({ protocol, clientMode: false, peerInfoMapper: passthroughMapper, ...open }), store) } })
    const client = await createLibp2p({ ...common, privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), ping: ping(), dht: kadDHT({ protocol, clientMode: true, peerInfoMapper: passthroughMapper, ...open }) } })
    nodes.push(server, client)
    await client.dial(server.getMultiaddrs()[0])
    const deadline = Date.now() + 20_000
    while (client.services.dht.routingTable.size === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    const put = async (i: number): Promise<boolean> => {
      let stored = false
      try {
        for await (const e of client.services.dht.put(new TextEncoder().encode(`/${ns}/${i}`), new Uint8Array([i]), { signal: AbortSignal.timeout(10_000) })) {
          if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE') stored = true
        }
      } catch {}
      return stored
    }
    expect([await put(1), await put(2), await put(3)], `${versions}: a remote PUT was not stored through the store as its sender's`).toEqual([true, true, false])
    expect(store.stats(), versions).toMatchObject({ records: 2, senders: 1, addresses: 1, refused: { 'sender-quota': 1 } })
  })

  it('says which library lacks the handler table', () => {
    const store = new RecordStore({ records: new DhtRecords(), trust: () => 0.5 })
    const components = { logger: { forComponent: () => Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false }) }, datastore: {} }
    expect(() => withRecordStore(() => ({}) as unknown as KadDHT, store)(components)).toThrow(/kad-dht has no rpc.handlers.PUT_VALUE: p2pgo needs @libp2p\/kad-dht 16/)
  })
})
