import { Tagged } from 'cborg'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { FrameTooLargeError, MalformedMessageError, WireError } from '../../src/wire/errors.js'
import { canonicalValue, hex, toHex } from './helpers.js'

const limits = { maxBytes: 4096 }
const aCid = CID.parse('bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
const cidV0 = CID.parse('QmS4ustL54uo8FzR9455qaxZwuMiUhyvMcX9Ba8nUH4uVv')

/** The reason a decode was refused, or 'ok'. */
function outcome (bytes: Uint8Array, maxBytes = limits.maxBytes): string {
  try {
    decodeCanonical(bytes, { maxBytes })
    return 'ok'
  } catch (err) {
    if (err instanceof WireError) return err.reason
    throw err
  }
}

describe('encodeCanonical', () => {
  it.each<[string, unknown, string]>([
    ['small uint in the head', 23, '17'],
    ['uint one byte', 24, '1818'],
    ['uint two bytes', 256, '190100'],
    ['negative', -1, '20'],
    ['negative one byte', -25, '3818'],
    ['komi 6.5 as a half float', 6.5, 'f94680'],
    ['0.5 as a half float', 0.5, 'f93800'],
    ['a float that needs single precision', 100000.5, 'fa47c35040'],
    ['a float that needs double precision', 0.1, 'fb3fb999999999999a'],
    ['a whole float is an integer', 6.0, '06'],
    ['-0 is the integer 0', -0, '00'],
    ['an integer past 2^53 is a float', 2 ** 60, 'fa5d800000'],
    ['empty text', '', '60'],
    ['text', 'go', '62676f'],
    ['bytes', Uint8Array.of(1, 2, 3), '43010203'],
    ['null', null, 'f6'],
    ['true', true, 'f5'],
    ['empty array', [], '80'],
    ['empty map', {}, 'a0'],
    ['keys shorter first, then bytewise', { bb: 1, a: 2, c: 3 }, 'a3616102616303626262' + '01'],
    ['a CID as tag 42 with a 0x00 byte', aCid, 'd82a58250001711220c7d01489080858c500065836c658f847a6ca67c4864619212be4f8200e4bbace'],
    ['a null-prototype object is a map', Object.assign(Object.create(null), { a: 1 }), 'a1616101']
  ])('%s', (_name, value, expected) => {
    expect(toHex(encodeCanonical(value))).toBe(expected)
  })

  class Point { x = 1 }
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['an undefined field', { a: undefined }],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a bigint', 1n],
    ['a Map', new Map([['a', 1]])],
    ['a tagged value', new Tagged(1, 'x')],
    ['a Date', new Date(0)],
    ['a class instance', new Point()],
    ['a lone surrogate', 'a\ud800b'],
    ['a function', () => 1]
  ])('refuses %s with a TypeError', (_name, value) => {
    expect(() => encodeCanonical(value)).toThrow(TypeError)
  })

  it('writes every komi the game allows (|komi| <= 1000, halves) as a half float or small int', () => {
    for (let k = -2000; k <= 2000; k++) {
      const bytes = encodeCanonical(k / 2)
      expect(bytes.length).toBeLessThanOrEqual(3)
      if (k % 2 !== 0) expect(bytes[0]).toBe(0xf9)
    }
  })

  it('writes a well-formed surrogate pair as UTF-8', () => {
    expect(toHex(encodeCanonical('😀'))).toBe('64f09f9880')
  })
})

describe('decodeCanonical', () => {
  it('round-trips every value that has a canonical form, to the same bytes', () => {
    fc.assert(fc.property(canonicalValue, value => {
      const bytes = encodeCanonical(value)
      const back = decodeCanonical(bytes, { maxBytes: bytes.length })
      expect(back).toEqual(value)
      expect(encodeCanonical(back)).toEqual(bytes)
    }), { numRuns: 500 })
  })

  it('checks the size before decoding: exact at the limit, refused one byte over', () => {
    const bytes = encodeCanonical('x'.repeat(100))
    expect(decodeCanonical(bytes, { maxBytes: bytes.length })).toBe('x'.repeat(100))
    expect(() => decodeCanonical(bytes, { maxBytes: bytes.length - 1 })).toThrow(FrameTooLargeError)
    // Garbage over the limit is refused for its size, not its content: nothing was decoded.
    const err = (() => { try { decodeCanonical(hex('ff'.repeat(11)), { maxBytes: 10 }) } catch (e) { return e } })()
    expect(err).toBeInstanceOf(FrameTooLargeError)
    expect(err).toMatchObject({ size: 11, limit: 10, reason: 'too-large' })
  })

  it.each<[string, string, string]>([
    // cborg's strict decoder refuses these outright.
    ['nothing at all', '', 'not-cbor'],
    ['a uint in two bytes that fits in one', '1817', 'not-cbor'],
    ['a uint in three bytes that fits in two', '1900ff', 'not-cbor'],
    ['a negative int longer than needed', '3817', 'not-cbor'],
    ['a byte string length longer than needed', '5801ff', 'not-cbor'],
    ['a text length longer than needed', '780161', 'not-cbor'],
    ['an array length longer than needed', '980100', 'not-cbor'],
    ['a map length longer than needed', 'b801616101', 'not-cbor'],
    ['an indefinite array', '9f01ff', 'not-cbor'],
    ['an indefinite map', 'bf616101ff', 'not-cbor'],
    ['an indefinite byte string', '5f4101ff', 'not-cbor'],
    ['an indefinite text string', '7f616161ff', 'not-cbor'],
    ['a lone break', 'ff', 'not-cbor'],
    ['undefined', 'f7', 'not-cbor'],
    ['undefined as a field', 'a16161f7', 'not-cbor'],
    ['NaN (half)', 'f97e00', 'not-cbor'],
    ['NaN (double)', 'fb7ff8000000000000', 'not-cbor'],
    ['Infinity', 'f97c00', 'not-cbor'],
    ['-Infinity', 'f9fc00', 'not-cbor'],
    ['a simple value', 'f0', 'not-cbor'],
    ['a one-byte simple value', 'f820', 'not-cbor'],
    ['an integer past 2^53', '1b0020000000000001', 'not-cbor'],
    ['a duplicate map key', 'a2616101616102', 'not-cbor'],
    ['an integer map key', 'a10102', 'not-cbor'],
    ['a tag other than 42 (date)', 'c06161', 'not-cbor'],
    ['a bignum tag', 'c2420100', 'not-cbor'],
    ['tag 42 written in two bytes', 'd9002a' + '58250001711220c7d01489080858c500065836c658f847a6ca67c4864619212be4f8200e4bbace', 'not-cbor'],
    ['trailing bytes', '0000', 'not-cbor'],
    ['a truncated array', '8201', 'not-cbor'],
    ['a truncated text', '626f', 'not-cbor'],
    // They decode, but re-encoding gives other bytes.
    ['keys out of order', 'a2617601617402', 'not-canonical'],
    ['longer key first', 'a262626201616102', 'not-canonical'],
    ['6.5 as a double', 'fb401a000000000000', 'not-canonical'],
    ['6.5 as a single', 'fa40d00000', 'not-canonical'],
    ['a whole number as a float', 'f94600', 'not-canonical'],
    ['-0', 'f98000', 'not-canonical'],
    ['invalid UTF-8', '62c328', 'not-canonical'],
    // CIDs.
    ['tag 42 around text', 'd82a6161', 'bad-cid'],
    ['tag 42 without the 0x00 byte', 'd82a582401711220c7d01489080858c500065836c658f847a6ca67c4864619212be4f8200e4bbace', 'bad-cid'],
    ['tag 42 around a truncated CID', 'd82a45000171122001', 'bad-cid'],
    ['tag 42 around just 0x00', 'd82a4100', 'bad-cid'],
    // Depth.
    ['33 nested arrays', '81'.repeat(33) + '00', 'too-deep'],
    ['33 nested maps', 'a16161'.repeat(33) + '00', 'too-deep']
  ])('refuses %s', (_name, input, reason) => {
    expect(outcome(hex(input))).toBe(reason)
  })

  it.each<[string, string, unknown]>([
    ['32 nested arrays', '81'.repeat(32) + '00', JSON.parse('['.repeat(32) + '0' + ']'.repeat(32))],
    ['a CID', 'd82a58250001711220c7d01489080858c500065836c658f847a6ca67c4864619212be4f8200e4bbace', aCid],
    ['a CIDv0 inside tag 42', 'd82a5823' + '00' + toHex(cidV0.bytes), cidV0],
    ['a __proto__ key, as plain data', 'a1695f5f70726f746f5f5f01', JSON.parse('{"__proto__":1}')]
  ])('accepts %s', (_name, input, expected) => {
    expect(decodeCanonical(hex(input), limits)).toEqual(expected)
  })

  it('decodes a Buffer to plain, unshared Uint8Arrays', () => {
    const input = Buffer.from(encodeCanonical({ b: Uint8Array.of(1, 2, 3) }))
    const value = decodeCanonical(input, limits) as { b: Uint8Array }
    expect(value.b.constructor).toBe(Uint8Array)
    input.fill(0)
    expect([...value.b]).toEqual([1, 2, 3])
    expect(encodeCanonical('x'.repeat(5000)).constructor).toBe(Uint8Array)
  })

  it('keeps a __proto__ key as an own field, not a prototype', () => {
    const value = decodeCanonical(hex('a1695f5f70726f746f5f5f01'), limits) as object
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.hasOwn(value, '__proto__')).toBe(true)
  })

  it('honours a custom depth limit', () => {
    expect(() => decodeCanonical(hex('818100'), { maxBytes: 10, maxDepth: 1 })).toThrow(/nests too deeply/)
    expect(decodeCanonical(hex('8100'), { maxBytes: 10, maxDepth: 1 })).toEqual([0])
  })

  it('refuses a hostile run of nested headers as the full limit allows, without a stack overflow', () => {
    expect(outcome(new Uint8Array(65536).fill(0x81), 65536)).toBe('too-deep')
  })

  it('reports where it fails in plain words', () => {
    expect(() => decodeCanonical(hex('a2617601617402'), limits)).toThrow(new MalformedMessageError('not-canonical'))
    expect(() => decodeCanonical(hex('1817'), limits)).toThrow(/integer encoded in more bytes than necessary/)
  })

  it('on any bytes returns a canonical value or throws a WireError, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
      try {
        const value = decodeCanonical(bytes, { maxBytes: 256 })
        expect(encodeCanonical(value)).toEqual(bytes)
      } catch (err) {
        if (!(err instanceof WireError)) throw err
      }
    }), { numRuns: 5000 })
  })

  it('on valid messages with a byte changed returns a canonical value or throws a WireError', () => {
    const mutated = canonicalValue.map(encodeCanonical).chain(bytes => fc.tuple(
      fc.constant(bytes),
      fc.nat({ max: bytes.length - 1 }),
      fc.integer({ min: 0, max: 255 })
    ))
    fc.assert(fc.property(mutated, ([bytes, at, byte]) => {
      const copy = bytes.slice()
      copy[at] = byte
      try {
        const value = decodeCanonical(copy, limits)
        expect(encodeCanonical(value)).toEqual(copy)
      } catch (err) {
        if (!(err instanceof WireError)) throw err
      }
    }), { numRuns: 2000 })
  })
})
