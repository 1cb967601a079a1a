// The body of the screen for the view shown: the lobby, the game, a game in review, a game watched, or a browser, as lines in
// blessed tags. The app sets them into its body box; the per-view builders stay pure.
import { boardScreenLines } from './board-screen.js'
import { browserLines } from './browser-screen.js'
import { reviewScreenLines } from './review-screen.js'
import { watchScreenLines, type WatchScreenInput } from './watch-screen.js'
import { SPARK_ASCII, SPARK_UNICODE } from './sparkline.js'
import { ASCII } from './board-view.js'
import { clampSelection, lobbyLines } from './lobby-screen.js'
import type { AppContext } from './app-context.js'
import type { Glyphs } from './board-view.js'

/** The body's lines for the current view, in at most `height` lines of `width` columns; `esc` escapes text for blessed. */
export function bodyLines (ctx: AppContext, glyphs: Glyphs, width: number, height: number, esc: (text: string) => string): string[] {
  const state = ctx.state
  if (ctx.view === 'lobby') {
    const entries = state.entries()
    // The list may have shrunk since the last draw.
    ctx.selected = clampSelection(ctx.selected, entries.length)
    return lobbyLines({ entries, selected: ctx.selected, size: state.size, mySeeks: state.mySeeks(), challenges: state.challenges, ...(state.online() != null ? { online: state.online() } : {}), live: true, friends: state.friends(), inbox: state.inboxCount }, width, height, esc, t => `{inverse}${t}{/inverse}`, t => `{bold}${t}{/bold}`)
  }
  if (ctx.view === 'game') {
    const session = state.session()
    if (session == null) return ['The game is gone. Esc: back to the lobby.']
    const peer = ctx.node.games.opponentOf(session.gameId)
    const opponent = ctx.node.peers().find(p => p.peer === peer)
    const change = state.ratingChanges.get(session.gameId.toString())
    return boardScreenLines({
      game: session.game,
      me: session.me,
      names: session.start.names,
      now: Date.now(),
      rung: opponent?.rung ?? null,
      ...(opponent?.rttMs != null ? { rttMs: opponent.rttMs } : {}),
      ...(session.end != null ? { result: session.end.result, cosigned: session.results.B != null && session.results.W != null } : {}),
      cursor: ctx.cursor,
      chat: state.chat,
      ...(change != null ? { ratingChange: change } : {})
    }, glyphs, width, height).map(esc)
  }
  if (ctx.view === 'review') {
    if (ctx.review == null) return ['No game open. Esc: back.']
    return reviewScreenLines(ctx.review, glyphs, width, height).map(esc)
  }
  if (ctx.view === 'watch') {
    if (ctx.watch == null) return ['No game watched. Esc: back.']
    return watchScreenLines(watchInput(ctx), glyphs, width, height).map(esc)
  }
  return browserLines(ctx, width, height, esc, glyphs === ASCII ? SPARK_ASCII : SPARK_UNICODE)
}

/** The watch screen's facts at this draw: the watchers the lobby last heard of, this node's connections to the players. */
function watchInput (ctx: AppContext): WatchScreenInput {
  const view = ctx.watch!
  const live = ctx.node.lobby.liveGames().find(g => g.gameId.equals(view.gameId))
  const peers = new Map(ctx.node.peers().map(p => [p.peer, p]))
  const links: NonNullable<WatchScreenInput['links']> = {}
  for (const side of ['B', 'W'] as const) {
    const p = peers.get(view.peers[side])
    if (p != null) links[side] = { rung: p.rung, ...(p.rttMs != null ? { rttMs: p.rttMs } : {}) }
  }
  return { view, now: Date.now(), ...(live != null ? { watchers: live.watchers } : {}), links }
}
