import { otherSide, type Act, type Side } from '../wire/game-messages.js'
import type { PlayState } from './play-state.js'

/** Each player's acts as applied so far (the act being applied is not in its author's chain yet). */
export type Chains = Readonly<Record<Side, readonly Act[]>>

/**
 * Since when `side` has been waiting on its opponent (ms since the epoch), or undefined when it
 * is not (protocols/game.md, "Abandonment"): the game is on and no clock runs for the opponent
 * (untimed play, or counting), and since `side`'s last act other than chat the opponent made
 * nothing but chat, up to the `seen` count given (the opponent's acts `side` had applied). With
 * no act of `side` yet, it has waited since the game was agreed.
 */
export function waitingSince (state: PlayState, chains: Chains, side: Side, seen: number): number | undefined {
  if (state.end != null) return undefined
  // Under a clock in play the opponent's time runs out instead: the flag ends the game.
  if (state.start.terms.tc.kind !== 'none' && state.game.phase === 'play') return undefined
  const own = [...chains[side]].reverse().find(a => a.kind !== 'chat')
  const since = own?.at ?? state.start.created
  const from = own?.seen ?? 0
  const theirs = chains[otherSide(side)]
  for (let i = from; i < seen && i < theirs.length; i++) {
    if (theirs[i].kind !== 'chat') return undefined
  }
  return since
}
