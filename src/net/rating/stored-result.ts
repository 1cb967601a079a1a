import type { CosignedResult } from '../../rating/cosigned-result.js'
import type { StoredGame } from '../game/game-store.js'
import type { Side } from '../../wire/game-messages.js'

/** The co-signed result of a stored game: its start record and both players' result acts, once both are in. */
export function cosignedResultOf (stored: StoredGame): CosignedResult | undefined {
  const find = (side: Side): CosignedResult['acts'][Side] | undefined => stored.acts[side].find(a => a.kind === 'result')
  const B = find('B')
  const W = find('W')
  return B != null && W != null ? { start: stored.start, acts: { B, W } } : undefined
}
