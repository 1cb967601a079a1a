import { ActRejectedError } from './errors.js'
import { applyEnding } from './apply-ending.js'
import { applyResult } from './apply-result.js'
import { applyAccept, applyMark, applyResume } from './apply-scoring.js'
import { applyTurn } from './apply-turn.js'
import { applyUndoReply, applyUndoRequest } from './apply-undo.js'
import type { Act, ActKind } from '../wire/game-messages.js'
import type { ActTiming, PlayState } from './play-state.js'

type Handler = (state: PlayState, act: Act, timing: ActTiming) => void

/** The acts that change the game itself, and so have no effect once it is over. */
const IN_GAME: Record<Exclude<ActKind, 'chat' | 'result'>, Handler> = {
  move: applyTurn,
  pass: applyTurn,
  resign: applyEnding,
  abort: applyEnding,
  'timeout-claim': applyEnding,
  mark: applyMark,
  accept: applyAccept,
  resume: applyResume,
  'undo-request': applyUndoRequest,
  'undo-reply': applyUndoReply
}

/** Applies an act's effect on the game; throws ActRejectedError (nothing changed) when it has none it may have. */
export function applyAct (state: PlayState, act: Act, timing: ActTiming): void {
  if (act.kind === 'chat') {
    state.emit('chat', { from: act.by, text: act.text ?? '' })
    return
  }
  if (act.kind === 'result') {
    applyResult(state, act)
    return
  }
  if (state.end != null) {
    // A turn act made before its author saw the end is void on both sides (protocols/game.md).
    if ((act.kind === 'move' || act.kind === 'pass') && (act.ply ?? 0) >= state.end.turns) return
    throw new ActRejectedError('game-over', 'the game is over')
  }
  IN_GAME[act.kind](state, act, timing)
}
