// What the soak reads about one running node from outside, the way an operator would: resident
// memory and open file descriptors from /proc, the engine processes it has spawned, and the size
// of its home's datastore folder on disk. Linux only.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { procStatusKb } from '../network/processes.js'

/** One reading of one node. */
export interface NodeReading {
  /** Resident memory (VmRSS), MiB. */
  readonly rssMiB: number
  /** Entries in /proc/PID/fd: sockets, files, pipes, the LevelDB files. */
  readonly fds: number
  /** Live child processes (a bot's GTP engines; a relay has none). */
  readonly children: number
  /** Bytes of the files under HOME/datastore (LevelDB's log, tables and manifest), MiB. */
  readonly datastoreMiB: number
}

/** Open file descriptors of a process; NaN once it is gone. */
export function fdCount (pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return NaN
  }
}

/** Processes whose parent is `pid` (zombies included: an engine never reaped is a leak too). */
export function childPids (pid: number): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name (which may hold spaces): state, then ppid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(entry))
    } catch { /* exited meanwhile */ }
  }
  return out
}

/** Whether a process still exists (a zombie counts: it was never reaped). */
export function alive (pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`)
    return true
  } catch {
    return false
  }
}

/** Total size of the regular files under `dir`, in bytes (0 when it does not exist yet). */
export function folderBytes (dir: string): number {
  let total = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    const path = join(dir, e.name)
    try {
      if (e.isDirectory()) total += folderBytes(path)
      else if (e.isFile()) total += statSync(path).size
    } catch { /* LevelDB compacted it away meanwhile */ }
  }
  return total
}

/** Reads a node: `pid` is its process, `home` its p2pgo home. Undefined when the process is gone. */
export function readNode (pid: number, home: string): NodeReading | undefined {
  let rssKb
  try {
    rssKb = procStatusKb(pid, 'VmRSS')
  } catch {
    return undefined
  }
  const fds = fdCount(pid)
  if (!Number.isFinite(fds)) return undefined
  return {
    rssMiB: round(rssKb / 1024),
    fds,
    children: childPids(pid).length,
    datastoreMiB: round(folderBytes(join(home, 'datastore')) / 2 ** 20, 3)
  }
}

function round (x: number, digits = 1): number {
  return Number(x.toFixed(digits))
}
