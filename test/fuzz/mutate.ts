// Mutations that turn valid messages into hostile ones: on the decoded value (wrong types,
// missing and extra fields, huge numbers, deep nesting) and on the encoded bytes (bit flips,
// cuts, splices, CBOR heads whose length claims 2^32 or 2^64 items). Inputs stay small: every
// generator here is bounded, so a decoder that allocates by a claimed length is caught by the
// harness's allocation budget, not by an input that was large to begin with.
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf } from '../../src/wire/cid.js'

/** A few CIDs to put where any value may go. */
const someCids = [cidOf({ a: 1 }), cidOf('x'), CID.parse('QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n')]

/** CBOR heads and items that decoders must refuse or bound: huge lengths, indefinite forms, odd tags and floats. */
export const hostileCbor: readonly Uint8Array[] = [
  '9b ffffffffffffffff', // array of 2^64 - 1 items
  '9a ffffffff', // array of 2^32 - 1 items
  'bb ffffffffffffffff', // map of 2^64 - 1 pairs
  'ba ffffffff',
  '5b ffffffffffffffff', // byte string of 2^64 - 1 bytes
  '5a ffffffff',
  '7b 7fffffffffffffff', // text of 2^63 - 1 bytes
  '7a ffffffff',
  '9f', '5f', '7f', 'bf', 'ff', // indefinite lengths and a stray break
  '1b ffffffffffffffff', // uint 2^64 - 1
  '3b ffffffffffffffff', // nint -2^64
  '1b 0020000000000000', // 2^53, past safe integers
  'c2 49 010000000000000000', // a bignum
  'd8 2a 40', // tag 42 over nothing
  'd8 2a 45 0001711220', // tag 42 over a cut CID
  'd9 ffff 00', // an unknown tag
  'f9 7e00', 'f9 7c00', 'f9 fc00', 'fb 8000000000000000', // NaN, ±Infinity, -0
  'f7', 'f8 ff', // undefined, simple 255
  '62 c328', // invalid UTF-8
  '63 eda080' // a lone surrogate in UTF-8
].map(h => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex')))

/** `depth` nested one-item arrays around a zero: deeper than any decoder's limit. */
export function deepArray (depth: number): Uint8Array {
  const out = new Uint8Array(depth + 1).fill(0x81)
  out[depth] = 0
  return out
}

/** `depth` arrays, each holding the next: deeper than any decoder's limit once encoded. */
function nested (depth: number): unknown {
  let v: unknown = []
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

/** Values that break a schema: wrong types, edge numbers, long or odd text, deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null, true, false, 0, -1, 1, 0.5, -0.5, 1.5, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 60, 1e300, -1e300, 5e-324,
    '', ' ', '\u0000', '\u001b[2J', '\u009b', 'x'.repeat(600), '𝕏'.repeat(300), 'é'.repeat(200),
    new Uint8Array(0), new Uint8Array(63), new Uint8Array(65), new Uint8Array(16), new Uint8Array(8),
    [], {}, nested(40), { a: { b: { c: {} } } },
    ...someCids
  ),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(d => Object.is(d, -0) ? 0 : d),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.uint8Array({ maxLength: 80 }),
  fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 8 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3, noNullPrototype: true })
)

type Plain = Record<string, unknown>

function isContainer (v: unknown): v is Plain | unknown[] {
  return Array.isArray(v) || (typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && CID.asCID(v) == null)
}

/** A copy of the containers along the way (leaves shared): mutations never touch the generator's value. */
function copy (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy)
  if (isContainer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]))
  return v
}

/** How one value is broken at one place. */
export interface ValueEdit {
  /** Choices of child at each level, taken modulo the container's size; the walk stops at a leaf. */
  readonly steps: readonly number[]
  readonly op: 'delete' | 'replace' | 'add' | 'wrap'
  readonly value: unknown
  readonly key: string
}

export const valueEdit: fc.Arbitrary<ValueEdit> = fc.record({
  steps: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  op: fc.constantFrom('delete', 'replace', 'replace', 'add', 'wrap'),
  value: nastyValue,
  key: fc.oneof(fc.constantFrom('v', 't', 'sig', 'zz', '__proto__', 'constructor', 'kind', 'tc'), fc.string({ maxLength: 6 }))
})

/** The value with one edit made at the place `steps` leads to. */
export function applyEdit (value: unknown, edit: ValueEdit): unknown {
  const root = copy(value)
  if (!isContainer(root)) return edit.value
  let parent: Plain | unknown[] = root
  for (const [i, step] of edit.steps.entries()) {
    const keys = Array.isArray(parent) ? parent.map((_, j) => j) : Object.keys(parent)
    if (keys.length === 0) break
    const key = keys[step % keys.length]
    const child = (parent as Plain)[key as string]
    const last = i === edit.steps.length - 1 || !isContainer(child)
    if (!last) {
      parent = child as Plain | unknown[]
      continue
    }
    if (edit.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete parent[key as string]
    } else if (edit.op === 'replace') {
      (parent as Plain)[key as string] = edit.value
    } else if (edit.op === 'wrap') {
      (parent as Plain)[key as string] = [child]
    } else if (Array.isArray(parent)) {
      parent.push(edit.value)
    } else {
      // defineProperty, so a key named __proto__ becomes a real map key as a peer would send it.
      Object.defineProperty(parent, edit.key, { value: edit.value, enumerable: true, writable: true, configurable: true })
    }
    break
  }
  return root
}

/** Canonical CBOR of a value, or undefined when it has none (a mutation may make one). */
export function tryEncode (value: unknown): Uint8Array | undefined {
  try {
    return encodeCanonical(value)
  } catch {
    return undefined
  }
}

/** How the bytes are broken. */
interface ByteEdit {
  readonly op: 'flip' | 'set' | 'insert' | 'delete' | 'cut' | 'dup' | 'splice-head' | 'append'
  readonly at: number
  readonly len: number
  readonly byte: number
  readonly bytes: Uint8Array
  readonly head: number
}

const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({
  op: fc.constantFrom('flip', 'flip', 'set', 'insert', 'delete', 'cut', 'dup', 'splice-head', 'splice-head', 'append'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 64 }),
  byte: fc.integer({ min: 0, max: 255 }),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  head: fc.nat(hostileCbor.length - 1)
})

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

function applyByteEdit (data: Uint8Array, e: ByteEdit): Uint8Array {
  const at = data.length === 0 ? 0 : e.at % data.length
  switch (e.op) {
    case 'flip': {
      const out = data.slice()
      if (out.length > 0) out[at] ^= 1 << (e.byte % 8)
      return out
    }
    case 'set': {
      const out = data.slice()
      if (out.length > 0) out[at] = e.byte
      return out
    }
    case 'insert': return concat(data.subarray(0, at), e.bytes, data.subarray(at))
    case 'delete': return concat(data.subarray(0, at), data.subarray(at + e.len))
    case 'cut': return data.slice(0, at)
    case 'dup': return concat(data.subarray(0, at + e.len), data.subarray(at, at + e.len), data.subarray(at + e.len))
    // Replaces the item head at `at` with a hostile one: a length claim, an indefinite form, a tag.
    case 'splice-head': return concat(data.subarray(0, at), hostileCbor[e.head], data.subarray(at + 1))
    case 'append': return concat(data, e.bytes)
  }
}

/** Valid bytes broken by one to four byte edits. */
export function mutatedBytes (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.array(byteEdit, { minLength: 1, maxLength: 4 }))
    .map(([data, edits]) => edits.reduce(applyByteEdit, data))
}

/** A valid value broken by one or two value edits, then encoded (edits with no encoding fall back to the valid bytes). */
export function mutatedValue (valid: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.array(valueEdit, { minLength: 1, maxLength: 2 }))
    .map(([value, edits]) => {
      const broken = edits.reduce(applyEdit, value)
      return tryEncode(broken) ?? tryEncode(value) ?? new Uint8Array(0)
    })
}

/** Bytes for a decoder with limit `maxBytes`: valid ones, broken ones, random ones and oversize ones. */
export function hostileBytes (valid: fc.Arbitrary<unknown>, maxBytes: number, seeds: readonly Uint8Array[] = []): fc.Arbitrary<Uint8Array> {
  const encoded = valid.map(v => tryEncode(v) ?? new Uint8Array(0))
  const validBytes = seeds.length > 0 ? fc.oneof(encoded, fc.constantFrom(...seeds)) : encoded
  return fc.oneof(
    { arbitrary: validBytes, weight: 1 },
    { arbitrary: mutatedValue(valid), weight: 4 },
    { arbitrary: mutatedBytes(validBytes), weight: 4 },
    { arbitrary: fc.uint8Array({ maxLength: Math.min(maxBytes, 512) }), weight: 1 },
    { arbitrary: fc.constantFrom(...hostileCbor, deepArray(40), deepArray(2000)), weight: 1 },
    // Just over the limit: refused by size before anything is decoded.
    { arbitrary: fc.integer({ min: maxBytes + 1, max: maxBytes + 64 }).map(n => new Uint8Array(n).fill(0x81)), weight: 1 }
  )
}
