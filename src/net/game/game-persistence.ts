import type { Side } from '../../wire/game-messages.js'
import type { ActiveGame, Dispatch } from './active-game.js'
import type { GameMeta, GameStore } from './game-store.js'

/** What of one game is on disk: acts of each player written, the acknowledged count saved, when it finished. */
export interface StoredProgress {
  stored: Record<Side, number>
  storedAcked: number
  /** When both result signatures were in (and stored), ms since the epoch. */
  finishedAt?: number
  /** When the game was closed without the opponent's signature on its end, ms since the epoch. */
  closedAt?: number
}

/** Why a game was closed without the opponent: see protocols/game.md, "Abandonment". */
export type CloseReason = 'flag' | 'abandoned' | 'unsigned'

export function newStoredProgress (acts: Readonly<Record<Side, { readonly length: number }>>, acked: number): StoredProgress {
  return { stored: { B: acts.B.length, W: acts.W.length }, storedAcked: acked }
}

export interface GamePersistenceInit {
  readonly store: GameStore
  readonly now: () => number
  readonly dispatch: Dispatch
}

/** Writes each game's new acts and bookkeeping to the GameStore, and announces the co-signed end once it is on disk. */
export class GamePersistence {
  private readonly store: GameStore
  private readonly now: () => number
  private readonly dispatch: Dispatch

  constructor (init: GamePersistenceInit) {
    this.store = init.store
    this.now = init.now
    this.dispatch = init.dispatch
  }

  /** Writes new acts and bookkeeping; marks the game finished once both result signatures are in. */
  async persist (game: ActiveGame): Promise<void> {
    const { session, stored } = game
    for (const side of ['B', 'W'] as const) {
      const acts = session.acts[side]
      for (let i = stored.stored[side]; i < acts.length; i++) await this.store.putAct(session.gameId, acts[i])
      stored.stored[side] = acts.length
    }
    if (session.results.B != null && session.results.W != null && stored.finishedAt == null) {
      await this.markFinished(game)
    } else if (stored.storedAcked !== session.acked) {
      await this.store.saveMeta(session.gameId, this.meta(game))
    }
    stored.storedAcked = session.acked
  }

  /** Both result signatures are in: the game is finished on disk, and `game:ended` says so (co-signed). */
  async markFinished (game: ActiveGame): Promise<void> {
    game.stored.finishedAt = this.now()
    await this.store.saveMeta(game.session.gameId, this.meta(game))
    this.dispatch('game:ended', { gameId: game.session.gameId, result: game.session.end?.result ?? '?', cosigned: true, rung: game.path.rung ?? null })
  }

  /**
   * The game holds its player no longer, though the opponent has not signed its end: closed on
   * disk (never resumed), and `game:closed` says so. A signature that still comes while the node
   * runs finishes it as usual.
   */
  async close (game: ActiveGame, reason: CloseReason): Promise<void> {
    if (game.stored.closedAt != null || game.stored.finishedAt != null) return
    game.stored.closedAt = this.now()
    await this.store.saveMeta(game.session.gameId, this.meta(game))
    this.dispatch('game:closed', { gameId: game.session.gameId, result: game.session.end?.result ?? 'Void', reason })
  }

  private meta (game: ActiveGame): GameMeta {
    const { session, stored } = game
    const result = session.end?.result ?? '?'
    return {
      me: session.me,
      opponent: game.opponent.toString(),
      acked: session.acked,
      ...(stored.finishedAt != null ? { result, finishedAt: stored.finishedAt } : {}),
      ...(stored.closedAt != null ? { result, closedAt: stored.closedAt } : {})
    }
  }
}
