// Opening an SGF file in the review screen, in a real terminal (tmux): `p2pgo play` with no
// network around it; g lists the games, o asks for a path. A file whose moves break the rules is
// refused with the reason; a counted game opens at its end with its result and the dead stones
// its TB/TW mark, and steps back to the start with its handicap stones.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { Game } from '../../src/game/game.js'
import { recordOf } from '../../src/game/game-record.js'
import { JAPANESE } from '../../src/game/rules.js'
import { recordToSgf } from '../../src/game/sgf.js'
import { bin } from '../helpers/cli.js'
import { Terminal, haveTmux } from '../helpers/tmux.js'

let dir: string
const terminals: Terminal[] = []

/** A 9x9 game with two handicap stones: White's lone stone at E5 is agreed dead. */
function countedGame (): string {
  const game = new Game({ size: 9, rules: JAPANESE, komi: 0.5, handicap: 2 })
  game.play(WHITE, { x: 4, y: 4 })
  game.play(BLACK, { x: 2, y: 2 })
  game.pass(WHITE)
  game.pass(BLACK)
  game.toggleDead({ x: 4, y: 4 })
  game.acceptScore(BLACK)
  game.acceptScore(WHITE)
  return recordToSgf(recordOf(game, { players: { black: { name: 'Ada', rank: '3k' }, white: { name: 'Bo', rank: '2d' } } }))
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-review-sgf-'))
  await writeFile(join(dir, 'counted.sgf'), countedGame())
  await writeFile(join(dir, 'bad.sgf'), '(;GM[1]FF[4]SZ[9];B[ee];W[ee])')
})
afterEach(async () => { for (const t of terminals.splice(0)) await t.kill() })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe.skipIf(!haveTmux)('an SGF file in the review screen (tmux)', () => {
  it('refuses a file that breaks the rules, and opens a counted game with its dead stones', async () => {
    const home = join(dir, 'home')
    // Started in `dir`: paths typed at the prompt are read from the folder p2pgo started in.
    const t = await Terminal.start(`cd ${dir} && ${process.execPath} ${bin} play --home ${home} --local --no-bots 2>${home}.stderr`, 100, 30)
    terminals.push(t)
    await t.waitFor(/Players online/, 'the lobby')
    await t.keys('g')
    await t.waitFor(/o open SGF file/, 'the games list with its key hint')
    await t.keys('o')
    await t.waitFor(/Open an SGF file \(path\):/, 'the path prompt')
    await t.type('bad.sgf')
    await t.keys('Enter')
    await t.waitFor(/could not open bad for review: .*move 2/, 'the illegal move refused')
    await t.keys('o')
    await t.waitFor(/Open an SGF file \(path\):/, 'the path prompt')
    await t.type('counted.sgf')
    await t.keys('Enter')
    let screen = await t.waitFor(/Review: SGF file counted\.sgf/, 'the game in review')
    screen = await t.waitFor(/Move 4 of 4/, 'the review at the end')
    expect(screen).toMatch(/Dead \(agreed\): 0 black, 1 white/)
    expect(screen).toMatch(/Black wins by/)
    await t.keys('Home')
    screen = await t.waitFor(/Move 0 of 4: the start, White to play/, 'the start, handicap stones placed')
    await t.keys('q')
    await t.waitFor(/EXITED 0/, 'the client to exit 0', 30_000)
  }, 180_000)
})
