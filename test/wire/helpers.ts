import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { cidOf } from '../../src/wire/cid.js'

/** Bytes from hex, with any whitespace (so vectors can be wrapped and spaced for reading). */
export function hex (text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '')
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw new Error(`not hex: ${text}`)
  return Uint8Array.from(Buffer.from(clean, 'hex'))
}

/** Lower-case hex of bytes. */
export function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** A few fixed CIDs to put inside generated values. */
const someCids: CID[] = [cidOf({ a: 1 }), cidOf('x'), CID.parse('QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n')]

/** Values that have a canonical CBOR form: what p2pgo messages are made of. */
export const canonicalValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    // -0 is written as 0, so it would not come back as itself.
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(d => Object.is(d, -0) ? 0 : d),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.constantFrom(...someCids),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), tie('value'), { maxKeys: 5, noNullPrototype: true })
  )
})).value

/** A labelled test vector from a protocol document. */
export interface Vector {
  kind: 'hex' | 'text'
  name: string
  /** The decoder must refuse it with this MalformedMessageError reason. */
  expect?: string
  /** Bytes for hex vectors, the trimmed text for text vectors. */
  value: string
}

/**
 * The vectors in a protocol document: fenced blocks whose info string is `hex NAME` or
 * `text NAME`, optionally followed by `expect=REASON`. Unlabelled blocks are prose.
 */
export function readVectors (markdown: string): Map<string, Vector> {
  const vectors = new Map<string, Vector>()
  for (const m of markdown.matchAll(/^```(hex|text) ([a-z0-9-]+)(?: expect=([a-z-]+))?\n([\s\S]*?)^```$/gm)) {
    const [, kind, name, expect, body] = m
    if (vectors.has(name)) throw new Error(`vector ${name} appears twice`)
    vectors.set(name, { kind: kind as 'hex' | 'text', name, expect, value: kind === 'hex' ? body.replace(/\s+/g, '') : body.trim() })
  }
  return vectors
}
