// The inbox as the terminal client lists it, and the lobby's line about it.
import { describe, expect, it } from 'vitest'
import { agoText, inboxNotice, inboxRows } from '../../src/tui/inbox-lines.js'
import { lobbyLines } from '../../src/tui/lobby-screen.js'
import { CORRESPONDENCE_3D } from '../../src/game/correspondence.js'
import { day, hour, minute } from '../../src/units.js'
import type { InboxView } from '../../src/net/post/index.js'

const NOW = Date.UTC(2026, 11, 7, 9, 30)
const PEER = '12D3KooWKfrCZegRXSNPD2RCwhmMADnvjJHnPZrARLTT72FnmaRU'
const terms = { size: 19, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: CORRESPONDENCE_3D } as const

const items: InboxView[] = [
  { id: 'm1', from: PEER, kind: 'message', at: NOW - 5 * hour, received: NOW - 4 * hour, expires: NOW + 20 * day, text: 'back on Sunday' },
  { id: 'c1', from: PEER, kind: 'challenge', at: NOW - 2 * day, received: NOW - hour, expires: NOW + 5 * day, challenge: { name: 'ann', terms, color: 'black' } }
]

describe('the inbox in the terminal client', () => {
  it('lists the newest arrival first: a challenge with its terms and until when, a message with its text', () => {
    const { lines, keys } = inboxRows(items, NOW)
    expect(keys).toEqual(['c1', 'm1'])
    expect(lines[0]).toBe('challenge from ann (2 days ago): 19x19 · komi 7.5 · chinese · 3d/move, max 7d, weekends off, ann plays black; until Dec 12 09:30 UTC')
    expect(lines[1]).toBe('message from …FnmaRU (5 h ago): back on Sunday')
  })

  it('says how long ago in the unit a person would use', () => {
    expect(agoText(3 * minute)).toBe('3 min ago')
    expect(agoText(5 * hour)).toBe('5 h ago')
    expect(agoText(3 * day)).toBe('3 days ago')
  })

  it('puts a line on top of the lobby while anything waits, and none when nothing does', () => {
    expect(inboxNotice(0)).toBeUndefined()
    const lines = lobbyLines({ entries: [], selected: 0, size: 9, mySeeks: [], challenges: [], inbox: 2 }, 100, 20)
    expect(lines[0]).toBe('2 waiting in your inbox (challenges and messages sent while you were away): i opens it')
    expect(lobbyLines({ entries: [], selected: 0, size: 9, mySeeks: [], challenges: [], inbox: 0 }, 100, 20)[0]).toMatch(/^Players online/)
  })
})
