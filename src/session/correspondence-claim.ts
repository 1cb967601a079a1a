import { checkTimeout, remaining } from '../game/clock.js'
import { formatDays } from '../game/correspondence.js'
import { CLAIM_ALLOWANCE_MS, CORRESPONDENCE_SKEW_MS } from './constants.js'
import { ActRejectedError } from './errors.js'
import { colorOf } from './sides.js'
import { otherSide } from '../wire/game-messages.js'
import type { TimeControl } from '../game/time-control.js'
import type { Act } from '../wire/game-messages.js'
import type { PlayState } from './play-state.js'

/**
 * How long after the opponent's flag falls on my clock I wait before claiming it: the lag
 * allowance in a live game, the skew tolerance in a correspondence game (protocols/game.md).
 */
export function claimAllowanceMs (tc: TimeControl): number {
  return tc.kind === 'correspondence' ? CORRESPONDENCE_SKEW_MS : CLAIM_ALLOWANCE_MS
}

/**
 * A timeout claim in a correspondence game, judged from the signed act times alone, so the
 * claimer, the accused (even returning days later) and anyone replaying the acts reach the same
 * verdict (protocols/game.md, "Correspondence clocks"). It holds when the accused was to move at
 * the claim's ply and, on the clock the signed turns make, had run out at least
 * CORRESPONDENCE_SKEW_MS before the claim's `at`. The accused's turn at that ply, if it crossed
 * the claim in flight (the claimer had not seen it), does not save it: it reached the claimer
 * too late, and it becomes void as a turn crossing a resignation does.
 */
export function checkCorrespondenceClaim (state: PlayState, act: Act): void {
  const accused = otherSide(act.by)
  const ply = act.ply ?? 0
  const turn = state.turns[ply]
  const crossed = ply === state.turns.length - 1 && turn?.side === accused && turn.clockBefore != null
  if (crossed) {
    if (act.seen >= turn.act.n) throw new ActRejectedError('false-claim', 'the claimer had already seen the accused player\'s turn')
  } else if (state.game.toMove !== colorOf(accused) || ply !== state.turns.length) {
    throw new ActRejectedError('false-claim', 'the accused player is not the one to move')
  }
  if (!state.replaying && act.at > state.now() + CORRESPONDENCE_SKEW_MS) {
    throw new ActRejectedError('false-claim', `the claim is dated ${formatDays(act.at - state.now())} after my clock`)
  }
  const clock = crossed ? turn.clockBefore! : state.game.clock
  const color = colorOf(accused)
  if (checkTimeout(clock, act.at - CORRESPONDENCE_SKEW_MS) !== color) {
    const left = remaining(clock, color, act.at).totalMs
    throw new ActRejectedError('false-claim', `by the signed act times ${accused === 'B' ? 'Black' : 'White'} still had ${formatDays(left)} left, and a claim waits ${formatDays(CORRESPONDENCE_SKEW_MS)} past the flag`)
  }
}
