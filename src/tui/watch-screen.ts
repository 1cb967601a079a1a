// The watch screen as lines of text: a live game's board on the left and beside it both players
// (rank, and the connection when this node has one), their clocks and captures, whose turn it is
// or the result once the game ends, the last moves and the spectator chat. Read-only: no cursor.
// Pure, like the game and review screens: watch-actions.ts keeps the view up to date.
import { remaining } from '../game/clock.js'
import { BLACK, WHITE } from '../game/constants.js'
import { boardLines, type Glyphs } from './board-view.js'
import { BOARD_ORIGIN } from './board-screen.js'
import { clockText } from './clock-text.js'
import { moveListLines } from './game-panel.js'
import { who } from './live-rows.js'
import { connectionCell } from './lobby-rows.js'
import { resultText } from './result-text.js'
import type { Game } from '../game/game.js'
import type { Rung } from '../net/rung.js'
import type { CID } from 'multiformats/cid'
import { cut, wrap } from './text-fit.js'

/** A game watched from the lobby: what its live entry said, and what has arrived since. */
export interface WatchView {
  readonly gameId: CID
  readonly names: { readonly B: string, readonly W: string }
  /** The players' peer IDs: the screen shows this node's connection to each, where it has one. */
  readonly peers: { readonly B: string, readonly W: string }
  /** The ratings the start record claims, for a rated game (the live entry carries them). */
  readonly ratings?: { readonly B: { readonly mu: number, readonly sigma: number }, readonly W: { readonly mu: number, readonly sigma: number } }
  /** The game as checked so far; undefined while the players are asked for it. */
  watched: { readonly game: Game } | undefined
  /** Spectator chat, oldest first (this node's own lines among it). */
  readonly chat: Array<{ readonly name: string, readonly text: string }>
  /** The result once the game ended; `at` is when (the last act's time): the clocks stop there. */
  ended: { readonly result: string, readonly cosigned: boolean, readonly at: number } | undefined
  /** Why there is no game to show, or why it stopped, in words that say what to do. */
  failure: string | undefined
  /** Stops watching: leaves the game's topic and stops listening. */
  stop: () => void
}

/** What the screen reads besides the view, at each draw. */
export interface WatchScreenInput {
  readonly view: WatchView
  /** ms since the epoch: the instant the clocks are read at. */
  readonly now: number
  /** Watchers as the players last counted them in the lobby, when known. */
  readonly watchers?: number
  /** This node's connection to each player, where it has one. */
  readonly links?: Partial<Record<'B' | 'W', { readonly rung: Rung, readonly rttMs?: number }>>
}

/** Columns between the board and the panel. */
const GAP = 3
/** Most chat lines shown; fewer when the panel is short. */
const CHAT_LINES = 6

/** Each player: turn mark, stone, name and rank, connection; then clock and captures. Black first. */
function playerLines (input: WatchScreenInput, game: Game | undefined, glyphs: Glyphs, width: number): string[] {
  const { view } = input
  const out: string[] = []
  for (const side of ['B', 'W'] as const) {
    const color = side === 'B' ? BLACK : WHITE
    const toMove = game != null && game.phase === 'play' && game.toMove === color && view.ended == null
    const link = input.links?.[side]
    out.push(cut(`${toMove ? glyphs.turn : ' '} ${side === 'B' ? glyphs.black : glyphs.white} ${who(view.names[side], view.ratings?.[side])}${link != null ? ` · ${connectionCell(link.rung, link.rttMs)}` : ''}`, width))
    if (game == null) continue
    const at = view.ended != null ? Math.min(input.now, view.ended.at) : input.now
    const captured = game.captures[color]
    out.push(cut(`    ${clockText(game.settings.timeControl, remaining(game.clock, color, at))} · ${captured} ${captured === 1 ? 'capture' : 'captures'}`, width))
  }
  return out
}

/** Where the game stands: waiting for it, failed, whose move, counting, or the result. */
function stateLines (view: WatchView, game: Game | undefined, width: number): string[] {
  if (view.failure != null) return [...wrap(view.failure, width), 'Esc: back to the lobby']
  if (game == null) return wrap(`Asking the players for the game (${view.names.B}, ${view.names.W})…`, width)
  if (view.ended != null) {
    return [
      cut(resultText(view.ended.result), width),
      cut(view.ended.cosigned ? 'result signed by both players' : 'waiting for the second player\'s signature', width),
      cut('Esc: back to the lobby', width)
    ]
  }
  if (game.phase === 'scoring') return wrap('Counting: the players mark the dead stones', width)
  const last = game.moves.at(-1)
  const passed = last != null && last.vertex == null ? ` (${last.color === BLACK ? 'Black' : 'White'} passed)` : ''
  return [cut(`Move ${game.moves.length + 1}: ${game.toMove === BLACK ? 'Black' : 'White'} to move${passed}`, width)]
}

/** The panel beside (or under) the board, in at most `height` lines of `width` columns. */
export function watchPanelLines (input: WatchScreenInput, glyphs: Glyphs, width: number, height: number): string[] {
  const { view } = input
  const game = view.watched?.game
  const terms = game == null
    ? []
    : [`${game.size}x${game.size} · ${game.settings.handicap > 0 ? `handicap ${game.settings.handicap}` : `komi ${game.settings.komi}`} · ${game.settings.rules.name}${input.watchers != null ? ` · ${input.watchers} watching` : ''}`]
  const head = [
    cut(`Watching ${view.names.B} vs ${view.names.W}`, width),
    ...playerLines(input, game, glyphs, width),
    ...terms.map(t => cut(t, width)),
    '',
    ...stateLines(view, game, width)
  ]
  const said = view.chat.map(c => cut(`  ${c.name}: ${c.text}`, width))
  // The chat keeps its lines before the move list takes the rest; on a short panel both shrink.
  const chatRoom = Math.max(1, Math.min(CHAT_LINES, height - head.length - 5))
  const chat = game == null && view.failure != null ? [] : ['', cut('Spectators (c to chat):', width), ...(said.length > 0 ? said.slice(-chatRoom) : [cut('  nothing said yet', width)])]
  const room = height - head.length - chat.length - 1
  const moves = game != null && room > 0 ? moveListLines(game, room, width) : []
  return [...head, ...(moves.length > 0 ? ['', ...moves] : []), ...chat].slice(0, height)
}

/** The whole watch screen in `width` x `height`: board and panel side by side when they fit, the panel below otherwise. */
export function watchScreenLines (input: WatchScreenInput, glyphs: Glyphs, width: number, height: number): string[] {
  const game = input.view.watched?.game
  if (game == null) return watchPanelLines(input, glyphs, width, height)
  const board = game.position.board
  const dead = new Set(game.marking.dead.map(v => v.y * game.size + v.x))
  const last = game.moves.at(-1)
  const ko = board.isPoint(game.position.koPoint) ? board.vertex(game.position.koPoint) : undefined
  const drawn = boardLines({
    size: game.size,
    at: v => board.cells[board.point(v.x, v.y)] as 0 | 1 | 2,
    ...(last?.vertex != null ? { lastMove: last.vertex } : {}),
    ...(ko != null ? { ko } : {}),
    dead: v => dead.has(v.y * game.size + v.x)
  }, glyphs).map(line => ' '.repeat(BOARD_ORIGIN.column) + line)
  const boardWidth = Math.max(...drawn.map(l => [...l].length))
  if (width >= boardWidth + GAP + 24) {
    const panel = watchPanelLines(input, glyphs, width - boardWidth - GAP, height)
    const out: string[] = []
    for (let i = 0; i < Math.min(Math.max(drawn.length, panel.length), height); i++) {
      const left = drawn[i] ?? ''
      out.push(`${left}${' '.repeat(boardWidth - [...left].length + GAP)}${panel[i] ?? ''}`.trimEnd())
    }
    return out
  }
  return [...drawn, ...watchPanelLines(input, glyphs, width, Math.max(0, height - drawn.length))].slice(0, height)
}
