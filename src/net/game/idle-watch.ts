import { otherSide } from '../../wire/game-messages.js'
import { IDLE_CHECK_MS } from './constants.js'
import type { ActiveGame } from './active-game.js'

export interface IdleWatchHooks {
  /** This player may now leave: it has waited its limit on a silent opponent (said once per wait). */
  readonly silent: (since: number) => void
  /** The game is over and the opponent's signature on the end did not come within the limit. */
  readonly unsigned: () => void
}

/**
 * Watches a game for a vanished opponent (protocols/game.md, "Abandonment"): says when this
 * player may leave as abandoned, and gives up waiting for the co-signature of an end after the
 * same limit. Stops by itself once the game is finished or closed.
 */
export class IdleWatch {
  private readonly game: ActiveGame
  private readonly now: () => number
  private readonly hooks: IdleWatchHooks
  private readonly timer: ReturnType<typeof setInterval>
  private told: number | undefined

  constructor (game: ActiveGame, now: () => number, hooks: IdleWatchHooks) {
    this.game = game
    this.now = now
    this.hooks = hooks
    this.timer = setInterval(() => { this.check() }, IDLE_CHECK_MS)
    this.timer.unref?.()
  }

  stop (): void {
    clearInterval(this.timer)
  }

  check (): void {
    const { session, stored } = this.game
    if (stored.finishedAt != null || stored.closedAt != null) {
      this.stop()
      return
    }
    const now = this.now()
    if (session.end != null) {
      const endedAt = this.game.endedAt ?? now
      if (session.results[otherSide(session.me)] == null && now - endedAt >= session.abandonLimitMs) this.hooks.unsigned()
      return
    }
    const since = session.waitingSince()
    if (since == null || this.told === since || !session.mayLeave(now)) return
    this.told = since
    this.hooks.silent(since)
  }
}
