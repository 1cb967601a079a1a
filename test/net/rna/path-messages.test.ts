import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { decodePathMessage, encodePathMessage } from '../../../src/net/rna/path-messages.js'
import { MAX_PATH_DEPTH, PATH_MAX_BYTES } from '../../../src/net/rna/constants.js'
import { WireError } from '../../../src/wire/errors.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'

const rna = CID.parse('bafyreiff2bq5s7x72rahgf7wcsahnahmxfuaphfczpep4lnzkvecx6pfrm')
const peer = new Uint8Array([0, 36, 8, 1, 18, 32, ...new Uint8Array(32).fill(5)])

describe('path protocol messages', () => {
  it.each([
    { t: 'where' as const, rna, depth: 3 },
    { t: 'hop' as const, rna, known: false as const },
    { t: 'hop' as const, rna, known: true as const, at: 1_700_000_000_000, from: peer, path: [{ peer, at: 1 }, { peer, at: 2 }], complete: true },
    { t: 'hop' as const, rna, known: true as const, at: 5 },
    { t: 'busy' as const }
  ])('round-trips $t', m => {
    expect(decodePathMessage(encodePathMessage(m))).toEqual(m)
  })

  it.each([
    ['oversized', new Uint8Array(PATH_MAX_BYTES + 1)],
    ['not CBOR', new Uint8Array([0xff, 0x00])],
    ['a depth past the limit', encodeCanonical({ v: 1, t: 'where', rna, depth: MAX_PATH_DEPTH + 1 })],
    ['an extra key', encodeCanonical({ v: 1, t: 'where', rna, depth: 1, more: 1 })],
    ['an unknown answer carrying a time', encodeCanonical({ v: 1, t: 'hop', rna, known: false, at: 1 })],
    ['a path too long', encodeCanonical({ v: 1, t: 'hop', rna, known: true, at: 1, path: Array.from({ length: MAX_PATH_DEPTH + 2 }, () => ({ peer, at: 1 })) })],
    ['an unknown type', encodeCanonical({ v: 1, t: 'gossip' })],
    ['another version', encodeCanonical({ v: 2, t: 'busy' })]
  ])('refuses %s with a wire error', (_name, bytes) => {
    expect(() => decodePathMessage(bytes)).toThrow(WireError)
  })
})
