// A real terminal for the terminal client's tests: tmux runs the command in a pane of a given size;
// send-keys types, capture-pane reads the screen. Each Terminal has its own tmux server (socket).
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Whether tmux is installed (the CI script installs it). */
export const haveTmux = ['/usr/bin/tmux', '/usr/local/bin/tmux', '/bin/tmux'].some(p => existsSync(p))

let counter = 0

export class Terminal {
  private readonly socket = `p2pgo-test-${process.pid}-${counter++}`

  /** Starts `command` (a shell line) in a detached pane of `width` x `height`. */
  static async start (command: string, width = 80, height = 24, env: Record<string, string> = {}): Promise<Terminal> {
    const t = new Terminal()
    const exports = Object.entries({ LANG: 'C.UTF-8', TERM: 'xterm-256color', ...env }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')
    // The shell prints the exit status and stays, so a test can read how the client ended.
    await t.tmux('new-session', '-d', '-s', 'main', '-x', String(width), '-y', String(height), `${exports} ${command}; echo "EXITED $?"; sleep 3600`)
    await t.tmux('set-option', '-t', 'main', 'window-size', 'manual')
    return t
  }

  /** Types keys (tmux key names: 'Enter', 'Escape', 'Up', or plain text with -l). */
  async keys (...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', ...keys)
  }

  /** Types text literally. */
  async type (text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', '-l', text)
  }

  /** The screen as text, one line per row. */
  async screen (): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-t', 'main')).stdout
  }

  /** Waits (bounded) until the screen matches; returns it. The bound is a safety net, not the thing tested. */
  async waitFor (pattern: RegExp, what: string, ms = 60_000): Promise<string> {
    const deadline = Date.now() + ms
    let last = ''
    while (Date.now() < deadline) {
      last = await this.screen()
      if (pattern.test(last)) return last
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    throw new Error(`timed out waiting for ${what} (${String(pattern)}); the screen was:\n${last}`)
  }

  async resize (width: number, height: number): Promise<void> {
    await this.tmux('resize-window', '-t', 'main', '-x', String(width), '-y', String(height))
  }

  /**
   * Ends the terminal. The programs in it get SIGHUP (the client then quits as with `q`, saving
   * its home): waits, bounded, until they and their children have exited, so that a test removes
   * no home still being written; whatever is left after that is killed.
   */
  async kill (): Promise<void> {
    const pane = Number((await this.tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').catch(() => ({ stdout: '' }))).stdout.trim())
    const pids = Number.isInteger(pane) && pane > 0 ? [pane, ...descendants(pane)] : []
    await this.tmux('kill-server').catch(() => {})
    const deadline = Date.now() + 20_000
    while (pids.some(alive) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100))
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL')
  }

  private async tmux (...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.socket, ...args])
  }
}

/** Whether a process is still running (a zombie counts as gone). */
function alive (pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** Every process descended from `pid`, from /proc (Linux). */
function descendants (pid: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // "pid (comm) state ppid ...": the command may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch { /* exited meanwhile */ }
  }
  const out: number[] = []
  const walk = (p: number): void => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push(child)
        walk(child)
      }
    }
  }
  walk(pid)
  return out
}
