import { describe, expect, it } from 'vitest'
import { BINDINGS, actionOf, helpLines, moveCursor, type Screen } from '../../src/tui/keys.js'

const screens = Object.keys(BINDINGS) as Screen[]

describe('key bindings', () => {
  it.each(screens)('%s: no key does two things, and help and quit work everywhere', screen => {
    const keys = BINDINGS[screen].flatMap(b => b.keys)
    expect(new Set(keys).size).toBe(keys.length)
    expect(actionOf(screen, '?')).toBe('help')
    // Watching, q only stops watching (nothing is lost by it); Ctrl-C quits there as everywhere.
    expect(actionOf(screen, 'q')).toBe(screen === 'watch' ? 'back' : 'quit')
    expect(actionOf(screen, 'C-c')).toBe('quit')
  })

  it('moves by arrows and by hjkl on the board and while counting', () => {
    for (const screen of ['board', 'scoring'] as const) {
      expect([actionOf(screen, 'up'), actionOf(screen, 'k'), actionOf(screen, 'h'), actionOf(screen, 'l'), actionOf(screen, 'j')]).toEqual(['up', 'up', 'left', 'right', 'down'])
    }
    expect(actionOf('board', 'enter')).toBe('play')
    expect(actionOf('scoring', 'enter')).toBe('toggle-dead')
    expect(actionOf('board', 'x')).toBeUndefined()
  })

  it('lists every key of a screen in its help, one line each, aligned', () => {
    const lines = helpLines('board')
    expect(lines).toHaveLength(BINDINGS.board.length)
    expect(lines[0]).toMatch(/^↑ \/ k\s+move the cursor up$/)
    expect(new Set(lines.map(l => l.indexOf('  ') >= 0 ? l.search(/ {2}\S/) : -1)).size).toBe(1)
    expect(lines.some(l => l.includes('Ctrl-C'))).toBe(true)
  })

  it('keeps the cursor on the board', () => {
    expect(moveCursor({ x: 0, y: 0 }, 'up', 9)).toEqual({ x: 0, y: 0 })
    expect(moveCursor({ x: 0, y: 0 }, 'left', 9)).toEqual({ x: 0, y: 0 })
    expect(moveCursor({ x: 8, y: 8 }, 'down', 9)).toEqual({ x: 8, y: 8 })
    expect(moveCursor({ x: 8, y: 8 }, 'right', 9)).toEqual({ x: 8, y: 8 })
    expect(moveCursor({ x: 4, y: 4 }, 'up', 9)).toEqual({ x: 4, y: 3 })
    expect(moveCursor({ x: 4, y: 4 }, 'pass', 9)).toEqual({ x: 4, y: 4 })
  })
})
