import { otherSide, type Side } from '../wire/game-messages.js'
import { ActRejectedError } from './errors.js'
import type { TranscriptEntry } from './transcript.js'

/** A stored entry in play order: the chain it was stored in and its place there. */
export interface Placed { readonly side: Side, readonly index: number, readonly entry: TranscriptEntry }

/**
 * The order in which stored acts were first applied: each chain in order, an act only once its
 * author had seen the opponent's acts it counts (`seen`). Computed from the entries alone, before
 * anything is applied; `stuck` is the error to raise after the last act that could be placed,
 * when an act refers to acts that were never stored. `have` counts the acts already held.
 */
export function causalOrder (stored: Readonly<Record<Side, readonly TranscriptEntry[]>>, have: Readonly<Record<Side, number>>): { order: Placed[], stuck?: ActRejectedError } {
  const next: Record<Side, number> = { B: 0, W: 0 }
  const held: Record<Side, number> = { ...have }
  const order: Placed[] = []
  while (next.B < stored.B.length || next.W < stored.W.length) {
    const ready = (['B', 'W'] as const).find(s => next[s] < stored[s].length && stored[s][next[s]].seen <= held[otherSide(s)])
    if (ready == null) return { order, stuck: new ActRejectedError('broken-chain', 'stored acts refer to acts that were never stored') }
    const index = next[ready]++
    // An entry filed under the wrong side is refused when its turn comes (out-of-order).
    order.push({ side: ready, index, entry: stored[ready][index] })
    held[ready]++
  }
  return { order }
}
