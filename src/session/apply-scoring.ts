import { BLACK, WHITE } from '../game/constants.js'
import { formatResult } from '../game/result.js'
import { ActRejectedError } from './errors.js'
import type { Act } from '../wire/game-messages.js'
import type { ActTiming, PlayState } from './play-state.js'

const deadKey = (dead: ReadonlyArray<readonly [number, number]>): string => [...dead].map(([x, y]) => `${x},${y}`).sort().join(';')

/** A proposed marking of dead stones (either player's), shown to the other. */
export function applyMark (state: PlayState, act: Act): void {
  if (state.game.phase !== 'scoring') throw new ActRejectedError('not-now', 'dead stones are marked after both players pass')
  if (act.by !== state.me) state.emit('proposal', { kind: 'mark', act })
  state.setMarking(act.dead ?? [])
}

/** One player accepts a marking; once both accepted the same one at the same turn, the game is scored. */
export function applyAccept (state: PlayState, act: Act): void {
  if (state.game.phase !== 'scoring' || act.ply !== state.turns.length) throw new ActRejectedError('not-now', 'there is no score to accept at this turn')
  state.accepted[act.by] = { key: deadKey(act.dead ?? []), turns: state.turns.length, dead: act.dead ?? [] }
  const a = state.accepted.B
  const b = state.accepted.W
  if (a != null && b != null && a.key === b.key && a.turns === b.turns) {
    state.setMarking(a.dead)
    state.game.acceptScore(BLACK)
    state.game.acceptScore(WHITE)
    state.finish(formatResult(state.game.result!), state.turns.length)
  }
}

/** Counting is called off: play goes on, acceptances are forgotten. */
export function applyResume (state: PlayState, _act: Act, timing: ActTiming): void {
  if (state.game.phase !== 'scoring') throw new ActRejectedError('not-now', 'play resumes only from counting')
  state.game.resumePlay({ at: timing.at })
  state.accepted = {}
}
