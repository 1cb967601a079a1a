// What this node declares in an offline challenge or accept, checked as the peer will check it:
// the live challenge protocol's own helpers (negotiation.ts), so both paths say the same.
import { InvalidSettingError } from '../../game/errors.js'
import { DEFAULT_NAME } from '../challenge/constants.js'
import { checkName } from '../challenge/messages.js'
import { ownEngine, ownRating, randomId } from '../challenge/negotiation.js'
import type { EngineInfo, RatingClaim } from '../../wire/game-start.js'
import type { PostInit } from './index.js'

export interface Helpers {
  randomId: () => Uint8Array
  /** A display name as the peer checks it; InvalidSettingError in words. */
  name: (name: string | undefined) => string
  /** This node's rating claim and engine for a size, each only when it has one. */
  claims: (size: number) => { rating?: RatingClaim, engine?: EngineInfo }
}

export function negotiationHelpers (init: Pick<PostInit, 'rating' | 'engine'>): Helpers {
  return {
    randomId,
    name: (name) => {
      try {
        return checkName(name ?? DEFAULT_NAME, 'name')
      } catch (err) {
        throw new InvalidSettingError('name', (err as Error).message)
      }
    },
    claims: (size) => {
      const rating = ownRating(init.rating, size)
      const engine = ownEngine(init.engine)
      return { ...(rating != null ? { rating } : {}), ...(engine != null ? { engine } : {}) }
    }
  }
}
