import { describe, expect, it } from 'vitest'
import { connectionCell, lobbyHeader, lobbyRow, ratingCell, shortPeer, sortPlayers, type LobbyPlayer } from '../../src/tui/lobby-rows.js'

const peer = '12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5'

describe('lobby rows', () => {
  it('shows a rating as conservative ± sigma and rank, provisional marked', () => {
    expect(ratingCell(undefined)).toBe('unrated')
    expect(ratingCell({ mu: 25000, sigma: 8333 })).toBe('0.0 ±8.3 30k?')
    expect(ratingCell({ mu: 45000, sigma: 1500 })).toBe('40.5 ±1.5 3d')
  })

  it('shows how a player is reached', () => {
    expect(connectionCell(undefined, undefined)).toBe('not connected')
    expect(connectionCell('relayed', undefined)).toBe('relayed')
    expect(connectionCell('hole-punched', 41.6)).toBe('hole-punched 42 ms')
  })

  it('fits every row in 80 columns, long names cut with an ellipsis', () => {
    const long: LobbyPlayer = { peer, name: 'a very long player name indeed', rating: { mu: 45000, sigma: 1500 }, trust: 0.734, rung: 'hole-punched', rttMs: 1234 }
    const row = lobbyRow(long)
    expect([...row].length).toBeLessThanOrEqual(80)
    expect(row.startsWith('a very long pla… ')).toBe(true)
    expect(row).toContain(' 73 ')
    expect(row.endsWith(shortPeer(peer))).toBe(true)
    expect([...lobbyHeader()].length).toBeLessThanOrEqual(80)
    expect(lobbyRow({ peer, name: '', trust: 0.5 })).toMatch(/^\(no name\)\s+unrated\s+50\s+not connected\s+…SUKPH5$/)
  })

  it('puts columns under their headers', () => {
    const header = lobbyHeader()
    const row = lobbyRow({ peer, name: 'gnugo', rating: { mu: 25000, sigma: 2000 }, trust: 0.5, rung: 'direct', rttMs: 3 })
    for (const [title, value] of [['rating', '19.0'], ['connection', 'direct'], ['peer', '…']]) expect(row.indexOf(value)).toBe(header.indexOf(title))
  })

  it('sorts rated players by conservative rating, unrated last, then by name', () => {
    const players: LobbyPlayer[] = [
      { peer: 'a', name: 'zed', trust: 0.5 },
      { peer: 'b', name: 'amy', rating: { mu: 25000, sigma: 8333 }, trust: 0.5 },
      { peer: 'c', name: 'bob', rating: { mu: 30000, sigma: 2000 }, trust: 0.5 },
      { peer: 'd', name: 'abe', trust: 0.5 }
    ]
    expect(sortPlayers(players).map(p => p.name)).toEqual(['bob', 'amy', 'abe', 'zed'])
  })
})
