import { describe, expect, it } from 'vitest'
import { decodeCacheFile, encodeCacheFile, type StoredEntry } from '../../../src/net/peer-cache/cache-file.js'
import { MAX_ENTRIES, MAX_FILE_BYTES, MAX_RECORD_BYTES } from '../../../src/net/peer-cache/constants.js'
import { PeerCacheFileError } from '../../../src/net/peer-cache/errors.js'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const good: StoredEntry = { record: new Uint8Array([10, 20, 30, 40]), lastWorked: 1_800_000_000_000, failures: 1, p2pgo: true }
const goodJson = { record: Buffer.from(good.record).toString('base64'), lastWorked: good.lastWorked, failures: 1, p2pgo: true }

describe('peer cache file', () => {
  it('round-trips its entries', () => {
    expect(decodeCacheFile(bytes(encodeCacheFile([good, { ...good, p2pgo: false, failures: 0 }])))).toEqual({ entries: [good, { ...good, p2pgo: false, failures: 0 }], dropped: 0 })
  })

  it.each([
    ['too-large', new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20)],
    ['not-json', new Uint8Array([0xff, 0xfe, 0x00])],
    ['not-json', bytes('{"version": 1, "peers": [')],
    ['wrong-shape', bytes('[1, 2]')],
    ['wrong-shape', bytes('null')],
    ['wrong-version', bytes('{"peers": []}')],
    ['wrong-version', bytes('{"version": 2, "peers": []}')],
    ['wrong-shape', bytes('{"version": 1, "peers": {}}')]
  ])('refuses a file that is not a peer cache: %s', (reason, content) => {
    expect(() => decodeCacheFile(content)).toThrow(PeerCacheFileError)
    try { decodeCacheFile(content) } catch (err) { expect((err as PeerCacheFileError).reason).toBe(reason) }
  })

  it.each([
    ['not an object', 'x'],
    ['no record', { ...goodJson, record: undefined }],
    ['a record that is not base64', { ...goodJson, record: 'not base64!' }],
    ['an empty record', { ...goodJson, record: '' }],
    ['a record over the size limit', { ...goodJson, record: Buffer.alloc(MAX_RECORD_BYTES + 3).toString('base64') }],
    ['a time that is not a number', { ...goodJson, lastWorked: 'yesterday' }],
    ['a negative time', { ...goodJson, lastWorked: -1 }],
    ['failures that are not a count', { ...goodJson, failures: 1.5 }],
    ['failures beyond the bound', { ...goodJson, failures: 1000 }],
    ['no p2pgo flag', { ...goodJson, p2pgo: 'yes' }]
  ])('drops an entry with %s and keeps the others', (_what, bad) => {
    expect(decodeCacheFile(bytes(JSON.stringify({ version: 1, peers: [bad, goodJson] })))).toEqual({ entries: [good], dropped: 1 })
  })

  it('keeps at most the bound of entries from a file that holds more', () => {
    const decoded = decodeCacheFile(bytes(JSON.stringify({ version: 1, peers: Array.from({ length: MAX_ENTRIES + 5 }, () => goodJson) })))
    expect(decoded.entries).toHaveLength(MAX_ENTRIES)
    expect(decoded.dropped).toBe(5)
  })
})
