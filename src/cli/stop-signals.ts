// How a long-running command (a bot, the bootstrap relay, the terminal client) hears that it
// should stop. One listener per signal stays installed from start to the end of the command: a
// signal that arrives while the node is stopping (a second Ctrl-C, a supervisor's repeated
// SIGTERM) hurries the stop instead of killing the process half way through it.

/** The stop requests a command has received. */
export interface StopSignals {
  /** Aborted at the first signal: stop. */
  readonly stop: AbortSignal
  /** Aborted at the second: stop now, without waiting for what is still going on. */
  readonly hurry: AbortSignal
  /** Resolves with the first signal's name. */
  readonly first: Promise<string>
  /** Removes the listeners (when the command is done). */
  readonly dispose: () => void
}

/** Listens for `names` (SIGINT and SIGTERM unless told) until disposed. */
export function stopSignals (names: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): StopSignals {
  const stop = new AbortController()
  const hurry = new AbortController()
  const first = Promise.withResolvers<string>()
  const on = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      hurry.abort()
      return
    }
    stop.abort()
    first.resolve(signal)
  }
  for (const name of names) process.on(name, on)
  return {
    stop: stop.signal,
    hurry: hurry.signal,
    first: first.promise,
    dispose: () => { for (const name of names) process.off(name, on) }
  }
}
