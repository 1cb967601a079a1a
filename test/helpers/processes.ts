import { spawn, type ChildProcess } from 'node:child_process'
import { bin } from './cli.js'

/** A running `p2pgo` process whose stdout lines (and parsed JSON events) are collected. */
export interface P2pgoProcess {
  readonly child: ChildProcess
  readonly lines: string[]
  readonly events: Array<Record<string, any>>
  readonly stderr: () => string
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>
}

/** Starts `p2pgo ARGS...` as a real process. */
export function startP2pgo (args: readonly string[], env: NodeJS.ProcessEnv = {}): P2pgoProcess {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  const lines: string[] = []
  const events: Array<Record<string, any>> = []
  let err = ''
  let partial = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    partial += d
    const parts = partial.split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) {
      lines.push(line)
      if (line.startsWith('{')) {
        try { events.push(JSON.parse(line)) } catch { /* not an event */ }
      }
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { err += d })
  const exited = new Promise<number | string>(resolve => {
    child.on('exit', (code, signal) => { resolve(code ?? signal ?? -1) })
  })
  return { child, lines, events, stderr: () => err, exited }
}

/** Waits (bounded) until `check` holds; the bound is a safety net, never the thing tested. */
export async function waitFor (check: () => boolean, what: string | (() => string), ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}
