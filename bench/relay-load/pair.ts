// One relayed game between two load clients, played and checked from both sides: Black dials
// White's circuit address (`<relay>/p2p-circuit/p2p/<white>`), both start the co-signed game,
// they alternate random legal moves with a pause before each, the side to move resigns after a
// drawn number of plies, and both must hold the same signed acts and the co-signed result. A game is cut off when
// its relayed connection closes before that, or a move or the end does not arrive in time.
import { performance } from 'node:perf_hooks'
import { multiaddr } from '@multiformats/multiaddr'
import { agree } from '../network/nodes.js'
import { pickMove, type Client } from './client.js'
import type { GameReport, WorkerSettings } from './protocol.js'
import type { Connection } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

/** A dial through the relay that takes longer than this failed. */
const DIAL_TIMEOUT_MS = 20_000
/** The co-signed end (resign, both results, both acknowledged) must be complete within this. */
const END_TIMEOUT_MS = 20_000

export interface PairContext {
  readonly settings: WorkerSettings
  readonly random: () => number
  /** performance.now() at the worker's start: reports carry times relative to it. */
  readonly origin: number
  /** True once the bench asked to wind down: the game resigns at its next turn. */
  readonly stopping: () => boolean
  /** A move was applied on the other side, `ms` after the mover's perform() began. */
  readonly onMove: (ms: number) => void
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** A uniform draw from [min, max]. */
export function between (random: () => number, [min, max]: readonly [number, number]): number {
  return min + random() * (max - min)
}

/** Polls (every 10 ms, bounded) until `check` holds; resolves false on time-out. */
async function until (check: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms
  while (!check()) {
    if (performance.now() > deadline) return false
    await sleep(10)
  }
  return true
}

const hex = (sig: Uint8Array): string => Buffer.from(sig).toString('hex')

/** Both players' acts as one side holds them: the signatures, in chain order. */
function record (client: Client, gameId: CID): string[] | undefined {
  const session = client.node.services.games.session(gameId)
  if (session == null) return undefined
  return [...session.acts.B.map(a => hex(a.sig)), '|', ...session.acts.W.map(a => hex(a.sig))]
}

/** Plays one game between `black` and `white` through the relay; never throws. */
export async function playGame (pair: number, black: Client, white: Client, ctx: PairContext): Promise<GameReport> {
  const { settings } = ctx
  const startedAt = performance.now() - ctx.origin
  const report = (fields: Omit<GameReport, 'pair' | 'startedAt' | 'endedAt'>): GameReport => ({ pair, startedAt, endedAt: performance.now() - ctx.origin, ...fields })
  let ply = 0
  let over = false
  let cutOff: string | undefined
  const cut = (why: string): void => { cutOff ??= why }
  // Any connection between the two closing before the game is over cuts it off (the previous
  // game's, hung up just before, may still be closing on the far side: it does not count).
  const previous = new Set([...black.node.getConnections(white.node.peerId), ...white.node.getConnections(black.node.peerId)].map(c => c.id))
  const watcher = (side: string, opponent: Client) => (e: CustomEvent<Connection>): void => {
    if (over || previous.has(e.detail.id) || !e.detail.remotePeer.equals(opponent.node.peerId)) return
    cut(`the relayed connection closed on ${side}'s side at ply ${ply}`)
  }
  const onBlack = watcher('black', white)
  const onWhite = watcher('white', black)
  black.node.addEventListener('connection:close', onBlack)
  white.node.addEventListener('connection:close', onWhite)
  try {
    // The previous game's connection closes on White's side a moment after Black hung up.
    await until(() => white.node.getConnections(black.node.peerId).length === 0, 5000)
    const t0 = performance.now()
    let connection: Connection
    try {
      connection = await black.node.dial(multiaddr(`${settings.relay}/p2p-circuit/p2p/${white.node.peerId.toString()}`), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
    } catch (err) {
      return report({ plies: 0, sameRecord: false, cosigned: false, cutOff: `the dial through the relay failed: ${(err as Error).message}` })
    }
    const dialMs = performance.now() - t0
    if (connection.limits == null) cut('the connection to the opponent is not a relayed (limited) one')
    // White must see the connection before its game starts, or it would dial one of its own.
    if (!await until(() => white.node.getConnections(black.node.peerId).some(c => c.status === 'open' && !previous.has(c.id)), 10_000)) {
      cut('the relayed connection never opened on white\'s side')
    }
    const { start, gameId } = await agree(black.key, white.key, { size: 9 })
    await black.node.services.games.startGame({ start, gameId, opponent: white.node.peerId, me: 'B' })
    await white.node.services.games.startGame({ start, gameId, opponent: black.node.peerId, me: 'W' })
    const length = Math.round(between(ctx.random, [settings.movesPerGame * 2 / 3, settings.movesPerGame * 4 / 3]))
    const side = (n: number): { mover: Client, other: Client } => n % 2 === 0 ? { mover: black, other: white } : { mover: white, other: black }
    for (; ply < length; ply++) {
      await sleep(between(ctx.random, settings.moveDelayMs))
      if (ctx.stopping()) break
      const { mover, other } = side(ply)
      const session = mover.node.services.games.session(gameId)
      if (session == null) { cut('the game is no longer in progress on the mover\'s node'); break }
      const v = pickMove(session.game, ctx.random)
      // No legal move found quickly: resign rather than pass (two passes would start scoring).
      if (v == null) break
      const m0 = performance.now()
      await mover.node.services.games.perform(gameId, async s => s.move(v))
      const n = ply + 1
      const arrived = await until(() => (other.node.services.games.session(gameId)?.game.moves.length ?? 0) >= n, settings.moveTimeoutMs)
      if (!arrived) {
        cut(`move ${n} did not arrive within ${settings.moveTimeoutMs} ms`)
        ply++
        break
      }
      ctx.onMove(performance.now() - m0)
    }
    const plies = ply
    await side(plies).mover.node.services.games.perform(gameId, async s => s.resign())
    const done = (c: Client): boolean => {
      const s = c.node.services.games.session(gameId)
      return s != null && s.results.B != null && s.results.W != null && s.unacked.length === 0
    }
    const cosigned = await until(() => done(black) && done(white), END_TIMEOUT_MS)
    if (!cosigned) cut(`the co-signed end did not complete within ${END_TIMEOUT_MS} ms`)
    over = true
    const a = record(black, gameId)
    const b = record(white, gameId)
    const sameRecord = a != null && b != null && a.length === b.length && a.every((s, i) => s === b[i])
    // Each game gets a fresh circuit: open and close churn is part of the load.
    await black.node.hangUp(white.node.peerId).catch(() => {})
    return report({ plies, sameRecord, cosigned, dialMs, ...(cutOff != null ? { cutOff } : {}) })
  } catch (err) {
    cut(`the game failed: ${(err as Error).message}`)
    over = true
    return report({ plies: ply, sameRecord: false, cosigned: false, ...(cutOff != null ? { cutOff } : {}) })
  } finally {
    over = true
    black.node.removeEventListener('connection:close', onBlack)
    white.node.removeEventListener('connection:close', onWhite)
  }
}
