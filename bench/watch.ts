// The watch benchmark (issue 20): two full p2pgo nodes play a game on 127.0.0.1 with 0, 10, 50
// watcher nodes following it (protocols/watch.md: the players feed at most two seeds, gossip
// does the fan-out). Reports the players' upload per move, its ratio to an unwatched game, and
// a move's delay from the mover's act to the median and the 95th-percentile watcher. With
// watchers, the same two players first play a game nobody watches in the same network: the ratio
// to it is what watching costs, apart from what the watcher nodes cost by being in the network.
//
//   npm run bench:watch -- [--watchers 0,10,50] [--moves 40] [--pause-ms 500] [--json]
//
// Players (and a bootstrap node) run in this process, each with its own byte meter; watchers
// run 25 to a child process. Every process is stopped (or killed) before the harness exits.
import '../src/polyfill.js'
import { parseArgs } from 'node:util'
import { runAsProgram } from './network/main.js'
import { median, quantile } from './network/stats.js'
import { runOnce, type RunResult } from './watch/run.js'

const usage = 'Usage: npm run bench:watch -- [--watchers 0,10,50] [--moves 40] [--pause-ms 500] [--json]'
/** The pattern of moves (bench/watch/run.ts point) stays legal and capture-free this long. */
const MAX_MOVES = 70

export interface WatchRun {
  readonly watchers: number
  readonly playerUploadBytesPerMove: number
  readonly ratioToUnwatched: number | null
  /** Added: the players' upload per move for a game nobody watched in the same network (the watcher nodes up, connected), and the ratio to it: what watching itself costs. */
  readonly sameNetworkUnwatchedBytesPerMove: number | null
  readonly ratioToSameNetworkUnwatched: number | null
  readonly moveDelayMsP50: number | null
  readonly moveDelayMsP95: number | null
  /** How many of the watchers saw every move. */
  readonly watchersSawAll: number
  /** Added: watchers whose watch() resolved (the delays are theirs). */
  readonly watchersFollowing: number
  /** Added: the players' upload per move by protocol ("framing" is the rest: encryption, muxing, stream negotiation). */
  readonly playerUploadBytesPerMoveByProtocol: Record<string, number>
  /** Added: the same by whom it went to, and how many watchers got anything from a player. */
  readonly playerUploadBytesPerMoveByPeer: Record<string, number>
  readonly watchersSentTo: number
  /** Added: the players' gossipsub bytes per move by kind and topic (each part encoded alone). */
  readonly playerGossipBytesPerMove: Record<string, number>
  /** Added: streams the players opened or accepted during the game, by protocol and direction. */
  readonly playerStreams: Record<string, number>
  /** Added: bytes out of the players while the watchers joined (catch-up answers), before move 1. */
  readonly playerUploadBytesWhileJoining: number
}

/**
 * Per move: the delay to the q-quantile watcher among those that followed the game (one that
 * never saw the move counts as never); the median over the moves.
 */
function delay (r: RunResult, moves: number, q: number): number | null {
  const following = r.seenAt.filter((_, i) => r.followed[i])
  if (following.length === 0) return null
  const perMove: number[] = []
  for (let ply = 0; ply < moves; ply++) {
    const ds = following.map(at => at[ply] == null ? Infinity : at[ply]! - r.actAt[ply]).sort((a, b) => a - b)
    perMove.push(quantile(ds, q))
  }
  const m = median(perMove)
  return Number.isFinite(m) ? Math.round(m) : null
}

function summarize (r: RunResult, moves: number, unwatched: number | undefined): WatchRun {
  const perMove = Math.round(r.uploadBytes / moves)
  const control = r.unwatchedUploadBytes == null ? null : Math.round(r.unwatchedUploadBytes / moves)
  const perMoveOf = (o: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v / moves)]))
  const labelled = Object.values(r.uploadByProtocol).reduce((a, b) => a + b, 0)
  const byProtocol = perMoveOf({ ...r.uploadByProtocol, framing: Math.max(0, r.uploadBytes - labelled) })
  return {
    watchers: r.watchers,
    playerUploadBytesPerMove: perMove,
    ratioToUnwatched: unwatched == null || unwatched === 0 ? null : Number((perMove / unwatched).toFixed(2)),
    sameNetworkUnwatchedBytesPerMove: control,
    ratioToSameNetworkUnwatched: control == null || control === 0 ? null : Number((perMove / control).toFixed(2)),
    moveDelayMsP50: delay(r, moves, 0.5),
    moveDelayMsP95: delay(r, moves, 0.95),
    watchersSawAll: r.seenAt.filter(at => at.slice(0, moves).length === moves && at.slice(0, moves).every(x => x != null)).length,
    watchersFollowing: r.followed.filter(x => x).length,
    playerUploadBytesPerMoveByProtocol: byProtocol,
    playerUploadBytesPerMoveByPeer: perMoveOf(r.uploadByPeer),
    watchersSentTo: r.watchersSentTo,
    playerGossipBytesPerMove: perMoveOf(r.uploadGossip),
    playerStreams: Object.fromEntries(Object.entries(r.streams).sort((a, b) => b[1] - a[1])),
    playerUploadBytesWhileJoining: r.joinUploadBytes
  }
}

const cell = (x: number | null): string => x == null ? '-' : String(x)

function table (runs: WatchRun[]): string {
  const lines = ['watchers  upload B/move  ratio  same network unwatched B/move  ratio to it  delay p50 ms  delay p95 ms  saw all  while joining B',
    ...runs.map(r => `${String(r.watchers).padStart(8)}  ${String(r.playerUploadBytesPerMove).padStart(13)}  ${cell(r.ratioToUnwatched).padStart(5)}  ${cell(r.sameNetworkUnwatchedBytesPerMove).padStart(29)}  ${cell(r.ratioToSameNetworkUnwatched).padStart(11)}  ${cell(r.moveDelayMsP50).padStart(12)}  ${cell(r.moveDelayMsP95).padStart(12)}  ${`${r.watchersSawAll}/${r.watchers}`.padStart(7)}  ${String(r.playerUploadBytesWhileJoining).padStart(15)}`)]
  const list = (o: Record<string, number>, min = 0): string => Object.entries(o).filter(([, v]) => v >= min).map(([k, v]) => `${k} ${v}`).join(', ')
  for (const r of runs) {
    lines.push('', `${r.watchers} watchers (${r.watchersFollowing} followed; the players sent to ${r.watchersSentTo} of them during the game), players' upload per move (B):`)
    lines.push(`  by protocol: ${list(r.playerUploadBytesPerMoveByProtocol)}`)
    lines.push(`  by peer: ${list(r.playerUploadBytesPerMoveByPeer)}`)
    lines.push(`  gossipsub (from 10 B): ${list(r.playerGossipBytesPerMove, 10)}`)
    lines.push(`  streams during the game (not per move): ${list(r.playerStreams)}`)
  }
  return lines.join('\n')
}

async function main (): Promise<number> {
  const { values } = parseArgs({ options: { watchers: { type: 'string', default: '0,10,50' }, moves: { type: 'string', default: '40' }, 'pause-ms': { type: 'string', default: '500' }, json: { type: 'boolean' } } })
  const counts = values.watchers.split(',').map(s => Number(s.trim()))
  const moves = Number(values.moves)
  const pauseMs = Number(values['pause-ms'])
  if (counts.length === 0 || counts.some(n => !Number.isInteger(n) || n < 0 || n > 200) || !Number.isInteger(moves) || moves < 1 || moves > MAX_MOVES || !(pauseMs >= 0)) {
    console.error(`bench:watch: --watchers takes whole numbers from 0 to 200 separated by commas, --moves a whole number from 1 to ${MAX_MOVES}, --pause-ms a number of ms from 0\n${usage}`)
    return 2
  }
  const say = (line: string): void => { if (values.json !== true) console.log(line) }
  const watchdog = setTimeout(() => { console.error('bench:watch: gave up after 30 min'); process.exit(1) }, 30 * 60_000)
  watchdog.unref()
  // The unwatched game first: the ratio's denominator.
  const order = [...new Set(counts)].sort((a, b) => a - b)
  const results: RunResult[] = []
  for (const n of order) {
    say(`${n} watchers: ${moves} moves, ${pauseMs} ms between them`)
    const r = await runOnce({ watchers: n, moves, pauseMs, say })
    say(`  game played in ${r.seconds.toFixed(1)} s`)
    results.push(r)
  }
  const base = results.find(r => r.watchers === 0)
  const unwatched = base == null ? undefined : Math.round(base.uploadBytes / moves)
  const runs = results.map(r => summarize(r, moves, unwatched))
  if (values.json === true) console.log(JSON.stringify({ moves, runs }))
  else console.log(`\n${table(runs)}`)
  return 0
}

runAsProgram(import.meta.url, main)
