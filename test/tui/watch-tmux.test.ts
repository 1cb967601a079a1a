// Watching a live game in a real terminal (tmux): two GNU Go bots play a timed 9x9 game on
// 127.0.0.1 while `p2pgo play` shows it under "Live games". One bot is a `p2pgo bot --accept`
// process; the other is the same Bot on a full node in this process, because its seek carries a
// byo-yomi clock (as a player's timed seek does) and the `p2pgo bot` command offers untimed games
// only. The network is a `p2pgo bootstrap` process (a hub: it carries the spectator chat between
// watchers not connected to each other); a second watcher is a full node in this process.
// In the client: the live game is selected and w opens it; moves arrive and the clock text
// changes; a line typed with c is echoed and reaches the other watcher, whose line is shown with
// its name; the game's co-signed result ends it; q goes back to the lobby and g lists the game.
// And a game still listed whose players have vanished (two `p2pgo bot` processes killed): the
// screen says in words that nobody had it and what to do, and q goes back.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bin } from '../helpers/cli.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { Terminal, haveTmux } from '../helpers/tmux.js'
import { startNode, stopAll, type NetNode } from '../net/rating/harness.js'
import { peerIdFromString } from '@libp2p/peer-id'
import { Bot } from '../../src/bot/bot.js'
import { findGnuGo } from '../../src/cli/local-network.js'
import { presetsFor } from '../../src/tui/presets.js'
import type { CID } from 'multiformats/cid'

const gnugo = findGnuGo()
/** Each bot takes at least this long per move, so the game lasts long enough to be watched (a minute or two). */
const MOVE_DELAY_MS = 2000

let dir: string
const terminals: Terminal[] = []
const procs: P2pgoProcess[] = []
const nodes: NetNode[] = []
const stops: AbortController[] = []

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'p2pgo-watch-tui-')) })
afterEach(async () => {
  for (const s of stops.splice(0)) s.abort()
  for (const t of terminals.splice(0)) await t.kill()
  await stopAll(nodes.splice(0))
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGTERM')
    await p.exited
  }
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** The clock texts on the watch screen ("4:52 + 5×0:30", "0:24 (5 left)"), Black's first. */
const clocks = (screen: string): string[] => [...screen.matchAll(/^.* {4}(\S+(?: \+ 5×0:30| \(\d left\))) · \d+ captures?$/gm)].map(m => m[1])
/** The move the screen says is next ("Move 12: White to move"), or 0 before one shows. */
const nextMove = (screen: string): number => Number(/Move (\d+): (?:Black|White) to move/.exec(screen)?.[1] ?? 0)

describe.skipIf(!haveTmux || gnugo == null)('watching a live game in tmux (real processes)', () => {
  it('lists the bots\' game live, watches it with its clock ticking and the spectator chat, to the co-signed result; q back, g lists it', async () => {
    const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    procs.push(boot)
    await waitFor(() => boot.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to print its address')
    const address = boot.lines.find(l => l.includes('/tcp/'))!.trim()
    const engine = `${gnugo!} --mode gtp --level 1`

    // The client, named so its spectator lines can be recognised.
    const home = join(dir, 'viewer')
    await mkdir(home, { recursive: true })
    await writeFile(join(home, 'config.json'), JSON.stringify({ name: 'viewer' }))
    const t = await Terminal.start(`${process.execPath} ${bin} play --home ${home} --local --bootstrap ${address} 2>${home}.stderr`, 100, 30)
    terminals.push(t)
    await t.waitFor(/Players online/, 'the lobby')
    await t.waitFor(/Live games: 0/, 'the empty live games section')

    const taker = startP2pgo(['bot', '--home', join(dir, 'taker'), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', address, '--local', '--accept', '--engine', engine, '--games', '1', '--name', 'Taker', '--move-delay', String(MOVE_DELAY_MS)])
    procs.push(taker)
    const seekerNode = await startNode([address], 'Seeker')
    nodes.push(seekerNode)
    const timed = presetsFor(9).find(p => p.terms.tc.kind === 'byo-yomi')!.terms
    const [command, ...args] = engine.split(' ')
    const seeker = new Bot({ node: seekerNode.node, engine: { command, args }, size: 9, mode: 'seek', games: 1, name: 'Seeker', terms: { tc: timed.tc }, moveDelayMs: MOVE_DELAY_MS })
    const stop = new AbortController()
    stops.push(stop)
    const played = seeker.run(stop.signal).catch((err: Error) => err)
    await waitFor(() => seekerNode.node.games.games.length > 0, () => `the bots to agree a game (the taker said: ${taker.stderr()})`, 120_000)
    const session = seekerNode.node.games.games[0]
    const gameId: CID = session.gameId

    // Another watcher, following from the start, so the spectator chat has someone to reach.
    const carolNode = await startNode([address], 'carol')
    nodes.push(carolNode)
    const heard: Array<{ name: string, text: string }> = []
    const opponent = seekerNode.node.games.opponentOf(gameId)!
    const began = Date.now()
    const carolWatches = carolNode.node.watch.watch(gameId, { holders: [seekerNode.node.libp2p.peerId, peerIdFromString(opponent)] }).then(carol => {
      carol.addEventListener('watch:chat', e => { heard.push({ name: e.detail.name, text: e.detail.text }) })
      return Date.now() - began
    })

    // The game in the lobby, selected: the hint says w watches it.
    // Each player with the rank its rating gives (30k? for a newcomer).
    const row = /^> (Seeker|Taker) \(30k\?\) vs (Seeker|Taker) \(30k\?\) · move \d+ · \d+ watching/m
    await t.waitFor(/Live games: 1\n.*(Seeker|Taker) \(30k\?\) vs (Seeker|Taker) \(30k\?\) · move/, 'the bots\' game under "Live games"')
    for (let i = 0; i < 10 && !row.test(await t.screen()); i++) {
      await t.keys('j')
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    let screen = await t.waitFor(row, 'the live game selected')
    expect(screen).toMatch(/Enter\/w watch/)

    await t.keys('w')
    screen = await t.waitFor(/Move \d+: (Black|White) to move/, 'the watched game on the board', 90_000)
    expect(screen).toMatch(/Watching (Seeker|Taker) vs (Seeker|Taker)/)
    expect(screen).toMatch(/A B C D E F G H J/)
    expect(screen).toMatch(/9x9 · komi 7\.5 · Chinese/)
    expect(screen.split('\n')[0]).toMatch(/watching (Seeker|Taker) vs (Seeker|Taker) \(9x9\)/)
    expect(screen).toMatch(/Spectators \(c to chat\):/)
    expect(clocks(screen)).toHaveLength(2)
    // Moves arrive, and the clock shown changes between two looks.
    const first = { move: nextMove(screen), clocks: clocks(screen).join(' | ') }
    await until(t, s => clocks(s).length === 2 && clocks(s).join(' | ') !== first.clocks, `the clocks to change from ${first.clocks}`)
    await until(t, s => nextMove(s) > first.move, `a move after move ${first.move}`)
    // The move list beside the board: "  1 B F5      2 W D4".
    expect(await t.screen()).toMatch(/ {2}\d+ [BW] (?:[A-J]\d|pass)/)

    // A spectator line: echoed on the screen, and the other watcher hears it, with the name.
    const carolMs = await carolWatches
    await t.keys('c')
    await t.waitFor(/Say to the other watchers/, 'the chat prompt')
    await t.type('hello from the terminal')
    await t.keys('Enter')
    await t.waitFor(/viewer: hello from the terminal/, 'our line in the spectator chat')
    await waitFor(() => heard.some(h => h.name === 'viewer' && h.text === 'hello from the terminal'), () => `the other watcher (watching after ${carolMs} ms) to hear our line (it heard ${JSON.stringify(heard)})`, 60_000)
    await carolNode.node.watch.say(gameId, 'hello from carol')
    await t.waitFor(/carol: hello from carol/, 'the other watcher\'s line, with its name')

    // The end: the seeker resigns (playing on to the count took two minutes more; review-tmux and
    // the bots' tests cover counted ends), and the result, signed by both players, reaches us.
    await seekerNode.node.games.perform(gameId, s => s.resign())
    screen = await t.waitFor(/result signed by both players/, 'the co-signed result on the watch screen', 120_000)
    expect(screen).toMatch(/(Black|White) wins by resignation/)
    expect(screen).not.toMatch(/to move/)
    expect(await played).toBe(1)

    // q: back to the lobby (watching stopped); the game is among this node's games.
    await t.keys('q')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('g')
    await t.waitFor(/watched: (Seeker|Taker) \(B\) vs (Seeker|Taker) \(W\) {2}[BW]\+/, 'the watched game under g')
    await t.keys('Escape')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('q')
    await t.waitFor(/EXITED 0/, 'the client to exit 0', 30_000)
  }, 600_000)

  it('says in words that nobody had the game when both players vanished while it was listed, and goes back', async () => {
    const boot = startP2pgo(['bootstrap', '--home', join(dir, 'boot2'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    procs.push(boot)
    await waitFor(() => boot.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to print its address')
    const address = boot.lines.find(l => l.includes('/tcp/'))!.trim()
    const home = join(dir, 'late')
    const t = await Terminal.start(`${process.execPath} ${bin} play --home ${home} --local --bootstrap ${address} 2>${home}.stderr`, 100, 30)
    terminals.push(t)
    await t.waitFor(/Live games: 0/, 'the lobby')
    const bot = (name: string, mode: string): P2pgoProcess => {
      const p = startP2pgo(['bot', '--home', join(dir, name), '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', address, '--local', mode, '--engine', `${gnugo!} --mode gtp --level 1`, '--games', '1', '--name', name, '--move-delay', String(MOVE_DELAY_MS), '--json-events'])
      procs.push(p)
      return p
    }
    const players = [bot('Ann', '--seek'), bot('Bob', '--accept')]
    await t.waitFor(/Live games: 1\n> (Ann|Bob) \(30k\?\) vs (Ann|Bob) \(30k\?\) · move/, 'their game under "Live games", selected', 120_000)
    // Both players vanish at once (no word to anyone): the lobby lists the game until its entry lapses.
    for (const p of players) p.child.kill('SIGKILL')
    await Promise.all(players.map(async p => p.exited))
    await t.keys('Enter')
    const screen = await t.waitFor(/Could not watch (Ann|Bob) vs (Ann|Bob):/, 'the refusal in words', 150_000)
    // The panel wraps the words at spaces: read as one text.
    const words = screen.split('\n').map(l => l.trim()).join(' ')
    expect(words).toMatch(/neither player \(nor another watcher\) had the game to send\. They may have finished or left, or not be reachable from here\. Back in the lobby, w on the game tries again while it is listed\./)
    // What each player's address said, the peers shortened.
    expect(words).toMatch(/12D3KooW…\S{6}: /)
    expect(words).not.toMatch(/12D3KooW[1-9A-HJ-NP-Za-km-z]{44}/)
    expect(screen).toMatch(/^Esc: back to the lobby$/m)
    expect(screen).not.toMatch(/A B C D E F G H J/)
    await t.keys('q')
    await t.waitFor(/Players online/, 'the lobby again')
    await t.keys('q')
    await t.waitFor(/EXITED 0/, 'the client to exit 0', 30_000)
  }, 300_000)
})

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
