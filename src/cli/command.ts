import type { CommandIo } from './io.js'

/** One `p2pgo` subcommand: its words, its help, and a handler that returns the exit status. */
export interface Command {
  /** The words that select it, e.g. ['sgf', 'check'] or ['id']. */
  readonly path: readonly string[]
  /** One line for the command list. */
  readonly summary: string
  /** The full usage text, printed for --help and after a usage error. */
  readonly usage: string
  /** Runs with the arguments after the command's words. Throw UsageError for bad arguments. */
  run: (args: readonly string[], io: CommandIo) => Promise<number>
}

/** Bad arguments: main() prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
