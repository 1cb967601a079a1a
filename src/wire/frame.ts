import { Uint8ArrayList } from 'uint8arraylist'
import { FrameTooLargeError, MalformedMessageError } from './errors.js'

/** Longest length prefix accepted: the unsigned-varint spec's 9 bytes (63 bits). */
export const MAX_PREFIX_BYTES = 9

/** The receiver's limit on one frame's body, in bytes (the prefix not counted). */
export interface FrameLimits {
  maxBytes: number
}

/** A chunk as a libp2p 3 stream yields it. */
export type Chunk = Uint8Array | Uint8ArrayList

/** The unsigned varint (LEB128, as multiformats and it-length-prefixed write it) of `n`. */
function varint (n: number): Uint8Array {
  const out: number[] = []
  // Division, not shifts: shifts would wrap lengths of 2^31 and more.
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
  return Uint8Array.from(out)
}

/**
 * One frame: the body's length as an unsigned varint, then the body. The same framing as
 * libp2p's `lpStream` and `it-length-prefixed`. With `maxBytes`, refuses to make a frame the
 * receiver would refuse.
 */
export function encodeFrame (bytes: Uint8Array, limits?: Partial<FrameLimits>): Uint8Array {
  if (limits?.maxBytes != null && bytes.length > limits.maxBytes) throw new FrameTooLargeError(bytes.length, limits.maxBytes)
  const prefix = varint(bytes.length)
  const out = new Uint8Array(prefix.length + bytes.length)
  out.set(prefix, 0)
  out.set(bytes, prefix.length)
  return out
}

/** The length prefix at the start of `buffer` and its size, or undefined while it is incomplete. */
function readPrefix (buffer: Uint8ArrayList): [length: number, prefixBytes: number] | undefined {
  let length = 0
  let scale = 1
  for (let i = 0; i < buffer.byteLength; i++) {
    if (i === MAX_PREFIX_BYTES) {
      throw new MalformedMessageError('bad-varint', '', `longer than ${MAX_PREFIX_BYTES} bytes`)
    }
    const byte = buffer.get(i)
    length += (byte & 0x7f) * scale
    if (byte < 0x80) {
      // A last byte of zero adds nothing: the same length had a shorter form.
      if (byte === 0 && i > 0) throw new MalformedMessageError('bad-varint', '', 'not in its shortest form')
      return [length, i + 1]
    }
    scale *= 0x80
  }
  return undefined
}

/**
 * The frames in a stream of chunks (a libp2p 3 stream, or any iterable of chunks), however
 * they are split or joined. A length over `maxBytes` throws FrameTooLargeError as soon as the
 * prefix is read, before any of the body is waited for; a bad prefix or a stream that ends
 * inside a frame throws MalformedMessageError. Frames may share memory with the chunks.
 */
export async function * decodeFrames (source: AsyncIterable<Chunk> | Iterable<Chunk>, limits: FrameLimits): AsyncGenerator<Uint8Array, void, undefined> {
  const buffer = new Uint8ArrayList()
  // The body length of the frame being read; -1 while its prefix is still arriving.
  let want = -1
  for await (const chunk of source) {
    buffer.append(chunk)
    while (true) {
      if (want < 0) {
        const prefix = readPrefix(buffer)
        if (prefix == null) break
        const [length, prefixBytes] = prefix
        if (length > limits.maxBytes) throw new FrameTooLargeError(length, limits.maxBytes)
        buffer.consume(prefixBytes)
        want = length
      }
      if (buffer.byteLength < want) break
      const frame = buffer.subarray(0, want)
      buffer.consume(want)
      want = -1
      yield frame
    }
  }
  if (want >= 0 || buffer.byteLength > 0) {
    const detail = want >= 0 ? `${buffer.byteLength} of ${want} bytes arrived` : 'inside the length prefix'
    throw new MalformedMessageError('truncated', '', detail)
  }
}
