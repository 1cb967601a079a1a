// What Linux says about a process from outside: CPU time and resident memory from /proc, and the
// whole machine's busy time, sampled as deltas between two readings. Linux only.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { procStatusKb } from '../network/processes.js'

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every usual kernel). */
export const CLK_TCK = ((): number => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    return Number.isFinite(n) && n > 0 ? n : 100
  } catch {
    return 100
  }
})()

/** User plus system CPU time of a process so far, in seconds (its own, not its children's). */
export function cpuSeconds (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Field 3 (state) is fields[0]: utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK
}

/** Resident memory of a process, MiB; NaN once it is gone. */
export function rssMiB (pid: number): number {
  try {
    return procStatusKb(pid, 'VmRSS') / 1024
  } catch {
    return NaN
  }
}

/** The machine's busy and total CPU time so far, in ticks over all cores (/proc/stat's first line). */
export function machineTicks (): { busy: number, total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]
  const v = line.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: total - v[3] - v[4], total }
}

/**
 * CPU use between successive calls to `next()`, as a percentage of one core (a process) or of all
 * cores together times their number (the machine: 200 = two cores fully busy).
 */
export class CpuMeter {
  private last: { at: number, seconds: number }

  constructor (private readonly read: () => number) {
    this.last = { at: performance.now(), seconds: read() }
  }

  /** Percent of one core since the previous call. */
  next (): number {
    const at = performance.now()
    const seconds = this.read()
    const pct = 100 * (seconds - this.last.seconds) / ((at - this.last.at) / 1000)
    this.last = { at, seconds }
    return pct
  }
}

/** The machine's busy share since the previous call, in percent of one core (0 to 100 × cores). */
export class MachineMeter {
  private last = machineTicks()

  constructor (private readonly cores: number) {}

  next (): number {
    const now = machineTicks()
    const pct = 100 * this.cores * (now.busy - this.last.busy) / Math.max(1, now.total - this.last.total)
    this.last = now
    return pct
  }
}
