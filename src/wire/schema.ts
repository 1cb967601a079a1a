import { CID } from 'multiformats/cid'
import { MalformedMessageError } from './errors.js'

/** A decoded CBOR map: text keys to values. */
export type CborMap = Readonly<Record<string, unknown>>

/** A validator: the value with its type, or MalformedMessageError('schema') naming `path`. */
export type Check<T> = (value: unknown, path: string) => T

/** The path of a map key or array index below `path`: `body` + `komi` is `body.komi`. */
export function at (path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path === '' ? key : `${path}.${key}`
}

/** How a value looks, for error messages: numbers and short text are shown, the rest named. */
function describe (value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string') return value.length <= 32 ? JSON.stringify(value) : `text of ${value.length} characters`
  if (value instanceof Uint8Array) return `${value.length} bytes`
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (CID.asCID(value) != null) return 'a CID'
  if (typeof value === 'object') return 'a map'
  return typeof value
}

function fail (path: string, expected: string, value: unknown): never {
  throw new MalformedMessageError('schema', path, `expected ${expected}, got ${describe(value)}`)
}

/** The value as a map (not an array, bytes or CID), or a schema error. */
export function asMap (value: unknown, path: string): CborMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || CID.asCID(value) != null) {
    fail(path, 'a map', value)
  }
  return value as CborMap
}

/** A required field of a map, checked. Own keys only, so `constructor` or `__proto__` mean nothing. */
export function field<T> (map: CborMap, key: string, check: Check<T>, path: string): T {
  if (!Object.hasOwn(map, key)) {
    throw new MalformedMessageError('schema', at(path, key), 'the field is missing')
  }
  return check(map[key], at(path, key))
}

/** An optional field of a map: undefined when absent, checked when present. */
export function optional<T> (map: CborMap, key: string, check: Check<T>, path: string): T | undefined {
  return Object.hasOwn(map, key) ? check(map[key], at(path, key)) : undefined
}

/** Refuses keys outside `allowed`: a signed message must not carry meaning no one checked. */
export function noExtraKeys (map: CborMap, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(map)) {
    if (!allowed.includes(key)) {
      throw new MalformedMessageError('schema', at(path, key), 'the field is not part of this message')
    }
  }
}

/** A whole number from 0 to `max` (at most 2^53 - 1). */
export function uint (max: number = Number.MAX_SAFE_INTEGER): Check<number> {
  return int(0, max)
}

/** A whole number from `min` to `max`, both included. */
export function int (min: number, max: number): Check<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      fail(path, `a whole number from ${min} to ${max}`, value)
    }
    return value
  }
}

const utf8 = new TextEncoder()

/** Text of at most `maxBytes` bytes of UTF-8 (the size on the wire, not the characters shown). */
export function text (maxBytes: number): Check<string> {
  return (value, path) => {
    if (typeof value !== 'string') fail(path, 'text', value)
    // Each UTF-16 unit is at most 3 UTF-8 bytes, so short text skips the encode.
    if (value.length * 3 > maxBytes && utf8.encode(value).length > maxBytes) {
      fail(path, `text of at most ${maxBytes} bytes`, value)
    }
    return value
  }
}

/** A byte string of exactly `length` bytes, or of at most `max` (and at least `min`) bytes. */
export function bytes (length: number | { min?: number, max: number }): Check<Uint8Array> {
  const min = typeof length === 'number' ? length : length.min ?? 0
  const max = typeof length === 'number' ? length : length.max
  const expected = min === max ? `${max} bytes` : `${min} to ${max} bytes`
  return (value, path) => {
    if (!(value instanceof Uint8Array) || value.length < min || value.length > max) fail(path, expected, value)
    return value
  }
}

/** One of the given literal values (compared with `===`). */
export function oneOf<const L extends ReadonlyArray<string | number | boolean | null>> (...literals: L): Check<L[number]> {
  const expected = `one of ${literals.map(l => JSON.stringify(l)).join(', ')}`
  return (value, path) => {
    if (!literals.includes(value as L[number])) fail(path, expected, value)
    return value as L[number]
  }
}

/** An array of at most `maxLength` items, each checked at `path[i]`. */
export function arrayOf<T> (check: Check<T>, maxLength: number): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) fail(path, 'an array', value)
    if (value.length > maxLength) fail(path, `an array of at most ${maxLength}`, value)
    return value.map((item, i) => check(item, at(path, i)))
  }
}

/** true or false. */
export const bool: Check<boolean> = (value, path) => {
  if (typeof value !== 'boolean') fail(path, 'true or false', value)
  return value
}

/** A finite number that is a multiple of 0.5, such as a komi of 6.5 or -0.5. */
export const halfNumber: Check<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value * 2)) {
    fail(path, 'a multiple of 0.5', value)
  }
  return value
}

/** A CID (CBOR tag 42). */
export const cid: Check<CID> = (value, path) => {
  const c = CID.asCID(value)
  if (c == null) fail(path, 'a CID', value)
  return c
}
