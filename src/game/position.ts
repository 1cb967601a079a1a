import { Board } from './board.js'
import { BLACK, EMPTY, NO_RESULT_REPETITIONS, WHITE } from './constants.js'
import { hash53, zobristKeys } from './zobrist.js'
import type { Color } from './color.js'
import type { IllegalMoveReason } from './errors.js'
import type { Ruleset } from './rules.js'

/** A pass in the position's move log. */
export const PASS = -1

/**
 * A board under a ruleset, with the history its ko rule needs.
 *
 * Superko is exact: every position reached is kept as a 53-bit Zobrist key, and a key
 * that matches is confirmed by rebuilding the earlier position from the move log and
 * comparing every point, so a hash collision can never forbid a legal move.
 *
 * Turn order is not enforced here (SGF replays may have either colour move); `Game` does that.
 */
export class Position {
  readonly board: Board
  readonly rules: Ruleset
  /** The point the player `koColor` may not take back at once (simple ko), or -1. */
  koPoint = -1
  koColor: Color = BLACK
  /** Set under simple-ko rulesets with `repetitionNoResult` once a position recurs often enough (triple ko and the like). */
  repetition = false
  /** Number of plies (moves and passes) played since the origin. */
  ply = 0

  private readonly tracksHistory: boolean
  private readonly situational: boolean
  private readonly wtmHi: number
  private readonly wtmLo: number
  /** First ply at which each key was seen. */
  private readonly seen = new Map<number, number>()
  /** How often each key was seen (only with repetitionNoResult). */
  private readonly counts = new Map<number, number>()
  private readonly keyAt: number[] = []
  private readonly movePoint: number[] = []
  private readonly moveColor: Color[] = []
  private readonly moveSuicide: boolean[] = []
  private readonly removedStart: number[] = []
  private readonly removedPoints: number[] = []
  private readonly toMoveAt: Color[] = []

  constructor (size: number, rules: Ruleset) {
    this.board = new Board(size)
    this.rules = rules
    this.situational = rules.ko === 'situational' || rules.repetitionNoResult
    this.tracksHistory = rules.ko !== 'simple' || rules.repetitionNoResult
    const keys = zobristKeys(this.board.width)
    this.wtmHi = keys.whiteToMoveHi
    this.wtmLo = keys.whiteToMoveLo
    this.resetHistory(BLACK)
  }

  /**
   * Why `color` may not play at padded point `p`, or null when the move is legal.
   * Changes nothing.
   */
  check (color: Color, p: number): IllegalMoveReason | null {
    if (!this.board.isPoint(p)) return 'out-of-bounds'
    return this.judge(color, p)
  }

  /** Plays `color` at `p` when legal; returns null, or the reason it is not (and changes nothing). */
  play (color: Color, p: number): IllegalMoveReason | null {
    if (!this.board.isPoint(p)) return 'out-of-bounds'
    const reason = this.judge(color, p)
    if (reason != null) return reason
    // judge() left its probe of this very move in the board's shared result.
    const probe = this.board.lastProbe
    const koPoint = probe.koPoint
    const suicide = probe.suicide
    if (this.tracksHistory) {
      this.movePoint.push(p)
      this.moveColor.push(color)
      this.moveSuicide.push(suicide)
      this.removedStart.push(this.removedPoints.length)
      this.board.place(color, p, this.removedPoints)
    } else {
      this.board.place(color, p)
    }
    this.koPoint = koPoint
    this.koColor = (3 - color) as Color
    this.ply++
    if (this.tracksHistory) this.record((3 - color) as Color)
    return null
  }

  /** `color` passes: the ko point clears, and the player to move changes. */
  pass (color: Color): void {
    this.koPoint = -1
    this.ply++
    if (this.tracksHistory) {
      this.movePoint.push(PASS)
      this.moveColor.push(color)
      this.moveSuicide.push(false)
      this.removedStart.push(this.removedPoints.length)
      this.record((3 - color) as Color)
    }
  }

  /**
   * Puts setup stones on the board (handicap, SGF AB/AW/AE) and starts the history afresh
   * from the resulting position, with `toMove` to play.
   */
  setup (stones: Iterable<readonly [number, Color | typeof EMPTY]>, toMove: Color): void {
    for (const [p, c] of stones) this.board.setStone(p, c)
    this.koPoint = -1
    this.resetHistory(toMove)
  }

  private judge (color: Color, p: number): IllegalMoveReason | null {
    const probe = this.board.probe(color, p)
    if (probe.occupied) return 'occupied'
    if (probe.suicide) {
      // One stone taking itself off leaves the board as it was: never legal.
      if (!this.rules.multiStoneSuicide || probe.removed === 1) return 'suicide'
    }
    if (this.rules.ko === 'simple') {
      return p === this.koPoint && color === this.koColor ? 'ko' : null
    }
    let hi = probe.hashHi
    let lo = probe.hashLo
    if (this.situational && color === BLACK) {
      hi ^= this.wtmHi
      lo ^= this.wtmLo
    }
    const key = hash53(hi, lo)
    const first = this.seen.get(key)
    if (first == null) return null
    const candidate = this.candidateCells(color, p)
    const toMove = (3 - color) as Color
    for (let ply = first; ply < this.keyAt.length; ply++) {
      if (this.keyAt[ply] === key && (!this.situational || this.toMoveAt[ply] === toMove) && equal(candidate, this.cellsAt(ply))) {
        // The same single-stone recapture a simple-ko rule forbids is reported as ko: players know that word.
        return p === this.koPoint && color === this.koColor ? 'ko' : 'superko'
      }
    }
    return null
  }

  /** Records the key of the position just reached, with `toMove` to play. */
  private record (toMove: Color): void {
    let hi = this.board.hashHi
    let lo = this.board.hashLo
    if (this.situational && toMove === WHITE) {
      hi ^= this.wtmHi
      lo ^= this.wtmLo
    }
    const key = hash53(hi, lo)
    const ply = this.keyAt.length
    this.keyAt.push(key)
    this.toMoveAt.push(toMove)
    const first = this.seen.get(key)
    if (first == null) {
      this.seen.set(key, ply)
      if (this.rules.repetitionNoResult) this.counts.set(key, 1)
      return
    }
    if (this.rules.repetitionNoResult) {
      const cells = this.board.cells
      for (let k = first; k < ply; k++) {
        if (this.keyAt[k] === key && this.toMoveAt[k] === toMove && equal(cells, this.cellsAt(k))) {
          const n = (this.counts.get(key) ?? 1) + 1
          this.counts.set(key, n)
          if (n >= NO_RESULT_REPETITIONS) this.repetition = true
          break
        }
      }
    }
  }

  private resetHistory (toMove: Color): void {
    this.seen.clear()
    this.counts.clear()
    this.keyAt.length = 0
    this.toMoveAt.length = 0
    this.movePoint.length = 0
    this.moveColor.length = 0
    this.moveSuicide.length = 0
    this.removedStart.length = 0
    this.removedPoints.length = 0
    this.repetition = false
    if (this.tracksHistory) this.record(toMove)
  }

  /** The cells after `color` plays at `p` (legal or not), built only to confirm a key match. */
  private candidateCells (color: Color, p: number): Uint8Array {
    const cells = this.board.cells.slice()
    const probe = this.board.probe(color, p)
    const roots = Array.from(probe.removedRoots.subarray(0, probe.removedRootCount))
    cells[p] = color
    for (const r of roots) for (const s of this.board.chain(r)) cells[s] = EMPTY
    if (probe.suicide) cells[p] = EMPTY
    return cells
  }

  /** The cells at an earlier ply of the history, rebuilt by undoing the moves since. */
  private cellsAt (ply: number): Uint8Array {
    const cells = this.board.cells.slice()
    // keyAt[0] is the origin; the move leading to keyAt[k] is movePoint[k - 1].
    for (let k = this.keyAt.length - 1; k > ply; k--) {
      const m = k - 1
      const p = this.movePoint[m]
      if (p === PASS) continue
      const color = this.moveColor[m]
      const back = this.moveSuicide[m] ? color : (3 - color) as Color
      const end = m + 1 < this.removedStart.length ? this.removedStart[m + 1] : this.removedPoints.length
      for (let i = this.removedStart[m]; i < end; i++) cells[this.removedPoints[i]] = back
      cells[p] = EMPTY
    }
    return cells
  }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
