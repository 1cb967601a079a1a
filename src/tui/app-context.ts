// What the terminal client's parts share between draws: the view shown, the selection, the board
// cursor, the open dialog, the browser's rows, the game open in review and the game watched. The app owns one of these and hands it to the
// per-screen key handlers and line builders, so they change and read the view without the widgets.
import type { ClientState } from './client-state.js'
import type { Modal } from './dialogs.js'
import type { Screen } from './keys.js'
import type { Vertex } from '../game/vertex.js'
import type { P2pgoNode } from '../net/node.js'
import type { RatingHistory } from '../rating/history.js'
import type { ReviewView } from './review-screen.js'
import type { WatchView } from './watch-screen.js'

/** Screens that are lists of query answers (this node's games among them). */
export type Browser = 'reputation' | 'rna' | 'games' | 'inbox'

/** What the body of the screen shows. */
export type View = 'lobby' | 'game' | 'review' | 'watch' | Browser

/** A browser screen's rows, the key each row is looked up by, and the selected row. */
export interface BrowserList {
  lines: string[]
  keys: string[]
  selected: number
  /** The player's own rating history, shown above the reputation list. */
  history?: RatingHistory
}

/** The client's view state, shared by the app and its key handlers. */
export interface AppContext {
  readonly state: ClientState
  readonly node: P2pgoNode
  view: View
  /** The selected lobby entry. */
  selected: number
  /** The board cursor of the game screen. */
  cursor: Vertex
  /** The dialog that takes the keys while it is open. */
  modal: Modal | undefined
  browser: BrowserList
  /** The game open in review. */
  review: ReviewView | undefined
  /** The live game watched. */
  watch: WatchView | undefined
  /** Where the review screen's export writes SGF files. */
  readonly exportDir: string
  /** Draws the screen again: answers that arrive after the key press need it. */
  readonly draw: () => void
}

/** The key map the view uses now: the game screen has one for play and one for counting. */
export function screenOf (ctx: AppContext): Screen {
  if (ctx.view === 'game') return ctx.state.session()?.game.phase === 'scoring' && ctx.state.session()?.end == null ? 'scoring' : 'board'
  return ctx.view
}
