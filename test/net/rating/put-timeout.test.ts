// A rating put that runs out of time counts the peers it reached (here none) instead of throwing:
// the rating service then tries again soon. Before, the error skipped the retry, and a node whose
// first put timed out (alone, or on a busy network) published its record 12 hours later.
import { defaultLogger } from '@libp2p/logger'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dualDhtOf } from '../../../src/net/dht/dual-dht.js'
import { DhtRecords, ratingKey } from '../../../src/net/rating/dht-records.js'
import { RatingDht } from '../../../src/net/rating/rating-dht.js'
import { encodeRatingRecord, type SignedRatingRecord } from '../../../src/rating/rating-record.js'
import { startNode, stopAll, until, type NetNode } from './harness.js'

describe('a rating put that runs out of time', () => {
  let alone: NetNode
  let record: SignedRatingRecord

  beforeAll(async () => {
    // No bootstrap peer: the node's DHTs know nobody, so a put waits for a peer until its time is up.
    alone = await startNode([], 'alone')
    // Signed and saved as the first publish starts, before its put.
    await until(() => alone.node.ratings.ownRecord != null, 'the node to sign its first record')
    record = alone.node.ratings.ownRecord as SignedRatingRecord
  }, 60_000)

  afterAll(async () => { await stopAll([alone]) })

  const dhtOf = (stopped: AbortSignal): RatingDht => new RatingDht({
    dht: () => dualDhtOf(alone.node.libp2p.services as never),
    records: new DhtRecords(),
    log: defaultLogger().forComponent('p2pgo:test:put-timeout'),
    signal: () => stopped,
    trust: () => 0,
    connected: () => [],
    self: alone.node.peerId,
    timeout: 500
  })

  it('reports the peers it reached, none, rather than failing', async () => {
    const peers = await dhtOf(new AbortController().signal).put(ratingKey(alone.node.peerId), encodeRatingRecord(record))
    expect(peers).toBe(0)
  })

  it('still fails when the caller gives up or the service stops', async () => {
    const key = ratingKey(alone.node.peerId)
    const bytes = encodeRatingRecord(record)
    await expect(dhtOf(new AbortController().signal).put(key, bytes, { signal: AbortSignal.timeout(100) })).rejects.toThrow()
    const stopping = new AbortController()
    const put = dhtOf(stopping.signal).put(key, bytes)
    stopping.abort()
    await expect(put).rejects.toThrow()
  })
})
