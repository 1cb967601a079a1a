// What the lobby screen's keys do: move through players, seeks and live games, change the board
// size, post or take a seek, challenge, watch a live game, answer a challenge, open the browsers
// (the player's games among them).
import { openBrowser } from './browser-screen.js'
import { presetsFor } from './presets.js'
import { openWatch } from './watch-actions.js'
import type { AppContext } from './app-context.js'
import type { LobbySize } from './client-state.js'
import type { Action } from './keys.js'
import type { GameTerms } from '../wire/game-start.js'

/** The sizes `z` cycles through, in order. */
const SIZES: readonly LobbySize[] = [9, 13, 19]

/** Carries out a lobby screen's action. */
export function lobbyAction (ctx: AppContext, action: Action): void {
  const state = ctx.state
  const entries = state.entries()
  const entry = entries[ctx.selected]
  switch (action) {
    case 'up': ctx.selected = Math.max(0, ctx.selected - 1); return
    case 'down': ctx.selected = Math.min(entries.length - 1, ctx.selected + 1); return
    case 'size':
      state.size = SIZES[(SIZES.indexOf(state.size) + 1) % SIZES.length]
      state.say(`showing ${state.size}x${state.size}: ratings, seeks and challenges of that size`)
      return
    case 'seek':
      pickTerms(ctx, `Seek a ${state.size}x${state.size} game`, terms => { state.postSeek(terms) })
      return
    case 'challenge':
      if (entry == null) { state.say('nobody to challenge yet'); return }
      if (entry.kind === 'game') { state.showGame(entry.game.id); return }
      if (entry.kind === 'seek') { state.takeSeek(entry.seek, entry.name); return }
      if (entry.kind === 'live') { openWatch(ctx, entry.live); return }
      pickTerms(ctx, `Challenge ${entry.player.name}`, terms => { state.challenge(entry.player.peer, terms, entry.player.name) })
      return
    case 'watch':
      if (entry?.kind === 'live') openWatch(ctx, entry.live)
      else state.say('select a game under "Live games" (↓) to watch it')
      return
    case 'quick-match': state.quickMatch(); return
    case 'accept': state.answer(true); return
    case 'decline': state.answer(false); return
    case 'reputation':
    case 'rna':
    case 'games':
    case 'inbox':
      openBrowser(ctx, action)
  }
}

/** Opens a choice of the preset terms for the lobby's size; `done` gets the ones taken. */
function pickTerms (ctx: AppContext, title: string, done: (terms: GameTerms) => void): void {
  const presets = presetsFor(ctx.state.size)
  ctx.modal = { kind: 'choose', title, items: presets.map(p => p.label), selected: 0, done: i => { done(presets[i].terms) } }
}
