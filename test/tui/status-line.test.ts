import { describe, expect, it } from 'vitest'
import { reachText, statusLine } from '../../src/tui/status-line.js'

const peer = '12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5'
const relay = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'

describe('status line', () => {
  it('says how the node is reached, naming the relay', () => {
    expect(reachText('public')).toBe('reachable directly')
    expect(reachText('upnp')).toBe('reachable through UPnP')
    expect(reachText('relayed', relay)).toBe('relayed via …2NASuq')
    expect(reachText(undefined)).toBe('finding out how it is reached')
  })

  it('shows name, short ID, peers, reach and activity', () => {
    expect(statusLine({ name: 'alice', peer, peers: 1, reach: 'public', activity: 'in the lobby' }))
      .toBe('alice …SUKPH5 · 1 peer · reachable directly · in the lobby')
  })

  it('never passes the width: the activity is cut first', () => {
    const line = statusLine({ name: 'alice', peer, peers: 12, reach: 'relayed', relay, activity: 'playing a very long opponent name on 19x19 with byo-yomi and chat open' }, 80)
    expect([...line].length).toBe(80)
    expect(line.endsWith('…')).toBe(true)
    expect(line.startsWith('alice …SUKPH5 · 12 peers · relayed via …2NASuq · playing')).toBe(true)
    for (const width of [40, 60, 80, 120]) {
      expect([...statusLine({ name: 'x'.repeat(50), peer, peers: 3, activity: 'y'.repeat(100) }, width)].length).toBeLessThanOrEqual(width)
    }
  })
})
