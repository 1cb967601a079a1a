// Watching a live game from the lobby: opening the watch screen (the players the live entry names
// are asked for the game), keeping its view up to date from the watch's events (acts, spectator
// chat, the end), saying something to the other watchers, and stopping. The node does the
// checking (src/net/watch); this file only turns its events and refusals into the view and words.
import type { AppContext } from './app-context.js'
import type { Action } from './keys.js'
import type { WatchView } from './watch-screen.js'
import type { LobbyLiveGame } from '../net/lobby/index.js'
import type { Watching } from '../net/watch/index.js'

/**
 * How long the players (or other watchers) may take to send the game before the screen says they
 * did not: longer than the watch service's own asking of both players (each dialled within 30 s,
 * then answering within its deadline), so its words come first when it has some; this bound is
 * for a wait that stalls without any.
 */
export const WATCH_WAIT_MS = 90_000

/** What the player can do when a watch failed (the screen adds that Esc goes back). */
const AGAIN = 'Back in the lobby, w on the game tries again while it is listed.'
/** The watch service's words when no holder had the game. */
const NOBODY = /^nobody asked has game/
/** A peer ID as the service's words name it (Ed25519, base58). */
const PEER_ID = /\b12D3KooW[1-9A-HJ-NP-Za-km-z]{44}\b/g
const short = (peer: string): string => `${peer.slice(0, 8)}…${peer.slice(-6)}`

/** Spectator lines kept for the screen: it shows the last few. */
const CHAT_KEPT = 200

/** Opens the watch screen on a live game from the lobby and asks its players for it. */
export function openWatch (ctx: AppContext, live: LobbyLiveGame): void {
  const names = `${live.names.B} vs ${live.names.W}`
  const view: WatchView = {
    gameId: live.gameId,
    names: live.names,
    peers: { B: live.black.toString(), W: live.white.toString() },
    ...(live.ratings != null ? { ratings: live.ratings } : {}),
    watched: undefined,
    chat: [],
    ended: undefined,
    failure: undefined,
    stop: () => { ctx.node.watch.unwatch(live.gameId) }
  }
  ctx.watch = view
  ctx.view = 'watch'
  ctx.state.activity = `watching ${names} (${live.size}x${live.size})`
  ctx.state.say(`asking ${names} for the game…`)
  const current = (): boolean => ctx.watch === view && view.failure == null
  const fail = (text: string): void => {
    view.failure = text
    ctx.state.say(`could not watch ${names}`)
  }
  // With the players named, the watch asks them in turn; a player that never answers would keep
  // the screen waiting without a word, so the wait has a bound of its own.
  const timer = setTimeout(() => {
    if (!current() || view.watched != null) return
    fail(`Neither ${live.names.B} nor ${live.names.W} (nor another watcher) sent the game within ${WATCH_WAIT_MS / 1000} s: they may have finished, left, or not be reachable from here. ${AGAIN}`)
    ctx.node.watch.unwatch(live.gameId)
  }, WATCH_WAIT_MS)
  ctx.node.watch.watch(live.gameId, { holders: [live.black, live.white] }).then(w => {
    clearTimeout(timer)
    // Left (or given up) meanwhile: nobody looks at it any more.
    if (!current()) {
      // (Unless the player has opened the same game again since: that watch is another.)
      if (ctx.watch !== view && ctx.node.watch.watching(live.gameId) === w && ctx.watch?.gameId.equals(live.gameId) !== true) ctx.node.watch.unwatch(live.gameId)
      return
    }
    follow(ctx, view, w)
    ctx.state.say('')
  }, (err: Error) => {
    clearTimeout(timer)
    if (!current()) return
    // The service names every peer asked and what each said: kept, with the peer IDs shortened, after the gist.
    const said = err.message.replace(PEER_ID, short)
    fail(NOBODY.test(err.message)
      ? `Could not watch ${names}: neither player (nor another watcher) had the game to send. They may have finished or left, or not be reachable from here. ${AGAIN} (${said})`
      : `Could not watch ${names}: ${said}. ${AGAIN}`)
  })
}

/** Keeps the view up to date from the watch's events until it stops. */
function follow (ctx: AppContext, view: WatchView, w: Watching): void {
  const game = w.game
  view.watched = game
  const lastAt = (): number => Math.max(0, ...(['B', 'W'] as const).map(s => game?.acts[s].at(-1)?.at ?? 0))
  const onAct = (): void => { ctx.draw() }
  const onChat = (e: CustomEvent<{ name: string, text: string }>): void => {
    view.chat.push({ name: e.detail.name, text: e.detail.text })
    view.chat.splice(0, Math.max(0, view.chat.length - CHAT_KEPT))
    ctx.draw()
  }
  const onEnded = (e: CustomEvent<{ result: string, cosigned: boolean }>): void => {
    // The clocks stop where the game ended (a later co-signature moves nothing): the act that
    // ended it is stored right after this event, so its time is read a moment later.
    const first = view.ended == null
    view.ended = { result: e.detail.result, cosigned: e.detail.cosigned, at: view.ended?.at ?? Date.now() }
    if (first) queueMicrotask(() => { if (view.ended != null) view.ended = { ...view.ended, at: Math.min(view.ended.at, lastAt()) } })
    ctx.state.say(e.detail.cosigned ? 'the game is over and both players signed the result: g lists it for review' : 'the game is over: waiting for the second player\'s signature')
  }
  const onStopped = (e: CustomEvent<{ message: string }>): void => {
    view.failure = `The game's moves stopped applying: a player signed one the rules refuse (${e.detail.message}). Nothing more will be shown.`
    ctx.draw()
  }
  w.addEventListener('watch:act', onAct)
  w.addEventListener('watch:chat', onChat)
  w.addEventListener('watch:ended', onEnded)
  w.addEventListener('watch:stopped', onStopped)
  view.stop = () => {
    w.removeEventListener('watch:act', onAct)
    w.removeEventListener('watch:chat', onChat)
    w.removeEventListener('watch:ended', onEnded)
    w.removeEventListener('watch:stopped', onStopped)
    ctx.node.watch.unwatch(w.gameId)
  }
  // What the catch-up brought before these listeners: an end already reached.
  if (game?.end != null) view.ended = { result: game.end.result, cosigned: game.finished, at: lastAt() }
}

/** Carries out a watch screen's action (the chat; Esc is the app's `back`). */
export function watchAction (ctx: AppContext, action: Action): void {
  const view = ctx.watch
  if (view == null || action !== 'chat') return
  if (view.watched == null) {
    ctx.state.say(view.failure != null ? 'there is no game to chat about: Esc goes back to the lobby' : 'the game has not arrived yet: chat once the board shows')
    return
  }
  ctx.modal = {
    kind: 'input',
    label: 'Say to the other watchers (the players do not see it while they play):',
    value: '',
    done: text => {
      const line = text.trim()
      if (line === '') return
      // The line shows once it went out (the watch echoes this node's own lines as chat).
      ctx.node.watch.say(view.gameId, line).then(() => { ctx.state.say('') }, (err: Error) => {
        ctx.state.say(`your line was not sent: ${err.message}`)
      })
    }
  }
}

/** Stops watching and goes back to the lobby. */
export function closeWatch (ctx: AppContext): void {
  const view = ctx.watch
  view?.stop()
  ctx.watch = undefined
  ctx.view = 'lobby'
  ctx.state.activity = 'in the lobby'
  ctx.state.say(view?.ended?.cosigned === true ? 'stopped watching: the game is kept (g lists it for review)' : view != null ? 'stopped watching' : '')
}
