import { describe, expect, it } from 'vitest'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { reviewOf } from '../../src/game/review.js'
import { ASCII, UNICODE } from '../../src/tui/board-view.js'
import { reviewScreenLines } from '../../src/tui/review-screen.js'
import { historyHeadLines } from '../../src/tui/history-lines.js'
import { SPARK_UNICODE } from '../../src/tui/sparkline.js'
import { initialRating, rateGame } from '../../src/rating/trueskill.js'
import type { GameRecord, RecordedMove } from '../../src/game/game-record.js'
import type { ReviewView } from '../../src/tui/review-screen.js'

const B = (x: number, y: number): RecordedMove => ({ color: BLACK, vertex: { x, y } })
const W = (x: number, y: number): RecordedMove => ({ color: WHITE, vertex: { x, y } })
const record: GameRecord = {
  size: 9, rules: 'chinese', komi: 7.5, handicap: 0, handicapStones: [],
  players: { black: { name: 'ann' }, white: { name: 'bob' } },
  moves: [B(1, 0), W(0, 0), B(0, 1), W(4, 4), { color: BLACK, vertex: null }, { color: WHITE, vertex: null }],
  dead: [{ x: 4, y: 4 }],
  result: 'B+73.5'
}
const at = (move: number): ReviewView => ({ review: reviewOf(record), move, title: 'your game against bob', id: 'bafy', from: 'games' })
/** Board row y is line y + 1 (the letters first); point x is at column 1 + 1 + 1 + 2x. */
const glyph = (lines: string[], x: number, y: number): string => [...lines[y + 1]][3 + 2 * x]

describe('the review screen', () => {
  it('shows the move, the stone it played and the captures so far', () => {
    const lines = reviewScreenLines(at(3), UNICODE, 80, 24)
    const text = lines.join('\n')
    expect(text).toMatch(/Review: your game against bob/)
    expect(text).toMatch(/Move 3 of 6: Black A8/)
    expect(text).toMatch(/Captures: Black 1 · White 0/)
    expect(glyph(lines, 0, 1)).toBe('●')
    expect(glyph(lines, 0, 0)).toBe('·')
    // Before the capture the white stone is there again.
    expect(glyph(reviewScreenLines(at(2), UNICODE, 80, 24), 0, 0)).toBe('○')
    expect(text).not.toMatch(/Dead|Count/)
  })

  it('shows the start, then at the end the result, the agreed dead stones and the count', () => {
    expect(reviewScreenLines(at(0), UNICODE, 80, 24).join('\n')).toMatch(/Move 0 of 6: the start, Black to play/)
    const lines = reviewScreenLines(at(6), UNICODE, 80, 24)
    const text = lines.join('\n')
    expect(text).toMatch(/Move 6 of 6: White passes/)
    expect(text).toMatch(/Black wins by 73\.5 points/)
    expect(text).toMatch(/Dead \(agreed\): 0 black, 1 white/)
    expect(text).toMatch(/Count: Black 81 · White 7\.5 → B\+73\.5/)
    expect(glyph(lines, 4, 4)).toBe('⊘')
    // One move earlier the stone is not shown dead: only the end carries the agreement.
    expect(glyph(reviewScreenLines(at(5), UNICODE, 80, 24), 4, 4)).toBe('○')
  })

  it('puts the panel under the board on a narrow terminal and draws ASCII', () => {
    const lines = reviewScreenLines(at(3), ASCII, 30, 40)
    expect(lines.slice(0, 11).join('\n')).not.toMatch(/Move 3/)
    expect(lines.join('\n')).toMatch(/Move 3 of 6: Black A8/)
    expect(glyph(lines, 0, 1)).toBe('X')
  })
})

describe('the rating history above the reputation list', () => {
  const fresh = initialRating()
  const a1 = rateGame(fresh, fresh, 'win', 7.5)
  const a2 = rateGame(a1, fresh, 'loss', 7.5)

  it('draws a sparkline per size with games, and the rating now', () => {
    const lines = historyHeadLines({ 9: [{ at: 1, rating: a1, game: 'a' }, { at: 2, rating: a2, game: 'b' }], 19: [{ at: 3, rating: a1, game: 'c' }] }, SPARK_UNICODE, 80)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^Your rating █▁ {2}9x9: -?\d+\.\d \(\d+k\) after 2 rated games$/)
    expect(lines[1]).toMatch(/^Your rating ▄ {2}19x19: .* after 1 rated game$/)
  })

  it('says so when there is no rated game', () => {
    expect(historyHeadLines({}, SPARK_UNICODE, 80)).toEqual(['Your rating history: no rated games yet (each rated game adds a point)'])
  })
})
