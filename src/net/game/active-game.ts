import type { GameSession } from '../../session/index.js'
import type { DeliveryState } from './delivery-tracker.js'
import type { FlagWatch } from './flag-watch.js'
import type { IdleWatch } from './idle-watch.js'
import type { StoredProgress } from './game-persistence.js'
import type { GameServiceEvents } from './index.js'
import type { PathState } from './path-manager.js'
import type { PeerId } from '@libp2p/interface'

/**
 * A game this node is playing: its session, its opponent, and each concern's own state of it
 * (how it reaches the opponent, what was sent when, what is on disk, the flag watch).
 */
export interface ActiveGame {
  readonly session: GameSession
  readonly opponent: PeerId
  readonly path: PathState
  readonly delivery: DeliveryState
  readonly stored: StoredProgress
  flag?: FlagWatch
  idle?: IdleWatch
  /** When this node saw the game end (ms since the epoch): the co-signature is waited for from then. */
  endedAt?: number
}

/** Raises one of the game service's events (a listener that throws is logged, not rethrown). */
export type Dispatch = <K extends keyof GameServiceEvents>(type: K, detail: GameServiceEvents[K]['detail']) => void

/** A game holds its player no longer: both signed its end, or it was closed without the opponent (protocols/game.md, "Abandonment"). */
export function isOver (game: ActiveGame): boolean {
  return game.stored.finishedAt != null || game.stored.closedAt != null
}

/** A game is done on the wire once it is finished and the opponent has all my acts. */
export function isDone (game: ActiveGame): boolean {
  return game.stored.finishedAt != null && game.session.unacked.length === 0
}
