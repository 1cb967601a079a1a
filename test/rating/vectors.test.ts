import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { checkRatingRecord, decodeRatingRecord, encodeRatingRecord, signRatingRecord } from '../../src/rating/rating-record.js'
import { InvalidRatingRecordError } from '../../src/rating/errors.js'
import { ratingKey } from '../../src/net/rating/dht-records.js'
import { seekKey } from '../../src/rating/seek-keys.js'
import { rateGame, type Outcome } from '../../src/rating/trueskill.js'
import { hex, readVectors, toHex } from '../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../protocols/rating.md', import.meta.url), 'utf8'))
const value = (name: string): string => {
  const v = vectors.get(name)
  if (v == null) throw new Error(`no vector ${name} in protocols/rating.md`)
  return v.value
}
const alice = await generateKeyPairFromSeed('Ed25519', hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'))
const peer = peerIdFromPrivateKey(alice)
const at = 1700000000000
const reasonOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'accepted', (err: unknown) => err instanceof InvalidRatingRecordError ? err.reason : `other: ${(err as Error).message}`)

describe('protocols/rating.md vectors', () => {
  it('the subject and its DHT key', () => {
    expect(peer.toString()).toBe(value('subject'))
    expect(toHex(ratingKey(peer.toMultihash().bytes))).toBe(value('rating-key').replace(/\s/g, ''))
  })

  it('the signed record encodes to the vector and verifies', async () => {
    const cited = CID.parse('bafyreiff2bq5s7x72rahgf7wcsahnahmxfuaphfczpep4lnzkvecx6pfrm')
    const record = await signRatingRecord(alice, {
      peer: peer.toMultihash().bytes, seq: at, updated: at, expires: at + 86_400_000,
      sizes: { 9: { rating: { mu: 29396, sigma: 7171 }, games: 1, cited: [{ result: cited, after: { mu: 29396, sigma: 7171 } }] } },
      relay: { delivered: 42, failed: 1, served: 0 }
    })
    const bytes = hex(value('rating-record'))
    expect(toHex(encodeRatingRecord(record))).toBe(toHex(bytes))
    const checked = await checkRatingRecord(bytes, peer.toMultihash().bytes, at + 1000)
    expect(checked.sizes[9]?.rating).toEqual({ mu: 29396, sigma: 7171 })
    expect(toHex(encodeRatingRecord(decodeRatingRecord(bytes)))).toBe(toHex(bytes))
  })

  it.each([
    ['rating-record-forged', 'bad-signature'],
    ['rating-record-tampered', 'bad-signature'],
    ['rating-record-truncated', 'malformed']
  ])('%s is refused: %s', async (name, reason) => {
    expect(await reasonOf(checkRatingRecord(hex(value(name)), peer.toMultihash().bytes, at + 1000))).toBe(reason)
  })

  it('the genuine record is refused once expired, and under another key', async () => {
    const bytes = hex(value('rating-record'))
    expect(await reasonOf(checkRatingRecord(bytes, peer.toMultihash().bytes, at + 86_400_000))).toBe('expired')
    expect(await reasonOf(checkRatingRecord(bytes, peer.toMultihash().bytes, at - 10 * 60_000))).toBe('from-the-future')
    const other = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7)))
    expect(await reasonOf(checkRatingRecord(bytes, other.toMultihash().bytes, at + 1000))).toBe('wrong-key')
  })

  // Found by the fuzzer (test/fuzz): a record signed with `updated` past the last date a JS Date
  // can hold threw RangeError ("Invalid time value") while its refusal was being worded, out of
  // the DHT validator, instead of InvalidRatingRecordError('from-the-future').
  it('a record updated past the end of time is refused as from the future', async () => {
    const end = Number.MAX_SAFE_INTEGER
    const record = await signRatingRecord(alice, { peer: peer.toMultihash().bytes, seq: 1, updated: end, expires: end, sizes: {}, relay: { delivered: 0, failed: 0, served: 0 } })
    expect(await reasonOf(checkRatingRecord(encodeRatingRecord(record), peer.toMultihash().bytes, at))).toBe('from-the-future')
  })

  it('the seek key', () => {
    expect(seekKey(9, 6, 2833333).toString()).toBe(value('seek-key'))
  })

  it('rating updates', () => {
    const lines = value('trueskill').trim().split('\n')
    expect(lines.length).toBeGreaterThan(3)
    for (const line of lines) {
      const [me, opp, outcome, komi, after] = line.trim().split(/\s+/)
      const r = (s: string): { mu: number, sigma: number } => { const [mu, sigma] = s.split('/').map(Number); return { mu, sigma } }
      expect(rateGame(r(me), r(opp), outcome as Outcome, Number(komi)), line).toEqual(r(after))
    }
  })
})
