import { randomInt } from 'node:crypto'
import { createInterface } from 'node:readline'
import { SimpleGtp } from '../../bot/simple-gtp.js'
import { seededRandom } from '../../bot/simple-player.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'

const usage = `Usage: p2pgo engine [--seed N]

A simple built-in Go engine speaking GTP 2 on standard input and output, for bots on machines
without GNU Go, e.g.
  p2pgo bot --engine "p2pgo engine" --seek
It captures what it can, saves what it can, never fills its own eyes, and otherwise plays
randomly near the stones; it passes when the opponent passed and nothing is left to fight over.
It reads commands until 'quit' or the end of input.

  --seed N   seed its random choices (0 to 4294967295), so the same commands get the same
             answers; a random seed when absent

Exit status: 0.`

/** Largest --seed: the generator keeps 32 bits. */
const MAX_SEED = 0xffffffff

/**
 * Answers GTP command lines until `quit` or the end of `lines`, printing each response (print adds
 * the final newline). Returns the exit status.
 */
export async function serveGtp (lines: AsyncIterable<string>, engine: SimpleGtp, print: (text: string) => void): Promise<number> {
  for await (const line of lines) {
    const response = engine.respond(line)
    if (response != null) print(response.slice(0, -1))
    if (engine.done) break
  }
  return 0
}

export const engineCommand: Command = {
  path: ['engine'],
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { seed: { type: 'string' } }, allowPositionals: false, strict: true })
    const text = parsed.values.seed
    let seed: number
    if (text == null) seed = randomInt(0, MAX_SEED)
    else {
      if (!/^\d+$/.test(text) || Number(text) > MAX_SEED) throw new UsageError(`--seed must be a whole number from 0 to ${MAX_SEED}, got '${text}'`)
      seed = Number(text)
    }
    const engine = new SimpleGtp({ random: seededRandom(seed) })
    // GTP is the whole of standard input: the only command here that reads it.
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })
    try {
      return await serveGtp(lines, engine, io.print)
    } finally {
      lines.close()
    }
  }
}
