import { spawn } from 'node:child_process'
import { commandToString, MAX_RESPONSE_CHARS, parseResponse, splitResponse, tooLong } from './gtp-codec.js'
import { GtpEngineClosedError, GtpError, GtpProtocolError } from './errors.js'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import type { GtpArg } from './gtp-codec.js'

/** Options every async call takes. */
export interface AbortOptions {
  signal?: AbortSignal
}

/** How to start an engine. */
export interface GtpEngineInit {
  /** Program to run, e.g. '/usr/games/gnugo'. */
  command: string
  /** Its arguments, e.g. ['--mode', 'gtp', '--level', '1']. */
  args?: readonly string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** How long close() lets the engine take to exit after 'quit' before killing it, in ms. */
  closeTimeout?: number
}

/** Default bound on a polite shutdown: engines answer 'quit' at once, so a few seconds is generous. */
const DEFAULT_CLOSE_TIMEOUT = 5_000

/** How much of the engine's stderr to keep for error messages. */
const STDERR_TAIL = 2_000

interface Pending {
  readonly id: number
  /** The command line without id or newline, for error messages. */
  readonly line: string
  readonly text: string
  readonly resolve: (content: string) => void
  readonly reject: (err: unknown) => void
  /** Set once the caller has been answered (by the engine or by an abort). */
  settled: boolean
  readonly cleanup: () => void
}

/**
 * A GTP engine in a child process. Commands go out one at a time in the order they were
 * sent, each tagged with an id that the response must echo.
 *
 * @example
 * const engine = new GtpEngine({ command: '/usr/games/gnugo', args: ['--mode', 'gtp'] })
 * await engine.send('boardsize', 9)
 * const move = await engine.send('genmove', 'black')
 * await engine.close()
 */
export class GtpEngine {
  private readonly child: ChildProcessWithoutNullStreams
  private readonly closeTimeout: number
  private readonly queue: Pending[] = []
  private inFlight: Pending | undefined
  private nextId = 1
  private buffer = ''
  private stderrTail = ''
  /** Why the engine can take no more commands, once it cannot. */
  private failure: Error | undefined
  private closing: Promise<void> | undefined
  private readonly exited: Promise<void>

  constructor (init: GtpEngineInit) {
    this.closeTimeout = init.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT
    this.child = spawn(init.command, init.args ?? [], { cwd: init.cwd, env: init.env, stdio: 'pipe' })
    this.exited = new Promise(resolve => {
      this.child.once('close', (code, signal) => {
        this.fail(new GtpEngineClosedError(this.describeExit(code, signal), code, signal))
        resolve()
      })
    })
    this.child.once('error', err => {
      // Spawning failed (e.g. ENOENT): no 'close' follows when the process never ran.
      this.fail(new GtpEngineClosedError(`GTP engine ${init.command} could not run: ${err.message}`))
    })
    this.child.stdin.on('error', () => {
      // EPIPE when the engine dies mid-write: the 'close' event reports it.
    })
    this.child.stdout.setEncoding('utf8')
    this.child.stdout.on('data', (chunk: string) => this.receive(chunk))
    this.child.stderr.setEncoding('utf8')
    // Always drain stderr: a full pipe would block the engine.
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL)
    })
  }

  /** The engine's process id (undefined if it never started). */
  get pid (): number | undefined {
    return this.child.pid
  }

  /**
   * Sends a command and resolves with the content of the engine's '=' response.
   * Rejects with GtpError on '?', GtpEngineClosedError if the engine is gone, or the signal's reason.
   * Options may follow the arguments: `send('genmove', 'black', { signal })`.
   */
  async send (name: string, ...rest: GtpArg[] | [...GtpArg[], AbortOptions]): Promise<string> {
    const last = rest[rest.length - 1]
    const options: AbortOptions = typeof last === 'object' ? last : {}
    const args = (typeof last === 'object' ? rest.slice(0, -1) : rest) as GtpArg[]
    return await this.enqueue(name, args, options.signal)
  }

  /**
   * Asks the engine to quit once the command being answered is done, refuses everything still
   * queued, and kills the process if it has not exited within `closeTimeout`.
   * Aborting the signal kills the engine at once. Calling close() again waits for the same shutdown.
   */
  async close (options: AbortOptions = {}): Promise<void> {
    this.closing ??= this.shutdown()
    const signal = options.signal
    if (signal == null) return await this.closing
    const kill = (): void => { this.child.kill('SIGKILL') }
    if (signal.aborted) kill()
    else signal.addEventListener('abort', kill, { once: true })
    try {
      await this.closing
    } finally {
      signal.removeEventListener('abort', kill)
    }
    signal.throwIfAborted()
  }

  private async shutdown (): Promise<void> {
    const closed = new GtpEngineClosedError('GTP engine is closing')
    for (const p of this.queue.splice(0)) this.settle(p, closed)
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.closeTimeout)
    try {
      if (this.failure == null) {
        // The engine may exit before its answer to 'quit' is read: that is a normal ending.
        await this.enqueue('quit', [], undefined, true).catch(() => {})
      }
      if (this.child.exitCode == null && this.child.signalCode == null && this.child.pid != null) await this.exited
    } finally {
      clearTimeout(timer)
    }
  }

  private async enqueue (name: string, args: GtpArg[], signal: AbortSignal | undefined, internal = false): Promise<string> {
    signal?.throwIfAborted()
    if (this.failure != null) throw this.failure
    if (this.closing != null && !internal) throw new GtpEngineClosedError('GTP engine is closing')
    const id = this.nextId++
    const text = commandToString({ id, name, args })
    const line = text.slice(String(id).length + 1, -1)
    return await new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(pending)
        // Not yet written: forget it. Written: the answer will still come and is dropped then.
        if (i >= 0) this.queue.splice(i, 1)
        this.settle(pending, signal?.reason)
      }
      const pending: Pending = {
        id,
        line,
        text,
        resolve,
        reject,
        settled: false,
        cleanup: () => signal?.removeEventListener('abort', onAbort)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.queue.push(pending)
      this.pump()
    })
  }

  /** Writes the next queued command when none is awaiting its answer. */
  private pump (): void {
    if (this.inFlight != null || this.failure != null) return
    const next = this.queue.shift()
    if (next == null) return
    this.inFlight = next
    this.child.stdin.write(next.text)
  }

  private receive (chunk: string): void {
    this.buffer += chunk
    for (;;) {
      const split = splitResponse(this.buffer)
      if (split == null) {
        // An answer that never ends is not buffered without bound.
        if (this.buffer.length > MAX_RESPONSE_CHARS) {
          const err = tooLong(this.buffer)
          this.buffer = ''
          this.abandon(err)
        }
        return
      }
      this.buffer = split[1]
      const pending = this.inFlight
      if (pending == null) {
        this.abandon(new GtpProtocolError('GTP engine sent a response to no command', split[0]))
        return
      }
      let response
      try {
        response = parseResponse(split[0])
        if (response.id != null && response.id !== pending.id) {
          throw new GtpProtocolError(`GTP response id ${response.id} does not match command id ${pending.id}`, split[0])
        }
      } catch (err) {
        // Out of step with the engine: nothing it says later can be trusted.
        this.abandon(err as Error)
        return
      }
      this.inFlight = undefined
      if (response.ok) this.settle(pending, undefined, response.content)
      else this.settle(pending, new GtpError(pending.line, response.content))
      this.pump()
    }
  }

  private settle (p: Pending, err: unknown, content = ''): void {
    if (p.settled) return
    p.settled = true
    p.cleanup()
    if (err != null) p.reject(err)
    else p.resolve(content)
  }

  /** Refuses every command, current and queued, with `err`; later sends get it too. */
  private fail (err: Error): void {
    this.failure ??= err
    if (this.inFlight != null) this.settle(this.inFlight, this.failure)
    this.inFlight = undefined
    for (const p of this.queue.splice(0)) this.settle(p, this.failure)
  }

  /** A protocol breach: fail everything with `err` and stop the engine. */
  private abandon (err: Error): void {
    this.fail(err)
    this.child.kill('SIGKILL')
  }

  private describeExit (code: number | null, signal: string | null): string {
    const how = signal != null ? `was killed by ${signal}` : `exited with code ${String(code)}`
    const tail = this.stderrTail.trim()
    return `GTP engine ${how}${tail === '' ? '' : `; stderr: ${tail.slice(-500)}`}`
  }
}
