// The catch-up request and answer of lobby version 2: their codecs, their limits (checked on the
// frame's length prefix before the body is read, as a stream handler reads them) and the checks
// an answer's entries pass, each on its own.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { SYNC_ANSWER_MAX_BYTES, SYNC_MAX_PRESENCES, SYNC_MAX_SEEKS, SYNC_REQUEST_MAX_BYTES } from '../../../../src/net/lobby/v2/limits.js'
import { encodeLobbyV2, type UnsignedLobbyV2Message } from '../../../../src/net/lobby/v2/messages.js'
import { SYNC_MAX_ENTRIES, checkSyncAnswer, decodeSyncAnswer, decodeSyncRequest, encodeSyncAnswer, encodeSyncRequest } from '../../../../src/net/lobby/v2/sync-messages.js'
import { encodeCanonical } from '../../../../src/wire/cbor.js'
import { FrameTooLargeError, WireError } from '../../../../src/wire/errors.js'
import { decodeFrames, encodeFrame } from '../../../../src/wire/frame.js'

const now = 1_767_225_600_000
const maxTtl = 390_000
const key = await generateKeyPair('Ed25519')
const me = peerIdFromPrivateKey(key).toMultihash().bytes
const id = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)

const presence = async (seq: number, expires = now + 90_000): Promise<Uint8Array> =>
  await encodeLobbyV2({ t: 'presence', peer: me, name: 'Alice', sizes: [19], ratings: { 19: { mu: 29.396, sigma: 7.171 } }, expires, seq }, key)
const seek = async (seq: number): Promise<Uint8Array> => await encodeLobbyV2({
  t: 'seek', peer: me, id, color: 'random', expires: now + 90_000, seq,
  terms: { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
}, key)
const leave = async (seq: number): Promise<Uint8Array> => await encodeLobbyV2({ t: 'leave', peer: me, seq } as UnsignedLobbyV2Message, key)

/** The reason (and path) a decoder throws with, or 'ok'. */
function reasonOf (f: () => unknown): string {
  try {
    f()
    return 'ok'
  } catch (err) {
    if (err instanceof WireError) return 'path' in err && err.path !== '' ? `${err.reason} at ${String(err.path)}` : err.reason
    throw err
  }
}

/** Every frame of `bytes` cut into chunks of `size`, as a stream may deliver them. */
async function framesOf (bytes: Uint8Array, maxBytes: number, size = 1000): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
  const out: Uint8Array[] = []
  for await (const frame of decodeFrames(chunks, { maxBytes })) out.push(frame)
  return out
}

describe('lobby v2 catch-up request', () => {
  it('round-trips with and without mu', () => {
    expect(decodeSyncRequest(encodeSyncRequest({ size: 9, bucket: -3, mu: -12.5 }))).toEqual({ t: 'sync-request', size: 9, bucket: -3, mu: -12.5 })
    expect(decodeSyncRequest(encodeSyncRequest({ size: 13, bucket: 0 }))).toEqual({ t: 'sync-request', size: 13, bucket: 0 })
  })

  it.each([
    ['a bucket past 1000', { v: 2, t: 'sync-request', size: 9, bucket: 1001 }, 'schema at bucket'],
    ['a fractional bucket', { v: 2, t: 'sync-request', size: 9, bucket: 1.5 }, 'schema at bucket'],
    ['size 7', { v: 2, t: 'sync-request', size: 7, bucket: 0 }, 'schema at size'],
    ['mu past 1000', { v: 2, t: 'sync-request', size: 9, bucket: 0, mu: 1000.5 }, 'schema at mu'],
    ['an extra key', { v: 2, t: 'sync-request', size: 9, bucket: 0, topic: 'x' }, 'schema at topic'],
    ['version 1', { v: 1, t: 'sync-request', size: 9, bucket: 0 }, 'unknown-version'],
    ['an answer sent as a request', { v: 2, t: 'sync-answer', entries: [] }, 'unknown-type at t'],
    ['more than 256 bytes', { v: 2, t: 'sync-request', size: 9, bucket: 0, pad: new Uint8Array(SYNC_REQUEST_MAX_BYTES) }, 'too-large']
  ])('refuses %s', (_name, map, reason) => {
    expect(reasonOf(() => decodeSyncRequest(encodeCanonical(map)))).toBe(reason)
  })
})

describe('lobby v2 catch-up answer', () => {
  it('goes through a stream as one frame, cut anywhere, and its entries are checked on their own', async () => {
    const entries = [await presence(1), await seek(2), await presence(3, now - 1)]
    const { bytes, included } = encodeSyncAnswer([{ t: 'presence', bytes: entries[0] }, { t: 'seek', bytes: entries[1] }, { t: 'presence', bytes: entries[2] }])
    expect(included).toBe(3)
    const frames = await framesOf(encodeFrame(bytes, { maxBytes: SYNC_ANSWER_MAX_BYTES }), SYNC_ANSWER_MAX_BYTES, 7)
    expect(frames).toHaveLength(1)
    const checked = await checkSyncAnswer(frames[0], now, { maxTtl })
    if ('error' in checked) throw checked.error
    expect(checked.answer.presences.map(e => e.message.seq)).toEqual([1])
    expect(checked.answer.seeks.map(e => e.message.seq)).toEqual([2])
    // The expired presence is refused on its own; the others are kept.
    expect(checked.answer.refused.map(r => [r.index, r.error.reason])).toEqual([[2, 'expired']])
    expect(Buffer.from(checked.answer.presences[0].bytes).equals(Buffer.from(entries[0]))).toBe(true)
  })

  it('refuses a frame announced over 512 KiB from its length prefix, before any body arrives', async () => {
    const prefix = encodeFrame(new Uint8Array(SYNC_ANSWER_MAX_BYTES + 1)).subarray(0, 3)
    await expect(framesOf(prefix, SYNC_ANSWER_MAX_BYTES)).rejects.toBeInstanceOf(FrameTooLargeError)
  })

  it('keeps an answer under its limits when there is more to send: 200 presences, 600 seeks, 512 KiB', async () => {
    const p = await presence(1)
    const s = await seek(2)
    const many = encodeSyncAnswer([...Array.from({ length: 250 }, () => ({ t: 'presence' as const, bytes: p })), ...Array.from({ length: 650 }, () => ({ t: 'seek' as const, bytes: s }))])
    expect(many.included).toBe(SYNC_MAX_PRESENCES + SYNC_MAX_SEEKS)
    expect(decodeSyncAnswer(many.bytes).entries).toHaveLength(SYNC_MAX_PRESENCES + SYNC_MAX_SEEKS)
    // Entries of the largest size: the answer stops before it would pass 512 KiB.
    const big = new Uint8Array(4096).fill(1)
    const full = encodeSyncAnswer(Array.from({ length: 200 }, () => ({ t: 'seek' as const, bytes: big })))
    expect(full.bytes.length).toBeLessThanOrEqual(SYNC_ANSWER_MAX_BYTES)
    expect(full.included).toBe(Math.floor((SYNC_ANSWER_MAX_BYTES - 30) / (4096 + 3)))
    expect(decodeSyncAnswer(full.bytes).entries).toHaveLength(full.included)
  })

  it('refuses to encode an entry no receiver would take', () => {
    expect(() => encodeSyncAnswer([{ t: 'seek', bytes: new Uint8Array(4097) }])).toThrow(RangeError)
  })

  it.each([
    ['more than 800 entries', { v: 2, t: 'sync-answer', entries: Array.from({ length: SYNC_MAX_ENTRIES + 1 }, () => Uint8Array.of(1)) }, 'schema at entries'],
    ['an empty entry', { v: 2, t: 'sync-answer', entries: [new Uint8Array(0)] }, 'schema at entries[0]'],
    ['an entry of 4,097 bytes', { v: 2, t: 'sync-answer', entries: [new Uint8Array(4097)] }, 'schema at entries[0]'],
    ['an entry that is not bytes', { v: 2, t: 'sync-answer', entries: [{ v: 2 }] }, 'schema at entries[0]'],
    ['an extra key', { v: 2, t: 'sync-answer', entries: [], more: true }, 'schema at more'],
    ['more than 512 KiB', { v: 2, t: 'sync-answer', entries: Array.from({ length: 130 }, () => new Uint8Array(4096)) }, 'too-large']
  ])('refuses an answer with %s', (_name, map, reason) => {
    expect(reasonOf(() => decodeSyncAnswer(encodeCanonical(map)))).toBe(reason)
  })

  it('refuses the whole answer when a valid entry is not a presence or seek', async () => {
    const bytes = encodeCanonical({ v: 2, t: 'sync-answer', entries: [await presence(1), await leave(2)] })
    const checked = await checkSyncAnswer(bytes, now, { maxTtl })
    expect('error' in checked && `${checked.error.reason} at ${String((checked.error as { path?: string }).path)}`).toBe('schema at entries[1]')
  })

  it('refuses the whole answer when it holds more than 200 valid presences', async () => {
    const p = await presence(1)
    const bytes = encodeCanonical({ v: 2, t: 'sync-answer', entries: Array.from({ length: SYNC_MAX_PRESENCES + 1 }, () => p) })
    const checked = await checkSyncAnswer(bytes, now, { maxTtl })
    expect('error' in checked && `${checked.error.reason} at ${String((checked.error as { path?: string }).path)}`).toBe(`schema at entries[${SYNC_MAX_PRESENCES}]`)
  })

  it('lists junk entries as refused with their reasons, without losing the good ones', async () => {
    const good = await seek(5)
    const badSig = good.slice()
    badSig[badSig.length - 70] ^= 1
    const bytes = encodeCanonical({ v: 2, t: 'sync-answer', entries: [Uint8Array.of(0xff), badSig, good] })
    const checked = await checkSyncAnswer(bytes, now, { maxTtl })
    if ('error' in checked) throw checked.error
    expect(checked.answer.seeks).toHaveLength(1)
    expect(checked.answer.refused.map(r => r.index)).toEqual([0, 1])
    expect(checked.answer.refused[0].error.reason).toBe('not-cbor')
  })
})
