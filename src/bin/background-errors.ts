// What a p2pgo process does with an error that nobody awaited: one thrown by an event listener or
// a timer, or a rejected promise nobody handles. Node's default is to print it and exit, which
// for a node with games means its opponents wait out their own timeouts (issue 17: libp2p's
// address manager threw from an event listener and a bot died mid-game). Errors on a command's
// own path (a bad config, a port in use, a bug while starting) reject `main()` and still end the
// process with a message (src/bin/p2pgo.ts): only errors in the background come here.
//
// Policy: log what was thrown and where (origin, event listener or timer, the packages on its
// stack, the first frame, the stack), and keep running. The code that threw was a callback; an
// EventTarget goes on to its other listeners and a timer's siblings still run, so the node's
// state is as whole as that callback left it, while dying loses every game in play (they resume
// on restart, but the opponents are left waiting). A repeat of the same error (same name, same
// place) is logged on its 1st, 2nd, 4th, 8th... occurrence, so a listener that throws on every
// event cannot fill a disk. One exception: a write to a closed stdout or stderr (EPIPE) means the
// reader is gone, and the process exits as a pipe's writer does.

import { join } from 'node:path'

/** How Node reported it: thrown with nobody to catch it, or a rejection nobody handled. */
export type BackgroundOrigin = 'uncaughtException' | 'unhandledRejection'

/** What ran when it was thrown, read from the stack. */
export type BackgroundSource = 'event listener' | 'timer' | 'promise' | 'callback'

/** A background error, described for a log line. */
export interface BackgroundErrorReport {
  readonly origin: BackgroundOrigin
  readonly source: BackgroundSource
  readonly name: string
  readonly message: string
  /** The first stack frame outside Node's own code: the function and file that threw. */
  readonly at: string
  /** npm packages on the stack, innermost first (e.g. `@libp2p/utils`, `libp2p`). */
  readonly packages: readonly string[]
  /** The stack's frames (at most `STACK_FRAMES`). */
  readonly frames: readonly string[]
  /** How many times an error of this name and place has been seen, this one included. */
  readonly count: number
}

/** Frames kept in a report: enough to see the library, its caller and the event or timer. */
export const STACK_FRAMES = 12

const PACKAGE = /node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//

/** Describes a background error from its stack (pure; `count` is the caller's to set). */
export function describeBackgroundError (err: unknown, origin: BackgroundOrigin, count = 1): BackgroundErrorReport {
  const error = err instanceof Error ? err : undefined
  const name = error?.name ?? typeof err
  const message = error?.message ?? String(err)
  const stack = typeof error?.stack === 'string' ? error.stack : ''
  const frames = stack.split('\n').map(line => line.trim()).filter(line => line.startsWith('at ')).map(line => line.slice(3))
  const ours = frames.find(frame => !/(^|\()node:/.test(frame)) ?? frames[0] ?? 'an unknown place (no stack)'
  const packages: string[] = []
  for (const frame of frames) {
    const m = PACKAGE.exec(frame)
    if (m != null && !packages.includes(m[1])) packages.push(m[1])
  }
  const source: BackgroundSource = origin === 'unhandledRejection'
    ? 'promise'
    : frames.some(f => f.includes('node:internal/event_target') || f.includes('node:events'))
      ? 'event listener'
      : frames.some(f => f.includes('node:internal/timers'))
        ? 'timer'
        : 'callback'
  return { origin, source, name, message, at: ours, packages, frames: frames.slice(0, STACK_FRAMES), count }
}

const SOURCE_TEXT: Record<BackgroundSource, string> = {
  'event listener': 'by an event listener',
  timer: 'by a timer',
  promise: 'by a promise nobody awaited',
  callback: 'by a callback'
}

/** The report as plain lines for stderr: what, where, that the node keeps running; the stack on first sight. */
export function backgroundErrorText (report: BackgroundErrorReport): string {
  const libs = report.packages.length > 0 ? ` (libraries on its stack: ${report.packages.join(', ')})` : ''
  if (report.count > 1) {
    return `p2pgo: the same background error again (${report.count} times now), still running: ${report.name}: ${report.message} at ${report.at}`
  }
  return [
    `p2pgo: an error was thrown in the background ${SOURCE_TEXT[report.source]}${libs}, and nothing caught it. ` +
      'This node keeps running and keeps its games (README, "When a library throws").',
    `  ${report.name}: ${report.message}`,
    `  thrown at ${report.at}`,
    ...report.frames.slice(1).map(frame => `    at ${frame}`)
  ].join('\n')
}

/** Whether an error says the process's own output is gone (its reader closed the pipe). */
export function isBrokenOutput (err: unknown): boolean {
  const e = err as { code?: unknown, syscall?: unknown } | undefined
  return e?.code === 'EPIPE' && (e.syscall == null || e.syscall === 'write')
}

/** Counts background errors by name and place, and says which occurrences to log (1st, 2nd, 4th, 8th, ...). */
export class BackgroundErrorLog {
  private readonly seen = new Map<string, number>()
  /** Distinct places remembered; past it, new places share one count (bounded memory). */
  static readonly MAX_PLACES = 1000

  constructor (private readonly write: (report: BackgroundErrorReport) => void) {}

  /** Records one error; writes its report when its count is a power of two. */
  record (err: unknown, origin: BackgroundOrigin): void {
    const first = describeBackgroundError(err, origin)
    let key = `${first.name} ${first.at}`
    if (!this.seen.has(key) && this.seen.size >= BackgroundErrorLog.MAX_PLACES) key = 'other places'
    const count = (this.seen.get(key) ?? 0) + 1
    this.seen.set(key, count)
    if ((count & (count - 1)) === 0) this.write(count === 1 ? first : { ...first, count })
  }
}

/** What the process does; the real `process` outside tests. */
export interface ProcessLike {
  on: (event: 'uncaughtException', listener: (err: unknown, origin: BackgroundOrigin) => void) => unknown
  off: (event: 'uncaughtException', listener: (err: unknown, origin: BackgroundOrigin) => void) => unknown
  exit: (code: number) => void
}

/**
 * Installs the policy on the process: background errors are logged through `write` and the
 * process keeps running; a broken stdout or stderr ends it (status 1). Returns the uninstaller.
 * One `uncaughtException` listener covers unhandled rejections too (Node raises them as
 * uncaught exceptions with origin 'unhandledRejection' when nobody listens for them).
 */
export function keepRunningOnBackgroundErrors (write: (report: BackgroundErrorReport) => void, proc: ProcessLike = process): () => void {
  const log = new BackgroundErrorLog(write)
  const listener = (err: unknown, origin: BackgroundOrigin): void => {
    if (isBrokenOutput(err)) {
      proc.exit(1)
      return
    }
    try {
      log.record(err, origin)
    } catch {
      // Logging itself failed (stderr gone): keep running all the same.
    }
  }
  proc.on('uncaughtException', listener)
  return () => { proc.off('uncaughtException', listener) }
}

/** Where a command's background errors are written: the relay's JSON log, a file, or stderr. */
export type BackgroundErrorSink =
  | { readonly kind: 'json' }
  | { readonly kind: 'file', readonly path: string }
  | { readonly kind: 'stderr' }

/** The file in the home where the terminal client's background errors go (stderr is its screen). */
export const CLIENT_ERROR_LOG = 'background-errors.log'

/**
 * Chooses the sink from the command line (pure): the bootstrap relay logs JSON lines; the
 * terminal client (`play`, or no command in a terminal) appends to CLIENT_ERROR_LOG in its home,
 * whose directory `homeOf` resolves from the `--home` flag (undefined when absent); every other
 * command writes stderr.
 */
export function backgroundErrorSink (argv: readonly string[], interactive: boolean, homeOf: (flag: string | undefined) => string): BackgroundErrorSink {
  if (argv[0] === 'bootstrap') return { kind: 'json' }
  if (argv[0] !== 'play' && !(argv.length === 0 && interactive)) return { kind: 'stderr' }
  let flag: string | undefined
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--home') flag = argv[i + 1]
    else if (argv[i].startsWith('--home=')) flag = argv[i].slice('--home='.length)
  }
  try {
    return { kind: 'file', path: join(homeOf(flag), CLIENT_ERROR_LOG) }
  } catch {
    // A bad --home is the command's to report; its background errors go to stderr meanwhile.
    return { kind: 'stderr' }
  }
}
