import { checkSgf, type SgfCheck } from '../../game/sgf-check.js'
import { decodeSgfBytes } from '../../game/sgf.js'
import { illegalMoveMessage } from '../../game/errors.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import type { CommandIo } from '../io.js'

const usage = `Usage: p2pgo sgf check FILE... [--json]

Replays the main line of each SGF file under its rules (RU; simple ko and no suicide when
the file names none) and prints, per file: board size, moves applied (passes included; an
illegal move and what follows are not applied), stones captured by each colour, the first
illegal move (0-based index, move, reason) or none, and the final board.

  --json   one JSON object per file and line, in the order given:
           {"size":N,"moves":N,"captures":{"black":N,"white":N},
            "illegal":null|{"index":N,"move":"dd","reason":"..."},"board":["..X.O..",...]}
           A file that cannot be read or parsed gives {"file":"...","error":"..."}.

Exit status: 0 when every file was read, 1 when any could not be (the others are still checked).`

/** Checks each file in turn; one unreadable file never stops the rest. Returns the exit status. */
export async function sgfCheck (files: readonly string[], json: boolean, io: CommandIo): Promise<number> {
  let failed = 0
  for (const file of files) {
    let result: SgfCheck
    try {
      result = checkSgf(decodeSgfBytes(await io.readFile(file)))
    } catch (err) {
      failed++
      const message = describeError(err)
      if (json) io.print(JSON.stringify({ file, error: message }))
      else io.print(`${file}: error: ${message}`)
      continue
    }
    if (json) io.print(JSON.stringify(result))
    else printHuman(file, result, io)
  }
  return failed > 0 ? 1 : 0
}

function describeError (err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e?.code === 'ENOENT') return 'no such file'
  if (e?.code === 'EISDIR') return 'is a directory, not an SGF file'
  if (e?.code === 'EACCES') return 'permission denied'
  return e instanceof Error ? e.message : String(err)
}

function printHuman (file: string, r: SgfCheck, io: CommandIo): void {
  const illegal = r.illegal == null
    ? 'every move legal'
    : `illegal move ${r.illegal.index} [${r.illegal.move}]: ${r.illegal.reason} (${illegalMoveMessage(r.illegal.reason)})`
  io.print(`${file}: ${r.size}x${r.size}, ${r.moves} moves applied, captures: black ${r.captures.black}, white ${r.captures.white}; ${illegal}`)
  for (const row of r.board) io.print(`  ${row.split('').join(' ')}`)
}

export const sgfCheckCommand: Command = {
  path: ['sgf', 'check'],
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true })
    if (parsed.positionals.length === 0) throw new UsageError('name at least one SGF file')
    return sgfCheck(parsed.positionals, parsed.values.json === true, io)
  }
}
