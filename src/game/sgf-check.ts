import { BLACK, EMPTY, WHITE } from './constants.js'
import { SgfError } from './errors.js'
import { Position } from './position.js'
import { rulesetByName, SIMPLE_KO, type Ruleset } from './rules.js'
import { mainLine, parseSgf, sgfMove, sgfPoints, sgfSize } from './sgf.js'
import type { Color } from './color.js'
import type { IllegalMoveReason } from './errors.js'

/** What `p2pgo sgf check` reports for one file. This shape is a public contract: keep it stable. */
export interface SgfCheck {
  size: number
  /** Moves applied, passes included; an illegal move and everything after it are not applied. */
  moves: number
  /** Stones captured by each colour. */
  captures: { black: number, white: number }
  /** The first illegal move: its 0-based index among the main line's moves (equal to `moves`), its SGF value and why. */
  illegal: { index: number, move: string, reason: IllegalMoveReason } | null
  /** Rows from the top of the SGF (row a) down: 'X' black, 'O' white, '.' empty. */
  board: string[]
}

/** The ruleset a file's RU names, or simple ko without suicide when it names none p2pgo knows. */
export function replayRules (ru: string | undefined): Ruleset {
  return (ru == null ? undefined : rulesetByName(ru)) ?? SIMPLE_KO
}

/**
 * Replays the main line of an SGF under its rules and reports what happened.
 * Setup stones (AB/AW/AE) are applied where they stand; they restart the ko history.
 * Throws SgfError when the file cannot be parsed or holds a malformed node.
 */
export function checkSgf (text: string): SgfCheck {
  const root = parseSgf(text)
  const size = sgfSize(root)
  const pos = new Position(size, replayRules(root.data.RU?.[0]))
  const board = pos.board
  let moves = 0
  let illegal: SgfCheck['illegal'] = null
  const nodes = mainLine(root)
  for (let i = 0; i < nodes.length && illegal == null; i++) {
    const d = nodes[i].data
    if (d.AB != null || d.AW != null || d.AE != null) {
      const stones: Array<readonly [number, Color | typeof EMPTY]> = []
      for (const [prop, value] of [['AE', EMPTY], ['AB', BLACK], ['AW', WHITE]] as const) {
        if (d[prop] == null) continue
        const points = sgfPoints(d[prop], size)
        if (points == null) throw new SgfError(`node ${i}`, `${prop} holds a point off the ${size}x${size} board`)
        for (const v of points) stones.push([board.point(v.x, v.y), value])
      }
      const pl = d.PL?.[0]?.trim().toUpperCase()
      pos.setup(stones, pl === 'W' ? WHITE : BLACK)
    }
    if (d.B != null && d.W != null) throw new SgfError(`node ${i}`, 'one node holds both a black and a white move')
    const color: Color | undefined = d.B != null ? BLACK : d.W != null ? WHITE : undefined
    if (color == null) continue
    const value = (color === BLACK ? d.B : d.W)[0] ?? ''
    const vertex = sgfMove(value, size)
    if (vertex === undefined) {
      illegal = { index: moves, move: value, reason: 'out-of-bounds' }
    } else if (vertex === null) {
      pos.pass(color)
      moves++
    } else {
      const reason = pos.play(color, board.point(vertex.x, vertex.y))
      if (reason != null) illegal = { index: moves, move: value, reason }
      else moves++
    }
  }
  return {
    size,
    moves,
    captures: { black: board.captures[BLACK], white: board.captures[WHITE] },
    illegal,
    board: board.toRows()
  }
}
