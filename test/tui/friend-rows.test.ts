// The lobby's "Friends" section: each friend's state in words, the section only when there are friends.
import { describe, expect, it } from 'vitest'
import { lobbyLines } from '../../src/tui/lobby-screen.js'
import { friendRow, friendsHeading } from '../../src/tui/friend-rows.js'
import type { FriendStatus } from '../../src/net/friends/index.js'

const PEER = '12D3KooWKfrCZegRXSNPD2RCwhmMADnvjJHnPZrARLTT72FnmaRU'
const friends: FriendStatus[] = [
  { peer: PEER, state: 'open', name: 'Alice', sizes: [9, 19] },
  { peer: '12D3KooWbob', state: 'away', name: 'Bob' },
  { peer: '12D3KooWcarolxxxxx', state: 'not-found' },
  { peer: '12D3KooWdave', state: 'unknown', name: 'Dave' }
]

describe('the friends section of the lobby', () => {
  it('says open (with sizes), away, offline or looking, by name or the start of the peer ID', () => {
    expect(friends.map(friendRow)).toEqual([
      'Alice            open to games on 9x9, 19x19',
      'Bob              away',
      '12D3KooWcaro…    offline',
      'Dave             looking…'
    ])
    expect(friendsHeading(friends)).toBe('Friends: 1 open of 4')
  })

  it('sits between the players and the open seeks, and is left out when there are no friends', () => {
    const lines = lobbyLines({ entries: [], selected: 0, size: 9, mySeeks: [], challenges: [], friends }, 80, 30)
    const at = lines.indexOf('Friends: 1 open of 4')
    expect(at).toBeGreaterThan(0)
    expect(lines[at + 1]).toBe('  Alice            open to games on 9x9, 19x19')
    expect(lines.indexOf('Open seeks: 0')).toBeGreaterThan(at + friends.length)
    expect(lobbyLines({ entries: [], selected: 0, size: 9, mySeeks: [], challenges: [], friends: [] }, 80, 30).some(l => l.startsWith('Friends'))).toBe(false)
  })
})
