import { readFile } from 'node:fs/promises'
import { UsageError, type Command } from './command.js'
import { sgfCheckCommand } from './commands/sgf-check.js'
import { idCommand } from './commands/id.js'
import { gamesCommand } from './commands/games.js'
import { exportCommand } from './commands/export.js'
import { bootstrapCommand } from './commands/bootstrap.js'
import { botCommand } from './commands/bot.js'
import { peersCommand } from './commands/peers.js'
import { doctorCommand } from './commands/doctor.js'
import { ratingCommand } from './commands/rating.js'
import { reputationCommand } from './commands/reputation.js'
import { rnaCommand } from './commands/rna.js'
import { matchCommand } from './commands/match.js'
import { playCommand } from './commands/play.js'
import { engineCommand } from './commands/engine.js'
import { watchCommand } from './commands/watch.js'
import { friendsAddCommand, friendsCommand, friendsRemoveCommand } from './commands/friends.js'
import { inboxAcceptCommand, inboxCommand, inboxDismissCommand } from './commands/inbox.js'
import { messageCommand } from './commands/message.js'
import { challengeCommand } from './commands/challenge.js'
import { P2PGO_VERSION } from '../version.js'
import { isTimeout } from '../queries/query-text.js'
import type { CommandIo } from './io.js'

/** Every command, in the order the help lists them. Add a command by adding its file here. */
export const commands: readonly Command[] = [
  playCommand,
  sgfCheckCommand,
  idCommand,
  gamesCommand,
  exportCommand,
  bootstrapCommand,
  botCommand,
  peersCommand,
  doctorCommand,
  ratingCommand,
  reputationCommand,
  rnaCommand,
  matchCommand,
  engineCommand,
  watchCommand,
  friendsCommand,
  friendsAddCommand,
  friendsRemoveCommand,
  challengeCommand,
  messageCommand,
  inboxCommand,
  inboxAcceptCommand,
  inboxDismissCommand
]

/** Errors of the operator's making (a bad config, a home in use): a sentence and exit status 1, no stack. */
const PLAIN_ERRORS = new Set(['ERR_CONFIG', 'ERR_HOME', 'ERR_IDENTITY', 'ERR_HOME_IN_USE', 'ERR_NO_NODE', 'ERR_CONTROL', 'ERR_RATING', 'ERR_DAEMON', 'ERR_FRIENDS'])

function overview (): string {
  const width = Math.max(...commands.map(c => c.path.join(' ').length))
  return [
    'p2pgo: play Go with no server in between.',
    '',
    'Usage: p2pgo COMMAND [ARGS...]     (p2pgo COMMAND --help for one command)',
    '',
    ...commands.map(c => `  ${c.path.join(' ').padEnd(width)}   ${c.summary}`),
    '',
    'See README.md for what works today.'
  ].join('\n')
}

/** The default IO: the process's own streams and files. */
export const processIo: CommandIo = {
  print: line => { process.stdout.write(line + '\n') },
  printError: line => { process.stderr.write(line + '\n') },
  readFile: async path => readFile(path)
}

/** Runs the p2pgo command line; returns the exit status instead of exiting, so it can be tested. */
export async function main (argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [first] = argv
  // `p2pgo` alone in a terminal is the terminal client; anywhere else it explains itself.
  if (first == null && process.stdout.isTTY === true && process.stdin.isTTY === true) return main(['play'], io)
  if (first == null || first === '--help' || first === '-h' || first === 'help') {
    io.print(overview())
    return 0
  }
  if (first === '--version' || first === '-v') {
    io.print(`p2pgo ${P2PGO_VERSION}`)
    return 0
  }
  // The longest matching command path wins ('sgf check' before a hypothetical 'sgf').
  const command = [...commands]
    .sort((a, b) => b.path.length - a.path.length)
    .find(c => c.path.every((word, i) => argv[i] === word))
  if (command == null) {
    io.printError(`p2pgo: unknown command '${argv.join(' ')}'\n\n${overview()}`)
    return 2
  }
  const args = argv.slice(command.path.length)
  if (args.includes('--help') || args.includes('-h')) {
    io.print(command.usage)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.printError(`p2pgo ${command.path.join(' ')}: ${err.message}\n\n${command.usage}`)
      return 2
    }
    if (PLAIN_ERRORS.has((err as { code?: string }).code ?? '')) {
      io.printError(`p2pgo ${command.path.join(' ')}: ${(err as Error).message}`)
      return 1
    }
    // A wait no command turned into its own words: still say what kind of wait it was and how to see more.
    if (isTimeout(err)) {
      io.printError(`p2pgo ${command.path.join(' ')}: gave up waiting for the network (${(err as Error).message}); run it again with DEBUG=p2pgo:* to see what it waited for`)
      return 1
    }
    throw err
  }
}
