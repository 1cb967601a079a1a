// What the mailbox codec tests share: the keys and vectors of protocols/mailbox.md.
import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { hex, readVectors } from '../../../wire/helpers.js'

export const mailboxVectors = readVectors(await readFile(new URL('../../../../protocols/mailbox.md', import.meta.url), 'utf8'))

function vector (name: string, kind: 'hex' | 'text'): string {
  const v = mailboxVectors.get(name)
  if (v?.kind !== kind) throw new Error(`no ${kind} vector ${name} in protocols/mailbox.md`)
  return v.value
}

/** A hex vector of protocols/mailbox.md. */
export const mailboxBytes = (name: string): Uint8Array => hex(vector(name, 'hex'))
/** A text vector of protocols/mailbox.md. */
export const mailboxText = (name: string): string => vector(name, 'text')

export const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b)
export const keys = {
  alice: await generateKeyPairFromSeed('Ed25519', seed(0xa1)),
  bob: await generateKeyPairFromSeed('Ed25519', seed(0xb0)),
  carol: await generateKeyPairFromSeed('Ed25519', seed(0xc0))
}
export const peers = {
  alice: peerIdFromPrivateKey(keys.alice),
  bob: peerIdFromPrivateKey(keys.bob),
  carol: peerIdFromPrivateKey(keys.carol)
}
export const now = 1796000000000
export const day = 86_400_000
