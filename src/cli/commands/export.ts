import { sgfOfStored } from '../../net/game/game-record.js'
import { parseCommandArgs, UsageError, type Command } from '../command.js'
import { openOfflineHome } from '../../home/offline-home.js'

const usage = `Usage: p2pgo export GAME_ID [--home DIR]

Writes the game as SGF (FF[4]) to standard output. GAME_ID is the ID \`p2pgo games\` lists, or
any unique prefix of it. Both players export byte-identical SGF for the same game: it is built
from the acts both signed (moves, the clock each player reported, the co-signed result).

Reads the home's datastore, so it cannot run while a p2pgo node uses the same home.
Exit status: 0 on success; 1 when the game is unknown or the home cannot be read; 2 for bad arguments.`

export const exportCommand: Command = {
  path: ['export'],
  usage,
  async run (args, io) {
    const parsed = parseCommandArgs({ args: [...args], options: { home: { type: 'string' } }, allowPositionals: true, strict: true })
    if (parsed.positionals.length !== 1) throw new UsageError('name exactly one game ID')
    const offline = await openOfflineHome(parsed.values.home)
    try {
      const id = await offline.games.find(parsed.positionals[0])
      if (id == null) {
        io.printError(`p2pgo export: no game ${parsed.positionals[0]} in ${offline.home.dir} (or the prefix is not unique): see p2pgo games`)
        return 1
      }
      const text = await sgfOfStored(await offline.games.get(id), offline.key)
      io.print(text.trimEnd())
      return 0
    } finally {
      await offline.close()
    }
  }
}
