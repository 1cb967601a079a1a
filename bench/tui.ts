// Terminal client benchmark: how long from `p2pgo play` on a fresh home (what `npm
// start` runs) until the lobby shows both bots of the local network it starts, measured in a real
// terminal (tmux, reading the screen every 50 ms); and how long from an opponent's move leaving
// its node until the client's screen has drawn it (the client running in tmux, against a second
// node in the same process on 127.0.0.1), on 9x9 and 19x19.
//
// `node dist/bench/tui.js` runs both parts (the second as `--inner FILE` inside tmux) and writes
// bench/tui-results.json. Needs tmux and, for GNU Go bots, gnugo.
import '../src/polyfill.js'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { writeFileSync, existsSync } from 'node:fs'
import { arch, cpus, platform, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { App } from '../src/tui/app.js'
import { findGnuGo } from '../src/cli/local-network.js'
import { Terminal } from '../test/helpers/tmux.js'
import { startNode, stopAll } from '../test/net/rating/harness.js'
import { runAsProgram } from './network/main.js'
import { median, ms, rounded, summarize, type Summary } from './network/stats.js'
import type { GameTerms } from '../src/wire/game-start.js'

const bin = fileURLToPath(new URL('../src/bin/p2pgo.js', import.meta.url))
const self = fileURLToPath(import.meta.url)
/** Fresh homes started for the start-to-lobby time. */
const START_RUNS = 3
/** Opponent moves timed per board size (fewer on 9x9: the stones never touch, so nothing is captured). */
const MOVES = 30

interface Results {
  readonly machine: Record<string, unknown>
  readonly engine: string
  /** ms from starting `p2pgo play --local` on a fresh home to both bots drawn in the lobby. */
  readonly startToLobbyMs: number[]
  readonly startToLobbyMedianMs: number
  /** ms from the opponent's perform() to the end of the draw that shows the move, per size. */
  readonly moveToScreenMs: Record<string, Summary>
  /** ms one draw of the game screen takes (the part inside the client), per size. */
  readonly drawMs: Record<string, Summary>
}

/** Time until the lobby of a fresh client in tmux shows both bots as connected. */
async function startToLobby (): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pgo-bench-tui-'))
  const t = await Terminal.start(`${process.execPath} ${bin} play --home ${join(dir, 'home')} --local`, 80, 24)
  const started = performance.now()
  try {
    for (;;) {
      const screen = await t.screen()
      if (/ 9x9 .*direct/.test(screen) && / 19x19 .*direct/.test(screen)) return performance.now() - started
      if (performance.now() - started > 120_000) throw new Error(`no bots in the lobby after 120 s:\n${screen}`)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  } finally {
    await t.keys('q')
    await new Promise(resolve => setTimeout(resolve, 3000))
    await t.kill()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Inside tmux: a client drawing a game while the other node plays MOVES moves; results to `out`. */
async function inner (out: string): Promise<number> {
  const results: Record<string, { moveToScreen: number[], draw: number[] }> = {}
  for (const size of [9, 19]) {
    const ann = await startNode([], 'ann')
    const bob = await startNode([ann.node.libp2p.getMultiaddrs()[0].toString()], 'bob')
    const app = new App({ node: ann.node, ascii: false })
    const running = app.run()
    const terms: GameTerms = { size, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 600_000, periodMs: 30_000, periods: 5 } }
    const game = await ann.node.challenge.propose(bob.node.libp2p.peerId, { terms, color: 'white', name: 'ann' }, { signal: AbortSignal.timeout(20_000) })
    const waitFor = async (check: () => boolean): Promise<void> => { while (!check()) await new Promise(resolve => setTimeout(resolve, 1)) }
    await waitFor(() => bob.node.games.session(game.gameId) != null)
    const moveToScreen: number[] = []
    const draw: number[] = []
    let sent = 0
    let shown: (() => void) | undefined
    // Registered after the client's own listener: when it runs, the move is drawn.
    ann.node.addEventListener('game:move', e => {
      if (e.detail.mine) return
      moveToScreen.push(app.lastDrawAt - sent)
      draw.push(app.lastDrawMs)
      shown?.()
    })
    // Spread over the board, column by column, away from each other: no captures, all legal.
    const points = Array.from({ length: size * size }, (_, i) => ({ x: i % size, y: Math.floor(i / size) })).filter(p => (p.x + p.y) % 2 === 0)
    for (let i = 0; i < Math.min(MOVES, Math.floor(points.length / 2)); i++) {
      const drawn = new Promise<void>(resolve => { shown = resolve })
      sent = performance.now()
      await bob.node.games.perform(game.gameId, async s => s.move(points[2 * i]))
      await drawn
      await ann.node.games.perform(game.gameId, async s => s.move(points[2 * i + 1]))
      await waitFor(() => bob.node.games.session(game.gameId)?.game.moves.length === 2 * i + 2)
    }
    results[`${size}x${size}`] = { moveToScreen, draw }
    app.quit(true)
    await running
    app.destroy()
    await stopAll([ann, bob])
  }
  writeFileSync(out, JSON.stringify(results))
  return 0
}

async function main (): Promise<number> {
  const innerAt = process.argv.indexOf('--inner')
  if (innerAt >= 0) return inner(process.argv[innerAt + 1])
  const gnugo = findGnuGo()
  console.log(`Terminal client: p2pgo play on a fresh home → both bots (${gnugo != null ? 'GNU Go' : 'built-in player'}) in the lobby`)
  const startToLobbyMs: number[] = []
  for (let i = 0; i < START_RUNS; i++) {
    const t = await startToLobby()
    startToLobbyMs.push(t)
    console.log(`  run ${i + 1}: ${ms(t)} ms`)
  }
  console.log(`Terminal client: opponent's move → drawn on the client's screen (${MOVES} moves per size, in tmux)`)
  const dir = await mkdtemp(join(tmpdir(), 'p2pgo-bench-tui-'))
  const out = join(dir, 'inner.json')
  const t = await Terminal.start(`${process.execPath} ${self} --inner ${out} 2>${join(dir, 'inner.err')}`, 80, 24)
  const deadline = Date.now() + 180_000
  while (!existsSync(out) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 200))
  await t.kill()
  if (!existsSync(out)) throw new Error(`the in-terminal part wrote no results: ${await readFile(join(dir, 'inner.err'), 'utf8').catch(() => '')}`)
  const raw = JSON.parse(await readFile(out, 'utf8')) as Record<string, { moveToScreen: number[], draw: number[] }>
  await rm(dir, { recursive: true, force: true })
  const moveToScreenMs: Record<string, Summary> = {}
  const drawMs: Record<string, Summary> = {}
  for (const [size, r] of Object.entries(raw)) {
    moveToScreenMs[size] = summarize(r.moveToScreen)
    drawMs[size] = summarize(r.draw)
    console.log(`  ${size}: move → screen ${ms(moveToScreenMs[size].median)} ms (p99 ${ms(moveToScreenMs[size].p99)}), of which drawing ${ms(drawMs[size].median)} ms`)
  }
  const results: Results = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', platform: platform(), arch: arch(), node: process.version },
    engine: gnugo != null ? 'GNU Go' : 'built-in',
    startToLobbyMs: startToLobbyMs.map(t => Math.round(t)),
    startToLobbyMedianMs: Math.round(median(startToLobbyMs)),
    moveToScreenMs: Object.fromEntries(Object.entries(moveToScreenMs).map(([k, v]) => [k, rounded(v)])),
    drawMs: Object.fromEntries(Object.entries(drawMs).map(([k, v]) => [k, rounded(v)]))
  }
  writeFileSync(fileURLToPath(new URL('../../bench/tui-results.json', import.meta.url)), JSON.stringify(results, null, 2) + '\n')
  return 0
}

runAsProgram(import.meta.url, main)
