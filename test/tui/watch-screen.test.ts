// The watch screen's text: the players with their ranks and connections, both clocks read at the
// instant given (stopped where the game ended), captures, whose move, the last moves, the
// spectator chat, the result and its co-signature; the words while the game is asked for and when
// nobody sent it; the layout at 80 columns and narrower. And the lobby: live games are rows to
// select, with the hint saying w watches.
import { describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { Game } from '../../src/game/game.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { CHINESE } from '../../src/game/rules.js'
import { fromGtpVertex } from '../../src/game/vertex.js'
import { ASCII, UNICODE } from '../../src/tui/board-view.js'
import { watchScreenLines, type WatchScreenInput, type WatchView } from '../../src/tui/watch-screen.js'
import { lobbyLines } from '../../src/tui/lobby-screen.js'
import { actionOf, screenHint } from '../../src/tui/keys.js'
import { cidOf } from '../../src/wire/cid.js'
import type { LobbyEntry } from '../../src/tui/lobby-entries.js'
import type { LobbyLiveGame } from '../../src/net/lobby/index.js'

const BLACK_PEER = '12D3KooWGRUVh2W4DxSqUWspbcx3NLZZbrGHDbpJg6nKwvz8xsHq'
const WHITE_PEER = '12D3KooWCsyo6WmXSbWhbVHyvuBzBYCxeSw8g5Pvy6cEkyJF5B6K'
const gameId = cidOf({ a: 'watched game' })

/** Black captures the white stone at A1 (B1, A2 around it); moves one second apart from 1 s. */
function game (moves: string[], tc: Game['settings']['timeControl'] = { kind: 'byo-yomi', mainMs: 60_000, periodMs: 30_000, periods: 3 }): Game {
  const g = new Game({ size: 9, rules: CHINESE, komi: 7.5, timeControl: tc })
  g.start(0)
  moves.forEach((m, i) => {
    const color = i % 2 === 0 ? BLACK : WHITE
    if (m === 'pass') g.pass(color, { at: (i + 1) * 1000 })
    else g.play(color, fromGtpVertex(m, 9)!, { at: (i + 1) * 1000 })
  })
  return g
}

function view (more: Partial<WatchView> = {}): WatchView {
  return {
    gameId,
    names: { B: 'ann', W: 'GNU Go' },
    peers: { B: BLACK_PEER, W: WHITE_PEER },
    ratings: { B: { mu: 25, sigma: 25 / 3 }, W: { mu: 25, sigma: 25 / 3 } },
    watched: { game: game(['B1', 'A1', 'A2']) },
    chat: [],
    ended: undefined,
    failure: undefined,
    stop: () => {},
    ...more
  }
}

const input = (v: WatchView, more: Partial<WatchScreenInput> = {}): WatchScreenInput => ({ view: v, now: 13_000, ...more })

/** Board row y is line y + 1 (the letters first); point x is at column 1 + 1 + 1 + 2x. */
const glyph = (lines: string[], x: number, y: number): string => [...lines[y + 1]][3 + 2 * x]

describe('the watch screen', () => {
  it('shows the board, both players with rank, connection, clock and captures, and whose move', () => {
    const lines = watchScreenLines(input(view(), { watchers: 3, links: { B: { rung: 'direct', rttMs: 4 } } }), UNICODE, 80, 21)
    const text = lines.join('\n')
    expect(glyph(lines, 0, 7)).toBe('●')
    expect(glyph(lines, 0, 8)).toBe('·')
    expect(text).toMatch(/Watching ann vs GNU Go/)
    expect(text).toMatch(/ {2}● ann \(30k\?\) · direct 4 ms/)
    expect(text).toMatch(/▶ ○ GNU Go \(30k\?\)$/m)
    // Black moved last at 3 s: its clock shows 58 s of main time; White's has run since, 10 s at 13 s.
    expect(text).toMatch(/ {4}0:58 \+ 3×0:30 · 1 capture$/m)
    expect(text).toMatch(/ {4}0:49 \+ 3×0:30 · 0 captures$/m)
    expect(text).toMatch(/9x9 · komi 7\.5 · Chinese · 3 watching/)
    expect(text).toMatch(/Move 4: White to move/)
    expect(text).toMatch(/ {2}1 B B1 {6}2 W A1/)
    expect(text).toMatch(/Spectators \(c to chat\):\n.*nothing said yet/)
    expect(lines.every(l => [...l].length <= 80)).toBe(true)
  })

  it('reads the clocks again at a later instant: the one running shows less', () => {
    const at = (now: number): string => watchScreenLines(input(view(), { now }), ASCII, 80, 21).join('\n')
    expect(at(13_000)).toMatch(/0:49 \+ 3×0:30 · 0 captures/)
    expect(at(23_000)).toMatch(/0:39 \+ 3×0:30 · 0 captures/)
    expect(at(23_000)).toMatch(/0:58 \+ 3×0:30 · 1 capture/)
  })

  it('shows the last spectator lines with their authors', () => {
    const chat = Array.from({ length: 10 }, (_, i) => ({ name: i % 2 === 0 ? 'carol' : 'dave', text: `line ${i}` }))
    const text = watchScreenLines(input(view({ chat })), UNICODE, 80, 21).join('\n')
    expect(text).toMatch(/dave: line 9/)
    expect(text).toMatch(/carol: line 8/)
    expect(text).not.toMatch(/line 0\b/)
  })

  it('shows the result, that both players signed it, and stops the clocks where the game ended', () => {
    const ended = view({ ended: { result: 'W+R', cosigned: true, at: 13_000 } })
    const text = watchScreenLines(input(ended, { now: 50_000 }), UNICODE, 80, 21).join('\n')
    expect(text).toMatch(/White wins by resignation/)
    expect(text).toMatch(/result signed by both players/)
    expect(text).toMatch(/Esc: back to the lobby/)
    expect(text).toMatch(/0:49 \+ 3×0:30 · 0 captures/)
    expect(text).not.toMatch(/▶|to move/)
    expect(watchScreenLines(input(view({ ended: { result: 'B+5.5', cosigned: false, at: 13_000 } })), UNICODE, 80, 21).join('\n'))
      .toMatch(/Black wins by 5\.5 points\n.*waiting for the second player's signature/)
  })

  it('says what it waits for before the game arrives, and what to do when nobody sent it', () => {
    const waiting = watchScreenLines(input(view({ watched: undefined })), UNICODE, 80, 21).join('\n')
    expect(waiting).toMatch(/Asking the players for the game \(ann, GNU Go\)…/)
    expect(waiting).not.toMatch(/A B C D/)
    const failure = 'Neither ann nor GNU Go (nor another watcher) sent the game within 90 s: they may have finished, left, or not be reachable from here. Esc: back to the lobby, where w on the game tries again while it is listed.'
    const failed = watchScreenLines(input(view({ watched: undefined, failure })), UNICODE, 60, 21)
    expect(failed.every(l => [...l].length <= 60)).toBe(true)
    expect(failed.join(' ')).toContain('sent the game within 90 s: they may have finished, left, or not be reachable from here.')
    expect(failed.join('\n')).toMatch(/Esc: back to the lobby$/m)
  })

  it('puts the panel under the board when the terminal is narrow, cut to its width', () => {
    const lines = watchScreenLines(input(view({ chat: [{ name: 'carol', text: 'x'.repeat(100) }] })), UNICODE, 40, 40)
    expect(lines[0]).toMatch(/A B C D E F G H J/)
    expect(lines.every(l => [...l].length <= 40)).toBe(true)
    expect(lines.join('\n')).toMatch(/Watching ann vs GNU Go/)
    expect(lines.join('\n')).toMatch(/carol: x+…/)
  })
})

describe('live games in the lobby', () => {
  const live = (names: { B: string, W: string }): LobbyLiveGame => ({
    gameId,
    size: 9,
    black: peerIdFromString(BLACK_PEER),
    white: peerIdFromString(WHITE_PEER),
    names,
    ply: 12,
    watchers: 2,
    author: peerIdFromString(BLACK_PEER),
    received: 0,
    age: 5000,
    expires: 0
  })
  const entries: LobbyEntry[] = [
    { kind: 'player', player: { peer: BLACK_PEER, name: 'ann', trust: 0.5 } },
    { kind: 'live', live: live({ B: 'ann', W: 'GNU Go' }) },
    { kind: 'live', live: live({ B: 'bob', W: 'carol' }) }
  ]

  it('are rows to select, under the seeks', () => {
    const lines = lobbyLines({ entries, selected: 2, size: 9, mySeeks: [], challenges: [], live: true }, 80, 30)
    const at = lines.indexOf('Live games: 2')
    expect(at).toBeGreaterThan(lines.indexOf('Open seeks: 0'))
    expect(lines[at + 1]).toBe('  ann vs GNU Go · move 12 · 2 watching · 5 s ago')
    expect(lines[at + 2]).toBe('> bob vs carol · move 12 · 2 watching · 5 s ago')
  })

  it('are watched with w or Enter, which the hint says when one is selected', () => {
    expect(actionOf('lobby', 'w')).toBe('watch')
    expect(screenHint('lobby', false, true)).toMatch(/^ Enter\/w watch · /)
    expect(screenHint('lobby', false, false)).toMatch(/^ Enter challenge · /)
    expect([...screenHint('lobby', false, true)].length).toBeLessThanOrEqual(80)
    expect(actionOf('watch', 'c')).toBe('chat')
    expect(actionOf('watch', 'q')).toBe('back')
    expect(actionOf('watch', 'escape')).toBe('back')
    expect(actionOf('watch', 'C-c')).toBe('quit')
  })
})
