import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeRatingRecord, signRatingRecord, type SignedRatingRecord } from '../../../src/rating/rating-record.js'
import { InvalidRatingRecordError } from '../../../src/rating/errors.js'
import { auditRecord, type Fetched } from '../../../src/rating/audit.js'
import type { CosignedResult } from '../../../src/rating/cosigned-result.js'
import { ratingKey } from '../../../src/net/rating/dht-records.js'
import { DhtRecords } from '../../../src/net/rating/dht-records.js'
import { RECORD_MAX_BYTES, RECORD_TTL } from '../../../src/rating/constants.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { playGame, rawPut, startNetwork, startNode, stopAll, until, type NetNode } from './harness.js'
import { referenceWin } from '../../rating/reference.js'
import { defaultRatingParams } from '../../../src/rating/params.js'

const reasonOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'accepted', (err: unknown) => err instanceof InvalidRatingRecordError ? err.reason : `other: ${(err as Error).message}`)

/** Puts raw bytes under a key from `from`, the way an attacker's node would; how many peers stored them. */
describe('rating records in the DHT of 20 real nodes', () => {
  let net: NetNode[]
  let alice: NetNode
  let bob: NetNode
  let mallory: NetNode
  let reader: NetNode
  const aliceRecords: SignedRatingRecord[] = []

  beforeAll(async () => {
    net = await startNetwork(20)
    ;[, alice, bob, mallory] = net
    alice.node.ratings.addEventListener('published', () => { const r = alice.node.ratings.ownRecord; if (r != null) aliceRecords.push(r) })
  }, 120_000)

  afterAll(async () => { await stopAll(net ?? []) })

  it('ratings after a sequence of co-signed games equal the TrueSkill reference computation', async () => {
    // Alice beats Bob twice, then loses once; half-point komi, so no draw is possible.
    await playGame(alice, bob, 'accepter')
    await playGame(bob, alice, 'proposer')
    await playGame(alice, bob, 'proposer')
    const p = { beta: defaultRatingParams.beta, tau: defaultRatingParams.tau, drawProbability: 0 }
    let a: [number, number] = [25, 8.333]
    let b: [number, number] = [25, 8.333]
    const round = (r: [number, number]): [number, number] => [Math.round(r[0] * 1000) / 1000, Math.round(r[1] * 1000) / 1000]
    let g = referenceWin(a, b, p); a = round(g.winner); b = round(g.loser)
    g = referenceWin(a, b, p); a = round(g.winner); b = round(g.loser)
    g = referenceWin(b, a, p); b = round(g.winner); a = round(g.loser)
    const mine = alice.node.ratings.ratingOn(9)
    const theirs = bob.node.ratings.ratingOn(9)
    expect(Math.abs(mine.mu - a[0] * 1000)).toBeLessThanOrEqual(2)
    expect(Math.abs(mine.sigma - a[1] * 1000)).toBeLessThanOrEqual(2)
    expect(Math.abs(theirs.mu - b[0] * 1000)).toBeLessThanOrEqual(2)
    expect(Math.abs(theirs.sigma - b[1] * 1000)).toBeLessThanOrEqual(2)
    expect(alice.node.ratings.ratings[9]?.games).toBe(3)
    expect(alice.node.ratings.ratings[9]?.cited).toHaveLength(3)
    // The rating a player claims for the next game is the one the last game ended with.
    expect(alice.node.ratings.claim(9)).toEqual(mine)
  }, 120_000)

  it('a record published by one node is found and verified from a node never connected to it, with the publisher gone', async () => {
    await until(async () => (await alice.node.ratings.publish()).peers > 0, 'the record to be stored')
    const own = alice.node.ratings.ownRecord as SignedRatingRecord
    // Alice leaves; a new node joins afterwards, so it can never have been connected to her.
    await alice.node.stop()
    reader = await startNode([net[0].node.libp2p.getMultiaddrs()[0].toString()], 'reader')
    net.push(reader)
    const dialled: string[] = []
    reader.node.libp2p.addEventListener('connection:open', e => { dialled.push(e.detail.remotePeer.toString()) })
    await until(() => reader.node.libp2p.services.dht.routingTable.size >= 3, 'the reader to join')
    const found = await reader.node.ratings.fetchRecord(alice.node.peerId, { signal: AbortSignal.timeout(20_000) })
    expect(found.seq).toBe(own.seq)
    expect(found.sizes[9]?.rating).toEqual(alice.node.ratings.ratingOn(9))
    // And the audit recomputes it from the co-signed results, fetched from the DHT.
    const report = await reader.node.ratings.audit(found, { signal: AbortSignal.timeout(30_000) })
    expect(report.findings).toEqual([])
    expect(report).toMatchObject({ ok: true, checked: 3, opponents: { 9: 1 } })
    expect(dialled).not.toContain(alice.node.peerId)
  }, 120_000)

  it('a forged record (wrong signer) is refused by every storing peer and by the reader', async () => {
    const own = alice.node.ratings.ownRecord as SignedRatingRecord
    const forged = await signRatingRecord(mallory.key, { ...own, seq: own.seq + 1000, sizes: { 9: { rating: { mu: 50_000, sigma: 1000 }, games: 3, cited: [] } } })
    const key = ratingKey(alice.node.libp2p.peerId.toMultihash().bytes)
    expect(await rawPut(mallory, key, encodeRatingRecord(forged))).toBe(0)
    expect(await reasonOf(new DhtRecords().checkRating(key, encodeRatingRecord(forged)))).toBe('bad-signature')
    // Mallory's own valid record stored under Alice's key: the key does not match the signer.
    const own2 = await signRatingRecord(mallory.key, { ...own, peer: mallory.node.libp2p.peerId.toMultihash().bytes })
    expect(await reasonOf(new DhtRecords().checkRating(key, encodeRatingRecord(own2)))).toBe('wrong-key')
    const found = await reader.node.ratings.fetchRecord(alice.node.peerId, { signal: AbortSignal.timeout(20_000) })
    expect(found.seq).toBe(own.seq)
    expect(found.sizes[9]?.rating.mu).not.toBe(50_000)
  }, 60_000)

  it('a replayed older record is refused as stale; readers still get the newest', async () => {
    const newest = alice.node.ratings.ownRecord as SignedRatingRecord
    const older = aliceRecords.find(r => r.seq < newest.seq) as SignedRatingRecord
    expect(older).toBeDefined()
    const key = ratingKey(alice.node.libp2p.peerId.toMultihash().bytes)
    // Peers that hold the newer record refuse it (a peer that never saw Alice's record cannot tell).
    await rawPut(mallory, key, encodeRatingRecord(older))
    for (const x of net.filter(x => x !== alice && x !== mallory)) {
      const found = await x.node.ratings.fetchRecord(alice.node.peerId, { signal: AbortSignal.timeout(20_000) })
      expect(found.seq).toBe(newest.seq)
    }
    // A store holding the newer one refuses the old bytes with the reason.
    expect(await reasonOf(new DhtRecords().refuseOlder(key, encodeRatingRecord(older), encodeRatingRecord(newest)))).toBe('stale')
    expect(await reasonOf(new DhtRecords().refuseOlder(key, encodeRatingRecord(newest), encodeRatingRecord(older)))).toBe('accepted')
  }, 60_000)

  it('oversized, malformed and expired records are refused with their reasons', async () => {
    const key = ratingKey(alice.node.libp2p.peerId.toMultihash().bytes)
    const newest = alice.node.ratings.ownRecord as SignedRatingRecord
    const big = new Uint8Array(RECORD_MAX_BYTES + 1)
    expect(await reasonOf(new DhtRecords().checkRating(key, big))).toBe('too-large')
    expect(await reasonOf(new DhtRecords().checkRating(key, new Uint8Array([0xa1, 0x61])))).toBe('malformed')
    expect(await reasonOf(new DhtRecords().checkRating(key, encodeCanonical({ v: 1, t: 'rating', peer: newest.peer })))).toBe('malformed')
    expect(await rawPut(mallory, key, big)).toBe(0)
    expect(await rawPut(mallory, key, new Uint8Array([0xa1, 0x61]))).toBe(0)
    const expired = await signRatingRecord(alice.key, { ...newest, seq: newest.seq + 1, updated: Date.now() - 2 * RECORD_TTL, expires: Date.now() - RECORD_TTL })
    expect(await reasonOf(new DhtRecords().checkRating(key, encodeRatingRecord(expired)))).toBe('expired')
    const future = await signRatingRecord(alice.key, { ...newest, seq: newest.seq + 1, updated: Date.now() + RECORD_TTL, expires: Date.now() + 2 * RECORD_TTL })
    expect(await reasonOf(new DhtRecords().checkRating(key, encodeRatingRecord(future)))).toBe('from-the-future')
  }, 60_000)

  it('a validly signed record whose cited results do not recompute to it fails its audit, and its publisher is distrusted', async () => {
    // Mallory plays Bob for real and loses, then publishes a record claiming the game made her a 9 dan.
    await playGame(mallory, bob, 'proposer')
    const honest = await mallory.node.ratings.publish()
    expect(honest.peers).toBeGreaterThan(0)
    const real = mallory.node.ratings.ownRecord as SignedRatingRecord
    const cited = real.sizes[9]?.cited ?? []
    const inflated = { mu: 60_000, sigma: 1500 }
    const lie = await signRatingRecord(mallory.key, { ...real, seq: real.seq + 1, sizes: { 9: { rating: inflated, games: 1, cited: cited.map(c => ({ ...c, after: inflated })) } } })
    expect(await rawPut(mallory, ratingKey(mallory.node.libp2p.peerId.toMultihash().bytes), encodeRatingRecord(lie))).toBeGreaterThan(0)
    const found = await reader.node.ratings.fetchRecord(mallory.node.peerId, { signal: AbortSignal.timeout(20_000) })
    expect(found.sizes[9]?.rating).toEqual(inflated)
    const report = await reader.node.ratings.audit(found, { signal: AbortSignal.timeout(30_000) })
    expect(report.ok).toBe(false)
    expect(report.findings.map(f => f.reason)).toContain('mismatch')
    expect(await reader.node.ratings.auditFailed(mallory.node.peerId)).toBe(true)
    // Citing Alice's and Bob's games as her own: not a player in them.
    const stolen = alice.node.ratings.ratings[9]?.cited ?? []
    const thief = await signRatingRecord(mallory.key, { ...real, seq: real.seq + 2, sizes: { 9: { rating: stolen.at(-1)?.after ?? inflated, games: 3, cited: stolen } } })
    const report2 = await reader.node.ratings.audit(thief, { signal: AbortSignal.timeout(30_000) })
    expect(report2.findings.map(f => f.reason)).toContain('not-a-player')
    expect(report2.ok).toBe(false)
  }, 120_000)

  it('an audit refuses results not signed by both players, and changes cited out of order', async () => {
    const record = alice.node.ratings.ownRecord as SignedRatingRecord
    const cited = record.sizes[9]?.cited ?? []
    const results = new Map<string, Fetched>()
    for (const c of cited) results.set(c.result.toString(), await reader.node.ratings.fetchResult(c.result, { signal: AbortSignal.timeout(20_000) }))
    expect((await auditRecord(record, results)).ok).toBe(true)
    // White's result signature broken: the game is no longer co-signed.
    const first = cited[0].result.toString()
    const real = results.get(first) as CosignedResult
    const sig = new Uint8Array(real.acts.W.sig)
    sig[0] ^= 1
    const broken = new Map(results).set(first, { ...real, acts: { ...real.acts, W: { ...real.acts.W, sig } } })
    expect((await auditRecord(record, broken)).findings.map(f => f.reason)).toContain('not-cosigned')
    // The same games cited in another order do not chain.
    const shuffled = { ...record, sizes: { 9: { ...record.sizes[9]!, cited: [cited[1], cited[0], cited[2]] } } }
    const reasons = (await auditRecord(shuffled, results)).findings.map(f => f.reason)
    expect(reasons).toContain('broken-chain')
  }, 60_000)

  it('matchmaking: seekers announced under rating buckets are found and ranked, the cheat excluded', async () => {
    const seekers = net.slice(4, 9)
    await Promise.all(seekers.map(async s => s.node.matchmaker.seek(9)))
    await mallory.node.matchmaker.seek(9)
    const search = await reader.node.matchmaker.find(9, { wanted: 6, signal: AbortSignal.timeout(60_000) })
    const found = search.candidates.map(c => c.peer)
    for (const s of seekers) expect(found).toContain(s.node.peerId)
    expect(search.firstCandidateMs).toBeDefined()
    const cheat = search.candidates.find(c => c.peer === mallory.node.peerId)
    expect(cheat).toMatchObject({ auditFailed: true, score: 0 })
    expect(search.candidates.at(-1)?.peer).toBe(mallory.node.peerId)
    expect(search.candidates[0].why).toMatch(/match quality/)
    await Promise.all([...seekers, mallory].map(async s => s.node.matchmaker.stopSeeking()))
  }, 120_000)

  it('a key that is not a valid key of a fresh identity cannot sign for another', async () => {
    const stranger = await generateKeyPair('Ed25519')
    const own = alice.node.ratings.ownRecord as SignedRatingRecord
    const r = await signRatingRecord(stranger, own)
    expect(await reasonOf(new DhtRecords().checkRating(ratingKey(own.peer), encodeRatingRecord(r)))).toBe('bad-signature')
  })
})
