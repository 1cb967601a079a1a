// The browser screens (the reputation inspector with the player's rating history above it, the
// RNA browser, the player's finished games): lists loaded when the screen opens (the RNA list again
// whenever an RNA arrives), moved through with the keys; Enter opens a game in review, or a row's
// details in a text dialog.
import { clampSelection } from './lobby-screen.js'
import { finishedGames } from './game-list.js'
import { acceptFromInbox, dismissFromInbox } from './inbox-actions.js'
import { inboxRows } from './inbox-lines.js'
import { openGameReview, openRnaReview, openSgfFileReview } from './review-actions.js'
import { historyHeadLines } from './history-lines.js'
import { ownRatingHistory } from '../queries/rating-history.js'
import { formatRnaAnswer, rnaAnswer } from '../queries/rna-queries.js'
import { formatReputationAnswer, reputationAnswer } from '../queries/reputation-queries.js'
import { waitFailure } from '../queries/query-text.js'
import type { AppContext, Browser, BrowserList } from './app-context.js'
import type { Action } from './keys.js'

/** How long the reputation list may take: it is read from this node's own book. */
const LIST_TIMEOUT_MS = 10_000
/** How long one peer's details may take: longer, as they include a look-up of its rating. */
const DETAIL_TIMEOUT_MS = 30_000

/** The review screen's title of each listed game, by game ID. */
const titles = new Map<string, string>()

/** The browser's title and rows in at most `height` lines of `width` columns, the selected row kept in view. */
export function browserLines (ctx: AppContext, width: number, height: number, esc: (text: string) => string, bars: string): string[] {
  const title = TITLES[ctx.view as Browser] ?? ''
  const b = ctx.browser
  const head = ctx.view === 'reputation' && b.history != null ? [...historyHeadLines(b.history, bars, width).map(esc), ''] : []
  b.selected = clampSelection(b.selected, b.keys.length)
  const rows = b.lines.map((line, i) => {
    const text = esc(`${i === b.selected && b.keys.length > 0 ? '>' : ' '} ${line}`.slice(0, width))
    return i === b.selected && b.keys.length > 0 ? `{inverse}${text}{/inverse}` : text
  })
  const room = height - 2 - head.length
  const start = Math.max(0, Math.min(b.selected - Math.floor(room / 2), rows.length - room))
  return [`{bold}${esc(title)}{/bold}`, '', ...head, ...rows.slice(start, start + room)]
}

const TITLES: Readonly<Record<Browser, string>> = {
  reputation: 'Reputation: the peers this node has seen (best first)',
  rna: 'RNA: finished games this node holds as training data (Enter: review)',
  games: 'Your games: the finished games this node holds, newest first (Enter: review)',
  inbox: 'Inbox: challenges and messages sent while you were away (Enter: accept a challenge · x: dismiss)'
}

/** What each list is called in a message that it could not be read. */
const WHAT: Readonly<Record<Browser, string>> = { reputation: 'the reputation list', rna: 'the RNA list', games: 'your games', inbox: 'your inbox' }

/** Shows a browser screen at once with a placeholder and fills it when the query answers. */
export function openBrowser (ctx: AppContext, which: Browser): void {
  ctx.view = which
  ctx.browser = { lines: ['loading…'], keys: [], selected: 0 }
  loadBrowser(ctx, which)
}

/**
 * Reads the open browser's list again (an RNA arrived while it was open), the selected row kept
 * where it still exists.
 */
export function refreshBrowser (ctx: AppContext, which: Browser): void {
  if (ctx.view === which && ctx.modal == null) loadBrowser(ctx, which, ctx.browser.keys[ctx.browser.selected])
}

function loadBrowser (ctx: AppContext, which: Browser, keep?: string): void {
  const began = Date.now()
  const load = async (): Promise<{ lines: string[], keys: string[], history?: BrowserList['history'] }> => {
    if (which === 'reputation') {
      const answer = await reputationAnswer(ctx.node, { limit: 100 }, AbortSignal.timeout(LIST_TIMEOUT_MS))
      const keys = 'top' in answer ? answer.top.map(t => t.peer) : []
      const history = await ownRatingHistory(ctx.node)
      return { lines: formatReputationAnswer(answer), keys, history }
    }
    if (which === 'inbox') {
      const rows = inboxRows(await ctx.node.post?.inbox() ?? [], Date.now())
      return rows.keys.length === 0 ? { lines: ['nothing waiting: challenges and messages sent while you are away appear here'], keys: [] } : rows
    }
    if (which === 'games') {
      const rows = await finishedGames(ctx.node)
      titles.clear()
      for (const r of rows) titles.set(r.id, r.title)
      return rows.length === 0 ? { lines: ['no finished games yet: play one (Esc, then Enter on a player or m)'], keys: [] } : { lines: rows.map(r => r.line), keys: rows.map(r => r.id) }
    }
    const answer = await rnaAnswer(ctx.node, { op: 'ls' })
    return { lines: formatRnaAnswer(answer), keys: answer.op === 'ls' ? answer.rna.map(r => r.id) : [] }
  }
  load().then(({ lines, keys, history }) => {
    // The player may have left the screen while the query ran.
    if (ctx.view !== which) return
    ctx.browser = { lines, keys, selected: Math.max(0, keep != null ? keys.indexOf(keep) : 0), ...(history != null ? { history } : {}) }
    ctx.draw()
  }, err => { ctx.state.say(`could not list: ${waitFailure(err, { what: WHAT[which], ms: Date.now() - began }, ctx.node.networkFacts())}`) })
}

/** Carries out a browser screen's action: move the selection, or look the selected row up. */
export function browserAction (ctx: AppContext, action: Action): void {
  const b = ctx.browser
  switch (action) {
    case 'up': b.selected = Math.max(0, b.selected - 1); return
    case 'down': b.selected = Math.min(b.keys.length - 1, b.selected + 1); return
    case 'dismiss': {
      const key = b.keys[b.selected]
      if (ctx.view === 'inbox' && key != null) dismissFromInbox(ctx, key, () => { refreshBrowser(ctx, 'inbox') })
      return
    }
    case 'open-file': if (ctx.view === 'games') openSgfFileReview(ctx); return
    case 'select':
    case 'details': {
      const key = b.keys[b.selected]
      if (key == null) return
      const which = ctx.view
      if (which === 'inbox') { acceptFromInbox(ctx, key, () => { refreshBrowser(ctx, 'inbox') }); return }
      if (which === 'games') { openGameReview(ctx, key, titles.get(key) ?? 'your game'); return }
      if (which === 'rna' && action === 'select') { openRnaReview(ctx, key); return }
      const detail = which === 'reputation'
        ? reputationAnswer(ctx.node, { peer: key }, AbortSignal.timeout(DETAIL_TIMEOUT_MS)).then(formatReputationAnswer)
        : rnaAnswer(ctx.node, { op: 'show', id: key }).then(formatRnaAnswer)
      ctx.state.say(which === 'reputation' ? `looking it up (its rating from the DHT: up to ${DETAIL_TIMEOUT_MS / 1000} s)…` : 'looking it up…')
      const began = Date.now()
      detail.then(lines => {
        ctx.modal = { kind: 'text', title: which === 'reputation' ? 'Peer' : 'RNA', lines }
        ctx.state.say('')
      }, err => { ctx.state.say(`could not show it: ${waitFailure(err, { what: which === 'reputation' ? `the details of ${key}` : `RNA ${key}`, ms: Date.now() - began, peer: key }, ctx.node.networkFacts())}`) })
    }
  }
}
