// The watch benchmark (issue 20): two full p2pgo nodes play a game on 127.0.0.1 with 0, 10, 50
// watcher nodes following it (protocols/watch.md: the players feed at most two seeds, gossip
// does the fan-out). Reports the players' upload per move, its ratio to an unwatched game, and
// a move's delay from the mover's act to the median and the 95th-percentile watcher.
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
  readonly moveDelayMsP50: number | null
  readonly moveDelayMsP95: number | null
  /** How many of the watchers saw every move. */
  readonly watchersSawAll: number
  /** Added: the players' upload per move by protocol, and while the watchers joined (before move 1). */
  readonly playerUploadBytesPerMoveByProtocol: Record<string, number>
  readonly playerUploadBytesWhileJoining: number
}

/** Per move: the delay to the q-quantile watcher (a watcher that never saw it counts as never); the median over moves. */
function delay (r: RunResult, moves: number, q: number): number | null {
  if (r.watchers === 0) return null
  const perMove: number[] = []
  for (let ply = 0; ply < moves; ply++) {
    const ds = r.seenAt.map(at => at[ply] == null ? Infinity : at[ply]! - r.actAt[ply]).sort((a, b) => a - b)
    perMove.push(quantile(ds, q))
  }
  const m = median(perMove)
  return Number.isFinite(m) ? Math.round(m) : null
}

function summarize (r: RunResult, moves: number, unwatched: number | undefined): WatchRun {
  const perMove = Math.round(r.uploadBytes / moves)
  const byProtocol = Object.fromEntries(Object.entries(r.uploadByProtocol).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v / moves)]))
  return {
    watchers: r.watchers,
    playerUploadBytesPerMove: perMove,
    ratioToUnwatched: unwatched == null || unwatched === 0 ? null : Number((perMove / unwatched).toFixed(2)),
    moveDelayMsP50: delay(r, moves, 0.5),
    moveDelayMsP95: delay(r, moves, 0.95),
    watchersSawAll: r.seenAt.filter(at => at.slice(0, moves).length === moves && at.slice(0, moves).every(x => x != null)).length,
    playerUploadBytesPerMoveByProtocol: byProtocol,
    playerUploadBytesWhileJoining: r.joinUploadBytes
  }
}

const cell = (x: number | null): string => x == null ? '-' : String(x)

function table (runs: WatchRun[]): string {
  const lines = ['watchers  upload B/move  ratio  delay p50 ms  delay p95 ms  saw all  while joining B',
    ...runs.map(r => `${String(r.watchers).padStart(8)}  ${String(r.playerUploadBytesPerMove).padStart(13)}  ${cell(r.ratioToUnwatched).padStart(5)}  ${cell(r.moveDelayMsP50).padStart(12)}  ${cell(r.moveDelayMsP95).padStart(12)}  ${`${r.watchersSawAll}/${r.watchers}`.padStart(7)}  ${String(r.playerUploadBytesWhileJoining).padStart(15)}`)]
  lines.push('', 'players\' upload per move by protocol (B):')
  for (const r of runs) {
    lines.push(`  ${r.watchers} watchers: ${Object.entries(r.playerUploadBytesPerMoveByProtocol).map(([k, v]) => `${k} ${v}`).join(', ')}`)
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
