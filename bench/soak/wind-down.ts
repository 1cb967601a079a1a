// How the soak ends without cutting games short: each bot is stopped (SIGTERM) as soon as it and
// the opponent of its last game both hold that game's co-signed result; then the homes are read,
// and any game still unfinished in a home (one that began in the instant before its bot's stop)
// is played out by starting its players again on their homes with `--games N` (N = the games
// they hold unfinished: a bot resumes those first and exits after them). What remains unfinished
// after that is lost, and the ledger says so.
import { performance } from 'node:perf_hooks'
import { runP2pgo } from '../network/processes.js'
import { current, eventsOf, startBot, stopGently, type BotSettings, type SoakNode } from './fleet.js'
import { gameInProgress, type GameRow } from './ledger.js'

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** The id of the last game a bot announced, and its opponent's peer ID. */
function lastGame (node: SoakNode, origin: number): { id: string, opponent: string } | undefined {
  const started = eventsOf(node, origin).filter(e => e.event.type === 'game:started')
  const e = started[started.length - 1]
  return e != null ? { id: String(e.event.gameId), opponent: String(e.event.opponent) } : undefined
}

/** Whether a bot can be stopped now without leaving a game half-signed. */
function settled (node: SoakNode, bots: readonly SoakNode[], origin: number, t: number): boolean {
  if (gameInProgress(eventsOf(node, origin), t) != null) return false
  const last = lastGame(node, origin)
  if (last == null) return true
  const opponent = bots.find(b => b.peer === last.opponent)
  if (opponent == null || current(opponent) == null) return true
  const theirs = gameInProgress(eventsOf(opponent, origin), t)
  return theirs?.id !== last.id
}

/**
 * Stops every bot once it is settled, checking every `everyMs`; after `limitMs` the rest are
 * stopped as they are (their games are then played out by `resumeUnfinished`). Returns the names
 * stopped unsettled.
 */
export async function drain (bots: readonly SoakNode[], origin: number, limitMs: number, everyMs = 100): Promise<string[]> {
  const deadline = performance.now() + limitMs
  const pending = new Set(bots.filter(b => current(b) != null))
  while (pending.size > 0 && performance.now() < deadline) {
    const t = (performance.now() - origin) / 1000 + 1
    const ready = [...pending].filter(b => settled(b, bots, origin, t))
    for (const b of ready) pending.delete(b)
    await Promise.all(ready.map(async b => { await stopGently(b) }))
    if (pending.size > 0) await sleep(everyMs)
  }
  const forced = [...pending]
  await Promise.all(forced.map(async b => { await stopGently(b) }))
  return forced.map(b => b.name)
}

/** `p2pgo games --json` of a stopped bot's home; undefined (with the reason in `errors`) when it fails. */
export async function gamesOf (node: SoakNode, errors: string[]): Promise<GameRow[] | undefined> {
  const { code, stdout, stderr } = await runP2pgo(['games', '--home', node.home, '--json'])
  if (code !== 0) {
    errors.push(`p2pgo games --home ${node.name}: exit ${code}: ${stderr.trim()}`)
    return undefined
  }
  return JSON.parse(stdout) as GameRow[]
}

export interface Resumed {
  /** Bots started again, and how many unfinished games each held. */
  readonly bots: Record<string, number>
  /** Bots that did not finish them within the limit (stopped). */
  readonly timedOut: string[]
}

/** Plays out games left unfinished in the homes; returns what it did. */
export async function resumeUnfinished (bots: readonly SoakNode[], settings: Omit<BotSettings, 'games'>, now: () => number, limitMs: number, errors: string[]): Promise<Resumed> {
  const held: Record<string, number> = {}
  for (const b of bots) {
    const rows = await gamesOf(b, errors)
    const open = (rows ?? []).filter(g => g.result == null).length
    if (open > 0) held[b.name] = open
  }
  const chosen = bots.filter(b => held[b.name] != null)
  for (const b of chosen) startBot(b, { ...settings, games: held[b.name] }, now)
  const deadline = performance.now() + limitMs
  while (chosen.some(b => current(b) != null) && performance.now() < deadline) await sleep(500)
  const timedOut = chosen.filter(b => current(b) != null).map(b => b.name)
  await Promise.all(chosen.map(async b => { await stopGently(b) }))
  return { bots: held, timedOut }
}

/**
 * Whether both players' homes export the same SGF for a game, byte for byte (`p2pgo export`
 * builds it from the acts both signed); the reason when not.
 */
export async function sameExport (players: readonly SoakNode[], id: string): Promise<{ same: boolean, why?: string }> {
  const out: string[] = []
  for (const p of players) {
    const { code, stdout, stderr } = await runP2pgo(['export', id, '--home', p.home])
    if (code !== 0) return { same: false, why: `p2pgo export in ${p.name}'s home exited ${code}: ${stderr.trim()}` }
    out.push(stdout)
  }
  return out.every(x => x === out[0]) ? { same: true } : { same: false, why: `the exports of ${players.map(p => p.name).join(' and ')} differ` }
}
