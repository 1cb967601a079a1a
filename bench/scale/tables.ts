// The games of a scale run's playing phase: a few tables, each playing games back to back between
// two live nodes (in different processes when there are several) until the phase ends. Under
// churn a table takes its next two players among the nodes up then, fresh ones included.
import type { Fleet, Seat } from './churn.js'
import type { PlayedGame } from './checks.js'

/**
 * Plays on `tables` tables until `until` (ms since the epoch; a game started before it is played
 * to its end). `busy` holds the peers at a table now, so two tables never share a player.
 */
export async function playTables (fleet: Fleet, tables: number, until: number, busy: Set<string>): Promise<PlayedGame[]> {
  const games: PlayedGame[] = []
  await Promise.all(Array.from({ length: tables }, async (_, k) => {
    for (let round = 0; round === 0 || Date.now() < until; round++) {
      const live = fleet.live().filter(s => !busy.has(s.peer))
      if (live.length < 2) return
      const a = live[(k * 14 + round * 5 + 1) % live.length]
      const rest = live.filter(s => s !== a)
      // Across processes when the fleet has several: the opponent in another worker if any.
      const others = rest.filter(s => s.w !== a.w)
      const pool = others.length > 0 ? others : rest
      const b: Seat = pool[(k * 7 + round * 3 + Math.floor(pool.length / 2)) % pool.length]
      busy.add(a.peer)
      busy.add(b.peer)
      try {
        const reply = await a.w.ask({ t: 'play', node: a.i, opponent: b.peer }, 'play')
        games.push({ by: a, to: b, reply })
      } finally {
        busy.delete(a.peer)
        busy.delete(b.peer)
      }
    }
  }))
  return games
}
