// The terminal client: one blessed screen with a status line, a body the current screen
// (lobby, game, review, a watched game, reputation inspector, RNA browser, the player's games) draws into, a message line and a key hint.
// Dialogs (confirm, a line of text, a choice, help, details) are drawn over the body and take the
// keys while open. Everything shown comes from ClientState and the pure line builders. This file
// holds the widgets and the dispatch; what each screen's keys do and draw lives beside it.
import blessed from 'blessed'
import { screenOf, type AppContext } from './app-context.js'
import { ASCII, UNICODE, vertexAt, type Glyphs } from './board-view.js'
import { BOARD_ORIGIN } from './board-screen.js'
import { browserAction, refreshBrowser } from './browser-screen.js'
import { ClientState, type LobbySize } from './client-state.js'
import { dialogHint, dialogKey, dialogLines, wrapLine } from './dialogs.js'
import { gameAction } from './game-actions.js'
import { actionOf, helpLines, screenHint, type Action } from './keys.js'
import { lobbyAction } from './lobby-actions.js'
import { reviewAction } from './review-actions.js'
import { closeWatch, watchAction } from './watch-actions.js'
import { bodyLines } from './screen-body.js'
import { statusLine } from './status-line.js'
import { keyName } from './terminal.js'
import { writeUnicodeSymbols } from './blessed-unicode.js'
import { isCorrespondence } from './ongoing-games.js'
import type { P2pgoNode } from '../net/node.js'

export interface AppInit {
  readonly node: P2pgoNode
  readonly ascii: boolean
  /** The size the lobby starts on. */
  readonly size?: LobbySize
  /** A line about where the network came from ("local network: a relay and 2 GNU Go bots"). */
  readonly network?: string
  /** Where the review screen's export writes SGF files (default: the folder p2pgo started in). */
  readonly exportDir?: string
}

/** How often the clocks are drawn again while a timed game runs. */
const CLOCK_REDRAW_MS = 100

/** Text escaped for a tagged blessed box, so a name like "{bold}" shows as typed. */
const esc = (text: string): string => blessed.escape(text)

export class App {
  private readonly ctx: AppContext
  private readonly glyphs: Glyphs
  private readonly screen: blessed.Widgets.Screen
  private readonly header: blessed.Widgets.BoxElement
  private readonly body: blessed.Widgets.BoxElement
  private readonly message: blessed.Widgets.BoxElement
  private readonly hint: blessed.Widgets.BoxElement
  private readonly overlay: blessed.Widgets.BoxElement
  private ticker: ReturnType<typeof setInterval> | undefined
  private closed: (() => void) | undefined
  private readonly ascii: boolean
  /** How long the last draw took and when it finished (performance.now()): the screen-update benchmark reads these. */
  lastDrawMs = 0
  lastDrawAt = 0

  constructor (init: AppInit) {
    this.ascii = init.ascii
    this.glyphs = init.ascii ? ASCII : UNICODE
    this.ctx = {
      state: new ClientState(init.node, init.size ?? 9),
      node: init.node,
      view: 'lobby',
      selected: 0,
      cursor: { x: 0, y: 0 },
      modal: undefined,
      browser: { lines: [], keys: [], selected: 0 },
      review: undefined,
      watch: undefined,
      exportDir: init.exportDir ?? process.cwd(),
      draw: () => { this.draw() }
    }
    this.screen = blessed.screen({
      smartCSR: true,
      fullUnicode: !init.ascii,
      forceUnicode: !init.ascii,
      title: 'p2pgo',
      warnings: false
    })
    // The locale said UTF-8 (or --ascii would be on): write the symbols themselves (blessed-unicode.ts says why).
    if (!init.ascii) writeUnicodeSymbols(this.screen)
    this.header = blessed.box({ parent: this.screen, top: 0, left: 0, width: '100%', height: 1, tags: false, style: { fg: 'black', bg: 'cyan' } })
    // Lines are cut to the width by the builders; blessed must not wrap them (a wrapped line would shift the board).
    this.body = blessed.box({ parent: this.screen, top: 1, left: 0, width: '100%', height: '100%-3', tags: true, wrap: false })
    this.message = blessed.box({ parent: this.screen, bottom: 1, left: 0, width: '100%', height: 1, tags: false, style: { fg: 'yellow' } })
    this.hint = blessed.box({ parent: this.screen, bottom: 0, left: 0, width: '100%', height: 1, tags: false, style: { fg: 'black', bg: 'white' } })
    this.overlay = blessed.box({
      parent: this.screen,
      top: 'center',
      left: 'center',
      width: '90%',
      height: '80%',
      tags: true,
      hidden: true,
      padding: { left: 1, right: 1 },
      ...(init.ascii ? {} : { border: 'line' as const }),
      style: { bg: 'black', fg: 'white', border: { fg: 'cyan' } }
    })
    if (init.network != null) this.ctx.state.notice = init.network
  }

  /** Runs until the player quits; resolves then (the node keeps running: the caller stops it). */
  async run (): Promise<void> {
    const { screen, ctx } = this
    const state = ctx.state
    state.addEventListener('change', () => { this.draw() })
    state.addEventListener('game', () => {
      const session = state.session()
      if (session == null) return
      // A game of the player's own takes the screen: a game watched is left.
      ctx.watch?.stop()
      ctx.watch = undefined
      ctx.view = 'game'
      const mid = Math.floor(session.game.size / 2)
      ctx.cursor = { x: mid, y: mid }
      ctx.modal = undefined
      this.draw()
    })
    state.addEventListener('rna', () => { refreshBrowser(ctx, 'rna') })
    screen.on('keypress', (ch: string | undefined, key: { name?: string, full?: string, ctrl?: boolean }) => { this.onKey(keyName(ch, key), ch) })
    screen.on('resize', () => { this.draw() })
    screen.enableMouse()
    this.body.on('click', (data: { x: number, y: number }) => { this.onClick(data.x - (this.body.aleft as number), data.y - (this.body.atop as number)) })
    this.ticker = setInterval(() => { if ((ctx.view === 'game' || ctx.view === 'watch') && this.clockRunning()) this.draw() }, CLOCK_REDRAW_MS)
    state.start()
    this.draw()
    await new Promise<void>(resolve => { this.closed = resolve })
  }

  /** Leaves the screen as it found it. */
  destroy (): void {
    clearInterval(this.ticker)
    this.ctx.watch?.stop()
    this.ctx.state.stop()
    this.screen.destroy()
  }

  private clockRunning (): boolean {
    if (this.ctx.view === 'watch') {
      const w = this.ctx.watch
      const game = w?.watched?.game
      return game != null && w?.ended == null && w?.failure == null && game.phase === 'play' && game.settings.timeControl.kind !== 'none'
    }
    const s = this.ctx.state.session()
    return s != null && s.end == null && s.game.settings.timeControl.kind !== 'none'
  }

  // ---- drawing -----------------------------------------------------------------------------

  private draw (): void {
    const started = performance.now()
    const width = this.screen.width as number
    const height = Math.max(1, (this.screen.height as number) - 3)
    this.header.setContent(statusLine(this.ctx.state.status(), width))
    this.body.setContent(bodyLines(this.ctx, this.glyphs, width, height, esc).join('\n'))
    this.message.setContent(this.ctx.state.notice)
    this.askUndo()
    this.hint.setContent(this.hintText())
    this.drawModal()
    this.screen.render()
    this.lastDrawAt = performance.now()
    this.lastDrawMs = this.lastDrawAt - started
  }

  /** The opponent asked to take back a move: the player answers before anything else. */
  private askUndo (): void {
    const { ctx } = this
    const state = ctx.state
    if (!state.undoAsked || ctx.modal != null) return
    state.undoAsked = false
    ctx.modal = {
      kind: 'confirm',
      text: 'Your opponent asks to take back their last move. Allow it?',
      yes: () => { state.act(async s => s.replyUndo(true), 'you allowed the take-back') },
      no: () => { state.act(async s => s.replyUndo(false), 'you refused the take-back') }
    }
  }

  private hintText (): string {
    if (this.ctx.modal != null) return dialogHint(this.ctx.modal)
    const { ctx } = this
    const live = ctx.view === 'lobby' && ctx.state.entries()[ctx.selected]?.kind === 'live'
    return screenHint(screenOf(ctx), ctx.state.session()?.end != null, live)
  }

  private drawModal (): void {
    const m = this.ctx.modal
    if (m == null) {
      this.overlay.hide()
      return
    }
    let lines = dialogLines(m, esc)
    const width = this.screen.width as number
    const height = this.screen.height as number
    const inner = Math.min(width - 6, Math.max(30, ...lines.map(l => l.length)))
    lines = lines.flatMap(l => wrapLine(l, inner))
    this.overlay.width = Math.min(width, inner + (this.ascii ? 2 : 4))
    this.overlay.height = Math.min(height, lines.length + 2)
    this.overlay.setContent(lines.join('\n'))
    this.overlay.show()
    this.overlay.setFront()
  }

  // ---- keys --------------------------------------------------------------------------------

  private onKey (name: string, ch: string | undefined): void {
    if (name === '') return
    const { ctx } = this
    if (ctx.modal != null) {
      dialogKey(ctx.modal, name, ch, () => { ctx.modal = undefined })
      this.draw()
      return
    }
    const action = actionOf(screenOf(ctx), name)
    if (action != null) this.onAction(action)
    this.draw()
  }

  private onAction (action: Action): void {
    const { ctx } = this
    switch (action) {
      case 'help': {
        const screen = screenOf(ctx)
        ctx.modal = { kind: 'text', title: `Keys (${screen})`, lines: helpLines(screen) }
        return
      }
      case 'quit':
        this.quit()
        return
      case 'back':
        this.back()
        return
    }
    if (ctx.view === 'lobby') lobbyAction(ctx, action)
    else if (ctx.view === 'game') gameAction(ctx, action)
    else if (ctx.view === 'review') reviewAction(ctx, action)
    else if (ctx.view === 'watch') watchAction(ctx, action)
    else browserAction(ctx, action)
  }

  /** Asks first during a game (it stays resumable); `force` (a signal) leaves at once. */
  quit (force = false): void {
    const session = this.ctx.state.session()
    const leave = (): void => { this.closed?.() }
    if (!force && session != null && session.end == null) {
      this.ctx.modal = { kind: 'confirm', text: 'Quit during the game? It stays resumable: start p2pgo again with the same home to go on (your clock runs meanwhile).', yes: leave }
    } else leave()
  }

  private back (): void {
    const { ctx } = this
    if (ctx.view === 'game') {
      const session = ctx.state.session()
      // A correspondence game waits in the lobby between moves; a live one is played to its end.
      if (session != null && session.end == null && !isCorrespondence(session)) {
        ctx.state.say('the game is still on: finish it, or quit (q) to resume it later')
        return
      }
      ctx.state.leaveGame()
    }
    if (ctx.view === 'watch') {
      closeWatch(ctx)
      return
    }
    if (ctx.view === 'review') {
      // Back to the list the game was opened from (kept as it was).
      ctx.view = ctx.review?.from ?? 'lobby'
      ctx.review = undefined
      ctx.state.activity = 'in the lobby'
      return
    }
    ctx.view = 'lobby'
  }

  private onClick (column: number, row: number): void {
    const { ctx } = this
    if (ctx.modal != null || ctx.view !== 'game') return
    const session = ctx.state.session()
    if (session == null) return
    const v = vertexAt(session.game.size, column - BOARD_ORIGIN.column, row - BOARD_ORIGIN.row)
    if (v == null) return
    ctx.cursor = v
    if (session.end == null) gameAction(ctx, screenOf(ctx) === 'scoring' ? 'toggle-dead' : 'play')
    this.draw()
  }
}
