// The review screen as lines of text: a finished game's board at the move shown on the left, and
// beside it who played, the move number and the move, the captures so far, and on the last move
// the result, the agreed dead stones (drawn as dead) and the count. Pure, like the board screen.
import { BLACK, WHITE } from '../game/constants.js'
import { lastMove, stoneAt, type GameReview } from '../game/review.js'
import { toGtpVertex } from '../game/vertex.js'
import { boardLines, type Glyphs } from './board-view.js'
import { BOARD_ORIGIN } from './board-screen.js'
import { resultText } from './result-text.js'
import type { View } from './app-context.js'
import { cut } from './text-fit.js'

/** A game open in review. */
export interface ReviewView {
  readonly review: GameReview
  /** The move shown: 0 (the start) to the last move. */
  move: number
  /** What the game is, for the panel's first line ("your game against rival", "RNA bafy…"). */
  readonly title: string
  /** The game's or the RNA's ID: the exported file is named after it. */
  readonly id: string
  /** The screen Esc goes back to. */
  readonly from: View
}

/** Columns between the board and the panel. */
const GAP = 3

/** The panel's lines beside (or under) the board. */
export function reviewPanelLines (v: ReviewView, glyphs: Glyphs, width: number): string[] {
  const { review, move } = v
  const { record } = review
  const frame = review.frames[move]
  const last = lastMove(review)
  const name = (color: number): string => color === BLACK ? `${glyphs.black} ${record.players.black.name}` : `${glyphs.white} ${record.players.white.name}`
  const lines = [
    `Review: ${v.title}`,
    `${name(BLACK)} (Black) vs ${name(WHITE)} (White)`,
    `${record.size}x${record.size} · ${record.handicap > 0 ? `handicap ${record.handicap}` : `komi ${record.komi}`} · ${record.rules}`,
    ''
  ]
  const played = frame.played
  if (played == null) lines.push(`Move 0 of ${last}: the start, ${frame.toMove === BLACK ? 'Black' : 'White'} to play`)
  else lines.push(`Move ${move} of ${last}: ${played.color === BLACK ? 'Black' : 'White'} ${played.vertex == null ? 'passes' : toGtpVertex(played.vertex, record.size)}`)
  lines.push(`Captures: Black ${frame.captures.black} · White ${frame.captures.white}`)
  if (move === last) {
    const { end } = review
    lines.push('')
    lines.push(end.result != null ? resultText(end.result) : 'No result recorded')
    if (end.score != null) {
      const dead = (color: number): number => end.dead.filter(d => stoneAt(review, frame, d) === color).length
      lines.push(`Dead (agreed): ${dead(BLACK)} black, ${dead(WHITE)} white`)
      const s = end.score
      lines.push(`Count: Black ${s.black.total} · White ${s.white.total} → ${s.margin === 0 ? 'draw' : s.margin > 0 ? `B+${s.margin}` : `W+${-s.margin}`}`)
    }
  }
  return lines.map(l => cut(l, width))
}

/** The whole review screen in `width` x `height`: board and panel side by side when they fit, the panel below otherwise. */
export function reviewScreenLines (v: ReviewView, glyphs: Glyphs, width: number, height: number): string[] {
  const { review, move } = v
  const frame = review.frames[move]
  const atEnd = move === lastMove(review)
  const dead = new Set(atEnd ? review.end.dead.map(d => d.y * review.size + d.x) : [])
  const drawn = boardLines({
    size: review.size,
    at: p => stoneAt(review, frame, p) as 0 | 1 | 2,
    ...(frame.played?.vertex != null ? { lastMove: frame.played.vertex } : {}),
    dead: p => dead.has(p.y * review.size + p.x)
  }, glyphs).map(line => ' '.repeat(BOARD_ORIGIN.column) + line)
  const boardWidth = Math.max(...drawn.map(l => [...l].length))
  if (width >= boardWidth + GAP + 24) {
    const panel = reviewPanelLines(v, glyphs, width - boardWidth - GAP)
    const out: string[] = []
    for (let i = 0; i < Math.min(Math.max(drawn.length, panel.length), height); i++) {
      const left = drawn[i] ?? ''
      out.push(`${left}${' '.repeat(boardWidth - [...left].length + GAP)}${panel[i] ?? ''}`.trimEnd())
    }
    return out
  }
  return [...drawn, ...reviewPanelLines(v, glyphs, width)].slice(0, height)
}
