// The terminal client: one blessed screen with a status line, a body the current screen
// (lobby, game, reputation inspector, RNA browser) draws into, a message line and a key hint.
// Dialogs (confirm, a line of text, a choice, help, details) are drawn over the body and take the
// keys while open. Everything shown comes from ClientState and the pure line builders.
import blessed from 'blessed'
import { ASCII, UNICODE, vertexAt, type Glyphs } from './board-view.js'
import { BOARD_ORIGIN, boardScreenLines } from './board-screen.js'
import { ClientState, type LobbySize } from './client-state.js'
import { actionOf, helpLines, moveCursor, type Action, type Screen } from './keys.js'
import { clampSelection, lobbyLines } from './lobby-screen.js'
import { presetsFor } from './presets.js'
import { statusLine } from './status-line.js'
import { keyName } from './terminal.js'
import { parseTypedMove } from './typed-move.js'
import { formatRnaAnswer, rnaAnswer } from '../queries/rna-queries.js'
import { formatReputationAnswer, reputationAnswer } from '../queries/reputation-queries.js'
import type { P2pgoNode } from '../net/node.js'
import type { Vertex } from '../game/vertex.js'

export interface AppInit {
  readonly node: P2pgoNode
  readonly ascii: boolean
  /** The size the lobby starts on. */
  readonly size?: LobbySize
  /** A line about where the network came from ("local network: a relay and 2 GNU Go bots"). */
  readonly network?: string
}

type Modal =
  | { readonly kind: 'confirm', readonly text: string, readonly yes: () => void, readonly no?: () => void }
  | { readonly kind: 'input', readonly label: string, value: string, readonly done: (text: string) => void }
  | { readonly kind: 'choose', readonly title: string, readonly items: readonly string[], selected: number, readonly done: (i: number) => void }
  | { readonly kind: 'text', readonly title: string, readonly lines: readonly string[] }

/** Screens that are lists of query answers. */
type Browser = 'reputation' | 'rna'

/** How often the clocks are drawn again while a timed game runs. */
const CLOCK_REDRAW_MS = 100

const SIZES: readonly LobbySize[] = [9, 13, 19]

export class App {
  private readonly state: ClientState
  private readonly node: P2pgoNode
  private readonly glyphs: Glyphs
  private readonly screen: blessed.Widgets.Screen
  private readonly header: blessed.Widgets.BoxElement
  private readonly body: blessed.Widgets.BoxElement
  private readonly message: blessed.Widgets.BoxElement
  private readonly hint: blessed.Widgets.BoxElement
  private readonly overlay: blessed.Widgets.BoxElement
  private view: 'lobby' | 'game' | Browser = 'lobby'
  private selected = 0
  private cursor: Vertex = { x: 0, y: 0 }
  private modal: Modal | undefined
  private browser: { lines: string[], keys: string[], selected: number } = { lines: [], keys: [], selected: 0 }
  private ticker: ReturnType<typeof setInterval> | undefined
  private closed: (() => void) | undefined
  private readonly ascii: boolean
  /** How long the last draw took and when it finished (performance.now()): the screen-update benchmark reads these. */
  lastDrawMs = 0
  lastDrawAt = 0

  constructor (init: AppInit) {
    this.node = init.node
    this.ascii = init.ascii
    this.glyphs = init.ascii ? ASCII : UNICODE
    this.state = new ClientState(init.node, init.size ?? 9)
    this.screen = blessed.screen({
      smartCSR: true,
      fullUnicode: !init.ascii,
      forceUnicode: !init.ascii,
      title: 'p2pgo',
      warnings: false
    })
    // blessed draws some Unicode symbols (·, ±, ●) through the terminal's line-drawing set when
    // the terminal does not declare UTF-8, which tmux and many others do not: the locale said
    // UTF-8 (or --ascii would be on), so write the characters themselves.
    if (!init.ascii) (this.screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true
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
    if (init.network != null) this.state.notice = init.network
  }

  /** Runs until the player quits; resolves then (the node keeps running: the caller stops it). */
  async run (): Promise<void> {
    const { screen, state } = this
    state.addEventListener('change', () => { this.draw() })
    state.addEventListener('game', () => {
      const session = state.session()
      if (session == null) return
      this.view = 'game'
      const mid = Math.floor(session.game.size / 2)
      this.cursor = { x: mid, y: mid }
      this.modal = undefined
      this.draw()
    })
    screen.on('keypress', (ch: string | undefined, key: { name?: string, full?: string, ctrl?: boolean }) => { this.onKey(keyName(ch, key), ch) })
    screen.on('resize', () => { this.draw() })
    screen.enableMouse()
    this.body.on('click', (data: { x: number, y: number }) => { this.onClick(data.x - (this.body.aleft as number), data.y - (this.body.atop as number)) })
    this.ticker = setInterval(() => { if (this.view === 'game' && this.clockRunning()) this.draw() }, CLOCK_REDRAW_MS)
    state.start()
    this.draw()
    await new Promise<void>(resolve => { this.closed = resolve })
  }

  /** Leaves the screen as it found it. */
  destroy (): void {
    clearInterval(this.ticker)
    this.state.stop()
    this.screen.destroy()
  }

  private clockRunning (): boolean {
    const s = this.state.session()
    return s != null && s.end == null && s.game.settings.timeControl.kind !== 'none'
  }

  private get screenName (): Screen {
    if (this.view === 'game') return this.state.session()?.game.phase === 'scoring' && this.state.session()?.end == null ? 'scoring' : 'board'
    return this.view
  }

  // ---- drawing -----------------------------------------------------------------------------

  private draw (): void {
    const started = performance.now()
    const width = this.screen.width as number
    const height = Math.max(1, (this.screen.height as number) - 3)
    this.header.setContent(statusLine(this.state.status(), width))
    this.body.setContent(this.bodyLines(width, height).join('\n'))
    this.message.setContent(this.state.notice)
    this.askUndo()
    this.hint.setContent(this.hintText())
    this.drawModal()
    this.screen.render()
    this.lastDrawAt = performance.now()
    this.lastDrawMs = this.lastDrawAt - started
  }

  /** The opponent asked to take back a move: the player answers before anything else. */
  private askUndo (): void {
    const state = this.state
    if (!state.undoAsked || this.modal != null) return
    state.undoAsked = false
    this.modal = {
      kind: 'confirm',
      text: 'Your opponent asks to take back their last move. Allow it?',
      yes: () => { state.act(async s => s.replyUndo(true), 'you allowed the take-back') },
      no: () => { state.act(async s => s.replyUndo(false), 'you refused the take-back') }
    }
  }

  private bodyLines (width: number, height: number): string[] {
    const esc = (t: string): string => blessed.escape(t)
    if (this.view === 'lobby') {
      const entries = this.state.entries()
      this.selected = clampSelection(this.selected, entries.length)
      return lobbyLines({ entries, selected: this.selected, size: this.state.size, mySeeks: this.state.mySeeks(), challenges: this.state.challenges }, width, height, esc, t => `{inverse}${t}{/inverse}`, t => `{bold}${t}{/bold}`)
    }
    if (this.view === 'game') {
      const session = this.state.session()
      if (session == null) return ['The game is gone. Esc: back to the lobby.']
      const peer = this.opponentPeer()
      const opponent = this.node.peers().find(p => p.peer === peer)
      const change = this.state.ratingChanges.get(session.gameId.toString())
      return boardScreenLines({
        game: session.game,
        me: session.me,
        names: session.start.names,
        now: Date.now(),
        rung: opponent?.rung ?? null,
        ...(opponent?.rttMs != null ? { rttMs: opponent.rttMs } : {}),
        ...(session.end != null ? { result: session.end.result, cosigned: session.results.B != null && session.results.W != null } : {}),
        cursor: this.cursor,
        chat: this.state.chat,
        ...(change != null ? { ratingChange: change } : {})
      }, this.glyphs, width, height).map(esc)
    }
    const title = this.view === 'reputation' ? 'Reputation: the peers this node has seen (best first)' : 'RNA: finished games this node holds as training data'
    const b = this.browser
    b.selected = clampSelection(b.selected, b.keys.length)
    const rows = b.lines.map((line, i) => {
      const text = esc(`${i === b.selected && b.keys.length > 0 ? '>' : ' '} ${line}`.slice(0, width))
      return i === b.selected && b.keys.length > 0 ? `{inverse}${text}{/inverse}` : text
    })
    const room = height - 2
    const start = Math.max(0, Math.min(b.selected - Math.floor(room / 2), rows.length - room))
    return [`{bold}${esc(title)}{/bold}`, '', ...rows.slice(start, start + room)]
  }

  private opponentPeer (): string | undefined {
    const session = this.state.session()
    return session == null ? undefined : this.node.games.opponentOf(session.gameId)
  }

  private hintText (): string {
    if (this.modal != null) {
      switch (this.modal.kind) {
        case 'confirm': return ' y yes · n no'
        case 'input': return ' Enter done · Esc cancel'
        case 'choose': return ' ↑↓ choose · Enter take · Esc cancel'
        case 'text': return ' Esc close'
      }
    }
    switch (this.screenName) {
      case 'lobby': return ' Enter challenge · s seek · m match · z size · r rep · t RNA · ? help · q quit'
      case 'board': return this.state.session()?.end != null
        ? ' Esc back to the lobby · ? help · q quit'
        : ' ←↑↓→ Enter play · : type · p pass · R resign · u undo · c chat · ? help · q'
      case 'scoring': return ' ←↑↓→ Enter dead/alive · a accept · r resume · c chat · ? help · q quit'
      default: return ' ↑↓ move · Enter details · Esc back · ? help · q quit'
    }
  }

  private drawModal (): void {
    const m = this.modal
    if (m == null) {
      this.overlay.hide()
      return
    }
    const esc = (t: string): string => blessed.escape(t)
    let lines: string[]
    switch (m.kind) {
      case 'confirm': lines = [esc(m.text), '', 'y: yes   n: no']; break
      case 'input': lines = [esc(m.label), '', `> ${esc(m.value)}_`]; break
      case 'choose': lines = [`{bold}${esc(m.title)}{/bold}`, '', ...m.items.map((item, i) => i === m.selected ? `{inverse}> ${esc(item)}{/inverse}` : `  ${esc(item)}`)]; break
      case 'text': lines = [`{bold}${esc(m.title)}{/bold}`, '', ...m.lines.map(esc)]; break
    }
    const width = this.screen.width as number
    const height = this.screen.height as number
    const inner = Math.min(width - 6, Math.max(30, ...lines.map(l => l.length)))
    lines = lines.flatMap(l => wrap(l, inner))
    this.overlay.width = Math.min(width, inner + (this.ascii ? 2 : 4))
    this.overlay.height = Math.min(height, lines.length + 2)
    this.overlay.setContent(lines.join('\n'))
    this.overlay.show()
    this.overlay.setFront()
  }

  // ---- keys --------------------------------------------------------------------------------

  private onKey (name: string, ch: string | undefined): void {
    if (name === '') return
    if (this.modal != null) {
      this.onModalKey(this.modal, name, ch)
      this.draw()
      return
    }
    const action = actionOf(this.screenName, name)
    if (action != null) this.onAction(action)
    this.draw()
  }

  private onModalKey (m: Modal, name: string, ch: string | undefined): void {
    const close = (): void => { this.modal = undefined }
    switch (m.kind) {
      case 'confirm':
        if (name === 'y' || name === 'Y') { close(); m.yes() } else if (name === 'n' || name === 'N' || name === 'escape' || name === 'q') { close(); m.no?.() }
        return
      case 'input':
        if (name === 'enter') { close(); m.done(m.value) } else if (name === 'escape') close()
        else if (name === 'backspace') m.value = [...m.value].slice(0, -1).join('')
        else if (name === 'space') m.value += ' '
        else if (ch != null && ch.length === 1 && ch >= ' ' && [...m.value].length < 200) m.value += ch
        return
      case 'choose':
        if (name === 'up' || name === 'k') m.selected = Math.max(0, m.selected - 1)
        else if (name === 'down' || name === 'j') m.selected = Math.min(m.items.length - 1, m.selected + 1)
        else if (name === 'enter') { close(); m.done(m.selected) } else if (name === 'escape' || name === 'q') close()
        else if (/^[1-9]$/.test(name) && Number(name) <= m.items.length) { close(); m.done(Number(name) - 1) }
        return
      case 'text':
        if (name === 'escape' || name === 'enter' || name === 'q' || name === '?' || name === 'b') close()
    }
  }

  private onAction (action: Action): void {
    switch (action) {
      case 'help':
        this.modal = { kind: 'text', title: `Keys (${this.screenName})`, lines: helpLines(this.screenName) }
        return
      case 'quit':
        this.quit()
        return
      case 'back':
        this.back()
        return
    }
    if (this.view === 'lobby') this.lobbyAction(action)
    else if (this.view === 'game') this.gameAction(action)
    else this.browserAction(action)
  }

  /** Asks first during a game (it stays resumable); `force` (a signal) leaves at once. */
  quit (force = false): void {
    const session = this.state.session()
    const leave = (): void => { this.closed?.() }
    if (!force && session != null && session.end == null) {
      this.modal = { kind: 'confirm', text: 'Quit during the game? It stays resumable: start p2pgo again with the same home to go on (your clock runs meanwhile).', yes: leave }
    } else leave()
  }

  private back (): void {
    if (this.view === 'game') {
      const session = this.state.session()
      if (session != null && session.end == null) {
        this.state.say('the game is still on: finish it, or quit (q) to resume it later')
        return
      }
      this.state.leaveGame()
    }
    this.view = 'lobby'
  }

  private lobbyAction (action: Action): void {
    const state = this.state
    const entries = state.entries()
    const entry = entries[this.selected]
    switch (action) {
      case 'up': this.selected = Math.max(0, this.selected - 1); return
      case 'down': this.selected = Math.min(entries.length - 1, this.selected + 1); return
      case 'size':
        state.size = SIZES[(SIZES.indexOf(state.size) + 1) % SIZES.length]
        state.say(`showing ${state.size}x${state.size}: ratings, seeks and challenges of that size`)
        return
      case 'seek':
        this.pickTerms(`Seek a ${state.size}x${state.size} game`, terms => { state.postSeek(terms) })
        return
      case 'challenge':
        if (entry == null) { state.say('nobody to challenge yet'); return }
        if (entry.kind === 'seek') { state.takeSeek(entry.seek, entry.name); return }
        this.pickTerms(`Challenge ${entry.player.name}`, terms => { state.challenge(entry.player.peer, terms, entry.player.name) })
        return
      case 'quick-match': state.quickMatch(); return
      case 'accept': state.answer(true); return
      case 'decline': state.answer(false); return
      case 'reputation':
      case 'rna':
        this.openBrowser(action)
    }
  }

  private pickTerms (title: string, done: (terms: import('../wire/game-start.js').GameTerms) => void): void {
    const presets = presetsFor(this.state.size)
    this.modal = { kind: 'choose', title, items: presets.map(p => p.label), selected: 0, done: i => { done(presets[i].terms) } }
  }

  private gameAction (action: Action): void {
    const state = this.state
    const session = state.session()
    if (session == null) return
    const size = session.game.size
    switch (action) {
      case 'up': case 'down': case 'left': case 'right':
        this.cursor = moveCursor(this.cursor, action, size)
        return
      case 'play': {
        const at = this.cursor
        state.act(async s => s.move(at))
        return
      }
      case 'pass': state.act(async s => s.pass(), 'you passed'); return
      case 'resign':
        this.modal = { kind: 'confirm', text: 'Resign this game?', yes: () => { state.act(async s => s.resign()) } }
        return
      case 'undo': state.act(async s => s.requestUndo(), 'asked your opponent to take back your last move'); return
      case 'chat':
        this.modal = { kind: 'input', label: 'Say to your opponent:', value: '', done: text => { if (text.trim() !== '') state.act(async s => s.chat(text.trim())) } }
        return
      case 'type-move':
        this.modal = {
          kind: 'input',
          label: 'Your move (D4, pass, resign):',
          value: '',
          done: text => {
            const typed = parseTypedMove(text, size)
            if (typed.kind === 'invalid') state.say(typed.message)
            else if (typed.kind === 'pass') state.act(async s => s.pass(), 'you passed')
            else if (typed.kind === 'resign') this.gameAction('resign')
            else {
              this.cursor = typed.vertex
              state.act(async s => s.move(typed.vertex))
            }
          }
        }
        return
      case 'toggle-dead': {
        const group = session.game.groupAt(this.cursor)
        if (group.length === 0) { state.say('no stone there: put the cursor on a group to mark it dead or alive'); return }
        const key = (v: Vertex): string => `${v.x},${v.y}`
        const dead = new Map(session.game.marking.dead.map(v => [key(v), v]))
        const wasDead = group.every(v => dead.has(key(v)))
        for (const v of group) {
          if (wasDead) dead.delete(key(v))
          else dead.set(key(v), v)
        }
        state.act(async s => s.mark([...dead.values()]), wasDead ? 'marked alive' : 'marked dead')
        return
      }
      case 'accept-count': state.act(async s => s.acceptScore(), 'you accepted the count: waiting for your opponent'); return
      case 'resume': state.act(async s => s.resumePlay(), 'play resumed'); return
    }
  }

  private onClick (column: number, row: number): void {
    if (this.modal != null || this.view !== 'game') return
    const session = this.state.session()
    if (session == null) return
    const v = vertexAt(session.game.size, column - BOARD_ORIGIN.column, row - BOARD_ORIGIN.row)
    if (v == null) return
    this.cursor = v
    if (session.end == null) this.gameAction(this.screenName === 'scoring' ? 'toggle-dead' : 'play')
    this.draw()
  }

  private openBrowser (which: Browser): void {
    this.view = which
    this.browser = { lines: ['loading…'], keys: [], selected: 0 }
    const load = async (): Promise<{ lines: string[], keys: string[] }> => {
      if (which === 'reputation') {
        const answer = await reputationAnswer(this.node, { limit: 100 }, AbortSignal.timeout(10_000))
        const keys = 'top' in answer ? answer.top.map(t => t.peer) : []
        return { lines: formatReputationAnswer(answer), keys }
      }
      const answer = await rnaAnswer(this.node, { op: 'ls' })
      return { lines: formatRnaAnswer(answer), keys: answer.op === 'ls' ? answer.rna.map(r => r.id) : [] }
    }
    load().then(({ lines, keys }) => {
      if (this.view !== which) return
      this.browser = { lines, keys, selected: 0 }
      this.draw()
    }, err => { this.state.say(`could not list: ${(err as Error).message}`) })
  }

  private browserAction (action: Action): void {
    const b = this.browser
    switch (action) {
      case 'up': b.selected = Math.max(0, b.selected - 1); return
      case 'down': b.selected = Math.min(b.keys.length - 1, b.selected + 1); return
      case 'select': {
        const key = b.keys[b.selected]
        if (key == null) return
        const which = this.view
        const detail = which === 'reputation'
          ? reputationAnswer(this.node, { peer: key }, AbortSignal.timeout(30_000)).then(formatReputationAnswer)
          : rnaAnswer(this.node, { op: 'show', id: key }).then(formatRnaAnswer)
        this.state.say('looking it up…')
        detail.then(lines => {
          this.modal = { kind: 'text', title: which === 'reputation' ? 'Peer' : 'RNA', lines }
          this.state.say('')
        }, err => { this.state.say(`could not show it: ${(err as Error).message}`) })
      }
    }
  }
}

/** A line cut into lines of at most `width` columns at spaces (a word longer than that is cut). */
function wrap (line: string, width: number): string[] {
  if (line.length <= width) return [line]
  const out: string[] = []
  let rest = line
  while (rest.length > width) {
    const at = rest.lastIndexOf(' ', width)
    const cut = at > 0 ? at : width
    out.push(rest.slice(0, cut))
    rest = rest.slice(cut).trimStart()
  }
  return [...out, rest]
}
