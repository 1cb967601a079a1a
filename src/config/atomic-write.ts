import { randomBytes } from 'node:crypto'
import { link, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** How `writeFileAtomic` creates the file. */
export interface AtomicWriteOptions {
  /** Permission bits for a new file (the umask may only remove bits). Default 0o600. */
  mode?: number
  /**
   * Never replace an existing file: fail with EEXIST instead. Used for the identity, so two
   * processes creating a home at once cannot each print a peer ID and leave only one of them.
   */
  exclusive?: boolean
}

/**
 * Writes `data` to a new hidden temporary file beside `path` and flushes it to disk; returns the
 * temporary file's path. The first half of `writeFileAtomic`, apart so tests can stop between them.
 */
export async function writeTempFile (path: string, data: Uint8Array | string, mode = 0o600): Promise<string> {
  // Same directory as the target: rename() is only atomic within one file system.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', mode)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (err) {
    await handle.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw err
  }
  await handle.close()
  return temp
}

/** Moves a flushed temporary file into place in one step, then flushes the directory entry. The second half of `writeFileAtomic`. */
export async function commitTempFile (temp: string, path: string, exclusive = false): Promise<void> {
  try {
    if (exclusive) {
      // link() fails with EEXIST rather than replacing, and is as atomic as rename().
      await link(temp, path)
      await unlink(temp)
    } else {
      await rename(temp, path)
    }
  } catch (err) {
    await unlink(temp).catch(() => {})
    throw err
  }
  await syncDirectory(dirname(path))
}

/** Writes a whole file so that a crash at any moment leaves either the old file or the new one, never half of either. */
export async function writeFileAtomic (path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = await writeTempFile(path, data, options.mode ?? 0o600)
  await commitTempFile(temp, path, options.exclusive === true)
}

/** Without this the rename itself may be lost on power failure (ext4, XFS): the data is safe but the name is not. */
async function syncDirectory (dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // Windows cannot open or fsync a directory; there the rename is already durable enough.
  } finally {
    await handle?.close().catch(() => {})
  }
}
