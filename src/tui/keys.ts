// Every key of the terminal client, by screen, with the words the help screen (`?`) shows.
// Pure: the screen maps a key press to an action here and carries it out.
import type { Vertex } from '../game/vertex.js'

export type Screen = 'lobby' | 'board' | 'scoring' | 'reputation' | 'rna' | 'games' | 'inbox' | 'review' | 'watch'

export type Action =
  | 'help' | 'quit' | 'back'
  | 'up' | 'down' | 'left' | 'right' | 'select'
  | 'seek' | 'challenge' | 'accept' | 'decline' | 'quick-match' | 'reputation' | 'rna' | 'games' | 'inbox' | 'dismiss' | 'size' | 'watch'
  | 'details' | 'first' | 'last' | 'jump' | 'export' | 'open-file'
  | 'play' | 'pass' | 'resign' | 'undo' | 'chat' | 'type-move'
  | 'toggle-dead' | 'accept-count' | 'resume' | 'leave'

export interface Binding {
  /** Key names as blessed reports them ('up', 'enter', 'C-c', 'q', '?'). */
  readonly keys: readonly string[]
  readonly action: Action
  readonly help: string
}

const MOVE: readonly Binding[] = [
  { keys: ['up', 'k'], action: 'up', help: 'move the cursor up' },
  { keys: ['down', 'j'], action: 'down', help: 'move the cursor down' },
  { keys: ['left', 'h'], action: 'left', help: 'move the cursor left' },
  { keys: ['right', 'l'], action: 'right', help: 'move the cursor right' }
]

const EVERYWHERE: readonly Binding[] = [
  { keys: ['?'], action: 'help', help: 'this help' },
  { keys: ['q', 'C-c'], action: 'quit', help: 'quit (asks first during a game; the game stays resumable)' }
]

/** A browsable list (the reputation inspector, the RNA browser): move, open, go back. */
function list (item: string, opens: string, more: readonly Binding[] = []): readonly Binding[] {
  return [
    { keys: ['up', 'k'], action: 'up', help: `previous ${item}` },
    { keys: ['down', 'j'], action: 'down', help: `next ${item}` },
    { keys: ['enter'], action: 'select', help: opens },
    ...more,
    { keys: ['escape', 'b'], action: 'back', help: 'back to the lobby' },
    ...EVERYWHERE
  ]
}

export const BINDINGS: Readonly<Record<Screen, readonly Binding[]>> = Object.freeze({
  lobby: [
    { keys: ['up', 'k'], action: 'up', help: 'previous player, seek or live game' },
    { keys: ['down', 'j'], action: 'down', help: 'next player, seek or live game' },
    { keys: ['enter', 'c'], action: 'challenge', help: 'challenge the selected player, take the selected seek, or watch the selected live game' },
    { keys: ['w'], action: 'watch', help: 'watch the selected live game (read-only: board, clocks, spectator chat)' },
    { keys: ['s'], action: 'seek', help: 'create a seek (board size, komi, clock)' },
    { keys: ['m'], action: 'quick-match', help: 'quick match: the first fit opponent near your rating, challenged at once' },
    { keys: ['z'], action: 'size', help: 'board size: 9x9, 13x13, 19x19 (ratings shown, games offered)' },
    { keys: ['a'], action: 'accept', help: 'accept the incoming challenge' },
    { keys: ['d'], action: 'decline', help: 'decline the incoming challenge' },
    { keys: ['r'], action: 'reputation', help: 'reputation of the peers this node knows' },
    { keys: ['t'], action: 'rna', help: 'training data (RNA) this node holds' },
    { keys: ['g'], action: 'games', help: 'your finished games, to review' },
    { keys: ['i'], action: 'inbox', help: 'your inbox: challenges and messages sent while you were away' },
    ...EVERYWHERE
  ],
  board: [
    ...MOVE,
    { keys: ['enter', 'space'], action: 'play', help: 'play at the cursor (or click a point)' },
    { keys: [':'], action: 'type-move', help: 'type a move (D4, pass)' },
    { keys: ['p'], action: 'pass', help: 'pass' },
    { keys: ['R'], action: 'resign', help: 'resign (asks first)' },
    { keys: ['u'], action: 'undo', help: 'ask to take back your last move' },
    { keys: ['c'], action: 'chat', help: 'chat with your opponent' },
    { keys: ['L'], action: 'leave', help: 'leave a game whose opponent has been silent too long (no result)' },
    { keys: ['escape', 'b'], action: 'back', help: 'back to the lobby (once the game is over; any time in a correspondence game)' },
    ...EVERYWHERE
  ],
  scoring: [
    ...MOVE,
    { keys: ['enter', 'space'], action: 'toggle-dead', help: 'mark the group at the cursor dead or alive (or click it)' },
    { keys: ['a'], action: 'accept-count', help: 'accept this count' },
    { keys: ['r'], action: 'resume', help: 'resume play instead' },
    { keys: ['c'], action: 'chat', help: 'chat with your opponent' },
    { keys: ['L'], action: 'leave', help: 'leave a game whose opponent has been silent too long (no result)' },
    ...EVERYWHERE
  ],
  reputation: list('peer', 'the peer\'s breakdown, RNA paths and rating'),
  rna: list('RNA', 'review the RNA\'s game', [{ keys: ['i'], action: 'details', help: 'the RNA: quality, origin, propagation path' }]),
  games: list('game', 'review the game', [{ keys: ['o'], action: 'open-file', help: 'open an SGF file in review (its path, from the folder p2pgo started in)' }]),
  inbox: list('item', 'accept the selected challenge (asks first)', [{ keys: ['x', 'd'], action: 'dismiss', help: 'dismiss the selected item (a challenge is declined)' }]),
  review: [
    { keys: ['left', 'h'], action: 'left', help: 'previous move' },
    { keys: ['right', 'l'], action: 'right', help: 'next move' },
    { keys: ['up', 'k'], action: 'up', help: 'ten moves back' },
    { keys: ['down', 'j'], action: 'down', help: 'ten moves on' },
    { keys: ['home', '0'], action: 'first', help: 'the start' },
    { keys: ['end', '$'], action: 'last', help: 'the end: the result, the agreed dead stones and the count' },
    { keys: [':', 'm'], action: 'jump', help: 'jump to a move number' },
    { keys: ['e'], action: 'export', help: 'export the game as SGF (a file in the folder p2pgo started in)' },
    { keys: ['escape', 'b'], action: 'back', help: 'back to the list' },
    ...EVERYWHERE
  ],
  // Watching changes nothing that q could lose: q leaves the game, as Esc does (Ctrl-C quits).
  watch: [
    { keys: ['c'], action: 'chat', help: 'say something to the other watchers (the players do not see it while they play)' },
    { keys: ['escape', 'b', 'q'], action: 'back', help: 'stop watching: back to the lobby (a game seen to its end is kept: g lists it)' },
    { keys: ['?'], action: 'help', help: 'this help' },
    { keys: ['C-c'], action: 'quit', help: 'quit p2pgo' }
  ]
})

/** The action of a key on a screen, or undefined when the key does nothing there. */
export function actionOf (screen: Screen, key: string): Action | undefined {
  return BINDINGS[screen].find(b => b.keys.includes(key))?.action
}

/** The help screen's lines for a screen: keys, then what they do. */
export function helpLines (screen: Screen): string[] {
  const rows = BINDINGS[screen].map(b => [b.keys.map(keyLabel).join(' / '), b.help] as const)
  const width = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, help]) => `${k.padEnd(width)}  ${help}`)
}

const LABELS: Readonly<Record<string, string>> = { up: '↑', down: '↓', left: '←', right: '→', enter: 'Enter', space: 'Space', escape: 'Esc', 'C-c': 'Ctrl-C', home: 'Home', end: 'End' }
const keyLabel = (key: string): string => LABELS[key] ?? key

/** The cursor after a movement action, kept on a board of `size`. */
export function moveCursor (cursor: Vertex, action: Action, size: number): Vertex {
  const clamp = (n: number): number => Math.min(size - 1, Math.max(0, n))
  switch (action) {
    case 'up': return { x: cursor.x, y: clamp(cursor.y - 1) }
    case 'down': return { x: cursor.x, y: clamp(cursor.y + 1) }
    case 'left': return { x: clamp(cursor.x - 1), y: cursor.y }
    case 'right': return { x: clamp(cursor.x + 1), y: cursor.y }
    default: return cursor
  }
}

/**
 * The key hint line of a screen; `over` is whether the game shown has ended (the board then only
 * leads back); `live` whether the lobby's selected row is a live game (Enter and w then watch it).
 */
export function screenHint (screen: Screen, over: boolean, live = false): string {
  switch (screen) {
    case 'lobby': return live
      ? ' Enter/w watch · s seek · m match · z size · r rep · t RNA · ? help · q quit'
      : ' Enter challenge · s seek · m match · z size · r rep · t RNA · ? help · q quit'
    case 'board': return over
      ? ' Esc back to the lobby · ? help · q quit'
      : ' ←↑↓→ Enter play · : type · p pass · R resign · u undo · c chat · ? help · q'
    case 'scoring': return ' ←↑↓→ Enter dead/alive · a accept · r resume · c chat · ? help · q quit'
    case 'rna': return ' ↑↓ move · Enter review · i details · Esc back · ? help · q quit'
    case 'games': return ' ↑↓ move · Enter review · o open SGF file · Esc back · ? help · q quit'
    case 'review': return ' ←→ step · Home/End · : jump · e export SGF · Esc back · ? help'
    case 'watch': return ' c chat with the watchers · Esc/q stop watching (back to the lobby) · ? help'
    default: return ' ↑↓ move · Enter details · Esc back · ? help · q quit'
  }
}
