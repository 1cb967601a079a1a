// What a rating lookup counts as answers (src/net/rating/weighted-lookup.ts): peers' GET_VALUE
// answers and the node's own stored copy; never the echoes of the corrections kad-dht sends to
// peers that held an outdated copy (they repeat the record the lookup chose).
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { DHT_PROTOCOL, LOOPBACK_ALLOW } from '../../../src/net/constants.js'
import { DhtRecords, ratingKey } from '../../../src/net/rating/dht-records.js'
import { RECORD_TTL } from '../../../src/rating/constants.js'
import { encodeRatingRecord, signRatingRecord } from '../../../src/rating/rating-record.js'
import { rawPut, startNetwork, startNode, stopAll, until, type NetNode } from './harness.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'

/** A rating record of `key`'s peer at `seq`. */
async function signed (key: PrivateKey, seq: number): Promise<Uint8Array> {
  const peer = peerIdFromPrivateKey(key).toMultihash().bytes
  const now = Date.now()
  return encodeRatingRecord(await signRatingRecord(key, { peer, seq, updated: now, expires: now + RECORD_TTL, sizes: {}, relay: { delivered: 0, failed: 0, served: 0 } }))
}

/** A plain kad-dht client that may dial `only` and nobody else: its PUT reaches that one peer. */
async function putTo (only: NetNode, key: Uint8Array, value: Uint8Array): Promise<void> {
  const target: PeerId = only.node.libp2p.peerId
  const records = new DhtRecords()
  const client: Libp2p<{ dht: KadDHT }> = await createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { allow: [...LOOPBACK_ALLOW] },
    connectionGater: { denyDialPeer: async peer => !peer.equals(target) },
    connectionMonitor: { enabled: false },
    services: { identify: identify(), ping: ping({ maxOutboundStreams: 16 }), dht: kadDHT({ protocol: DHT_PROTOCOL, clientMode: true, peerInfoMapper: passthroughMapper, validators: records.validators(), selectors: records.selectors() }) }
  })
  try {
    await client.dial(only.node.libp2p.getMultiaddrs()[0])
    await until(() => client.services.dht.routingTable.size > 0, 'the peer in the client\'s routing table')
    let stored = false
    for await (const e of client.services.dht.put(key, value, { signal: AbortSignal.timeout(20_000) })) {
      if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE' && e.from.equals(target)) stored = true
    }
    expect(stored).toBe(true)
  } finally {
    await client.stop()
  }
}

describe('the answers a rating lookup counts', () => {
  const nodes: NetNode[] = []
  afterEach(async () => { await stopAll(nodes.splice(0)) })

  it('are the peers\' answers, not the echoes of kad-dht\'s corrections', async () => {
    const net = await startNetwork(4)
    nodes.push(...net)
    const subject = await generateKeyPair('Ed25519')
    const key = ratingKey(peerIdFromPrivateKey(subject).toMultihash().bytes)
    expect(await rawPut(net[1], key, await signed(subject, 1))).toBe(3)
    // One peer gets a newer record: the others hold an outdated copy and are sent a correction.
    await putTo(net[2], key, await signed(subject, 2))
    const reader = await startNode([net[0].node.libp2p.getMultiaddrs()[0].toString()], 'reader')
    nodes.push(reader)
    await until(() => reader.node.libp2p.services.dht.routingTable.size >= 4, 'the reader to know the network')
    const { record, lookup } = await reader.node.ratings.lookupRecord(peerIdFromPrivateKey(subject), { mode: 'full', signal: AbortSignal.timeout(20_000) })
    expect(record?.seq).toBe(2)
    // Four peers hold a copy; each answered once.
    expect(lookup.answers).toBeLessThanOrEqual(4)
  }, 120_000)

  it('include the node\'s own stored copy', async () => {
    const net = await startNetwork(2)
    nodes.push(...net)
    const [holder] = net
    const subject = await generateKeyPair('Ed25519')
    const key = ratingKey(peerIdFromPrivateKey(subject).toMultihash().bytes)
    // Only the holder stores it; its one peer has none to give.
    await putTo(holder, key, await signed(subject, 1))
    const { record, lookup } = await holder.node.ratings.lookupRecord(peerIdFromPrivateKey(subject), { signal: AbortSignal.timeout(20_000) })
    expect(record?.seq).toBe(1)
    expect(lookup.answers).toBe(1)
  }, 120_000)
})
