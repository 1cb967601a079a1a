import { remaining } from '../game/clock.js'
import { ABORT_BEFORE_TURNS, CLAIM_ALLOWANCE_MS } from './constants.js'
import { ActRejectedError } from './errors.js'
import { colorOf } from './sides.js'
import { waitingSince } from './abandonment.js'
import { checkCorrespondenceClaim } from './correspondence-claim.js'
import { otherSide } from '../wire/game-messages.js'
import type { PlayState } from './play-state.js'
import type { Act } from '../wire/game-messages.js'

/** A resignation, an abort or a timeout claim: ends the game at the act's ply. */
export function applyEnding (state: PlayState, act: Act): void {
  const ply = act.ply ?? 0
  if (ply > state.turns.length) throw new ActRejectedError('out-of-order', 'the act refers to turns not yet played')
  if (act.kind === 'abort' && ply >= ABORT_BEFORE_TURNS) checkAbandonment(state, act)
  if (act.kind === 'timeout-claim') checkClaim(state, act)
  // Turns at or after the act's ply crossed it in flight: they are void (only the other player's can be).
  if (ply < state.turns.length) state.rebuild(ply)
  const side = act.by
  const result = act.kind === 'abort' ? 'Void' : act.kind === 'resign' ? `${otherSide(side)}+R` : `${side}+T`
  state.finish(result, ply, { side, kind: act.kind })
}

/**
 * An abort after the first turns is an abandonment: its author was waiting on the opponent,
 * who answered its last act with nothing but chat (protocols/game.md, "Abandonment"). How long
 * it waited is its own setting and not checked: an abandonment gives no result.
 */
function checkAbandonment (state: PlayState, act: Act): void {
  const since = waitingSince(state, state.chains(), act.by, act.seen)
  if (since == null || act.at < since) {
    throw new ActRejectedError('not-now', `a game can only be aborted in its first ${ABORT_BEFORE_TURNS} turns, or left as abandoned by a player waiting on a silent opponent (in an untimed game or while counting)`)
  }
}

/**
 * A timeout claim holds when the accused is to move and, if that is me, my own clock agrees; in a
 * correspondence game, when the signed act times say so (correspondence-claim.ts).
 */
function checkClaim (state: PlayState, act: Act): void {
  if (state.correspondence) {
    checkCorrespondenceClaim(state, act)
    return
  }
  const accused = otherSide(act.by)
  if (state.game.toMove !== colorOf(accused) || act.ply !== state.turns.length) throw new ActRejectedError('false-claim', 'the accused player is not the one to move')
  if (accused === state.me && !state.replaying) {
    // My own clock is the judge: the claim holds only if my time is (all but) gone.
    const left = state.game.clock.tc.kind === 'none' ? Infinity : remaining(state.game.clock, colorOf(accused), state.now()).totalMs
    if (left > CLAIM_ALLOWANCE_MS) throw new ActRejectedError('false-claim', `I still have ${Math.round(left / 1000)} s`)
  }
}
