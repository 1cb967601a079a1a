import { decode, encode, Token, Tokenizer, Type } from 'cborg'
import { CID } from 'multiformats/cid'
import { FrameTooLargeError, MalformedMessageError, WireError } from './errors.js'
import type { DecodeOptions, EncodeOptions, TagDecodeControl } from 'cborg'

/** The CBOR tag for a CID, as in DAG-CBOR: tag 42 over a byte string `0x00 ‖ CID bytes`. */
export const CID_TAG = 42

/**
 * How deeply maps, arrays and tags may nest. p2pgo messages need fewer than ten levels; the
 * limit keeps a hostile run of nested array headers from exhausting the stack in the decoder.
 */
export const DEFAULT_MAX_DEPTH = 32

/** Limits every decoder is given; `maxBytes` is the protocol's own, there is no default. */
export interface DecodeLimits {
  /** Inputs longer than this are refused before any decoding. */
  maxBytes: number
  /** Deepest nesting of maps, arrays and tags accepted; `DEFAULT_MAX_DEPTH` when absent. */
  maxDepth?: number
}

/** Refuses, at encode time, the values that have no single canonical encoding in p2pgo. */
function refuse (what: string, instead: string): never {
  throw new TypeError(`cannot encode ${what} canonically: ${instead}`)
}

// With the u flag a valid surrogate pair is one code point, so only unpaired halves match.
const loneSurrogate = /\p{Surrogate}/u

const encodeOptions: EncodeOptions = {
  // Default map sorter (RFC 7049 length-first, as DAG-CBOR) and smallest exact floats are kept.
  typeEncoders: {
    undefined: () => refuse('undefined', 'omit the field'),
    // A lone surrogate has no UTF-8 form: cborg would write U+FFFD and sign other text than shown.
    string: (s: string) => loneSurrogate.test(s) ? refuse('text with a lone surrogate', 'use well-formed Unicode') : null,
    number: (n: number) => Number.isFinite(n) ? null : refuse(String(n), 'only finite numbers have a CBOR form here'),
    // Small bigints would come back as numbers and big ones are refused on decode: one kind only.
    bigint: () => refuse('a bigint', 'use a safe integer'),
    // A Map with non-text keys cannot be decoded; one map representation keeps one encoding.
    Map: () => refuse('a Map', 'use a plain object'),
    Tagged: () => refuse('a tagged value', 'only CIDs are tagged'),
    Object: (obj: object) => {
      const cid = CID.asCID(obj)
      if (cid != null) {
        const content = new Uint8Array(cid.bytes.length + 1)
        content.set(cid.bytes, 1)
        return [new Token(Type.tag, CID_TAG), new Token(Type.bytes, content)]
      }
      const proto = Object.getPrototypeOf(obj)
      // A class instance would be flattened to its own fields and come back as a plain object.
      if (proto !== Object.prototype && proto !== null) {
        refuse(`an instance of ${String(proto?.constructor?.name ?? 'a class')}`, 'use a plain object')
      }
      return null
    }
  }
}

/**
 * Encodes a value as canonical CBOR: text-keyed maps sorted length-first then bytewise,
 * integers and lengths in their shortest form, floats in the shortest of half, single or
 * double precision that holds the value exactly (6.5 is `f9 4680`), definite lengths only,
 * CIDs as tag 42. Throws TypeError for undefined, NaN, ±Infinity, bigint, Map, class instances
 * and text with lone surrogates. -0 is written as the integer 0.
 */
export function encodeCanonical (value: unknown): Uint8Array {
  try {
    return plain(encode(value, encodeOptions))
  } catch (err) {
    if (err instanceof TypeError) throw err
    throw new TypeError(`cannot encode canonically: ${(err as Error).message}`)
  }
}

/** Tag 42: a CID behind a 0x00 byte (the old multibase "identity" prefix DAG-CBOR keeps). */
function decodeCidTag (decodeContent: TagDecodeControl): CID {
  const content = decodeContent()
  if (!(content instanceof Uint8Array) || content.length < 2 || content[0] !== 0) {
    throw new MalformedMessageError('bad-cid', '', 'tag 42 must hold a byte string starting with 0x00')
  }
  try {
    // Copied so the CID does not pin, or change with, the caller's receive buffer.
    return CID.decode(content.slice(1))
  } catch (err) {
    throw new MalformedMessageError('bad-cid', '', (err as Error).message)
  }
}

const strictDecodeOptions: DecodeOptions = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowNaN: false,
  allowInfinity: false,
  allowBigInt: false,
  rejectDuplicateMapKeys: true,
  useMaps: false,
  tags: { [CID_TAG]: decodeCidTag }
}

type CborTokenizer = NonNullable<DecodeOptions['tokenizer']>

/**
 * cborg's tokenizer with a nesting limit. cborg decodes recursively, so the depth has to be
 * bounded while tokens are read, before a deep input reaches the recursion. Each open
 * container keeps the count of items it still expects; a finished item closes every container
 * whose count it brings to zero.
 */
class DepthLimitedTokenizer implements CborTokenizer {
  private readonly inner: Tokenizer
  private readonly maxDepth: number
  private readonly open: number[] = []

  constructor (data: Uint8Array, options: DecodeOptions, maxDepth: number) {
    this.inner = new Tokenizer(data, options)
    this.maxDepth = maxDepth
  }

  done (): boolean { return this.inner.done() }
  pos (): number { return this.inner.pos() }

  next (): Token {
    const token = this.inner.next()
    const items = Type.equals(token.type, Type.array)
      ? token.value as number
      : Type.equals(token.type, Type.map)
        ? 2 * (token.value as number)
        : Type.equals(token.type, Type.tag) ? 1 : 0
    if (items > 0) {
      this.open.push(items)
      if (this.open.length > this.maxDepth) {
        throw new MalformedMessageError('too-deep', '', `more than ${this.maxDepth} levels`)
      }
      return token
    }
    // A leaf or an empty container completes one item of each container it finishes.
    while (this.open.length > 0) {
      const last = this.open.length - 1
      this.open[last]--
      if (this.open[last] > 0) break
      this.open.pop()
    }
    return token
  }
}

/**
 * Decodes canonical CBOR, strictly: the size is checked first (FrameTooLargeError), then the
 * bytes must decode with no indefinite lengths, undefined, NaN, ±Infinity, bigints, duplicate
 * or non-text map keys, tags other than CIDs, or trailing bytes, and must re-encode to exactly
 * the same bytes (MalformedMessageError 'not-canonical'), so each value has one byte form.
 */
export function decodeCanonical (bytes: Uint8Array, limits: DecodeLimits): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeCanonical needs a Uint8Array')
  if (bytes.byteLength > limits.maxBytes) throw new FrameTooLargeError(bytes.byteLength, limits.maxBytes)
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH
  // cborg copies byte strings out with `slice`, which on a Buffer would return a view instead.
  const data = plain(bytes)
  let value: unknown
  try {
    value = decode(data, { ...strictDecodeOptions, tokenizer: new DepthLimitedTokenizer(data, strictDecodeOptions, maxDepth) })
  } catch (err) {
    if (err instanceof WireError) throw err
    throw new MalformedMessageError('not-cbor', '', stripPrefix((err as Error).message))
  }
  let again: Uint8Array
  try {
    again = encodeCanonical(value)
  } catch (err) {
    throw new MalformedMessageError('not-canonical', '', (err as Error).message)
  }
  if (!sameBytes(again, bytes)) {
    // Catches what cborg cannot check while decoding: key order, float width, -0, invalid UTF-8.
    throw new MalformedMessageError('not-canonical')
  }
  return value
}

/** Byte-wise equality, native (a whole mRNA is ~60 KB; multiformats' `equals` compares in a JS loop). */
function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

/**
 * The same bytes as a plain Uint8Array. In Node cborg may return a Buffer, whose `slice` shares
 * memory where a Uint8Array's copies, and which tests and callers would not expect.
 */
function plain (bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** cborg prefixes its messages with "CBOR decode error:", which our own message already says. */
function stripPrefix (message: string): string {
  return message.replace(/^CBOR decode error:\s*/, '')
}
