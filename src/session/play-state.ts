import { Game } from '../game/game.js'
import { GamePhaseError, IllegalMoveError, InvalidSettingError } from '../game/errors.js'
import { RULESETS } from '../game/rules.js'
import { cidOf } from '../wire/cid.js'
import { actMessage, type Act, type ActKind, type Side } from '../wire/game-messages.js'
import { ActRejectedError } from './errors.js'
import { colorOf } from './sides.js'
import type { CID } from 'multiformats/cid'
import type { SignedStart } from '../wire/game-start.js'
import type { Chains } from './abandonment.js'
import type { Emit } from './events.js'
import type { ClockState } from '../game/clock.js'

/**
 * What an act is to the game: the turn it took, and the clock just before it (a correspondence
 * claim that crossed the accused's turn in flight is judged on it).
 */
export interface TurnEntry { readonly side: Side, readonly act: Act, readonly clockBefore?: ClockState }

/** One player's acceptance of a marking: the dead stones (and their sorted key) at a turn. */
export interface Acceptance {
  readonly key: string
  readonly turns: number
  readonly dead: ReadonlyArray<readonly [number, number]>
}

/** When an act takes effect: its time, and the network delay credited to its author's clock. */
export interface ActTiming { readonly at: number, readonly lagMs: number }

export interface PlayStateInit {
  readonly start: SignedStart
  readonly gameId: CID
  readonly me: Side
  readonly now: () => number
  readonly emit: Emit
  /** Each player's acts as applied so far (an abandonment is checked against them). */
  readonly chains: () => Chains
}

/**
 * The game as the acts made it so far: the game core, the turns in play order, the pending
 * acceptance and undo request, the end and its signatures. The apply-*.ts handlers change it;
 * the session feeds it checked acts.
 */
export class PlayState {
  readonly start: SignedStart
  readonly gameId: CID
  readonly me: Side
  readonly now: () => number
  readonly emit: Emit
  readonly chains: () => Chains
  game: Game
  turns: TurnEntry[] = []
  accepted: Partial<Record<Side, Acceptance>> = {}
  undoRequest: { side: Side, turns: number } | undefined
  /** The result text once the game is over, and the ply it ended at. */
  end: { readonly result: string, readonly turns: number } | undefined
  /** Who ended the game and with what act (resign, abort, timeout-claim), when an act of a player did. */
  endedBy: { readonly side: Side, readonly kind: ActKind } | undefined
  /** Result signatures received (acts of kind 'result'). */
  readonly results: Partial<Record<Side, Act>> = {}
  /** While replaying stored acts: a timeout claim already held once (or both players signed its result). */
  replaying = false

  constructor (init: PlayStateInit) {
    this.start = init.start
    this.gameId = init.gameId
    this.me = init.me
    this.now = init.now
    this.emit = init.emit
    this.chains = init.chains
    this.game = this.freshGame()
    // A correspondence clock counts from the signed agreement, so both sides (and a replay) agree.
    this.game.start(this.correspondence ? this.start.created : this.now())
  }

  /** Whether the game is played on a correspondence clock: its turns are timed by their signed `at`. */
  get correspondence (): boolean {
    return this.start.terms.tc.kind === 'correspondence'
  }

  /**
   * When a received act takes effect on the clocks: on a live clock when it arrives, less the
   * measured network delay; on a correspondence clock at its author's signed time, whenever it
   * arrives (it may have waited days with a holder).
   */
  timingOf (act: Act, lagMs: number): ActTiming {
    return this.correspondence ? { at: act.at, lagMs: 0 } : { at: this.now(), lagMs }
  }

  /** Starts the game core again from the game's creation (replaying stored acts). */
  restart (): void {
    this.game = this.freshGame()
    this.game.start(this.start.created)
  }

  /** The final summary both result acts sign: the result, the turns played and the last turn act. */
  finalSummary (): { game: CID, result: string, turns: number, last: CID | null } {
    if (this.end == null) throw new GamePhaseError(this.game.phase, 'the game is not over')
    const last = this.turns[this.end.turns - 1]?.act
    return { game: this.gameId, result: this.end.result, turns: this.end.turns, last: last != null ? cidOf(actMessage(last)) : null }
  }

  finish (result: string, turns: number, by?: { side: Side, kind: ActKind }): void {
    if (this.end != null) return
    this.end = { result, turns }
    this.endedBy = by
    this.emit('ended', { result, cosigned: false })
  }

  setMarking (dead: ReadonlyArray<readonly [number, number]>): void {
    try {
      this.game.setMarking(dead.map(([x, y]) => ({ x, y })))
    } catch (err) {
      if (err instanceof IllegalMoveError || err instanceof InvalidSettingError || err instanceof GamePhaseError) throw new ActRejectedError('not-now', err.message)
      throw err
    }
  }

  /** Replays the first `turns` turn acts into a fresh game (undo, or turns voided by an end act). */
  rebuild (turns: number): void {
    const kept = this.turns.slice(0, turns)
    const game = this.freshGame()
    for (const t of kept) {
      if (t.act.kind === 'move') game.play(colorOf(t.side), { x: t.act.x as number, y: t.act.y as number })
      else game.pass(colorOf(t.side))
    }
    // A correspondence clock goes back to where it stood before the first turn taken off, so an
    // undo or a voided turn gives back the time it earned, not the time spent since.
    const before = this.turns[turns]?.clockBefore
    if (this.correspondence && before != null) game.clock = before
    this.game = game
    this.turns = kept
    this.accepted = {}
  }

  /** The last turn act `side` made, if any. */
  lastTurn (side: Side): Act | undefined {
    for (let i = this.turns.length - 1; i >= 0; i--) if (this.turns[i].side === side) return this.turns[i].act
    return undefined
  }

  private freshGame (): Game {
    const t = this.start.terms
    return new Game({ size: t.size, rules: RULESETS[t.rules], komi: t.komi, handicap: t.handicap, handicapPlacement: t.placement, timeControl: t.tc })
  }
}
