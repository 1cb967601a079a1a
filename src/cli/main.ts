import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { sgfCheck, usage as sgfCheckUsage } from './commands/sgf-check.js'
import type { CommandIo } from './io.js'

const usage = `p2pgo: play Go with no server in between.

Usage:
  p2pgo sgf check FILE... [--json]   replay SGF files and report legality, captures, final board
  p2pgo --help | --version

The networked client, ratings, training data and the bootstrap relay come with the next issues
(see README.md).`

/** The default IO: the process's own streams and files. */
export const processIo: CommandIo = {
  print: line => { process.stdout.write(line + '\n') },
  printError: line => { process.stderr.write(line + '\n') },
  readFile: async path => readFile(path)
}

/** Runs the p2pgo command line; returns the exit status instead of exiting, so it can be tested. */
export async function main (argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [command, sub, ...rest] = argv
  if (command == null || command === '--help' || command === '-h' || command === 'help') {
    io.print(usage)
    return 0
  }
  if (command === '--version' || command === '-v') {
    io.print('p2pgo 0.1.0')
    return 0
  }
  if (command === 'sgf' && sub === 'check') {
    let parsed
    try {
      parsed = parseArgs({ args: rest, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
    } catch (err) {
      io.printError(`p2pgo sgf check: ${(err as Error).message}\n\n${sgfCheckUsage}`)
      return 2
    }
    if (parsed.values.help === true) {
      io.print(sgfCheckUsage)
      return 0
    }
    if (parsed.positionals.length === 0) {
      io.printError(`p2pgo sgf check: name at least one SGF file\n\n${sgfCheckUsage}`)
      return 2
    }
    return sgfCheck(parsed.positionals, parsed.values.json === true, io)
  }
  io.printError(`p2pgo: unknown command '${argv.join(' ')}'\n\n${usage}`)
  return 2
}
