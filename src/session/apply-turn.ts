import { IllegalMoveError, illegalMoveMessage } from '../game/errors.js'
import { formatResult } from '../game/result.js'
import { ActRejectedError } from './errors.js'
import { colorOf } from './sides.js'
import type { Act, UnsignedAct } from '../wire/game-messages.js'
import type { ActTiming, PlayState } from './play-state.js'

/** Legality of a turn act (move or pass) against the game, without changing anything. */
export function checkTurn (state: PlayState, act: UnsignedAct): void {
  if (state.end != null) throw new ActRejectedError('game-over', 'the game is over')
  if (act.ply !== state.turns.length) throw new ActRejectedError('not-your-turn', `turn ${act.ply} is not the turn in play (${state.turns.length})`)
  const color = colorOf(act.by)
  if (state.game.toMove !== color || state.game.phase !== 'play') throw new ActRejectedError('not-your-turn', 'it is not this player\'s turn')
  if (act.kind === 'move') {
    const reason = state.game.check(color, { x: act.x ?? -1, y: act.y ?? -1 })
    if (reason != null) throw new ActRejectedError('illegal-move', `illegal move: ${illegalMoveMessage(reason)}`)
  }
}

/** A move or a pass: plays it on the game, which may end it (two passes and no counting, a flag). */
export function applyTurn (state: PlayState, act: Act, timing: ActTiming): void {
  checkTurn(state, act)
  const color = colorOf(act.by)
  const clockBefore = state.game.clock
  try {
    if (act.kind === 'move') state.game.play(color, { x: act.x as number, y: act.y as number }, timing)
    else state.game.pass(color, timing)
  } catch (err) {
    if (err instanceof IllegalMoveError) throw new ActRejectedError(err.reason === 'game-over' ? 'game-over' : 'illegal-move', err.message)
    throw err
  }
  state.turns.push({ side: act.by, act, clockBefore })
  state.undoRequest = undefined
  state.accepted = {}
  if (state.game.phase === 'ended' && state.game.result != null) state.finish(formatResult(state.game.result), state.turns.length)
}
