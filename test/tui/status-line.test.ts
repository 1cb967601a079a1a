import { describe, expect, it } from 'vitest'
import { addressScope, reachText, statusLine } from '../../src/tui/status-line.js'

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

// "finding out how it is reached" stayed through five minutes of play on a local network (issue 18):
// a node nobody outside reaches is said to be so, with the reason, once there is nothing left to wait for.
describe('how a node not reached from outside is said', () => {
  const isPublic = (a: string): boolean => a.includes('/ip4/198.51.100.')
  it.each([
    ['/ip4/127.0.0.1/tcp/4001', 'loopback'],
    ['/ip6/::1/tcp/4001', 'loopback'],
    ['/ip4/192.168.1.5/tcp/4001', 'lan'],
    ['/ip4/198.51.100.7/tcp/4001', 'public']
  ] as const)('%s is %s', (address, scope) => {
    expect(addressScope([address], isPublic)).toBe(scope)
  })

  it('takes the widest of several addresses, ignores circuit addresses, and says none for none', () => {
    expect(addressScope(['/ip4/127.0.0.1/tcp/1', '/ip4/192.168.1.5/tcp/1'], isPublic)).toBe('lan')
    expect(addressScope(['/ip4/127.0.0.1/tcp/1', '/ip4/198.51.100.7/tcp/1'], isPublic)).toBe('public')
    expect(addressScope([`/ip4/198.51.100.7/tcp/1/p2p/${relay}/p2p-circuit`], isPublic)).toBe('none')
    expect(addressScope([], isPublic)).toBe('none')
  })

  it.each([
    ['loopback, no relay slot: settled at once', { scope: 'loopback', relaySlots: 0, settled: false }, 'local network on this machine'],
    ['loopback, relay slots, none granted', { scope: 'loopback', relaySlots: 2, settled: true }, 'local network on this machine (no relay reservation)'],
    ['LAN, no relay slot, still waiting on UPnP', { scope: 'lan', relaySlots: 0, settled: false }, 'finding out how it is reached'],
    ['LAN, no relay slot', { scope: 'lan', relaySlots: 0, settled: true }, 'local network only (no relay slot: --no-relay)'],
    ['LAN, relay slots, still waiting', { scope: 'lan', relaySlots: 2, settled: false }, 'finding out how it is reached'],
    ['LAN, relay slots, none granted', { scope: 'lan', relaySlots: 2, settled: true }, 'local network only (no relay reservation yet)'],
    ['public address never confirmed, no relay slot', { scope: 'public', relaySlots: 0, settled: true }, 'unreachable (public address unconfirmed, no relay slot)'],
    ['public address never confirmed, no reservation', { scope: 'public', relaySlots: 2, settled: true }, 'unreachable (public address unconfirmed, no relay reservation yet)'],
    ['no address at all', { scope: 'none', relaySlots: 0, settled: false }, 'unreachable (listening on no address)'],
    ['only relay slots, none granted', { scope: 'none', relaySlots: 2, settled: true }, 'unreachable (no relay reservation yet)']
  ] as const)('%s', (_, unreached, text) => {
    expect(reachText(undefined, undefined, unreached)).toBe(text)
  })

  it('a reach found wins over what the addresses say', () => {
    expect(reachText('relayed', relay, { scope: 'lan', relaySlots: 2, settled: true })).toBe('relayed via …2NASuq')
    expect(reachText('upnp', undefined, { scope: 'lan', relaySlots: 0, settled: true })).toBe('reachable through UPnP')
  })

  it('the settled line still fits the width', () => {
    const line = statusLine({ name: 'alice', peer, peers: 3, unreached: { scope: 'lan', relaySlots: 2, settled: true }, activity: 'in the lobby' }, 80)
    expect(line).toBe('alice …SUKPH5 · 3 peers · local network only (no relay reservation yet) · in th…')
    expect([...line].length).toBe(80)
  })
})
