// A record that fails its audit costs its publisher reputation once: auditing the same record
// again (a user re-running `p2pgo rating PEER --audit`, matchmaking re-checking) charges nothing
// more; a new false record does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signRatingRecord, type SignedRatingRecord } from '../../../src/rating/rating-record.js'
import { playGame, startNetwork, stopAll, type NetNode } from './harness.js'

describe('audit failures in reputation', () => {
  let net: NetNode[]
  beforeAll(async () => { net = await startNetwork(3) }, 120_000)
  afterAll(async () => { await stopAll(net ?? []) })

  it('charge a false record once however often it is audited, and each new false record again', async () => {
    const [auditor, mallory, bob] = net
    await playGame(mallory, bob, 'proposer')
    const real = mallory.node.ratings.ownRecord as SignedRatingRecord
    const cited = real.sizes[9]?.cited ?? []
    const lie = async (seq: number, mu: number): Promise<SignedRatingRecord> => signRatingRecord(mallory.key, { ...real, seq, sizes: { 9: { rating: { mu, sigma: 1500 }, games: 1, cited: cited.map(c => ({ ...c, after: { mu, sigma: 1500 } })) } } })
    const charged = (): number => auditor.node.reputation.eventsOf(mallory.node.peerId).filter(e => e.kind === 'audit-failed').length
    const first = await lie(real.seq + 1, 60_000)
    for (let i = 0; i < 3; i++) {
      const report = await auditor.node.ratings.audit(first, { signal: AbortSignal.timeout(30_000) })
      expect(report.findings.map(f => f.reason)).toContain('mismatch')
    }
    await auditor.node.reputation.flush()
    expect(charged()).toBe(1)
    // The older false record audited after it: already paid for.
    await auditor.node.ratings.audit(await lie(real.seq, 61_000), { signal: AbortSignal.timeout(30_000) })
    expect(charged()).toBe(1)
    await auditor.node.ratings.audit(await lie(real.seq + 2, 62_000), { signal: AbortSignal.timeout(30_000) })
    expect(charged()).toBe(2)
    expect(await auditor.node.ratings.auditFailed(mallory.node.peerId)).toBe(true)
  }, 120_000)
})
