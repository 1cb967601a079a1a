import { cidOf } from '../wire/cid.js'
import { ActRejectedError } from './errors.js'
import type { Act } from '../wire/game-messages.js'
import type { PlayState } from './play-state.js'

/** A player's signature on the game's end; with both in, the end is co-signed. */
export function applyResult (state: PlayState, act: Act): void {
  if (state.end == null) throw new ActRejectedError('not-now', 'the game is not over')
  const expected = cidOf({ ...state.finalSummary() })
  if (act.result !== state.end.result || act.final == null || !act.final.equals(expected)) {
    throw new ActRejectedError('forged-result', `the result ${act.result ?? '?'} does not match this game's end (${state.end.result})`)
  }
  if (state.results[act.by] != null) throw new ActRejectedError('not-now', 'this player has already signed the result')
  state.results[act.by] = act
  if (state.results.B != null && state.results.W != null) {
    state.emit('ended', { result: state.end.result, cosigned: true })
  }
}
