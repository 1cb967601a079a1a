// Forgetting: which events no longer count, so a long-lived node keeps a bounded history.
import { PRUNE_FRACTION } from './constants.js'
import { isGain, type ReputationEvent } from './events.js'
import { defaultReputationParams, type ReputationParams } from './params.js'
import { decay, windowOf } from './score.js'

/**
 * The events worth keeping at `now`, in the order given: a penalty while it counts for at least
 * PRUNE_FRACTION of its amount (about ten half-lives); a gain while the end of its window does
 * (gains go a whole window at a time, so the caps of every window still kept, the current one
 * included, see exactly the events they saw before, and the score moves by less than PRUNE_FRACTION
of the amounts dropped).
 */
export function prune (events: readonly ReputationEvent[], now: number, p: ReputationParams = defaultReputationParams): ReputationEvent[] {
  if (!Number.isFinite(now)) throw new RangeError(`now must be a time, got ${now}`)
  return events.filter(e => {
    const at = Math.min(e.at, now)
    if (!isGain(e)) return decay(now - at, p.penaltyHalfLife) >= PRUNE_FRACTION
    const windowEnd = (windowOf(at, p) + 1) * p.window
    return decay(now - windowEnd, p.gainHalfLife) >= PRUNE_FRACTION
  })
}
