import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Game } from '../../src/game/game.js'
import { CHINESE } from '../../src/game/rules.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { score } from '../../src/game/scoring.js'
import { parseResult, formatResult } from '../../src/game/result.js'
import { fromGtpVertex, toGtpVertex } from '../../src/game/vertex.js'
import { recordOf } from '../../src/game/game-record.js'
import { recordToSgf } from '../../src/game/sgf.js'
import { GtpEngine } from '../../src/gtp/gtp-engine.js'
import type { Color } from '../../src/game/color.js'

/**
 * Area scoring against GNU Go: GNU Go plays itself under Chinese rules until both pass; p2pgo
 * replays every move (each must be legal), takes off the stones GNU Go calls dead, and its
 * area count must give exactly GNU Go's `final_score`. The SGF p2pgo then writes must load in
 * GNU Go (`loadsgf`) to the same position.
 */

const GNUGO = '/usr/games/gnugo'
const haveGnuGo = existsSync(GNUGO)
if (!haveGnuGo) console.warn(`Skipping the GNU Go scoring cross-check: ${GNUGO} is not installed (apt-get install gnugo; CI installs it).`)

const KOMI = 7.5
/** Enough for any 9x9 or 13x13 game GNU Go plays against itself; it passes long before. */
const MAX_MOVES = 400

interface Played {
  readonly size: number
  readonly seed: number
  readonly gnugoScore: string
  readonly p2pgoScore: string
  readonly moves: number
  readonly dead: number
}

/** One self-play game, replayed and counted by both. */
async function selfPlay (size: number, seed: number): Promise<Played> {
  const engine = new GtpEngine({ command: GNUGO, args: ['--mode', 'gtp', '--level', '1', '--seed', String(seed), '--chinese-rules', '--positional-superko', '--never-resign'] })
  try {
    await engine.send('boardsize', size)
    await engine.send('clear_board')
    await engine.send('komi', KOMI)
    const game = new Game({ size, rules: CHINESE, komi: KOMI })
    let color: Color = BLACK
    for (let n = 0; n < MAX_MOVES && game.phase === 'play'; n++) {
      const reply = (await engine.send('genmove', color === BLACK ? 'black' : 'white')).trim().toLowerCase()
      if (reply === 'pass') game.pass(color)
      else {
        const v = fromGtpVertex(reply, size)
        expect(v, `GNU Go move ${reply}`).toBeDefined()
        // Throws IllegalMoveError, failing the test, if p2pgo disagrees that GNU Go's move is legal.
        game.play(color, v!)
      }
      color = color === BLACK ? WHITE : BLACK
    }
    expect(game.phase, `seed ${seed}: GNU Go did not pass twice within ${MAX_MOVES} moves`).toBe('scoring')
    const deadText = (await engine.send('final_status_list', 'dead')).trim()
    const board = game.position.board
    const dead = new Set<number>()
    for (const token of deadText.split(/\s+/).filter(t => t !== '')) {
      const v = fromGtpVertex(token, size)
      expect(v, `dead stone ${token}`).toBeDefined()
      dead.add(board.point(v!.x, v!.y))
    }
    const gnugoScore = (await engine.send('final_score')).trim()
    // The SGF p2pgo writes must load in GNU Go and give the same position.
    const dir = mkdtempSync(join(tmpdir(), 'p2pgo-gnugo-'))
    try {
      const file = join(dir, 'game.sgf')
      writeFileSync(file, recordToSgf(recordOf(game, { players: { black: { name: 'GNU Go' }, white: { name: 'GNU Go' } } })))
      await engine.send('clear_board')
      await engine.send('loadsgf', file)
      for (const [color, name] of [[BLACK, 'black'], [WHITE, 'white']] as const) {
        const listed = (await engine.send('list_stones', name)).trim().split(/\s+/).filter(t => t !== '').sort()
        const ours = board.toRows().flatMap((row, y) => [...row].flatMap((ch, x) => ch === (color === BLACK ? 'X' : 'O') ? [toGtpVertex({ x, y }, size)] : [])).sort()
        expect(listed, `${name} stones after loadsgf`).toEqual(ours)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const s = score({ board, rules: CHINESE, komi: KOMI, handicap: 0, dead })
    const p2pgoScore = formatResult({ kind: 'score', winner: s.winner, margin: Math.abs(s.margin) })
    return { size, seed, gnugoScore, p2pgoScore, moves: game.moves.length, dead: dead.size }
  } finally {
    await engine.close()
  }
}

describe.skipIf(!haveGnuGo)('area score against GNU Go final_score (--chinese-rules)', () => {
  it('agrees on every game, dead stones removed', async () => {
    const cases = [...[1, 2, 3, 4, 5, 6, 7, 8].map(seed => ({ size: 9, seed })), { size: 13, seed: 1 }, { size: 13, seed: 2 }]
    const results: Played[] = []
    // Two engines at a time: CI has two cores.
    for (let i = 0; i < cases.length; i += 2) {
      results.push(...await Promise.all(cases.slice(i, i + 2).map(async c => selfPlay(c.size, c.seed))))
    }
    for (const r of results) {
      expect(parseResult(r.gnugoScore), `GNU Go said ${r.gnugoScore}`).toBeDefined()
      expect(r.p2pgoScore, `${r.size}x${r.size} seed ${r.seed}: ${r.moves} moves, ${r.dead} dead stones`).toBe(r.gnugoScore)
    }
    // The check must have met dead stones and different games, or it proves little.
    expect(results.filter(r => r.dead > 0).length).toBeGreaterThan(0)
    expect(new Set(results.map(r => `${r.size}:${r.moves}:${r.gnugoScore}`)).size).toBeGreaterThan(cases.length / 2)
    console.log(`GNU Go scoring cross-check: ${results.length} games, ${results.reduce((n, r) => n + r.moves, 0)} moves, ${results.reduce((n, r) => n + r.dead, 0)} dead stones, all scores equal (${results.map(r => r.gnugoScore).join(' ')})`)
  }, 300_000)
})
