import { recordOfStored } from '../../net/game/game-record.js'
import { parseCommandArgs, type Command } from '../command.js'
import { openOfflineHome } from '../../home/offline-home.js'
import { gameStatus, type GameStatus } from '../../queries/game-status.js'
import { sessionOfStored } from '../../queries/stored-session.js'

const usage = `Usage: p2pgo games [--home DIR] [--json]

Lists the games stored in the home, finished or not, oldest first.

  --json   one line: a JSON array of
           {"id":"bafy...","opponent":"12D3KooW...","color":"B","size":9,"result":"W+R"|null,
            "moves":42,"finishedAt":"2026-11-22T10:00:00.000Z"|null,
            "closedAt":"2026-11-22T10:00:00.000Z"|null,"closedResult":"W+T"|null,
            "kind":"live"|"correspondence","turn":"B"|"W"|null,"myTurn":true|false,
            "timeLeft":{"B":MS|null,"W":MS|null}}
           "moves" counts the turns played (passes included); "result" and "finishedAt" are null
           until both players have signed the result. "closedAt" and "closedResult": the game
           was closed without the opponent's signature on its end (a flag claimed, a silent
           opponent left, an end left unsigned: protocols/game.md, "Abandonment"); it is unrated
           and not resumed. "turn" is the side to move (null once the game is over or being
           scored); "timeLeft" is each side's time in ms, null with no time limit: a
           correspondence clock counts wall time up to now, a live one stands as at the last act.

Reads the home's datastore, so it cannot run while a p2pgo node uses the same home.
Exit status: 0 on success; 1 when the home cannot be read; 2 for bad arguments.`

/** One game as `p2pgo games --json` lists it: a public contract. */
export interface GameListing extends GameStatus {
  id: string
  opponent: string
  color: 'B' | 'W'
  size: number
  result: string | null
  moves: number
  finishedAt: string | null
  /** Added: when the game was closed without the opponent's signature on its end, and the result it stands at here. */
  closedAt: string | null
  closedResult: string | null
}

export const gamesCommand: Command = {
  path: ['games'],
  usage,
  async run (args, io) {
    const values = parseCommandArgs({ args: [...args], options: { home: { type: 'string' }, json: { type: 'boolean' } }, strict: true }).values
    const offline = await openOfflineHome(values.home)
    try {
      const rows: Array<{ created: number, listing: GameListing }> = []
      for (const id of await offline.games.ids()) {
        const stored = await offline.games.get(id)
        const record = await recordOfStored(stored, offline.key)
        const session = await sessionOfStored(stored, offline.key, Date.now)
        const finished = stored.meta.finishedAt != null
        const closed = !finished && stored.meta.closedAt != null
        rows.push({
          created: stored.start.created,
          listing: {
            id: id.toString(),
            opponent: stored.meta.opponent,
            color: stored.meta.me,
            size: stored.start.terms.size,
            result: finished ? stored.meta.result ?? null : null,
            moves: record.moves.length,
            finishedAt: finished ? new Date(stored.meta.finishedAt as number).toISOString() : null,
            closedAt: closed ? new Date(stored.meta.closedAt as number).toISOString() : null,
            closedResult: closed ? stored.meta.result ?? 'Void' : null,
            ...gameStatus(session.game, stored.meta.me, finished || closed || session.end != null, Date.now())
          }
        })
      }
      const clean = rows.sort((a, b) => a.created - b.created).map(r => r.listing)
      if (values.json === true) {
        io.print(JSON.stringify(clean))
      } else if (clean.length === 0) {
        io.print('no games yet')
      } else {
        for (const g of clean) io.print(`${g.id}  ${g.size}x${g.size}  ${g.color === 'B' ? 'black' : 'white'} vs ${g.opponent}  ${g.moves} moves  ${g.result ?? (g.closedResult != null ? `closed ${g.closedResult} (unsigned by the opponent)` : `in progress, ${g.kind}, ${g.myTurn ? 'your move' : g.turn == null ? 'nobody to move' : 'their move'}`)}`)
      }
      return 0
    } finally {
      await offline.close()
    }
  }
}
