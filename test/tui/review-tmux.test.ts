// The review screen and the rating history in a real terminal (tmux): `p2pgo play` on a home that
// holds real finished games (co-signed starts and results, played through two GameSessions),
// with no network around it. g lists the games; one opens in review; it is stepped, jumped (a
// move it does not have is refused and changes nothing) and exported as SGF, which is the text
// `p2pgo export` prints; the reputation screen draws the rating history as a sparkline.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bin, runCli } from '../helpers/cli.js'
import { Terminal, haveTmux } from '../helpers/tmux.js'
import { homeWithGames, type PlayedGame } from '../rating/played-games.js'
import { sparkline } from '../../src/tui/sparkline.js'
import { viewOf } from '../../src/rating/display.js'
import { initialRating, rateGame } from '../../src/rating/trueskill.js'

let dir: string
let home: string
let games: PlayedGame[]
const terminals: Terminal[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2pgo-review-'))
  home = join(dir, 'home')
  games = await homeWithGames(home)
})
afterEach(async () => { for (const t of terminals.splice(0)) await t.kill() })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** The glyph of board point (x, y) on a 9x9 review screen: the board starts on screen line 2. */
const glyphAt = (screen: string, x: number, y: number): string => [...screen.split('\n')[2 + y]][3 + 2 * x]

describe.skipIf(!haveTmux)('review and rating history in tmux', () => {
  it('lists the games, steps, jumps, refuses a move the game does not have, exports SGF, and draws the rating sparkline', async () => {
    // Started in `dir`: the export is written to the folder p2pgo started in.
    const t = await Terminal.start(`cd ${dir} && ${process.execPath} ${bin} play --home ${home} --local --no-bots 2>${home}.stderr`, 100, 30)
    terminals.push(t)
    await t.waitFor(/Players online/, 'the lobby')
    await t.keys('g')
    await t.waitFor(/Your games: the finished games this node holds[\s\S]*> \d{4}-\d\d-\d\d \d\d:\d\d {2}9x9 {2}vs rival/, 'the list of games')
    // The counted game: the only one won by points.
    const counted = games[2]
    for (let i = 0; i < 5 && !/^> .*B\+\d/m.test(await t.screen()); i++) {
      await t.keys('j')
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    await t.waitFor(/^> .*9x9 {2}vs rival \(you Black\) {2}B\+73\.5$/m, 'the counted game selected')
    await t.keys('Enter')
    // It opens at its end: the result, the agreed dead stone and the count.
    let screen = await t.waitFor(/Move 6 of 6: White passes/, 'the review at the end')
    expect(screen).toMatch(/Review: your game against rival/)
    expect(screen.split('\n')[0]).toMatch(/reviewing a game/)
    expect(screen).toMatch(/Black wins by 73\.5 points/)
    expect(screen).toMatch(/Dead \(agreed\): 0 black, 1 white/)
    expect(screen).toMatch(/Count: Black 81 · White 7\.5 → B\+73\.5/)
    expect(glyphAt(screen, 4, 4)).toBe('⊘')
    // Home: the empty board.
    await t.keys('Home')
    screen = await t.waitFor(/Move 0 of 6: the start, Black to play/, 'the start')
    expect(glyphAt(screen, 1, 0)).toBe('·')
    // Three steps on: Black's A8 has taken White's A9.
    // One key at a time: escape sequences sent together may reach the client as one.
    await t.keys('Right')
    await t.waitFor(/Move 1 of 6: Black B9/, 'move 1')
    await t.keys('Right')
    await t.waitFor(/Move 2 of 6: White A9/, 'move 2')
    await t.keys('Right')
    screen = await t.waitFor(/Move 3 of 6: Black A8/, 'move 3')
    expect(screen).toMatch(/Captures: Black 1 · White 0/)
    expect(glyphAt(screen, 0, 0)).toBe('·')
    expect(glyphAt(screen, 0, 1)).toBe('●')
    await t.keys('Left')
    screen = await t.waitFor(/Move 2 of 6: White A9/, 'move 2')
    expect(screen).toMatch(/Captures: Black 0 · White 0/)
    expect(glyphAt(screen, 0, 0)).toBe('○')
    // A jump to a move the game does not have: refused, the move shown stays.
    await t.keys(':')
    await t.waitFor(/Jump to move \(0 to 6\)/, 'the jump prompt')
    await t.type('99')
    await t.keys('Enter')
    screen = await t.waitFor(/there is no move 99: this game has moves 0 \(the start\) to 6; still at move 2/, 'the refusal')
    expect(screen).toMatch(/Move 2 of 6: White A9/)
    expect(glyphAt(screen, 0, 0)).toBe('○')
    await t.keys(':')
    await t.waitFor(/Jump to move/, 'the jump prompt')
    await t.type('4')
    await t.keys('Enter')
    await t.waitFor(/Move 4 of 6: White E5/, 'the jump to move 4')
    await t.keys('End')
    await t.waitFor(/Move 6 of 6/, 'the end')
    // Export: the file is named, and it is what `p2pgo export` prints.
    await t.keys('e')
    const path = join(dir, `p2pgo-${counted.stored.id.toString()}.sgf`)
    await t.waitFor(/SGF exported[\s\S]*The game was written as SGF to/, 'the export dialog')
    await t.keys('Escape')
    await t.waitFor(/SGF saved: \//, 'where the SGF went, on the message line')
    const sgf = await readFile(path, 'utf8')
    // Back to the list, the lobby, and the reputation screen with the rating history.
    await t.keys('Escape')
    await t.waitFor(/Your games:/, 'the list again')
    await t.keys('Escape')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('r')
    screen = await t.waitFor(/Your rating \S+ {2}9x9: /, 'the rating history')
    const fresh = initialRating()
    const after1 = rateGame(fresh, fresh, 'win', 7.5)
    const after2 = rateGame(after1, fresh, 'loss', 7.5)
    const after3 = rateGame(after2, fresh, 'win', 7.5)
    const nine = sparkline([after1, after2, after3].map(r => viewOf(r).conservative), 80)
    expect(screen).toContain(`Your rating ${nine}  9x9: ${viewOf(after3).conservative.toFixed(1)} (${viewOf(after3).rank}) after 3 rated games`)
    expect(screen).toMatch(/Your rating ▄ {2}13x13: .* after 1 rated game\b/)
    await t.keys('Escape')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('q')
    await t.waitFor(/EXITED 0/, 'the client to exit 0', 30_000)
    const exported = await runCli(['export', counted.stored.id.toString(), '--home', home])
    expect(exported.code, exported.stderr).toBe(0)
    expect(sgf).toBe(exported.stdout)
    expect(sgf).toMatch(/RE\[B\+73\.5\]/)
  }, 180_000)
})
