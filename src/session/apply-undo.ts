import { ActRejectedError } from './errors.js'
import type { Act } from '../wire/game-messages.js'
import type { PlayState } from './play-state.js'

/** The player who just moved asks to take it back; the other player is asked. */
export function applyUndoRequest (state: PlayState, act: Act): void {
  const last = state.turns[state.turns.length - 1]
  if (state.game.phase !== 'play' || last == null || last.side !== act.by || act.ply !== state.turns.length) {
    throw new ActRejectedError('not-now', 'only the player who just moved may ask to take it back')
  }
  state.undoRequest = { side: act.by, turns: state.turns.length }
  if (act.by !== state.me) state.emit('proposal', { kind: 'undo-request', act })
}

/** The answer to an undo request: with `ok`, the last turn is taken back. */
export function applyUndoReply (state: PlayState, act: Act): void {
  const req = state.undoRequest
  if (req == null || req.side === act.by || act.ply !== req.turns || req.turns !== state.turns.length) throw new ActRejectedError('not-now', 'there is no undo request to answer')
  state.undoRequest = undefined
  if (act.ok === true) state.rebuild(state.turns.length - 1)
}
