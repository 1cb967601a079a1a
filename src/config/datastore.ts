import { readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { NamespaceDatastore } from 'datastore-core'
import { LevelDatastore } from 'datastore-level'
import { Key } from 'interface-datastore'
import { writeFileAtomic } from './atomic-write.js'
import { HOME_ENV, HOME_FILE_MODE, P2PGO_KEY_PREFIX, PID_FILE } from './constants.js'
import type { Datastore } from 'interface-datastore'

/** A second process tried to open a datastore (and so a home) that another process holds. */
export class HomeInUseError extends Error {
  static readonly code = 'ERR_HOME_IN_USE'
  readonly code = HomeInUseError.code
  /** The datastore directory. */
  readonly path: string
  /** The holder's process ID, when it could be learned. */
  readonly pid: number | undefined

  constructor (path: string, pid: number | undefined) {
    super(`this home is in use by another p2pgo process (${pid == null ? 'pid unknown' : `pid ${pid}`}): ` +
      `its datastore ${path} is locked. Stop that process first, or give this one its own home with --home DIR or $${HOME_ENV}`)
    this.name = 'HomeInUseError'
    this.path = path
    this.pid = pid
  }
}

const pidFiles = new WeakMap<LevelDatastore, string>()

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to another user, which still holds the lock.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function holderPid (pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10)
    // A stale file (the holder crashed, a new holder has not written yet) must not name a stranger.
    return Number.isSafeInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Opens (creating if missing) the LevelDB datastore shared by libp2p and p2pgo. LevelDB allows
 * one process per directory; a second gets `HomeInUseError` naming the holder's pid, not a lock trace.
 */
export async function openDatastore (path: string): Promise<LevelDatastore> {
  const datastore = new LevelDatastore(path)
  const pidFile = join(path, PID_FILE)
  try {
    // Open the Level instance directly: LevelDatastore.open() flattens the cause to a string, losing LEVEL_LOCKED.
    await datastore.db.open()
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause
    if (cause?.code === 'LEVEL_LOCKED') throw new HomeInUseError(path, await holderPid(pidFile))
    throw new Error(`cannot open the datastore ${path}: ${(cause as Error | undefined)?.message ?? (err as Error).message}`, { cause: err })
  }
  await datastore.open()
  // Written only while holding the lock, so whoever reads it while locked out reads the holder's pid.
  await writeFileAtomic(pidFile, `${process.pid}\n`, { mode: HOME_FILE_MODE })
  pidFiles.set(datastore, pidFile)
  return datastore
}

/** Closes a datastore from `openDatastore` and removes its pid file; safe to call twice. */
export async function closeDatastore (datastore: LevelDatastore): Promise<void> {
  const pidFile = pidFiles.get(datastore)
  pidFiles.delete(datastore)
  if (pidFile != null) await unlink(pidFile).catch(() => {})
  await datastore.close()
}

/** p2pgo's own view of the shared datastore: every key lives under `/p2pgo`, apart from libp2p's records. */
export function p2pgoStore (datastore: Datastore): Datastore {
  return new NamespaceDatastore(datastore, new Key(P2PGO_KEY_PREFIX))
}
