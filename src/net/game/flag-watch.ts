import { checkTimeout } from '../../game/clock.js'
import { BLACK, WHITE } from '../../game/constants.js'
import { claimAllowanceMs } from '../../session/index.js'
import { FLAG_CHECK_MS } from './constants.js'
import type { GameSession } from '../../session/index.js'

/**
 * Watches the opponent's clock in a timed game and claims a flag-fall once their time is up on
 * my clock and the lag allowance has passed too (protocols/game.md, "Clocks"): their own clock
 * must agree when the claim arrives. Stops by itself once the game is over.
 */
export class FlagWatch {
  private readonly session: GameSession
  private readonly now: () => number
  private readonly claim: () => void
  private readonly timer: ReturnType<typeof setInterval>

  /** `claim` makes the timeout claim (through the service, so it is stored and sent). */
  constructor (session: GameSession, now: () => number, claim: () => void) {
    this.session = session
    this.now = now
    this.claim = claim
    this.timer = setInterval(() => { this.check() }, FLAG_CHECK_MS)
    this.timer.unref?.()
  }

  stop (): void {
    clearInterval(this.timer)
  }

  private check (): void {
    const { session } = this
    if (session.end != null || session.game.phase !== 'play') {
      if (session.end != null) this.stop()
      return
    }
    const them = session.me === 'B' ? WHITE : BLACK
    if (session.game.toMove !== them) return
    if (checkTimeout(session.game.clock, this.now() - claimAllowanceMs(session.start.terms.tc)) !== them) return
    this.claim()
  }
}
