// The terminal client in a real terminal (tmux): from `p2pgo play` on an empty home, through the
// local network it starts (a relay and GNU Go bots, real processes), a whole game by keyboard,
// counting and the result screen; resizing; quitting mid-game and resuming. Nothing is mocked.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bin, runCli } from '../helpers/cli.js'
import { Terminal, haveTmux } from '../helpers/tmux.js'
import { findGnuGo } from '../../src/cli/local-network.js'
import { checkSgf } from '../../src/game/sgf-check.js'

const haveGnuGo = findGnuGo() != null
let dir: string
const terminals: Terminal[] = []

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'p2pgo-tui-')) })
afterEach(async () => { for (const t of terminals.splice(0)) await t.kill() })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** Status line, then the board's letters: board row y is screen line y + 2. */
const FIRST_ROW = 2

/** The screen column of point x's glyph on a board of `size` (board drawn from column 1). */
const columnOf = (size: number, x: number): number => 1 + String(size).length + 1 + 2 * x

/** Where the cursor ([ ]) is on the board. */
function cursorOf (screen: string, size: number): { x: number, y: number } {
  const lines = screen.split('\n')
  for (let y = 0; y < size; y++) {
    const line = [...lines[FIRST_ROW + y]]
    for (let x = 0; x < size; x++) if (line[columnOf(size, x) - 1] === '[') return { x, y }
  }
  throw new Error(`no cursor on the board:\n${screen}`)
}

/** The glyph at a point. */
function glyphAt (screen: string, size: number, x: number, y: number): string {
  return [...screen.split('\n')[FIRST_ROW + y]][columnOf(size, x)]
}

/** Moves the cursor to a point with hjkl, reading where it is first. */
async function moveCursor (t: Terminal, size: number, to: { x: number, y: number }): Promise<void> {
  const at = cursorOf(await t.screen(), size)
  const keys = [
    ...Array(Math.max(0, to.x - at.x)).fill('l'), ...Array(Math.max(0, at.x - to.x)).fill('h'),
    ...Array(Math.max(0, to.y - at.y)).fill('j'), ...Array(Math.max(0, at.y - to.y)).fill('k')
  ]
  if (keys.length > 0) await t.keys(...keys)
  await until(t, screen => { const c = cursorOf(screen, size); return c.x === to.x && c.y === to.y }, `the cursor at ${to.x},${to.y}`)
}

/** Waits (bounded) until the screen satisfies `check`; returns it. */
async function until (t: Terminal, check: (screen: string) => boolean, what: string, ms = 60_000): Promise<string> {
  const deadline = Date.now() + ms
  let screen = ''
  while (Date.now() < deadline) {
    screen = await t.screen()
    if (check(screen)) return screen
    await new Promise(resolve => setTimeout(resolve, 150))
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`)
}

/** Selects the lobby row of `name` with j/k and returns the screen. */
async function select (t: Terminal, name: string): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const screen = await t.screen()
    if (new RegExp(`^> ${name}\\s`, 'm').test(screen)) return
    await t.keys('j')
    await new Promise(resolve => setTimeout(resolve, 150))
  }
  throw new Error(`could not select ${name}:\n${await t.screen()}`)
}

async function startClient (home: string, width = 80, height = 24): Promise<Terminal> {
  const t = await Terminal.start(`${process.execPath} ${bin} play --home ${home} --local 2>${home}.stderr`, width, height)
  terminals.push(t)
  return t
}

describe.skipIf(!haveTmux || !haveGnuGo)('the terminal client in tmux (real processes)', () => {
  it('reaches the lobby with bots, plays a game by keyboard (an illegal move explained), counts, shows the result and rating change; the SGF is in p2pgo games', async () => {
    const home = join(dir, 'player')
    const t = await startClient(home)
    // A bot's row shows its connection once one exists (the bots' DHT traffic usually opens one
    // within seconds); a row with none is still a player to challenge, so only the rows are awaited.
    const lobby = await t.waitFor(/GNU Go 9x9 /, 'the 9x9 bot in the lobby')
    expect(lobby).toMatch(/Players online: 1 near your rating on 9x9/)
    expect(lobby).toMatch(/local network on 127\.0\.0\.1: a relay and GNU Go bots/)
    // The lobby shows the size on screen: the 19x19 bot is two presses of z away, and back.
    await t.keys('z')
    await t.keys('z')
    await t.waitFor(/GNU Go 19x19 /, 'the 19x19 bot in the lobby at 19x19')
    await t.keys('z')
    await t.waitFor(/Players online: 1 near your rating on 9x9/, 'the lobby at 9x9 again')
    // A bot's seek is a message of its own, which may follow its presence by a moment: waited for.
    await t.waitFor(/GNU Go 9x9: 9x9 · komi 7\.5 · chinese · no clock/, 'the 9x9 bot\'s seek in the lobby')
    // Challenge the 9x9 bot: the terms dialog, the first preset.
    await select(t, 'GNU Go 9x9')
    await t.keys('Enter')
    await t.waitFor(/Challenge GNU Go 9x9/, 'the terms dialog')
    await t.keys('Enter')
    let screen = await t.waitFor(/Your move/, 'our turn on the board')
    expect(screen).toMatch(/A B C D E F G H J/)
    expect(screen).toMatch(/playing GNU Go 9x9/)
    expect(screen).toMatch(/opponent: direct/)
    // A move by keyboard on an empty point near the middle.
    const empty = [{ x: 2, y: 2 }, { x: 6, y: 6 }, { x: 2, y: 6 }, { x: 6, y: 2 }].find(v => /[·+]/.test(glyphAt(screen, 9, v.x, v.y)))
    if (empty == null) throw new Error(`no empty 3-3 point:\n${screen}`)
    await moveCursor(t, 9, empty)
    await t.keys('Enter')
    screen = await until(t, s => /[●○]/.test(glyphAt(s, 9, empty.x, empty.y)), 'our stone on the board')
    const mine = glyphAt(screen, 9, empty.x, empty.y)
    // The same point again, once it is our turn: refused, with the reason in words.
    await t.waitFor(/Your move/, 'our turn again')
    await t.keys('Enter')
    await t.waitFor(/Illegal move: that point already has a stone on it/, 'the illegal move explained')
    // A typed move that is not a point: explained too.
    await t.keys(':')
    await t.type('I5')
    await t.keys('Enter')
    await t.waitFor(/no column I/, 'the typed-move explanation')
    // Eight more typed moves, each on an empty point with four empty neighbours (never suicide or
    // ko): the game must be long enough to be worth publishing as RNA, which the RNA browser shows
    // at the end (a 9x9 game of fewer than ~10 turns is below QUALITY_FLOOR, and GNU Go passes
    // early against a player who only passes).
    // (11 moves at least with no ratings yet: QUALITY_FLOOR 0.2 over 0.52 × moves / 28.35; passes count.)
    const candidates = [[4, 2], [4, 6], [2, 4], [6, 4], [1, 1], [7, 7], [1, 7], [7, 1], [3, 3], [5, 5], [3, 5], [5, 3], [2, 2], [6, 6], [2, 6], [6, 2], [4, 4], [1, 4], [7, 4], [4, 1], [4, 7]]
    for (let played = 0; played < 8;) {
      screen = await t.waitFor(/Your move/, 'our turn for another move')
      const free = (x: number, y: number): boolean => x < 0 || y < 0 || x > 8 || y > 8 || /[·+]/.test(glyphAt(screen, 9, x, y))
      const at = candidates.find(([x, y]) => /[·+]/.test(glyphAt(screen, 9, x, y)) && free(x - 1, y) && free(x + 1, y) && free(x, y - 1) && free(x, y + 1))
      if (at == null) break
      const [x, y] = at
      await t.keys(':')
      await t.type(`${'ABCDEFGHJ'[x]}${9 - y}`)
      await t.keys('Enter')
      await until(t, s => glyphAt(s, 9, x, y) === mine, `our stone at ${'ABCDEFGHJ'[x]}${9 - y}`)
      played++
    }
    // Pass until GNU Go passes as well: counting.
    for (let i = 0; i < 80 && !/Counting/.test(await t.screen()); i++) {
      if (/Your move/.test(await t.screen())) await t.keys('p')
      await new Promise(resolve => setTimeout(resolve, 500))
    }
    screen = await t.waitFor(/Counting: mark the dead stones/, 'counting', 5000)
    // Mark a group dead (ours if GNU Go has not captured it; the bot accepts the marking it is
    // shown), then accept. A bot playing Black proposes its own marking first, which may have it
    // dead already: toggle it alive, then dead again, so the toggling is ours either way.
    const stones: Array<{ x: number, y: number, glyph: string }> = []
    for (let y = 0; y < 9; y++) for (let x = 0; x < 9; x++) stones.push({ x, y, glyph: glyphAt(screen, 9, x, y) })
    const target = stones.find(p => p.glyph === mine) ?? stones.find(p => /[●○⊗⊘]/.test(p.glyph))
    if (target == null) throw new Error(`no stone on the board to mark:\n${screen}`)
    const black = target.glyph === '●' || target.glyph === '⊗'
    const alive = black ? '●' : '○'
    const dead = black ? '⊗' : '⊘'
    await moveCursor(t, 9, target)
    if (glyphAt(await t.screen(), 9, target.x, target.y) === dead) {
      await t.keys('Enter')
      await until(t, s => glyphAt(s, 9, target.x, target.y) === alive, 'the group marked alive')
    }
    // The bot's own proposal may land between our look and our key, and our toggle then brings the
    // group back alive: toggle again (a few times at most) until it shows dead.
    // Each toggle is waited for until it shows (a loaded machine can take seconds to sign, store and
    // draw it): pressing again before it shows would toggle the group back.
    for (let i = 0; i < 3; i++) {
      const before = glyphAt(await t.screen(), 9, target.x, target.y)
      if (before === dead) break
      await t.keys('Enter')
      await until(t, s => glyphAt(s, 9, target.x, target.y) !== before, 'the toggle to show', 20_000).catch(() => undefined)
      // The bot's proposal, if it was on its way, lands now or not at all.
      await new Promise(resolve => setTimeout(resolve, 1000))
    }
    screen = await until(t, s => glyphAt(s, 9, target.x, target.y) === dead, 'the group marked dead')
    expect(screen).toMatch(black ? /dead: [1-9]\d* black/ : /dead: \d+ black, [1-9]\d* white/)
    await t.keys('a')
    // A marking the bot sent a moment before the key is not accepted unseen: the client asks for a
    // second press (we accept whatever the board shows then).
    screen = await t.waitFor(/result signed by both players|press a again/, 'the co-signed result, or the request to look again')
    if (/press a again/.test(screen)) {
      await t.keys('a')
      screen = await t.waitFor(/result signed by both players/, 'the co-signed result')
    }
    expect(screen).toMatch(/(Black|White) wins by [\d.]+ points/)
    // The rating change follows the co-signed result (the update is computed from it): waited for.
    await t.waitFor(/rating: -?\d+\.\d \(\d+[kd]\) → -?\d+\.\d/, 'the rating change under the result')
    // Back to the lobby; the finished game is this node's RNA, browsable with its details; the
    // reputation inspector and the help open and close.
    await t.keys('Escape')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('t')
    await t.waitFor(/RNA: finished games this node holds[\s\S]*> bafy\S+ +q [\d.]+ +9x9 +\d+ turns/, 'our game in the RNA browser')
    await t.keys('i')
    await t.waitFor(/RNA +bafy[\s\S]*origin +12D3KooW[\s\S]*received +\d{4}-/, 'the RNA details')
    // One key at a time: two Escapes in a row would reach the client as one Alt-Escape.
    await t.keys('Escape')
    await t.waitFor(/ ↑↓ move · Enter review · i details · Esc back/, 'the RNA list again')
    // Enter opens the RNA's game in review, at its end.
    await t.keys('Enter')
    await t.waitFor(/Review: RNA bafy[\s\S]*Move (\d+) of \1:[\s\S]*(Black|White) wins by/, 'the RNA in review')
    await t.keys('Escape')
    await t.waitFor(/ ↑↓ move · Enter review · i details · Esc back/, 'the RNA list again')
    await t.keys('Escape')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('r')
    await t.waitFor(/Reputation: the peers this node has seen/, 'the reputation inspector')
    await t.keys('Escape')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('?')
    await t.waitFor(/Keys \(lobby\)[\s\S]*quick match: the first fit opponent near your rating/, 'the lobby help')
    await t.keys('Escape')
    await t.waitFor(/Players online/, 'the lobby again')
    // Quit (no question outside a game), and the game is in the home.
    await t.keys('q')
    await t.waitFor(/EXITED 0/, 'the client to exit 0', 30_000)
    const games = await runCli(['games', '--home', home, '--json'])
    expect(games.code, games.stderr).toBe(0)
    const [game] = JSON.parse(games.stdout) as Array<{ id: string, result: string, moves: number }>
    expect(game.result).toMatch(/^[BW]\+/)
    const sgf = await runCli(['export', game.id, '--home', home])
    expect(sgf.code, sgf.stderr).toBe(0)
    expect(sgf.stdout).toMatch(/GNU Go 9x9/)
    expect(checkSgf(sgf.stdout).illegal).toBeNull()
  }, 300_000)

  it('keeps the 19x19 board whole as the terminal is resized; q mid-game asks, and the game resumes on the next start', async () => {
    const home = join(dir, 'resizer')
    let t = await startClient(home)
    await t.waitFor(/GNU Go 9x9 /, 'the lobby')
    await t.keys('z', 'z')
    await t.waitFor(/near your rating on 19x19/, 'the lobby on 19x19')
    await t.waitFor(/GNU Go 19x19 /, 'the 19x19 bot in the lobby')
    await select(t, 'GNU Go 19x19')
    await t.keys('Enter')
    await t.waitFor(/Challenge GNU Go 19x19/, 'the terms dialog')
    await t.keys('Enter')
    await t.waitFor(/playing GNU Go 19x19/, 'the 19x19 game')
    const whole = (screen: string): boolean => {
      const lines = screen.split('\n')
      const letters = lines.filter(l => /A B C D E F G H J K L M N O P Q R S T/.test(l)).length
      const rows = Array.from({ length: 19 }, (_, i) => 19 - i).every(n => lines.some(l => new RegExp(`^\\s*${n} .*[·+●○\\[(].* ${n}\\b`).test(l)))
      return letters === 2 && rows
    }
    for (const [w, h] of [[80, 24], [120, 40], [60, 30], [80, 24]] as const) {
      await t.resize(w, h)
      await new Promise(resolve => setTimeout(resolve, 700))
      const screen = await t.screen()
      expect(whole(screen), `${w}x${h}:\n${screen}`).toBe(true)
      expect(screen.split('\n')[0]).toMatch(w >= 80 ? /playing GNU Go 19x19/ : /peers? · /)
    }
    // q during a game asks first; n stays; q then y leaves the game resumable.
    await t.keys('q')
    await t.waitFor(/Quit during the game\? It stays resumable/, 'the quit question')
    await t.keys('n')
    await t.waitFor(/Your move|to move/, 'the board again')
    await t.keys('q')
    await t.waitFor(/Quit during the game/, 'the quit question again')
    await t.keys('y')
    await t.waitFor(/EXITED 0/, 'the client to exit 0', 30_000)
    await t.kill()
    terminals.splice(0)
    t = await startClient(home)
    // The resumed game, its board whole (the status line can be drawn a moment before the board).
    await until(t, s => /playing GNU Go 19x19/.test(s) && whole(s), 'the resumed game with its board whole', 90_000)
  }, 300_000)
})

describe('p2pgo play without a terminal', () => {
  it('exits 1 with a clear message when stdout is not a terminal', async () => {
    const { code, stdout, stderr } = await runCli(['play', '--home', join(dir, 'no-tty'), '--local'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/needs a terminal/)
  })

  it('refuses a bad --size with exit status 2', async () => {
    const { code, stderr } = await runCli(['play', '--size', '7'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--size must be 9, 13 or 19/)
  })
})
