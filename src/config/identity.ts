import { readFile } from 'node:fs/promises'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { writeFileAtomic } from './atomic-write.js'
import { IDENTITY_FILE_MODE } from './constants.js'
import type { PrivateKey } from '@libp2p/interface'

/** Why an identity file was refused. */
export type IdentityErrorReason = 'unreadable' | 'corrupt' | 'wrong-type'

/** An identity file that exists but cannot be used; the message says what to do. It is never replaced silently. */
export class IdentityError extends Error {
  static readonly code = 'ERR_IDENTITY'
  readonly code = IdentityError.code
  readonly reason: IdentityErrorReason
  readonly path: string

  constructor (reason: IdentityErrorReason, path: string, detail: string) {
    super(`${path}: ${detail}. ${advice(reason, path)}`)
    this.name = 'IdentityError'
    this.reason = reason
    this.path = path
  }
}

function advice (reason: IdentityErrorReason, path: string): string {
  if (reason === 'unreadable') return 'Fix its permissions (it should be yours, mode 600); p2pgo will not make a new identity in its place'
  return 'This file is your peer ID, which your games and rating are tied to, so p2pgo will not replace it. ' +
    `Restore it from a backup; or, to start over as a new player with no rating, move it aside (mv '${path}' '${path}.broken') and run p2pgo again`
}

const probe = new TextEncoder().encode('p2pgo identity check')

/** Decodes an identity file's bytes, checking that it is a whole, self-consistent Ed25519 key. */
export async function decodeIdentity (bytes: Uint8Array, path: string): Promise<PrivateKey> {
  if (bytes.length === 0) throw new IdentityError('corrupt', path, 'the identity file is empty')
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch {
    // Garbage often decodes as an unknown key type, so that is no evidence of a real other-type key.
    throw new IdentityError('corrupt', path, 'the identity file is truncated or is not a libp2p private key')
  }
  if (key.type !== 'Ed25519') {
    throw new IdentityError('wrong-type', path, `the identity file holds a ${key.type} key; p2pgo identities are Ed25519`)
  }
  // Trailing bytes or a private half that does not match the public half decode without complaint.
  const reencoded = privateKeyToProtobuf(key)
  const same = reencoded.length === bytes.length && reencoded.every((b, i) => b === bytes[i])
  if (!same || !(await key.publicKey.verify(probe, await key.sign(probe)))) {
    throw new IdentityError('corrupt', path, 'the identity file is damaged (its key does not check out)')
  }
  return key
}

/** Loads an existing identity; throws IdentityError when it is unusable, and the read error (ENOENT) when missing. */
export async function loadIdentity (path: string): Promise<PrivateKey> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM') throw new IdentityError('unreadable', path, 'the identity file cannot be read (permission denied)')
    if (code === 'EISDIR') throw new IdentityError('unreadable', path, 'the identity path is a directory, not a key file')
    throw err
  }
  return decodeIdentity(bytes, path)
}

/**
 * The node's persistent libp2p private key: loaded from `path`, or on first use generated
 * (Ed25519) and written atomically with mode 0600. A corrupt file is refused, never replaced:
 * a new key would be a new peer ID and orphan the player's rating.
 */
export async function loadOrCreateIdentity (path: string): Promise<PrivateKey> {
  try {
    return await loadIdentity(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const key = await generateKeyPair('Ed25519')
  try {
    await writeFileAtomic(path, privateKeyToProtobuf(key), { mode: IDENTITY_FILE_MODE, exclusive: true })
  } catch (err) {
    // Another process created the identity first: use theirs, so both report the same peer ID.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadIdentity(path)
    throw err
  }
  return key
}
