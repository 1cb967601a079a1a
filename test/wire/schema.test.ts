import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { MalformedMessageError } from '../../src/wire/errors.js'
import { arrayOf, asMap, at, bool, bytes, cid, field, halfNumber, int, noExtraKeys, oneOf, optional, text, uint } from '../../src/wire/schema.js'
import type { Check } from '../../src/wire/schema.js'

const aCid = CID.parse('bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')

/** What a check makes of a value: the value, or the path and message of its schema error. */
function run<T> (check: Check<T>, value: unknown): T | string {
  try {
    return check(value, 'body.x')
  } catch (err) {
    if (err instanceof MalformedMessageError && err.reason === 'schema') return `${err.path}: ${err.message}`
    throw err
  }
}

describe('checks', () => {
  it.each<[string, Check<unknown>, unknown[], unknown[]]>([
    ['uint()', uint(), [0, 1, Number.MAX_SAFE_INTEGER], [-1, 0.5, 2 ** 53, '1', null, NaN]],
    ['uint(19)', uint(19), [0, 19], [20, -1]],
    ['int(-3, 3)', int(-3, 3), [-3, 0, 3], [-4, 4, 1.5]],
    ['text(5)', text(5), ['', 'abcde', 'é', 'éé'], ['abcdef', 'ééé', 5, null]],
    ['text(3) counts UTF-8 bytes', text(3), ['abc', '€'], ['€a', '😀']],
    ['bytes(2)', bytes(2), [Uint8Array.of(1, 2)], [Uint8Array.of(1), Uint8Array.of(1, 2, 3), [1, 2], 'ab']],
    ['bytes({ max: 2 })', bytes({ max: 2 }), [new Uint8Array(0), Uint8Array.of(1, 2)], [Uint8Array.of(1, 2, 3)]],
    ['bytes({ min: 1, max: 2 })', bytes({ min: 1, max: 2 }), [Uint8Array.of(1)], [new Uint8Array(0)]],
    ['oneOf', oneOf('black', 'white', 0, null), ['black', 'white', 0, null], ['Black', 1, undefined, false]],
    ['arrayOf(uint(), 2)', arrayOf(uint(), 2), [[], [1, 2]], [[1, 2, 3], [-1], {}, 'ab']],
    ['bool', bool, [true, false], [0, 1, 'true', null]],
    ['halfNumber', halfNumber, [0, 6.5, 7, -0.5, 375.5], [6.25, 0.1, Infinity, NaN, '6.5', null]],
    ['cid', cid, [aCid], [aCid.bytes, aCid.toString(), {}]]
  ])('%s', (_name, check, good, bad) => {
    for (const value of good) expect(run(check, value)).toEqual(value)
    for (const value of bad) expect(run(check, value)).toMatch(/^body\.x(\[\d+\])*: .*expected/)
  })

  it('names the failing item of an array by index', () => {
    expect(run(arrayOf(arrayOf(uint(18), 2), 10), [[1, 2], [3, 19]])).toMatch(/^body\.x\[1\]\[1\]: .*expected a whole number from 0 to 18, got 19/)
  })

  it('joins paths', () => {
    expect(at('', 'v')).toBe('v')
    expect(at('body', 'komi')).toBe('body.komi')
    expect(at('moves', 3)).toBe('moves[3]')
  })
})

describe('maps', () => {
  const settings = decodeCanonical(encodeCanonical({ size: 19, komi: 6.5, rules: 'japanese' }), { maxBytes: 100 })

  it('reads required and optional fields with their paths', () => {
    const map = asMap(settings, 'body.settings')
    expect(field(map, 'komi', halfNumber, 'body.settings')).toBe(6.5)
    expect(optional(map, 'handicap', uint(9), 'body.settings')).toBeUndefined()
    expect(optional(map, 'size', uint(25), 'body.settings')).toBe(19)
    expect(() => field(map, 'handicap', uint(9), 'body.settings')).toThrow(expect.objectContaining({ reason: 'schema', path: 'body.settings.handicap' }))
    expect(() => field(map, 'rules', oneOf('chinese'), 'body.settings')).toThrow(/body\.settings\.rules.*expected one of "chinese", got "japanese"/)
  })

  it('does not see inherited properties as fields', () => {
    const map = asMap({}, '')
    expect(() => field(map, 'constructor', uint(), '')).toThrow(/constructor: the field is missing/)
    expect(() => field(map, 'toString', uint(), '')).toThrow(/missing/)
  })

  it('refuses unknown keys', () => {
    const map = asMap(settings, 'body.settings')
    expect(() => noExtraKeys(map, ['size', 'komi', 'rules'], 'body.settings')).not.toThrow()
    expect(() => noExtraKeys(map, ['size', 'komi'], 'body.settings')).toThrow(expect.objectContaining({ path: 'body.settings.rules' }))
  })

  it.each<[string, unknown]>([
    ['an array', []],
    ['bytes', new Uint8Array(0)],
    ['a CID', aCid],
    ['null', null],
    ['text', 'a']
  ])('refuses %s as a map', (_name, value) => {
    expect(() => asMap(value, 'body')).toThrow(/body: .*expected a map/)
  })
})
