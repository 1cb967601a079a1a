import { open, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { writeFileAtomic } from './atomic-write.js'
import { IDENTITY_FILE_MODE } from './constants.js'
import type { PrivateKey } from '@libp2p/interface'

/**
 * Why an identity file was refused: unreadable, corrupt, a key of another type; or unprotected,
 * as ssh refuses a private key others could read or replace: `not-owner` (the file belongs to
 * another user), `unsafe-home` (its directory is writable by others, or belongs to another user),
 * `unprotected` (readable by others, and it could not be made owner-only).
 */
export type IdentityErrorReason = 'unreadable' | 'corrupt' | 'wrong-type' | 'not-owner' | 'unsafe-home' | 'unprotected'

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
  if (reason === 'not-owner') {
    return 'A private key must be yours alone. If this home is yours, take the file back ' +
      `(sudo chown "$(id -u)" '${path}'); otherwise use a home of your own (--home DIR or $P2PGO_HOME)`
  }
  if (reason === 'unsafe-home') {
    return 'Whoever can write there can replace your identity. Make the directory yours and closed to others ' +
      `(chmod go-w '${dirname(path)}'; p2pgo creates its home with mode 700) and run p2pgo again`
  }
  if (reason === 'unprotected') return `Make it owner-only yourself (chmod 600 '${path}') and run p2pgo again`
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

/** What loading an identity may tell its caller besides the key. */
export interface IdentityOptions {
  /** Told when the file was repaired (made owner-only); stderr when unset. */
  readonly warn?: (line: string) => void
}

const octal = (mode: number): string => (mode & 0o777).toString(8)

/**
 * The identity's directory must not let others replace the key (as ssh's StrictModes): not
 * writable by group or others, and owned by this user or root. Skipped where there are no uids.
 */
async function checkDirectory (path: string, uid: number): Promise<void> {
  const dir = dirname(path)
  const st = await stat(dir)
  if ((st.mode & 0o022) !== 0) {
    throw new IdentityError('unsafe-home', path, `its directory ${dir} is writable by others (mode ${octal(st.mode)})`)
  }
  if (st.uid !== uid && st.uid !== 0) {
    throw new IdentityError('unsafe-home', path, `its directory ${dir} belongs to another user (uid ${st.uid}; you are uid ${uid})`)
  }
}

/**
 * Loads an existing identity; throws IdentityError when it is unusable or unprotected, and the
 * read error (ENOENT) when missing. Like ssh with a private key: a file of another user's, or in
 * a directory others can write, is refused; one of this user's that others can read is made
 * owner-only (mode 600) and the repair is reported through `warn`.
 */
export async function loadIdentity (path: string, options: IdentityOptions = {}): Promise<PrivateKey> {
  const uid = process.getuid?.()
  if (uid != null) await checkDirectory(path, uid)
  let bytes: Uint8Array
  try {
    // One open file for the checks and the read: nothing can swap the file in between.
    const file = await open(path, 'r')
    try {
      const st = await file.stat()
      if (st.isDirectory()) throw new IdentityError('unreadable', path, 'the identity path is a directory, not a key file')
      if (uid != null && st.uid !== uid) {
        throw new IdentityError('not-owner', path, `the identity file belongs to another user (uid ${st.uid}; you are uid ${uid})`)
      }
      if (uid != null && (st.mode & 0o077) !== 0) {
        try {
          await file.chmod(IDENTITY_FILE_MODE)
        } catch (err) {
          throw new IdentityError('unprotected', path, `the identity file is readable by others (mode ${octal(st.mode)}) and could not be made owner-only (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
        }
        const warn = options.warn ?? (line => { process.stderr.write(line + '\n') })
        warn(`p2pgo: ${path} was open to others (mode ${octal(st.mode)}); it is your private key, so it is now owner-only (mode 600). ` +
          'If someone else could read it, they can act as you: on a shared machine consider a new identity.')
      }
      bytes = await file.readFile()
    } finally {
      await file.close()
    }
  } catch (err) {
    if (err instanceof IdentityError) throw err
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
 * a new key would be a new peer ID and orphan the player's rating. Permissions as `loadIdentity`:
 * a new key is not written into a directory others can write either.
 */
export async function loadOrCreateIdentity (path: string, options: IdentityOptions = {}): Promise<PrivateKey> {
  try {
    return await loadIdentity(path, options)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const key = await generateKeyPair('Ed25519')
  try {
    await writeFileAtomic(path, privateKeyToProtobuf(key), { mode: IDENTITY_FILE_MODE, exclusive: true })
  } catch (err) {
    // Another process created the identity first: use theirs, so both report the same peer ID.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadIdentity(path, options)
    throw err
  }
  return key
}
