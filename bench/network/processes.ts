import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

/** The built `p2pgo` entry point, next to this file's build output (dist/bench/network → dist/src/bin). */
export const bin = fileURLToPath(new URL('../../src/bin/p2pgo.js', import.meta.url))

/** A running `p2pgo` process: its stdout lines and JSON events, each with the (performance.now) time it arrived. */
export interface P2pgoProcess {
  readonly child: ChildProcess
  /** performance.now() just before spawn. */
  readonly spawnedAt: number
  readonly lines: Array<{ at: number, line: string }>
  readonly events: Array<{ at: number, event: Record<string, any> }>
  readonly stderr: () => string
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>
}

/** Every process started here, so an early exit can still kill them. */
const running = new Set<ChildProcess>()

process.on('exit', () => {
  for (const child of running) {
    try { child.kill('SIGKILL') } catch { /* already gone */ }
  }
})

/** Starts `p2pgo ARGS...` as a real process (`node dist/src/bin/p2pgo.js ...`). */
export function startP2pgo (args: readonly string[]): P2pgoProcess {
  const spawnedAt = performance.now()
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const lines: P2pgoProcess['lines'] = []
  const events: P2pgoProcess['events'] = []
  let err = ''
  let partial = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    const at = performance.now()
    partial += d
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) {
      lines.push({ at, line })
      if (line.startsWith('{')) {
        try { events.push({ at, event: JSON.parse(line) }) } catch { /* not an event */ }
      }
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d })
  const exited = new Promise<number | string>(resolve => {
    child.on('exit', (code, signal) => {
      running.delete(child)
      resolve(code ?? signal ?? -1)
    })
  })
  return { child, spawnedAt, lines, events, stderr: () => err, exited }
}

/** Runs `p2pgo ARGS...` to completion. */
export async function runP2pgo (args: readonly string[]): Promise<{ code: number | string, stdout: string, stderr: string }> {
  const p = startP2pgo(args)
  const code = await p.exited
  // 'exit' can come before the last 'data': wait for the pipes to close.
  await new Promise<void>(resolve => { if (p.child.stdout?.readableEnded === true) resolve(); else p.child.stdout?.once('close', () => { resolve() }) })
  return { code, stdout: p.lines.map(l => l.line).join('\n'), stderr: p.stderr() }
}

/** Stops a process: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stop (p: P2pgoProcess, graceMs = 3000): Promise<void> {
  if (p.child.exitCode != null || p.child.signalCode != null) return
  p.child.kill('SIGTERM')
  const timer = setTimeout(() => { p.child.kill('SIGKILL') }, graceMs)
  await p.exited
  clearTimeout(timer)
}

/** Waits (bounded) until `check` holds. */
export async function waitFor<T> (check: () => T | undefined | false, what: string, ms = 30_000, everyMs = 5): Promise<T> {
  const deadline = performance.now() + ms
  for (;;) {
    const v = check()
    if (v !== undefined && v !== false) return v
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

/** A field of /proc/PID/status in kB (VmRSS, VmHWM, ...). */
export function procStatusKb (pid: number, field: string): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text)
  if (m == null) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(m[1])
}
