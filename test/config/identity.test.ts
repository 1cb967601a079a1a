import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { IdentityError, loadIdentity, loadOrCreateIdentity } from '../../src/config/identity.js'

let dir: string
let path: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-identity-'))
  path = join(dir, 'identity.key')
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The IdentityError that loading `path` gives, after checking the file was left exactly as it was. */
async function refusal (): Promise<IdentityError> {
  const before = await readFile(path)
  try {
    await loadOrCreateIdentity(path)
  } catch (err) {
    expect(err).toBeInstanceOf(IdentityError)
    // Never replaced: the player's peer ID (and rating) depend on these bytes.
    expect(await readFile(path)).toEqual(before)
    expect(await readdir(dir)).toEqual(['identity.key'])
    return err as IdentityError
  }
  throw new Error('expected the identity to be refused')
}

describe('loadOrCreateIdentity', () => {
  it('creates an Ed25519 key, owner-only, and loads the same one afterwards', async () => {
    const created = await loadOrCreateIdentity(path)
    expect(created.type).toBe('Ed25519')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readFile(path)).toEqual(Buffer.from(privateKeyToProtobuf(created)))
    const loaded = await loadOrCreateIdentity(path)
    expect(peerIdFromPrivateKey(loaded).toString()).toBe(peerIdFromPrivateKey(created).toString())
    expect(peerIdFromPrivateKey(loaded).toString()).toMatch(/^12D3KooW/)
  })

  it('gives every concurrent first use the same identity', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, async () => loadOrCreateIdentity(path)))
    const ids = new Set(keys.map(k => peerIdFromPrivateKey(k).toString()))
    expect(ids.size).toBe(1)
    expect(await readdir(dir)).toEqual(['identity.key'])
  })

  it('refuses a truncated file and says what to do', async () => {
    const key = await loadOrCreateIdentity(path)
    await writeFile(path, privateKeyToProtobuf(key).subarray(0, 40))
    const err = await refusal()
    expect(err.reason).toBe('corrupt')
    expect(err.message).toContain(`${path}: the identity file is truncated or is not a libp2p private key.`)
    expect(err.message).toContain('p2pgo will not replace it')
    expect(err.message).toContain(`mv '${path}' '${path}.broken'`)
  })

  it('refuses an empty file, trailing bytes, and a key whose halves do not match', async () => {
    await writeFile(path, '')
    expect((await refusal()).message).toContain('the identity file is empty')
    const bytes = privateKeyToProtobuf(await generateKeyPair('Ed25519'))
    await writeFile(path, Buffer.concat([bytes, Buffer.from([1, 2, 3])]))
    expect((await refusal()).reason).toBe('corrupt')
    const flipped = Uint8Array.from(bytes)
    flipped[flipped.length - 1] ^= 1
    await writeFile(path, flipped)
    const err = await refusal()
    expect(err.reason).toBe('corrupt')
    expect(err.message).toContain('the identity file is damaged')
  })

  it('refuses a file that is not a key at all', async () => {
    await writeFile(path, '{"Identity":{"PeerID":"12D3KooW..."}}')
    expect((await refusal()).reason).toBe('corrupt')
  })

  it('refuses a key of another type, naming it', async () => {
    await writeFile(path, privateKeyToProtobuf(await generateKeyPair('secp256k1')))
    const err = await refusal()
    expect(err.reason).toBe('wrong-type')
    expect(err.message).toContain('holds a secp256k1 key; p2pgo identities are Ed25519')
  })

  it('refuses an unreadable file rather than making a new identity', async () => {
    await loadOrCreateIdentity(path)
    await rm(path)
    await mkdir(path)
    const err = await loadIdentity(path).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(IdentityError)
    expect((err as IdentityError).reason).toBe('unreadable')
  })
})

// Like ssh with a private key ("UNPROTECTED PRIVATE KEY FILE"): issue 17 found an identity.key
// readable by others (0644), owned by another user, or in a home writable by all (0777) used silently.
const root = process.getuid?.() === 0

describe('loadOrCreateIdentity: who else can read or replace the key', () => {
  it('makes a key of this user\'s that others can read owner-only, says so, and loads it', async () => {
    const created = await loadOrCreateIdentity(path)
    for (const mode of [0o644, 0o640, 0o604, 0o666]) {
      await chmod(path, mode)
      const told: string[] = []
      const loaded = await loadOrCreateIdentity(path, { warn: line => { told.push(line) } })
      expect(peerIdFromPrivateKey(loaded).toString()).toBe(peerIdFromPrivateKey(created).toString())
      expect((await stat(path)).mode & 0o777).toBe(0o600)
      expect(told).toEqual([`p2pgo: ${path} was open to others (mode ${mode.toString(8)}); it is your private key, so it is now owner-only (mode 600). ` +
        'If someone else could read it, they can act as you: on a shared machine consider a new identity.'])
    }
    // Owner-only already (600, 400): nothing to say.
    for (const mode of [0o600, 0o400]) {
      await chmod(path, mode)
      const told: string[] = []
      await loadOrCreateIdentity(path, { warn: line => { told.push(line) } })
      expect(told).toEqual([])
      expect((await stat(path)).mode & 0o777).toBe(mode)
    }
  })

  it.skipIf(!root)('refuses a key that belongs to another user, and leaves it as it is', async () => {
    await loadOrCreateIdentity(path)
    await chown(path, 4321, 4321)
    await chmod(path, 0o644)
    const err = await refusal()
    expect(err.reason).toBe('not-owner')
    expect(err.message).toBe(`${path}: the identity file belongs to another user (uid 4321; you are uid 0). A private key must be yours alone. ` +
      `If this home is yours, take the file back (sudo chown "$(id -u)" '${path}'); otherwise use a home of your own (--home DIR or $P2PGO_HOME)`)
    expect((await stat(path)).mode & 0o777).toBe(0o644)
    expect((await stat(path)).uid).toBe(4321)
  })

  it('refuses a key in a home that others can write, and makes no new key there either', async () => {
    await loadOrCreateIdentity(path)
    for (const mode of [0o777, 0o757, 0o775, 0o770]) {
      await chmod(dir, mode)
      const err = await refusal()
      expect(err.reason).toBe('unsafe-home')
      expect(err.message).toBe(`${path}: its directory ${dir} is writable by others (mode ${mode.toString(8)}). Whoever can write there can replace your identity. ` +
        `Make the directory yours and closed to others (chmod go-w '${dir}'; p2pgo creates its home with mode 700) and run p2pgo again`)
    }
    await rm(path)
    await expect(loadOrCreateIdentity(path)).rejects.toMatchObject({ reason: 'unsafe-home' })
    expect(await readdir(dir)).toEqual([])
    // Closed again: the same key loads (here a new one is made, the old one having been removed above).
    await chmod(dir, 0o700)
    expect((await loadOrCreateIdentity(path)).type).toBe('Ed25519')
  })

  it.skipIf(!root)('refuses a key in a home that belongs to another user', async () => {
    await loadOrCreateIdentity(path)
    await chown(dir, 4321, 4321)
    const err = await refusal()
    expect(err.reason).toBe('unsafe-home')
    expect(err.message).toContain(`its directory ${dir} belongs to another user (uid 4321; you are uid 0)`)
  })
})

