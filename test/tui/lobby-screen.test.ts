// The lobby's lines, the offers a player picks from, and how keys and the locale are read.
import { describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { clampSelection, lobbyLines } from '../../src/tui/lobby-screen.js'
import { PRESETS, presetsFor, termsText } from '../../src/tui/presets.js'
import { keyName, wantsAscii } from '../../src/tui/terminal.js'
import { toFixed } from '../../src/rating/trueskill.js'
import type { LobbyEntry, IncomingChallenge } from '../../src/tui/client-state.js'

const PEER = '12D3KooWKfrCZegRXSNPD2RCwhmMADnvjJHnPZrARLTT72FnmaRU'
const nine = PRESETS[0].terms

const entries: LobbyEntry[] = [
  { kind: 'player', player: { peer: PEER, name: 'GNU Go 9x9', rating: toFixed(25, 25 / 3), trust: 0.5, rung: 'direct', rttMs: 2 } },
  { kind: 'player', player: { peer: '12D3KooWbob', name: 'bob', trust: 0.7 } },
  { kind: 'seek', seek: { peer: peerIdFromString(PEER), id: new Uint8Array(8), terms: nine, color: 'random', expires: 0 }, name: 'GNU Go 9x9' }
]

describe('lobbyLines', () => {
  it('lists players with rating, reputation and connection, then open seeks, the selection marked', () => {
    const lines = lobbyLines({ entries, selected: 2, size: 9, mySeeks: [], challenges: [] }, 80, 20)
    expect(lines[0]).toBe('Players online: 2 near your rating on 9x9   (z changes the size)')
    // With the census heard, how many are online in all and on this size.
    const counted = lobbyLines({ entries, selected: 2, size: 9, mySeeks: [], challenges: [], online: { total: 1200, onSize: 400 } }, 120, 20)
    expect(counted[0]).toBe('Players online: 2 near your rating on 9x9; about 1200 online, 400 play 9x9   (z changes the size)')
    expect(lines[2]).toBe('  GNU Go 9x9       0.0 ±8.3 30k?         50  direct 2 ms          …FnmaRU')
    expect(lines[3]).toMatch(/^ {2}bob +unrated +70  not connected +…ooWbob$/)
    expect(lines).toContain('Open seeks: 1')
    expect(lines).toContain('> GNU Go 9x9: 9x9 · komi 7.5 · chinese · no clock')
    expect(lines.every(l => [...l].length <= 80)).toBe(true)
  })

  it('puts waiting challenges and the own seek on top, and escapes and highlights through the given functions', () => {
    const challenge: IncomingChallenge = { offer: { from: peerIdFromString(PEER), terms: nine, color: 'random', name: '{evil}', expires: 0 }, answer: () => {} }
    const lines = lobbyLines({ entries, selected: 0, size: 9, mySeeks: [nine], challenges: [challenge] }, 80, 20, t => t.replace(/[{}]/g, '_'), t => `<${t}>`)
    expect(lines[0]).toBe('<! _evil_ challenges you: 9x9 · komi 7.5 · chinese · no clock   a accept · d dec…>')
    expect(lines[1]).toBe('Your seek: 9x9 · komi 7.5 · chinese · no clock (waiting for someone to take it)')
    expect(lines.filter(l => l.startsWith('<>'))).toHaveLength(1)
  })

  it('scrolls to keep the selection in view and never draws more than the height', () => {
    const many: LobbyEntry[] = Array.from({ length: 40 }, (_, i) => ({ kind: 'player', player: { peer: `p${i}`, name: `player ${i}`, trust: 0.5 } }))
    const lines = lobbyLines({ entries: many, selected: 35, size: 9, mySeeks: [], challenges: [] }, 80, 10)
    expect(lines).toHaveLength(10)
    expect(lines.some(l => l.startsWith('> player 35'))).toBe(true)
    expect(clampSelection(50, 40)).toBe(39)
    expect(clampSelection(-1, 40)).toBe(0)
    expect(clampSelection(3, 0)).toBe(0)
  })

  it('says so when nobody is there', () => {
    const lines = lobbyLines({ entries: [], selected: 0, size: 19, mySeeks: [], challenges: [] }, 80, 20)
    expect(lines).toContain('  nobody else yet: others appear here as they join')
    expect(lines).toContain('  none: post one with s, or challenge a player')
  })
})

describe('presets', () => {
  it('offers every size with and without a clock, and describes terms in words', () => {
    for (const size of [9, 13, 19]) expect(presetsFor(size).map(p => p.terms.tc.kind)).toEqual(['none', 'byo-yomi', 'correspondence'])
    expect(termsText(presetsFor(19)[1].terms)).toBe('19x19 · komi 7.5 · chinese · 20:00 + 5×0:30')
    expect(termsText({ ...nine, handicap: 3, komi: 0.5 })).toBe('9x9 · handicap 3 · chinese · no clock')
  })
})

describe('keys and the locale', () => {
  it('names keys as keys.ts binds them, Enter once though blessed reports it twice', () => {
    expect(keyName('\r', { name: 'enter', full: 'enter' })).toBe('enter')
    expect(keyName('\r', { name: 'return', full: 'return' })).toBe('')
    expect(keyName(undefined, { name: 'up', full: 'up' })).toBe('up')
    expect(keyName('R', { name: 'r', full: 'S-r' })).toBe('R')
    expect(keyName('?', { name: undefined, full: '?' })).toBe('?')
    expect(keyName(' ', { name: 'space', full: 'space' })).toBe('space')
    expect(keyName('\u0003', { name: 'c', full: 'C-c', ctrl: true })).toBe('C-c')
  })

  it('draws in ASCII when asked or when the locale is not UTF-8', () => {
    expect(wantsAscii(true, { LANG: 'en_US.UTF-8' })).toBe(true)
    expect(wantsAscii(false, { LANG: 'en_US.UTF-8' })).toBe(false)
    expect(wantsAscii(false, { LC_ALL: 'C.utf8', LANG: 'C' })).toBe(false)
    expect(wantsAscii(false, { LANG: 'C' })).toBe(true)
    expect(wantsAscii(false, {})).toBe(true)
  })
})
