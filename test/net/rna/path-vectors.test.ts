import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { decodePathMessage, encodePathMessage, type PathMessage } from '../../../src/net/rna/path-messages.js'
import { PATH_MAX_BYTES } from '../../../src/net/rna/constants.js'
import { WireError } from '../../../src/wire/errors.js'
import { hex, readVectors, toHex } from '../../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../../protocols/rna-path.md', import.meta.url), 'utf8'))
const vector = (name: string): { value: string, expect?: string } => {
  const v = vectors.get(name)
  if (v == null) throw new Error(`no vector ${name} in protocols/rna-path.md`)
  return v
}
const peerOf = async (seed: number): Promise<Uint8Array> => peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(seed))).toMultihash().bytes
const alice = await peerOf(1)
const bob = await peerOf(2)
const rna = CID.parse('bafyreiff2bq5s7x72rahgf7wcsahnahmxfuaphfczpep4lnzkvecx6pfrm')
const at = 1_700_000_000_000

const messages: Record<string, PathMessage> = {
  where: { t: 'where', rna, depth: 8 },
  'hop-known': { t: 'hop', rna, known: true, at: at + 900, from: bob, path: [{ peer: alice, at }, { peer: bob, at: at + 400 }], complete: true },
  'hop-unknown': { t: 'hop', rna, known: false },
  busy: { t: 'busy' }
}

describe('protocols/rna-path.md vectors', () => {
  it.each(Object.keys(messages))('%s encodes to its vector and decodes back', name => {
    expect(toHex(encodePathMessage(messages[name]))).toBe(vector(name).value)
    expect(decodePathMessage(hex(vector(name).value))).toEqual(messages[name])
  })

  it.each(['where-too-deep', 'where-extra-key'])('%s is refused with its reason', name => {
    const v = vector(name)
    let reason: string | undefined
    try {
      decodePathMessage(hex(v.value))
    } catch (err) {
      if (err instanceof WireError) reason = err.reason
    }
    expect(reason).toBe(v.expect)
  })

  it('refuses a message over the limit before decoding it', () => {
    expect(() => decodePathMessage(new Uint8Array(PATH_MAX_BYTES + 1))).toThrow(expect.objectContaining({ reason: 'too-large' }))
  })
})
