// The DHT record store (src/net/rating/record-store.ts) over a real datastore: the newest record
// of a key survives any number of other records, quotas per sender and per address, a bounded
// total where only a more trusted sender makes room, the node's own records always kept.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryDatastore } from 'datastore-core'
import { Key } from 'interface-datastore'
import { toString } from 'uint8arrays/to-string'
import { describe, expect, it } from 'vitest'
import { DhtRecords, ratingKey } from '../../../src/net/rating/dht-records.js'
import { RecordStore, type StorePutOptions } from '../../../src/net/rating/record-store.js'
import { addressBucket, admit, DEFAULT_STORE_LIMITS, type RecordSender } from '../../../src/net/rating/store-admission.js'
import { RECORD_TTL } from '../../../src/rating/constants.js'
import { encodeRatingRecord, signRatingRecord } from '../../../src/rating/rating-record.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'

const t0 = 1_800_000_000_000

/** A kad-dht record of `key`'s rating at `seq`, as kad-dht writes it: its datastore key and bytes. */
async function ratingRecord (key: PrivateKey, seq: number, at = t0): Promise<{ dsKey: Key, bytes: Uint8Array }> {
  const peer = peerIdFromPrivateKey(key).toMultihash().bytes
  const signed = await signRatingRecord(key, { peer, seq, updated: at, expires: at + RECORD_TTL, sizes: {}, relay: { delivered: 0, failed: 0, served: 0 } })
  const k = ratingKey(peer)
  return { dsKey: new Key(`/dht/record/${toString(k, 'base32')}`, false), bytes: new DhtRecord(k, encodeRatingRecord(signed), new Date(at)).serialize() }
}

const fresh = async (seq = 1): Promise<{ dsKey: Key, bytes: Uint8Array }> => ratingRecord(await generateKeyPair('Ed25519'), seq)
const reason = async (p: Promise<unknown>): Promise<string> => p.then(() => 'stored', (err: any) => String(err.reason ?? err.message))

function setup (limits: Partial<typeof DEFAULT_STORE_LIMITS>, trust: Record<string, number> = {}): { store: RecordStore, ds: Datastore, inner: MemoryDatastore, now: { t: number } } {
  const now = { t: t0 }
  const inner = new MemoryDatastore()
  const store = new RecordStore({ records: new DhtRecords(() => now.t), trust: peer => trust[peer] ?? 0.5, now: () => now.t, limits })
  return { store, ds: store.wrap(inner), inner, now }
}

const from = (peer: string, address = 'ip4/192.0.2.1'): RecordSender => ({ peer, address })

describe('the DHT record store', () => {
  it('never replaces a record by an older one, whatever else was stored or refused meanwhile', async () => {
    const { store, ds } = setup({ total: 20, perSender: 1000, perAddress: 1000 })
    const target = await generateKeyPair('Ed25519')
    const older = await ratingRecord(target, 1)
    const newer = await ratingRecord(target, 2)
    await ds.put(newer.dsKey, newer.bytes, { sender: from('alice') } as StorePutOptions)
    expect(await reason(ds.put(older.dsKey, older.bytes, { sender: from('mallory') } as StorePutOptions))).toBe('stale')
    for (let i = 0; i < 100; i++) {
      const r = await fresh()
      await ds.put(r.dsKey, r.bytes, { sender: from(`sybil-${i}`, `ip4/198.51.100.${i}`) } as StorePutOptions).catch(() => {})
    }
    expect(store.stats().records).toBe(20)
    expect(await reason(ds.put(older.dsKey, older.bytes, { sender: from('mallory') } as StorePutOptions))).toBe('stale')
    expect(DhtRecord.deserialize(await ds.get(newer.dsKey)).value).toEqual(DhtRecord.deserialize(newer.bytes).value)
  })

  it('holds a sender to its quota and an address to its own, counting new keys only', async () => {
    const { store, ds } = setup({ perSender: 3, perAddress: 5 })
    const mine = await generateKeyPair('Ed25519')
    for (let i = 0; i < 3; i++) { const r = await fresh(); await ds.put(r.dsKey, r.bytes, { sender: from('a') } as StorePutOptions) }
    const r4 = await fresh()
    expect(await reason(ds.put(r4.dsKey, r4.bytes, { sender: from('a') } as StorePutOptions))).toBe('sender-quota')
    // A newer copy of a held key takes no new room.
    const first = await ratingRecord(mine, 1)
    const again = await ratingRecord(mine, 2)
    await ds.put(first.dsKey, first.bytes, { sender: from('b') } as StorePutOptions)
    await ds.put(again.dsKey, again.bytes, { sender: from('b') } as StorePutOptions)
    const r5 = await fresh()
    await ds.put(r5.dsKey, r5.bytes, { sender: from('b') } as StorePutOptions)
    const r6 = await fresh()
    expect(await reason(ds.put(r6.dsKey, r6.bytes, { sender: from('c') } as StorePutOptions))).toBe('address-quota')
    // Another address is not held to this one's quota; a trusted sender is not counted against its address.
    expect(await reason(ds.put(r6.dsKey, r6.bytes, { sender: from('c', 'ip4/203.0.113.9') } as StorePutOptions))).toBe('stored')
    expect(store.stats()).toMatchObject({ records: 6, refused: { 'sender-quota': 1, 'address-quota': 1 } })
  })

  it('when full, makes room only for a sender more trusted than the least trusted it holds', async () => {
    const { store, ds, inner } = setup({ total: 4, perSender: 10, perAddress: 10 }, { good: 0.8, bad: 0.2 })
    const bad = await fresh()
    await ds.put(bad.dsKey, bad.bytes, { sender: from('bad', 'ip4/192.0.2.66') } as StorePutOptions)
    for (let i = 0; i < 3; i++) { const r = await fresh(); await ds.put(r.dsKey, r.bytes, { sender: from(`stranger-${i}`, `ip4/192.0.2.${i}`) } as StorePutOptions) }
    const r = await fresh()
    // A stranger (0.5) may displace the distrusted sender's record, not another stranger's.
    expect(await reason(ds.put(r.dsKey, r.bytes, { sender: from('stranger-x', 'ip4/192.0.2.99') } as StorePutOptions))).toBe('stored')
    expect(await inner.has(bad.dsKey)).toBe(false)
    const r2 = await fresh()
    expect(await reason(ds.put(r2.dsKey, r2.bytes, { sender: from('stranger-y', 'ip4/192.0.2.98') } as StorePutOptions))).toBe('store-full')
    expect(await reason(ds.put(r2.dsKey, r2.bytes, { sender: from('good', 'ip4/192.0.2.97') } as StorePutOptions))).toBe('stored')
    expect(store.stats()).toMatchObject({ records: 4, evicted: 2, refused: { 'store-full': 1 } })
  })

  it('keeps the node\'s own records even when full, and drops lapsed records first', async () => {
    const { store, ds, now } = setup({ total: 3, perSender: 10, perAddress: 10 })
    for (let i = 0; i < 3; i++) { const r = await fresh(); await ds.put(r.dsKey, r.bytes, { sender: from(`s-${i}`, `ip4/192.0.2.${i}`) } as StorePutOptions) }
    const own = await ratingRecord(await generateKeyPair('Ed25519'), 1, t0 + RECORD_TTL / 2)
    await ds.put(own.dsKey, own.bytes)
    expect(store.stats().records).toBe(3)
    // A day later the strangers' records have expired: a new one finds room without evicting anyone.
    now.t += RECORD_TTL
    const later = await ratingRecord(await generateKeyPair('Ed25519'), 1, now.t)
    expect(await reason(ds.put(later.dsKey, later.bytes, { sender: from('late', 'ip4/192.0.2.50') } as StorePutOptions))).toBe('stored')
    expect(await ds.has(own.dsKey)).toBe(true)
    expect(store.stats()).toMatchObject({ evicted: 1 })
  })

  it('counts the records a previous run left towards the total', async () => {
    const { store, ds, inner, now } = setup({ total: 3, perSender: 10, perAddress: 10 })
    for (let i = 0; i < 3; i++) { const r = await fresh(); await ds.put(r.dsKey, r.bytes, { sender: from(`s-${i}`, `ip4/192.0.2.${i}`) } as StorePutOptions) }
    const restarted = new RecordStore({ records: new DhtRecords(() => now.t), trust: () => 0.5, now: () => now.t, limits: { total: 3 } })
    const r = await fresh()
    expect(await reason(restarted.wrap(inner).put(r.dsKey, r.bytes, { sender: from('new') } as StorePutOptions))).toBe('store-full')
  })

  it('decides admissions as a pure function, and buckets addresses by host', () => {
    const limits = DEFAULT_STORE_LIMITS
    expect(admit({ sender: limits.perSender, address: 0, total: 0 }, 0.5)).toMatchObject({ admit: false, reason: 'sender-quota' })
    expect(admit({ sender: limits.perSender, address: 0, total: 0 }, 0.9)).toEqual({ admit: true, evict: false })
    expect(admit({ sender: 0, address: limits.perAddress, total: 0 }, 0.9)).toEqual({ admit: true, evict: false })
    expect(admit({ sender: 0, address: 0, total: limits.total, leastTrusted: { trust: 0.5 } }, 0.5)).toMatchObject({ admit: false, reason: 'store-full' })
    expect(admit({ sender: 0, address: 0, total: limits.total, leastTrusted: { trust: 0.5 } }, 0.7)).toEqual({ admit: true, evict: true })
    expect(addressBucket([{ name: 'ip4', value: '192.0.2.7' }, { name: 'tcp', value: '4001' }], 'p')).toBe('ip4/192.0.2.7')
    expect(addressBucket([{ name: 'ip6', value: '2001:db8:1:2:3:4:5:6' }], 'p')).toBe(addressBucket([{ name: 'ip6', value: '2001:db8:1:2::9' }], 'q'))
    expect(addressBucket([{ name: 'webrtc' }], 'p')).toBe('peer/p')
  })
})
