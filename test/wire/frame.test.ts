import * as lp from 'it-length-prefixed'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'
import { FrameTooLargeError, MalformedMessageError, WireError } from '../../src/wire/errors.js'
import { decodeFrames, encodeFrame } from '../../src/wire/frame.js'
import { hex, toHex } from './helpers.js'
import type { Chunk } from '../../src/wire/frame.js'

/** Every frame in the chunks, or the error that stopped the reading. */
async function readAll (chunks: Iterable<Chunk> | AsyncIterable<Chunk>, maxBytes = 1024): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = []
  for await (const frame of decodeFrames(chunks, { maxBytes })) frames.push(frame)
  return frames
}

/** An async source that yields the chunks, then waits forever, as a peer that sent a header and stalls. */
function stalling (...chunks: Uint8Array[]): AsyncIterable<Uint8Array> & { pulls: number } {
  const source = {
    pulls: 0,
    async * [Symbol.asyncIterator] () {
      for (const chunk of chunks) {
        source.pulls++
        yield chunk
      }
      source.pulls++
      await new Promise(() => {})
    }
  }
  return source
}

function concat (...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap(p => [...p]))
}

describe('encodeFrame', () => {
  it.each<[number, string]>([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16384, '808001']
  ])('prefixes %i bytes with the varint %s', (length, prefix) => {
    const frame = encodeFrame(new Uint8Array(length).fill(7))
    expect(toHex(frame.subarray(0, prefix.length / 2))).toBe(prefix)
    expect(frame.length).toBe(prefix.length / 2 + length)
  })

  it('writes the same bytes as it-length-prefixed', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), body => {
      expect(encodeFrame(body)).toEqual(lp.encode.single(body).subarray())
    }))
  })

  it('refuses to make a frame over the limit it is given', () => {
    expect(encodeFrame(new Uint8Array(10), { maxBytes: 10 }).length).toBe(11)
    expect(() => encodeFrame(new Uint8Array(11), { maxBytes: 10 })).toThrow(FrameTooLargeError)
  })
})

describe('decodeFrames', () => {
  const frames = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(200).map((_, i) => i)]
  const stream = concat(...frames.map(f => encodeFrame(f)))

  it('reads frames split at every byte offset, and at every pair of offsets', async () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(await readAll([stream.subarray(0, i), stream.subarray(i)])).toEqual(frames)
    }
    for (let i = 0; i <= stream.length; i += 7) {
      for (let j = i; j <= stream.length; j++) {
        expect(await readAll([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)])).toEqual(frames)
      }
    }
  })

  it('reads frames one byte at a time, all in one chunk, and from Uint8ArrayLists', async () => {
    expect(await readAll([...stream].map(b => Uint8Array.of(b)))).toEqual(frames)
    expect(await readAll([stream])).toEqual(frames)
    const lists = [new Uint8ArrayList(stream.subarray(0, 2), stream.subarray(2, 5)), new Uint8ArrayList(stream.subarray(5))]
    expect(await readAll(lists)).toEqual(frames)
  })

  it('reads what it-length-prefixed writes, however it is chunked', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      async (bodies, cuts) => {
        const bytes = concat(...bodies.map(b => lp.encode.single(b).subarray()))
        const offsets = [0, ...cuts.map(c => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]
        const chunks = offsets.slice(1).map((end, i) => bytes.subarray(offsets[i], end))
        expect(await readAll(chunks)).toEqual(bodies)
      }
    ))
  })

  it('accepts a frame exactly at the limit and refuses one byte more', async () => {
    expect(await readAll([encodeFrame(new Uint8Array(100))], 100)).toEqual([new Uint8Array(100)])
    await expect(readAll([encodeFrame(new Uint8Array(101))], 100)).rejects.toThrow(FrameTooLargeError)
  })

  it('refuses an oversized prefix without waiting for the body', async () => {
    // 2^20 announced, the limit 1 KiB; the source would hang if read again.
    const source = stalling(hex('808040'))
    await expect(readAll(source)).rejects.toMatchObject({ reason: 'too-large', size: 2 ** 20, limit: 1024 })
    expect(source.pulls).toBe(1)
  })

  it('refuses an oversized prefix that arrives a byte at a time, then stops reading', async () => {
    const source = stalling(hex('01'), hex('07'), hex('ff'), hex('ff'), hex('03'))
    await expect(readAll(source, 1000)).rejects.toThrow(FrameTooLargeError)
    expect(source.pulls).toBe(5)
  })

  it('yields the frames before a bad one', async () => {
    const seen: Uint8Array[] = []
    await expect((async () => {
      for await (const frame of decodeFrames([encodeFrame(Uint8Array.of(9)), hex('ffff7f')], { maxBytes: 100 })) seen.push(frame)
    })()).rejects.toThrow(FrameTooLargeError)
    expect(seen).toEqual([Uint8Array.of(9)])
  })

  it.each<[string, string, string]>([
    ['a stream that ends inside the body', '0501020304', 'truncated'],
    ['a stream that ends inside a second prefix', '010780', 'truncated'],
    ['a stream that is only part of a prefix', '80', 'truncated'],
    ['a prefix of 10 bytes', 'ffffffffffffffffff01', 'bad-varint'],
    ['a prefix in a longer form than needed', '8000', 'bad-varint'],
    ['a one in two bytes', '8100' + '01', 'bad-varint']
  ])('refuses %s', async (_name, input, reason) => {
    const err = await readAll([hex(input)], 2 ** 40).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MalformedMessageError)
    expect(err).toMatchObject({ reason })
  })

  it('on any chunks yields frames or throws a WireError, nothing else', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), async chunks => {
      try {
        await readAll(chunks, 64)
      } catch (err) {
        if (!(err instanceof WireError)) throw err
      }
    }), { numRuns: 2000 })
  })

  it('stops reading the source when the consumer stops', async () => {
    const source = stalling(encodeFrame(Uint8Array.of(1)), encodeFrame(Uint8Array.of(2)))
    for await (const frame of decodeFrames(source, { maxBytes: 10 })) {
      expect(frame).toEqual(Uint8Array.of(1))
      break
    }
    expect(source.pulls).toBe(1)
  })
})
