import { BLACK, BORDER, EMPTY, WHITE } from './constants.js'
import type { Board } from './board.js'
import type { Color } from './color.js'
import type { Ruleset } from './rules.js'

/** What scoring needs besides the board. */
export interface ScoreInput {
  readonly board: Board
  readonly rules: Ruleset
  readonly komi: number
  /** Handicap stones Black received (for area rulesets that compensate White). */
  readonly handicap: number
  /** Padded points of stones both players agreed are dead. */
  readonly dead: ReadonlySet<number>
  /** Pass stones handed over under AGA rules: passStones[BLACK] = stones Black received. */
  readonly passStones?: readonly [number, number, number]
}

/** One side's count, itemised the way players check it. */
export interface SideScore {
  /** Living stones on the board (area scoring only; 0 under territory scoring). */
  readonly stones: number
  /** Empty points and dead-stone points surrounded by this side alone. */
  readonly territory: number
  /** Captured stones, dead stones taken off and pass stones received (territory scoring only). */
  readonly prisoners: number
  /** Komi and handicap compensation (White). */
  readonly bonus: number
  readonly total: number
}

export interface Score {
  readonly black: SideScore
  readonly white: SideScore
  /** Black's total minus White's: positive means Black wins. */
  readonly margin: number
  readonly winner: Color | null
  /** Per padded point: BLACK or WHITE when it counts for that side, EMPTY otherwise (dame, seki, or a stone not counted). */
  readonly ownership: Uint8Array
  /** Padded points of living chains found to be in seki (their eyes are not territory under territory scoring). */
  readonly seki: ReadonlySet<number>
}

/**
 * Counts a finished position under the ruleset's scoring, with the agreed dead stones removed.
 *
 * Area: living stones plus points surrounded by one colour. Territory (Japanese): surrounded points
 * plus prisoners, where points inside a group in seki are not territory. Seki is recognised where a
 * shared liberty cannot be filled by either side without self-atari; dame elsewhere need not be filled.
 */
export function score (input: ScoreInput): Score {
  const { board, rules, dead } = input
  const cells = board.cells
  const w = board.width
  const n = cells.length
  // The position with the dead stones taken off: regions and seki are judged on it.
  const alive = cells.slice()
  for (const p of dead) if (alive[p] === BLACK || alive[p] === WHITE) alive[p] = EMPTY
  const territoryRules = rules.scoring === 'territory'
  const seki = territoryRules ? findSeki(board, alive) : new Set<number>()

  const ownership = new Uint8Array(n)
  const region = new Int32Array(n).fill(-1)
  const stack: number[] = []
  const members: number[] = []
  const terr = [0, 0, 0]
  for (let p = 0; p < n; p++) {
    if (alive[p] !== EMPTY || region[p] >= 0) continue
    // Flood one region of empty (or dead-stone) points and note which colours border it.
    let borders = 0
    let touchesSeki = false
    members.length = 0
    stack.push(p)
    region[p] = p
    while (stack.length > 0) {
      const q = stack.pop() as number
      members.push(q)
      for (const m of [q - w, q - 1, q + 1, q + w]) {
        const c = alive[m]
        if (c === EMPTY) {
          if (region[m] < 0) {
            region[m] = p
            stack.push(m)
          }
        } else if (c !== BORDER) {
          borders |= c
          if (seki.has(m)) touchesSeki = true
        }
      }
    }
    if (borders !== BLACK && borders !== WHITE) continue
    if (territoryRules && touchesSeki) continue
    for (const q of members) ownership[q] = borders
    terr[borders] += members.length
  }

  const stones = [0, 0, 0]
  if (!territoryRules) {
    for (let p = 0; p < n; p++) {
      const c = alive[p]
      if (c === BLACK || c === WHITE) {
        stones[c]++
        ownership[p] = c
      }
    }
  }

  const prisoners = [0, 0, 0]
  if (territoryRules) {
    prisoners[BLACK] = board.captures[BLACK]
    prisoners[WHITE] = board.captures[WHITE]
    for (const p of dead) {
      const c = cells[p]
      if (c === BLACK) prisoners[WHITE]++
      else if (c === WHITE) prisoners[BLACK]++
    }
    if (input.passStones != null) {
      prisoners[BLACK] += input.passStones[BLACK]
      prisoners[WHITE] += input.passStones[WHITE]
    }
  }

  const h = input.handicap >= 2 ? input.handicap : 0
  const handicapBonus = territoryRules || rules.whiteHandicapBonus === 'none'
    ? 0
    : rules.whiteHandicapBonus === 'n' ? h : Math.max(0, h - 1)
  const side = (c: Color, bonus: number): SideScore => ({
    stones: stones[c],
    territory: terr[c],
    prisoners: prisoners[c],
    bonus,
    total: stones[c] + terr[c] + prisoners[c] + bonus
  })
  const black = side(BLACK, 0)
  const white = side(WHITE, input.komi + handicapBonus)
  const margin = black.total - white.total
  return {
    black,
    white,
    margin,
    winner: margin > 0 ? BLACK : margin < 0 ? WHITE : null,
    ownership,
    seki
  }
}

/**
 * Living chains in seki: chains next to a shared empty point that neither side can fill without
 * leaving its own chain with at most one liberty. Plain unfilled dame do not qualify: filling
 * them is safe, so a normal finished game keeps its territory.
 */
function findSeki (board: Board, alive: Uint8Array): Set<number> {
  const w = board.width
  const seki = new Set<number>()
  for (let p = 0; p < alive.length; p++) {
    if (alive[p] !== EMPTY) continue
    const around = [p - w, p - 1, p + 1, p + w]
    let colours = 0
    for (const m of around) if (alive[m] === BLACK || alive[m] === WHITE) colours |= alive[m]
    if (colours !== (BLACK | WHITE)) continue
    if (!selfAtari(alive, w, p, BLACK) || !selfAtari(alive, w, p, WHITE)) continue
    for (const m of around) {
      if (alive[m] === BLACK || alive[m] === WHITE) for (const s of chainOf(alive, w, m)) seki.add(s)
    }
  }
  return seki
}

/** Whether `color` playing at empty `p` on `cells` would leave its chain with at most one liberty (captures ignored: in seki there are none). */
function selfAtari (cells: Uint8Array, w: number, p: number, color: Color): boolean {
  const libs = new Set<number>()
  const seen = new Set<number>([p])
  const stack = [p]
  while (stack.length > 0) {
    const q = stack.pop() as number
    for (const m of [q - w, q - 1, q + 1, q + w]) {
      if (m === p || seen.has(m)) continue
      if (cells[m] === EMPTY) libs.add(m)
      else if (cells[m] === color) {
        seen.add(m)
        stack.push(m)
      }
    }
    if (libs.size > 1) return false
  }
  return true
}

/** The chain through `p` on raw cells. */
function chainOf (cells: Uint8Array, w: number, p: number): number[] {
  const color = cells[p]
  const out = [p]
  const seen = new Set<number>([p])
  for (let i = 0; i < out.length; i++) {
    const q = out[i]
    for (const m of [q - w, q - 1, q + 1, q + w]) {
      if (cells[m] === color && !seen.has(m)) {
        seen.add(m)
        out.push(m)
      }
    }
  }
  return out
}
