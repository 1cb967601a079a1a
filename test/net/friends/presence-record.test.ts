// Presence records (protocols/lobby.md, "Friends, as built"): the document's vectors are what the
// encoder writes and pass the validator; forged, wrong-keyed, oversized and expired records are
// refused with the stated reason; the selector takes the highest seq.
import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { AWAY_LIFE, InvalidPresenceRecordError, PRESENCE_LIFE, PRESENCE_RECORD_MAX_BYTES, checkPresenceRecord, newestPresenceIndex, presenceKey } from '../../../src/net/friends/index.js'
import { encodeLobbyV2, type UnsignedLobbyV2Message } from '../../../src/net/lobby/v2/messages.js'
import { hex, readVectors, toHex } from '../../wire/helpers.js'

const doc = await readFile(new URL('../../../protocols/lobby.md', import.meta.url), 'utf8')
const vectors = readVectors(doc)
const vector = (name: string): Uint8Array => {
  const v = vectors.get(name)
  if (v?.kind !== 'hex') throw new Error(`no hex vector ${name} in protocols/lobby.md`)
  return hex(v.value)
}
const now = Number(vectors.get('now')?.value)
const signerKey = await generateKeyPairFromSeed('Ed25519', Uint8Array.from({ length: 32 }, (_, i) => i))
const otherKey = await generateKeyPairFromSeed('Ed25519', Uint8Array.from({ length: 32 }, (_, i) => i + 32))
const signer = peerIdFromPrivateKey(signerKey).toMultihash().bytes
const other = peerIdFromPrivateKey(otherKey).toMultihash().bytes
const presence = { t: 'presence', peer: signer, name: 'Alice', sizes: [9, 19], ratings: { 9: { mu: 29.396, sigma: 7.171 } }, expires: now + PRESENCE_LIFE, seq: now } as const

const reasonOf = async (key: Uint8Array, value: Uint8Array, at = now): Promise<string> => checkPresenceRecord(key, value, at).then(r => `accepted ${r.kind}`, (err: unknown) => err instanceof InvalidPresenceRecordError ? err.reason : `other: ${(err as Error).message}`)

describe('presence records: the document\'s vectors', () => {
  it('the key is /p2pgo-presence/ and the peer ID multihash', () => {
    expect(toHex(presenceKey(signer))).toBe(toHex(vector('presence-record-key')))
  })

  it('the open record is what the encoder writes and is valid at now', async () => {
    expect(toHex(await encodeLobbyV2(presence, signerKey))).toBe(toHex(vector('presence-record-open')))
    const r = await checkPresenceRecord(vector('presence-record-key'), vector('presence-record-open'), now)
    expect(r.kind).toBe('open')
    expect(r.message.t === 'presence' ? r.message.name : '').toBe('Alice')
  })

  it('the away record (a leave) is what the encoder writes and is valid at now', async () => {
    expect(toHex(await encodeLobbyV2({ t: 'leave', peer: signer, seq: now }, signerKey))).toBe(toHex(vector('presence-record-away')))
    expect(await reasonOf(vector('presence-record-key'), vector('presence-record-away'))).toBe('accepted away')
  })
})

describe('presence records: refusals', () => {
  const key = presenceKey(signer)
  const sign = async (msg: UnsignedLobbyV2Message, k = signerKey): Promise<Uint8Array> => encodeLobbyV2(msg, k)

  it('a record signed by another key under the signer\'s key: wrong-key', async () => {
    expect(await reasonOf(key, await sign({ ...presence, peer: other }, otherKey))).toBe('wrong-key')
  })

  it('a record whose signature does not match its author: bad-signature', async () => {
    const good = vector('presence-record-open')
    const forged = good.slice()
    // The signature's last byte sits well inside the map: flip one bit of it.
    const at = toHex(good).indexOf('5840') / 2 + 2 + 63
    forged[at] ^= 1
    expect(await reasonOf(key, forged)).toBe('bad-signature')
  })

  it('a key of another namespace or with no peer: wrong-key', async () => {
    const rating = new Uint8Array([...new TextEncoder().encode('/p2pgo-rating/'), ...signer])
    expect(await reasonOf(rating, vector('presence-record-open'))).toBe('wrong-key')
    expect(await reasonOf(new TextEncoder().encode('/p2pgo-presence/'), vector('presence-record-open'))).toBe('wrong-key')
  })

  it('an oversized record: too-large, before anything is decoded', async () => {
    expect(await reasonOf(key, new Uint8Array(PRESENCE_RECORD_MAX_BYTES + 1))).toBe('too-large')
  })

  it('an expired presence, or one that claims to live too long: expired, expires-too-far', async () => {
    expect(await reasonOf(key, vector('presence-record-open'), now + PRESENCE_LIFE)).toBe('expired')
    expect(await reasonOf(key, await sign({ ...presence, expires: now + PRESENCE_LIFE + 6 * 60_000 }))).toBe('expires-too-far')
  })

  it('a leave older than AWAY_LIFE or dated ahead: expired, expires-too-far', async () => {
    expect(await reasonOf(key, vector('presence-record-away'), now + AWAY_LIFE)).toBe('expired')
    expect(await reasonOf(key, await sign({ t: 'leave', peer: signer, seq: now + 6 * 60_000 }))).toBe('expires-too-far')
  })

  it('another lobby message (a cancel) or junk: wrong-type, malformed', async () => {
    expect(await reasonOf(key, await sign({ t: 'cancel', peer: signer, id: new Uint8Array(8), seq: now }))).toBe('wrong-type')
    expect(await reasonOf(key, Uint8Array.of(1, 2, 3))).toBe('malformed')
  })
})

describe('presence records: the selector', () => {
  it('takes the highest seq: a leave put after a presence replaces it', async () => {
    const open = await encodeLobbyV2(presence, signerKey)
    const later = await encodeLobbyV2({ t: 'leave', peer: signer, seq: now + 1 }, signerKey)
    expect(newestPresenceIndex([open, later])).toBe(1)
    expect(newestPresenceIndex([later, open])).toBe(0)
    expect(newestPresenceIndex([Uint8Array.of(1), open])).toBe(1)
  })
})
