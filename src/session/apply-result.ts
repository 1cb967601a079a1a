import { cidOf } from '../wire/cid.js'
import { ActRejectedError } from './errors.js'
import type { Act } from '../wire/game-messages.js'
import type { PlayState } from './play-state.js'

/** A player's signature on the game's end; with both in, the end is co-signed. */
export function applyResult (state: PlayState, act: Act): void {
  if (state.end == null) throw new ActRejectedError('not-now', 'the game is not over')
  const summary = state.finalSummary()
  const expected = cidOf({ ...summary })
  // Say which part differs: the result text, or the final summary the signature commits to.
  if (act.result !== state.end.result) {
    throw new ActRejectedError('forged-result', `the result act says ${act.result ?? '?'}, but this game ended ${state.end.result}`)
  }
  if (act.final == null || !act.final.equals(expected)) {
    const last = summary.last != null ? `last turn act ${summary.last.toString()}` : 'no turn act'
    throw new ActRejectedError('forged-result', `the result act signs another final summary (${act.final?.toString() ?? 'none'}) than this game's end: ${state.end.result} after ${summary.turns} turns, ${last} (${expected.toString()})`)
  }
  if (state.results[act.by] != null) throw new ActRejectedError('not-now', 'this player has already signed the result')
  state.results[act.by] = act
  if (state.results.B != null && state.results.W != null) {
    state.emit('ended', { result: state.end.result, cosigned: true })
  }
}
