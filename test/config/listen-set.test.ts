import { describe, expect, it } from 'vitest'
import { defaultConfig, mergeConfig, validateConfig, ConfigError } from '../../src/config/config.js'
import { listenSet, listenWarning, portListen, relaySlotsOf } from '../../src/config/listen-set.js'

const DEFAULT = ['/ip4/0.0.0.0/tcp/0', '/ip6/::/tcp/0', '/p2p-circuit', '/p2p-circuit', '/webrtc']

// Choosing where to listen must not silently cost a NATed node its relay reservations (issue 18, item 8).
describe('listenSet', () => {
  it.each([
    ['the default set stays as it is', DEFAULT, undefined, DEFAULT],
    ['a --listen with only TCP keeps the default relay slots and WebRTC', ['/ip4/0.0.0.0/tcp/4002'], undefined, ['/ip4/0.0.0.0/tcp/4002', '/p2p-circuit', '/p2p-circuit', '/webrtc']],
    ['two TCP entries keep both, then the relay entries', ['/ip4/0.0.0.0/tcp/4002', '/ip6/::/tcp/4002'], undefined, ['/ip4/0.0.0.0/tcp/4002', '/ip6/::/tcp/4002', '/p2p-circuit', '/p2p-circuit', '/webrtc']],
    ['circuit entries written out are honoured as written', ['/ip4/0.0.0.0/tcp/4001', '/p2p-circuit', '/webrtc'], undefined, ['/ip4/0.0.0.0/tcp/4001', '/p2p-circuit', '/webrtc']],
    ['a /webrtc entry alone counts as a choice too', ['/ip4/0.0.0.0/tcp/4001', '/webrtc'], undefined, ['/ip4/0.0.0.0/tcp/4001', '/webrtc']],
    ['loopback only: reached on this machine alone, no relay slot added', ['/ip4/127.0.0.1/tcp/0'], undefined, ['/ip4/127.0.0.1/tcp/0']],
    ['IPv6 loopback only: the same', ['/ip6/::1/tcp/0'], undefined, ['/ip6/::1/tcp/0']],
    ['relaySlots 0 removes the relay entries and WebRTC', DEFAULT, 0, ['/ip4/0.0.0.0/tcp/0', '/ip6/::/tcp/0']],
    ['relaySlots 0 removes entries written out too', ['/ip4/0.0.0.0/tcp/4001', '/p2p-circuit', '/webrtc'], 0, ['/ip4/0.0.0.0/tcp/4001']],
    ['relaySlots 3 gives three slots and WebRTC', ['/ip4/0.0.0.0/tcp/4001', '/p2p-circuit', '/webrtc'], 3, ['/ip4/0.0.0.0/tcp/4001', '/p2p-circuit', '/p2p-circuit', '/p2p-circuit', '/webrtc']],
    ['relaySlots 1 on loopback is obeyed (asked for in so many words)', ['/ip4/127.0.0.1/tcp/0'], 1, ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit', '/webrtc']],
    ['webrtc-direct is a transport address, not a relay entry', ['/ip4/0.0.0.0/udp/0/webrtc-direct'], undefined, ['/ip4/0.0.0.0/udp/0/webrtc-direct', '/p2p-circuit', '/p2p-circuit', '/webrtc']]
  ])('%s', (_, listen, relaySlots, expected) => {
    expect(listenSet(listen, relaySlots)).toEqual(expected)
  })

  it('counts relay slots as the bootstrap redial does (entries ending in /p2p-circuit)', () => {
    expect(relaySlotsOf(listenSet(['/ip4/0.0.0.0/tcp/4002']))).toBe(2)
    expect(relaySlotsOf(listenSet(['/ip4/0.0.0.0/tcp/4002'], 0))).toBe(0)
    expect(relaySlotsOf(listenSet(['/ip4/127.0.0.1/tcp/0']))).toBe(0)
  })
})

describe('portListen', () => {
  it('is the default set with its TCP port set to N', () => {
    expect(portListen(4002)).toEqual(['/ip4/0.0.0.0/tcp/4002', '/ip6/::/tcp/4002', '/p2p-circuit', '/p2p-circuit', '/webrtc'])
  })
})

describe('listenWarning', () => {
  it('says nothing for the default set, a loopback set, or a node with an announced address', () => {
    expect(listenWarning({ listen: DEFAULT, announce: [], upnp: true })).toBeUndefined()
    expect(listenWarning({ listen: ['/ip4/127.0.0.1/tcp/0'], announce: [], upnp: true })).toBeUndefined()
    expect(listenWarning({ listen: ['/ip4/0.0.0.0/tcp/4001'], announce: ['/ip4/198.51.100.7/tcp/4001'], upnp: false })).toBeUndefined()
  })

  it('names the choice, its cost and the way out when no relay slot is left', () => {
    const withUpnp = listenWarning({ listen: ['/ip4/0.0.0.0/tcp/4001'], announce: [], upnp: true, relaySlots: 0 })
    expect(withUpnp).toMatch(/^p2pgo: listening with no relay slot/)
    expect(withUpnp).toContain('UPnP')
    expect(withUpnp).toContain('--no-relay')
    expect(withUpnp).toContain('--announce')
    const noUpnp = listenWarning({ listen: ['/ip4/0.0.0.0/tcp/4001'], announce: [], upnp: false })
    expect(noUpnp).toContain('UPnP is off')
    // A set written with /webrtc but no circuit: the cure is in the set, not in --no-relay.
    const written = listenWarning({ listen: ['/ip4/0.0.0.0/tcp/4001', '/webrtc'], announce: [], upnp: true })
    expect(written).toContain('add /p2p-circuit to the listen set')
    expect(written).not.toContain('--no-relay')
  })
})

describe('relaySlots in config.json', () => {
  it('is optional, a whole number from 0 to 8', () => {
    expect(defaultConfig().relaySlots).toBeUndefined()
    expect(validateConfig({ relaySlots: 0 }, 'config.json')).toEqual({ relaySlots: 0 })
    expect(() => validateConfig({ relaySlots: 9 }, 'config.json')).toThrow(ConfigError)
    expect(() => validateConfig({ relaySlots: 'none' }, 'config.json')).toThrow(/relaySlots: must be a whole number from 0 to 8/)
  })

  it('flags over the file: --no-relay (relaySlots 0) wins over a file that lists circuits', () => {
    const merged = mergeConfig(defaultConfig(), { listen: ['/ip4/0.0.0.0/tcp/4001', '/p2p-circuit'] }, { relaySlots: 0 })
    expect(listenSet(merged.listen, merged.relaySlots)).toEqual(['/ip4/0.0.0.0/tcp/4001'])
  })
})
