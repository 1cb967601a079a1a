// The soak's account of every game: pure functions from what the bots announced (their NDJSON
// event streams, across restarts) and what their homes hold at the end (`p2pgo games --json`) to
// the verdict "no game lost".
//
// A game is **finished** when both players' homes hold it once each, with opposite colours, each
// naming the other as opponent, both with a result (a result is only recorded once both players
// signed it) and the same result and move count. A game is **lost** when it was announced or
// stored anywhere and is not finished. A game is **duplicated** when a home holds its id twice, or
// more than two homes hold it. Every ply of a game is announced exactly once to each player across
// its restarts (the event stream's promise): a ply missing or repeated is counted too.

/** One row of `p2pgo games --json`. */
export interface GameRow {
  readonly id: string
  readonly opponent: string
  readonly color: 'B' | 'W'
  readonly size: number
  readonly result: string | null
  readonly moves: number
  readonly finishedAt: string | null
}

/** An event from a bot's `--json-events` stream, with the incarnation (0 = first start) that said it. */
export interface BotEvent {
  readonly incarnation: number
  /** Seconds since the soak began. */
  readonly t: number
  readonly event: Record<string, any>
}

export interface BotAccount {
  readonly name: string
  readonly peer: string
  readonly events: readonly BotEvent[]
  /** The home's games at the end; undefined when they could not be read. */
  readonly home: readonly GameRow[] | undefined
}

/** A hard kill of a bot: when, and the game it was playing (if any). */
export interface Kill {
  readonly t: number
  readonly bot: string
  /** The incarnation killed. */
  readonly incarnation: number
  readonly gameId: string | null
  /** Plies that bot had seen in that game when it died. */
  readonly ply: number | null
}

export interface LostGame {
  readonly id: string
  readonly why: string
  readonly homes: string[]
}

export interface Ledger {
  /** Distinct game ids announced (game:started) or stored in any home. */
  readonly started: number
  readonly finished: number
  readonly lost: LostGame[]
  readonly duplicated: Array<{ id: string, why: string }>
  /** Per player and game: plies never announced, or announced more than once. */
  readonly plyFaults: Array<{ bot: string, id: string, missing: number[], repeated: number[] }>
  /** Games a kill interrupted, and whether each still finished on both sides. */
  readonly interrupted: Array<{ id: string, t: number, ply: number | null, finished: boolean }>
  /** Games per result kind over the finished ones: B+R, W+7.5, ... grouped as "B+R", "W+R", "B+score", "W+score". */
  readonly results: Record<string, number>
  /** Moves over all finished games. */
  readonly moves: number
  /** Finished games per player. */
  readonly perBot: Record<string, number>
}

function resultKind (result: string): string {
  const m = /^([BW])\+(R|T|F)?/.exec(result)
  if (m == null) return result
  return m[2] != null ? `${m[1]}+${m[2]}` : `${m[1]}+score`
}

/** The game the bot was in at time `t` (started and not yet ended with both signatures), if any. */
export function gameInProgress (events: readonly BotEvent[], t: number): { id: string, ply: number } | null {
  let current: string | null = null
  let ply = 0
  for (const e of events) {
    if (e.t > t) break
    const type = e.event.type
    if (type === 'game:started') {
      if (current !== e.event.gameId) ply = 0
      current = e.event.gameId
    } else if (type === 'game:move' && e.event.gameId === current) {
      ply = Math.max(ply, Number(e.event.ply) + 1)
    } else if (type === 'game:ended' && e.event.cosigned === true && e.event.gameId === current) {
      current = null
    }
  }
  return current != null ? { id: current, ply } : null
}

/** Checks every game the bots announced or stored. */
export function account (bots: readonly BotAccount[], kills: readonly Kill[]): Ledger {
  const ids = new Set<string>()
  for (const b of bots) {
    for (const e of b.events) if (e.event.type === 'game:started') ids.add(String(e.event.gameId))
    for (const g of b.home ?? []) ids.add(g.id)
  }
  const lost: LostGame[] = []
  const duplicated: Ledger['duplicated'] = []
  const plyFaults: Ledger['plyFaults'] = []
  const results: Record<string, number> = {}
  const perBot: Record<string, number> = Object.fromEntries(bots.map(b => [b.name, 0]))
  const finishedIds = new Set<string>()
  let moves = 0
  for (const id of [...ids].sort()) {
    const holders = bots.flatMap(b => (b.home ?? []).filter(g => g.id === id).map(g => ({ bot: b, row: g })))
    const names = holders.map(h => h.bot.name)
    const twice = names.filter((n, i) => names.indexOf(n) !== i)
    if (twice.length > 0) duplicated.push({ id, why: `held twice by ${[...new Set(twice)].join(', ')}` })
    const players = [...new Set(names)]
    if (players.length > 2) duplicated.push({ id, why: `held by ${players.length} homes: ${players.join(', ')}` })
    const unread = bots.filter(b => b.home == null && b.events.some(e => e.event.type === 'game:started' && e.event.gameId === id))
    if (unread.length > 0) {
      lost.push({ id, why: `the home of ${unread.map(b => b.name).join(', ')} could not be read`, homes: players })
      continue
    }
    if (players.length < 2) {
      const announcedBy = bots.filter(b => b.events.some(e => e.event.type === 'game:started' && e.event.gameId === id)).map(b => b.name)
      lost.push({ id, why: `only ${players.length === 0 ? 'no home' : players[0]} holds it (announced by ${announcedBy.join(', ') || 'nobody'})`, homes: players })
      continue
    }
    const [a, b] = [holders.find(h => h.bot.name === players[0])!, holders.find(h => h.bot.name === players[1])!]
    const problems: string[] = []
    if (a.row.color === b.row.color) problems.push(`both hold colour ${a.row.color}`)
    if (a.row.opponent !== b.bot.peer || b.row.opponent !== a.bot.peer) problems.push('the opponents named do not match the two players')
    if (a.row.result == null || b.row.result == null) problems.push(`no co-signed result in ${[a, b].filter(h => h.row.result == null).map(h => h.bot.name).join(' and ')}`)
    else if (a.row.result !== b.row.result) problems.push(`results differ: ${a.row.result} / ${b.row.result}`)
    if (a.row.moves !== b.row.moves) problems.push(`move counts differ: ${a.row.moves} / ${b.row.moves}`)
    if (problems.length > 0) {
      lost.push({ id, why: problems.join('; '), homes: players })
      continue
    }
    finishedIds.add(id)
    moves += a.row.moves
    const kind = resultKind(a.row.result as string)
    results[kind] = (results[kind] ?? 0) + 1
    for (const h of [a, b]) {
      perBot[h.bot.name] = (perBot[h.bot.name] ?? 0) + 1
      const seen = new Map<number, number>()
      for (const e of h.bot.events) {
        if (e.event.type === 'game:move' && e.event.gameId === id) seen.set(Number(e.event.ply), (seen.get(Number(e.event.ply)) ?? 0) + 1)
      }
      const missing = [...Array(h.row.moves).keys()].filter(p => !seen.has(p))
      const repeated = [...seen].filter(([, n]) => n > 1).map(([p]) => p)
      if (missing.length > 0 || repeated.length > 0) plyFaults.push({ bot: h.bot.name, id, missing, repeated })
    }
  }
  const interrupted = kills.filter(k => k.gameId != null).map(k => ({ id: k.gameId as string, t: k.t, ply: k.ply, finished: finishedIds.has(k.gameId as string) }))
  return { started: ids.size, finished: finishedIds.size, lost, duplicated, plyFaults, interrupted, results, moves, perBot }
}

/** A game that went quiet: neither player announced anything for it for `seconds`, from `from`. */
export interface Stall {
  readonly id: string
  readonly from: number
  readonly seconds: number
  /** The last thing announced before the silence. */
  readonly after: string
}

/**
 * Games in which neither player announced a start, move or end for longer than `limitS` seconds
 * before `until` (the end of play; a bot stopped after it is silent by design). A GNU Go move
 * takes about a second and a killed bot is back within half a minute, so a silence of minutes
 * means both players are waiting for each other.
 */
export function stalls (bots: readonly BotAccount[], until: number, limitS: number): Stall[] {
  const byGame = new Map<string, Array<{ t: number, what: string }>>()
  for (const b of bots) {
    for (const e of b.events) {
      const type = String(e.event.type)
      if (type !== 'game:started' && type !== 'game:move' && type !== 'game:ended') continue
      const id = String(e.event.gameId)
      const what = `${b.name} ${type}${type === 'game:move' ? ` ply ${String(e.event.ply)}` : ''}`
      byGame.set(id, [...(byGame.get(id) ?? []), { t: e.t, what }])
    }
  }
  const out: Stall[] = []
  for (const [id, list] of byGame) {
    const sorted = list.sort((a, b) => a.t - b.t)
    const ended = sorted.some(e => e.what.endsWith('game:ended'))
    let worst: Stall | undefined
    sorted.forEach((e, i) => {
      if (e.t >= until) return
      const next = i + 1 < sorted.length ? sorted[i + 1].t : (ended ? e.t : until)
      const seconds = Number((Math.min(next, until) - e.t).toFixed(1))
      if (seconds > limitS && (worst == null || seconds > worst.seconds)) worst = { id, from: e.t, seconds, after: e.what }
    })
    if (worst != null) out.push(worst)
  }
  return out.sort((a, b) => a.from - b.from)
}
