import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodePathMessage, encodePathMessage, type PathMessage } from '../../../src/net/rna/path-messages.js'
import { MAX_PATH_DEPTH, PATH_MAX_BYTES } from '../../../src/net/rna/constants.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { WireError } from '../../../src/wire/errors.js'
import { decodeFrames, encodeFrame } from '../../../src/wire/frame.js'
import { hex, readVectors, toHex } from '../../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../../protocols/rna-path.md', import.meta.url), 'utf8'))
const vector = (name: string): { value: string, expect?: string } => {
  const v = vectors.get(name)
  if (v == null) throw new Error(`no vector ${name} in protocols/rna-path.md`)
  return v
}
const peerOf = async (seed: number): Promise<{ text: string, bytes: Uint8Array }> => {
  const id = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(seed)))
  return { text: id.toString(), bytes: id.toMultihash().bytes }
}
const alice = await peerOf(1)
const bob = await peerOf(2)
// The RNA of protocols/rna.md's vectors, which Alice's key published at this time.
const rna = CID.parse('bafyreiggvuwkxuslwluxnpcccxrkje3epnqqcqvclzrefun4cvs54bvdua')
const published = 1_700_000_064_000

/** Each accepted vector as the codec's value: the exchange the document walks through. */
const messages: Record<string, PathMessage> = {
  where: { t: 'where', rna, depth: MAX_PATH_DEPTH - 1 },
  'hop-known': { t: 'hop', rna, known: true, at: published + 400, from: alice.bytes, path: [{ peer: alice.bytes, at: published }, { peer: bob.bytes, at: published + 400 }], complete: true },
  'hop-origin': { t: 'hop', rna, known: true, at: published, path: [{ peer: alice.bytes, at: published }], complete: true },
  'hop-unknown': { t: 'hop', rna, known: false },
  busy: { t: 'busy' }
}

/** The refused ones, made as the document describes them; each must fail with the reason after `expect=`. */
const refused: Record<string, Uint8Array> = {
  'where-too-deep': encodeCanonical({ v: 1, t: 'where', rna, depth: MAX_PATH_DEPTH + 1 }),
  'where-extra-key': encodeCanonical({ v: 1, t: 'where', rna, depth: 1, more: 1 })
}

/** The reason a wire error gives, or what else happened. */
const reasonOf = (fn: () => unknown): string => {
  try {
    fn()
    return 'accepted'
  } catch (err) {
    return err instanceof WireError ? err.reason : `other: ${(err as Error).message}`
  }
}

describe('protocols/rna-path.md vectors', () => {
  it('the peers and the RNA', () => {
    expect(alice.text).toBe(vector('alice').value)
    expect(bob.text).toBe(vector('bob').value)
    expect(rna.toString()).toBe(vector('rna-id').value)
  })

  it.each(Object.keys(messages))('%s encodes to its vector and decodes back to the same bytes', name => {
    expect(toHex(encodePathMessage(messages[name]))).toBe(vector(name).value)
    const decoded = decodePathMessage(hex(vector(name).value))
    expect(decoded).toEqual(messages[name])
    expect(toHex(encodePathMessage(decoded))).toBe(vector(name).value)
  })

  it.each(Object.keys(refused))('%s is made as described and refused with its stated reason', name => {
    const v = vector(name)
    expect(v.expect).toBeDefined()
    expect(toHex(refused[name])).toBe(v.value)
    expect(reasonOf(() => decodePathMessage(hex(v.value)))).toBe(v.expect)
  })

  it('frame-too-large is refused from its length prefix alone, before any of the body', async () => {
    const v = vector('frame-too-large')
    expect(v.value).toBe(toHex(encodeFrame(new Uint8Array(PATH_MAX_BYTES + 1)).subarray(0, 2)))
    const read = async (): Promise<void> => { for await (const _ of decodeFrames([hex(v.value)], { maxBytes: PATH_MAX_BYTES })) break }
    await expect(read()).rejects.toMatchObject({ reason: v.expect })
    // A message that arrives whole (not through a frame) is held to the same limit.
    expect(reasonOf(() => decodePathMessage(new Uint8Array(PATH_MAX_BYTES + 1)))).toBe(v.expect)
  })
})
