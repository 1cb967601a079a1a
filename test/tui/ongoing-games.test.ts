// "Your games" in the lobby: the player's games in progress, its own moves first, each with whose
// move it is and the clock of the player to move. Real games (src/game), start records as the
// client holds them.
import { describe, expect, it } from 'vitest'
import { Game } from '../../src/game/game.js'
import { BLACK, WHITE } from '../../src/game/color.js'
import { CORRESPONDENCE_3D } from '../../src/game/correspondence.js'
import { isCorrespondence, ongoingGames, ongoingHeading, type GameInProgress } from '../../src/tui/ongoing-games.js'
import { lobbyLines } from '../../src/tui/lobby-screen.js'
import { presetsFor, termsText } from '../../src/tui/presets.js'
import { day, hour } from '../../src/units.js'
import type { SignedStart } from '../../src/wire/game-start.js'
import type { TimeControl } from '../../src/game/time-control.js'

const T0 = Date.UTC(2026, 11, 1, 12) // a Tuesday, noon UTC

function inProgress (id: string, opponent: string, me: 'B' | 'W', tc: TimeControl, moves: number, end?: string): GameInProgress {
  const game = new Game({ size: 9, rules: 'chinese', komi: 7.5, timeControl: tc })
  game.start(T0)
  for (let i = 0; i < moves; i++) game.play(i % 2 === 0 ? BLACK : WHITE, { x: i, y: i % 2 === 0 ? 0 : 4 }, { at: T0 + (i + 1) * hour })
  const names = me === 'B' ? { B: 'me', W: opponent } : { B: opponent, W: 'me' }
  const start = { terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc }, names } as unknown as SignedStart
  return { gameId: { toString: () => id }, start, me, game, ...(end != null ? { end } : {}) }
}

describe('your games in progress', () => {
  it('lists the games not over, the player\'s own moves first, with the clock of the player to move', () => {
    const now = T0 + 10 * hour
    const games = [
      inProgress('g1', 'ann', 'B', CORRESPONDENCE_3D, 2, undefined), // Black (me) to move
      inProgress('g2', 'bob', 'B', CORRESPONDENCE_3D, 1), // White (bob) to move
      inProgress('g3', 'cat', 'W', { kind: 'none' }, 3), // White (me) to move, no clock
      inProgress('g4', 'dan', 'W', { kind: 'none' }, 4, 'B+R') // over: not listed
    ]
    const rows = ongoingGames(games, now)
    expect(rows.map(r => r.id)).toEqual(['g1', 'g3', 'g2'])
    expect(rows.map(r => r.yourMove)).toEqual([true, true, false])
    expect(rows[0].line).toMatch(/^vs ann · 9x9 · correspondence · move 3 · your move \(.+ left\)$/)
    expect(rows[1].line).toBe('vs cat · 9x9 · live · move 4 · your move')
    expect(rows[2].line).toMatch(/^vs bob · 9x9 · correspondence · move 2 · bob's move \(.+ left\)$/)
    expect(ongoingHeading(rows)).toBe('Your games: 3 in progress, your move in 2   (Enter opens one)')
    expect(isCorrespondence(games[0])).toBe(true)
    expect(isCorrespondence(games[2])).toBe(false)
  })

  it('puts the game with the least time left first among the player\'s moves', () => {
    const fast = inProgress('fast', 'ann', 'B', { kind: 'correspondence', perMoveMs: day, maxBankMs: 3 * day }, 0)
    const slow = inProgress('slow', 'bob', 'B', CORRESPONDENCE_3D, 0)
    expect(ongoingGames([slow, fast], T0 + hour).map(r => r.id)).toEqual(['fast', 'slow'])
  })

  it('heads the lobby with them when there are any, each selectable', () => {
    const game = ongoingGames([inProgress('g1', 'ann', 'B', CORRESPONDENCE_3D, 2)], T0 + hour)[0]
    const lines = lobbyLines({ entries: [{ kind: 'game', game }], selected: 0, size: 9, mySeeks: [], challenges: [] }, 100, 20)
    expect(lines[0]).toBe('Your games: 1 in progress, your move in 1   (Enter opens one)')
    expect(lines[1]).toBe(`> ${game.line}`)
    expect(lines[3]).toMatch(/^Players online: 0/)
  })

  it('offers a correspondence game on every size', () => {
    for (const size of [9, 13, 19]) expect(presetsFor(size).some(p => p.terms.tc.kind === 'correspondence')).toBe(true)
    expect(termsText(presetsFor(19).find(p => p.terms.tc.kind === 'correspondence')!.terms)).toMatch(/^19x19 · komi 7\.5 · chinese · 3d\/move, max 7d, weekends off$/)
  })
})
