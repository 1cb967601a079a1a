import { parseArgs, type ParseArgsConfig } from 'node:util'
import { peerIdFromString } from '@libp2p/peer-id'
import type { CommandIo } from './io.js'

/** One `p2pgo` subcommand: its words, its help, and a handler that returns the exit status. */
export interface Command {
  /** The words that select it, e.g. ['sgf', 'check'] or ['id']. */
  readonly path: readonly string[]
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

/** node:util's parseArgs, its errors turned into UsageError (exit status 2 with the usage). */
export function parseCommandArgs<T extends ParseArgsConfig> (config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

/** The one optional PEER_ID argument of a command, checked; UsageError for more than one or a bad ID. */
export function optionalPeerIdArg (positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError('give at most one PEER_ID')
  const peer = positionals[0]
  if (peer != null) {
    try {
      peerIdFromString(peer)
    } catch {
      throw new UsageError(`"${peer}" is not a peer ID`)
    }
  }
  return peer
}
