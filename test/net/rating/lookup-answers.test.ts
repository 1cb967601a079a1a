// What a rating lookup counts as answers (src/net/rating/weighted-lookup.ts): peers' GET_VALUE
// answers and the node's own stored copy; never the echoes of the corrections kad-dht sends to
// peers that held an outdated copy (they repeat the record the lookup chose).
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { ratingKey } from '../../../src/net/rating/dht-records.js'
import { putTo, rawPut, signed, startNetwork, startNode, stopAll, until, type NetNode } from './harness.js'

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
