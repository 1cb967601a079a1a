// The lobby's live games section: each game as who plays whom, how far, how many watch and how
// old the news is, within 80 columns; a lobby without the section draws as before.
import { describe, expect, it } from 'vitest'
import { lobbyLines } from '../../src/tui/lobby-screen.js'
import { ageText, liveRow } from '../../src/tui/live-rows.js'
import type { LobbyEntry } from '../../src/tui/lobby-entries.js'

const game = { names: { B: 'Alice', W: 'Bob' }, ply: 12, watchers: 3, age: 20_400 }

describe('live game rows', () => {
  it('say who plays whom, the move, the watchers and the age', () => {
    expect(liveRow(game)).toBe('Alice vs Bob · move 12 · 3 watching · 20 s ago')
    expect(liveRow({ ...game, ratings: { B: { mu: 25, sigma: 25 / 3 }, W: { mu: 25, sigma: 25 / 3 } } })).toBe('Alice (30k?) vs Bob (30k?) · move 12 · 3 watching · 20 s ago')
    expect(ageText(150_000)).toBe('3 min')
  })

  it('make a section of the lobby under the seeks, cut to the width', () => {
    const long = { ...game, names: { B: 'A'.repeat(32), W: 'B'.repeat(32) } }
    // The screen reads only the row's fields of a live entry.
    const entries = [game, long].map(g => ({ kind: 'live', live: g }) as unknown as LobbyEntry)
    const lines = lobbyLines({ entries, selected: 5, size: 9, mySeeks: [], challenges: [], live: true }, 80, 30)
    const at = lines.indexOf('Live games: 2')
    expect(at).toBeGreaterThan(lines.indexOf('Open seeks: 0'))
    expect(lines[at + 1]).toBe('  Alice vs Bob · move 12 · 3 watching · 20 s ago')
    expect(lines.every(l => [...l].length <= 80)).toBe(true)
    expect(lobbyLines({ entries: [], selected: 0, size: 9, mySeeks: [], challenges: [], live: true }, 80, 30)).toContain('  none: games in progress near your rating appear here')
    expect(lobbyLines({ entries: [], selected: 0, size: 9, mySeeks: [], challenges: [] }, 80, 30).some(l => l.startsWith('Live games'))).toBe(false)
  })
})
