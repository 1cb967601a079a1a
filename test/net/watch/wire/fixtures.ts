// What the watch codec tests share: game.md's game (its start record, acts and players' keys),
// a spectator's key, and the vectors of protocols/watch.md.
import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { hex, readVectors } from '../../../wire/helpers.js'

const gameDoc = readVectors(await readFile(new URL('../../../../protocols/game.md', import.meta.url), 'utf8'))
export const watchDoc = await readFile(new URL('../../../../protocols/watch.md', import.meta.url), 'utf8')
export const watchVectors = readVectors(watchDoc)

function from (vectors: typeof gameDoc, doc: string, name: string, kind: 'hex' | 'text'): string {
  const v = vectors.get(name)
  if (v?.kind !== kind) throw new Error(`no ${kind} vector ${name} in protocols/${doc}`)
  return v.value
}

/** A hex vector of protocols/game.md. */
export const gameBytes = (name: string): Uint8Array => hex(from(gameDoc, 'game.md', name, 'hex'))
/** A hex vector of protocols/watch.md. */
export const watchBytes = (name: string): Uint8Array => hex(from(watchVectors, 'watch.md', name, 'hex'))
/** A text vector of protocols/watch.md. */
export const watchText = (name: string): string => from(watchVectors, 'watch.md', name, 'text')

export const gameId = CID.parse(from(gameDoc, 'game.md', 'game-id', 'text'))
export const ratedGameId = CID.parse(from(gameDoc, 'game.md', 'game-id-rated', 'text'))
export const keys = {
  B: await generateKeyPairFromSeed('Ed25519', gameBytes('black-seed')),
  W: await generateKeyPairFromSeed('Ed25519', gameBytes('white-seed')),
  spectator: await generateKeyPairFromSeed('Ed25519', hex(from(watchVectors, 'watch.md', 'spectator-seed', 'hex')))
}
export const peers = {
  B: peerIdFromPrivateKey(keys.B),
  W: peerIdFromPrivateKey(keys.W),
  spectator: peerIdFromPrivateKey(keys.spectator)
}
/** The players as the start record names them (peer ID multihash bytes). */
export const players = { B: peers.B.toMultihash().bytes, W: peers.W.toMultihash().bytes }
/** game.md's acts of the game that ends W+R, in causal order. */
export const actBytes = ['move', 'pass', 'resign', 'result'].map(gameBytes)
