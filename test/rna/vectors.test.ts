import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { encodeRna, rnaIdOf, signRna } from '../../src/rna/rna.js'
import { decodeMrna, encodeMrna } from '../../src/rna/mrna.js'
import { InvalidRnaError } from '../../src/rna/errors.js'
import { validateRna } from '../../src/rna/validate.js'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { finishedGame, mrnaBytes } from '../helpers/rna.js'
import { hex, readVectors, toHex } from '../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../protocols/rna.md', import.meta.url), 'utf8'))
const vector = (name: string): { value: string, expect?: string } => {
  const v = vectors.get(name)
  if (v == null) throw new Error(`no vector ${name} in protocols/rna.md`)
  return v
}
const black = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
const white = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(2))
const origin = peerIdFromPrivateKey(black).toMultihash().bytes
const at = 1_700_000_064_000
const reasonOf = async (bytes: Uint8Array): Promise<string> => validateRna(bytes, at).then(() => 'accepted', (err: unknown) => err instanceof InvalidRnaError ? err.reason : `other: ${(err as Error).message}`)

describe('protocols/rna.md vectors', () => {
  it('the game as the document describes it makes exactly the vector, and it validates', async () => {
    const pair = await finishedGame([{ x: 2, y: 2 }, { x: 6, y: 6 }, { x: 6, y: 2 }, { x: 2, y: 6 }], {}, { B: black, W: white }, new Uint8Array(16).fill(7))
    expect(pair.time.now() + 60_000).toBe(at)
    const { body, bytes } = await mrnaBytes(pair, 'B', at)
    expect(toHex(bytes)).toBe(vector('rna').value)
    expect(rnaIdOf(body).toString()).toBe(vector('rna-id').value)
    const valid = await validateRna(hex(vector('rna').value), at)
    expect(valid.id.toString()).toBe(vector('rna-id').value)
    expect(valid.game.result).toBe('W+7.5')
    expect(valid.game.moves).toHaveLength(6)
  })

  it('a flipped byte breaks the origin\'s signature; a truncated envelope is malformed', async () => {
    const bytes = hex(vector('rna').value)
    const flipped = bytes.slice()
    flipped[flipped.length - 1] ^= 1
    expect(await reasonOf(flipped)).toBe('bad-signature')
    expect(await reasonOf(bytes.slice(0, bytes.length - 10))).toBe('malformed')
  })

  it('a changed move, re-signed by the origin, fails on the move\'s own signature', async () => {
    const valid = await validateRna(hex(vector('rna').value), at)
    const body = decodeMrna(valid.rna.body)
    const i = body.chains.W.findIndex(e => 'kind' in e && e.kind === 'move')
    const moved = encodeMrna({ ...body, chains: { ...body.chains, W: body.chains.W.map((e, j) => (j === i ? { ...e, x: 5 } : e)) } })
    expect(await reasonOf(encodeRna(await signRna(black, origin, moved, at)))).toBe('bad-signature')
  })

  it('a kind nobody knows yet is refused as unknown (and so ignored, not held against its sender)', async () => {
    const unknown = encodeRna(await signRna(black, origin, encodeCanonical({ v: 1, t: 'trna', positions: [] }), at))
    expect(toHex(unknown)).toBe(vector('rna-unknown-kind').value)
    expect(await reasonOf(unknown)).toBe(vector('rna-unknown-kind').expect)
  })
})
