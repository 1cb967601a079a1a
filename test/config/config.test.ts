import { describe, expect, it } from 'vitest'
import { ConfigError, defaultConfig, defaultName, mergeConfig, validateConfig } from '../../src/config/config.js'

const peer = '12D3KooWHwFAexJReq7jVQznCPTbZjSYjzQSbt6ncuqJF315eh24'

/** The one-line messages validateConfig throws for `value`, or [] when it passes. */
function problems (value: unknown, source = 'config.json'): string[] {
  try {
    validateConfig(value, source)
    return []
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message.split('\n')
  }
}

describe('defaultConfig', () => {
  it('is complete, valid, and a fresh object each call', () => {
    const a = defaultConfig({ userName: 'alice' })
    expect(a).toEqual({
      name: 'alice',
      listen: ['/ip4/0.0.0.0/tcp/0', '/ip6/::/tcp/0', '/p2p-circuit', '/p2p-circuit', '/webrtc'],
      announce: [],
      bootstrap: [],
      mdns: true,
      upnp: true,
      peerCache: true,
      relayServer: 'auto',
      stun: [],
      dht: { clientMode: 'auto' },
      logLevel: 'info'
    })
    expect(problems(a)).toEqual([])
    a.listen.push('/ip4/127.0.0.1/tcp/1')
    a.dht.clientMode = true
    const b = defaultConfig({ userName: 'alice' })
    expect(b.listen).toHaveLength(5)
    expect(b.dht.clientMode).toBe('auto')
  })

  it('takes the name from the OS user, cut to 32 characters and cleaned, or "player"', () => {
    expect(defaultName('x'.repeat(40))).toBe('x'.repeat(32))
    expect(defaultName('日本語'.repeat(20))).toHaveLength(32)
    expect(defaultName('bob\u001b[31m')).toBe('bob[31m')
    expect(defaultName('')).toBe('player')
    expect(defaultName(undefined)).toBe('player')
    expect(problems({ name: defaultConfig().name })).toEqual([])
  })
})

describe('validateConfig', () => {
  it('accepts an empty object and a full valid configuration', () => {
    expect(problems({})).toEqual([])
    expect(problems({
      name: 'Shusaku',
      listen: ['/ip4/0.0.0.0/tcp/4001', '/ip6/::/tcp/4001', '/p2p-circuit', '/webrtc'],
      announce: ['/dns4/go.example.org/tcp/4001'],
      bootstrap: [`/dnsaddr/boot.example.org/p2p/${peer}`, `/ip4/192.0.2.1/tcp/4001/p2p/${peer}`],
      mdns: false,
      upnp: false,
      relayServer: 'on',
      stun: ['stun:relay.example.org:3478', 'stun:192.0.2.1:19302', 'stun:[2001:db8::1]:3478', 'stun:relay.example.org'],
      dht: { clientMode: true },
      logLevel: 'debug'
    })).toEqual([])
    expect(problems({ dht: {} })).toEqual([])
    expect(problems({ dht: { clientMode: false } })).toEqual([])
  })

  it('names the source and field path of a bad multiaddr', () => {
    expect(problems({ listen: ['/ip4/0.0.0.0/tcp/0', '/ip4/1.2.3'] })).toEqual([
      'config.json: listen[1]: "/ip4/1.2.3" is not a multiaddr (Invalid IPv4 address "1.2.3")'
    ])
    expect(problems({ announce: ['ip4/1.2.3.4/tcp/1'] })[0]).toMatch(/^config\.json: announce\[0\]: "ip4\/1\.2\.3\.4\/tcp\/1" is not a multiaddr/)
    expect(problems({ announce: ['/ip4/1.2.3.4/tcp/70000'] })[0]).toMatch(/^config\.json: announce\[0\]: .* is not a multiaddr/)
    expect(problems({ listen: ['/foo/1'] })[0]).toMatch(/^config\.json: listen\[0\]: "\/foo\/1" is not a multiaddr/)
    expect(problems({ listen: [''] })).toEqual(['config.json: listen[0]: "" is not a multiaddr (it is empty)'])
    expect(problems({ listen: [4001] })).toEqual(['config.json: listen[0]: expected a multiaddr string, got 4001'])
  })

  it('checks peer IDs inside multiaddrs and requires bootstrap addresses to end in one', () => {
    expect(problems({ bootstrap: ['/ip4/192.0.2.1/tcp/4001/p2p/12D3KooWAbc'] })).toEqual([
      'config.json: bootstrap[0]: "/ip4/192.0.2.1/tcp/4001/p2p/12D3KooWAbc" is not a multiaddr ("12D3KooWAbc" is not a peer ID)'
    ])
    expect(problems({ bootstrap: [`/ip4/192.0.2.1/tcp/4001/p2p/${peer}`, '/ip4/192.0.2.1/tcp/4001'] })).toEqual([
      'config.json: bootstrap[1]: "/ip4/192.0.2.1/tcp/4001" does not end in /p2p/<peer ID> (a bootstrap address must say which peer to expect)'
    ])
  })

  it('rejects a single string where a list is expected, showing how to write it', () => {
    expect(problems({ listen: '/ip4/0.0.0.0/tcp/4001' })).toEqual([
      'config.json: listen: expected a list of multiaddr strings, got a single string; write ["/ip4/0.0.0.0/tcp/4001"]'
    ])
    expect(problems({ bootstrap: {} })).toEqual([
      'config.json: bootstrap: expected a list of multiaddr strings ending in /p2p/<peer ID>, got an object'
    ])
  })

  it('checks the name: a string, not blank, at most 32 characters, no control characters', () => {
    expect(problems({ name: 7 })).toEqual(['config.json: name: expected a string, got 7'])
    expect(problems({ name: '  ' })).toEqual(['config.json: name: must not be empty'])
    expect(problems({ name: 'a'.repeat(33) })).toEqual([`config.json: name: "${'a'.repeat(33)}" is longer than 32 characters`])
    expect(problems({ name: '囲'.repeat(32) })).toEqual([])
    expect(problems({ name: 'eve\n' })).toEqual(['config.json: name: "eve\\n" contains control characters'])
  })

  it('checks booleans and enumerations', () => {
    expect(problems({ mdns: 'yes' })).toEqual(['config.json: mdns: expected true or false, got "yes"'])
    expect(problems({ upnp: 1 })).toEqual(['config.json: upnp: expected true or false, got 1'])
    expect(problems({ peerCache: 'off' })).toEqual(['config.json: peerCache: expected true or false, got "off"'])
    expect(problems({ relayServer: 'always' })).toEqual(['config.json: relayServer: expected one of "auto", "on", "off", got "always"'])
    expect(problems({ relayServer: true })).toEqual(['config.json: relayServer: expected one of "auto", "on", "off", got true'])
    expect(problems({ logLevel: 'verbose' })).toEqual(['config.json: logLevel: expected one of "silent", "error", "warn", "info", "debug", "trace", got "verbose"'])
  })

  it('checks STUN URLs', () => {
    expect(problems({ stun: ['stun.example.org:3478'] })).toEqual([
      'config.json: stun[0]: "stun.example.org:3478" is not a STUN URL (expected "stun:host:port", e.g. "stun:relay.example.org:3478")'
    ])
    expect(problems({ stun: ['stun:host:0'] })).toEqual(['config.json: stun[0]: "stun:host:0": port 0 is outside 1-65535'])
    expect(problems({ stun: ['stun:host:99999'] })).toEqual(['config.json: stun[0]: "stun:host:99999": port 99999 is outside 1-65535'])
    expect(problems({ stun: ['stun:[nope]:3478'] })[0]).toMatch(/^config\.json: stun\[0\]: .* is not a STUN URL/)
    expect(problems({ stun: ['stun:bad_host!:3478'] })[0]).toMatch(/is not a STUN URL/)
    expect(problems({ stun: ['turn:relay.example.org:3478'] })[0]).toMatch(/^config\.json: stun\[0\]: "turn:.*only plain stun: servers are supported/)
    expect(problems({ stun: [3478] })).toEqual(['config.json: stun[0]: expected a "stun:host:port" string, got 3478'])
  })

  it('checks the nested dht object with a dotted path', () => {
    expect(problems({ dht: { clientMode: 'yes' } })).toEqual(['config.json: dht.clientMode: expected "auto", true or false, got "yes"'])
    expect(problems({ dht: true })).toEqual(['config.json: dht: expected an object like {"clientMode": "auto"}, got true'])
  })

  it('refuses unknown keys at every level, suggesting the nearest known one', () => {
    expect(problems({ lisen: [] })).toEqual(['config.json: lisen: unknown setting (did you mean "listen"?)'])
    expect(problems({ MDNS: true })).toEqual(['config.json: MDNS: unknown setting (did you mean "mdns"?)'])
    expect(problems({ upnpp: true, relaySevrer: 'on' })).toEqual([
      'config.json: upnpp: unknown setting (did you mean "upnp"?)',
      'config.json: relaySevrer: unknown setting (did you mean "relayServer"?)'
    ])
    expect(problems({ dht: { clientmode: true } })).toEqual(['config.json: dht.clientmode: unknown setting (did you mean "clientMode"?)'])
    expect(problems({ 'peer store': 1 })).toEqual([
      'config.json: "peer store": unknown setting (known: name, listen, relaySlots, announce, bootstrap, mdns, upnp, peerCache, rendezvous, relayServer, stun, dht, logLevel, abandonAfterSeconds)'
    ])
  })

  it('reports every problem at once, in document order', () => {
    expect(problems({ mdns: 'no', listen: ['/ip4/1.2.3', '/ip4/0.0.0.0/tcp/0', '/bad'], typo: 1 }, '/home/u/.p2pgo/config.json')).toEqual([
      '/home/u/.p2pgo/config.json: mdns: expected true or false, got "no"',
      '/home/u/.p2pgo/config.json: listen[0]: "/ip4/1.2.3" is not a multiaddr (Invalid IPv4 address "1.2.3")',
      '/home/u/.p2pgo/config.json: listen[2]: "/bad" is not a multiaddr (Protocol bad was unknown)',
      '/home/u/.p2pgo/config.json: typo: unknown setting (known: name, listen, relaySlots, announce, bootstrap, mdns, upnp, peerCache, rendezvous, relayServer, stun, dht, logLevel, abandonAfterSeconds)'
    ])
  })

  it('requires an object at the top', () => {
    expect(problems([])).toEqual(['config.json: expected a JSON object of settings, got a list'])
    expect(problems(null)).toEqual(['config.json: expected a JSON object of settings, got null'])
    expect(problems('x')).toEqual(['config.json: expected a JSON object of settings, got "x"'])
  })

  it('carries the source and the problems on the error', () => {
    try {
      validateConfig({ upnp: 'x', dht: { clientMode: 2 } }, 'command line')
      expect.unreachable()
    } catch (err) {
      const e = err as ConfigError
      expect(e.code).toBe('ERR_CONFIG')
      expect(e.source).toBe('command line')
      expect(e.problems.map(p => p.path)).toEqual(['upnp', 'dht.clientMode'])
    }
  })
})

describe('mergeConfig', () => {
  const defaults = defaultConfig({ userName: 'default' })

  it('layers flags over the file over the defaults', () => {
    const merged = mergeConfig(defaults, { name: 'file', mdns: false, logLevel: 'debug' }, { name: 'flag', logLevel: undefined })
    expect(merged.name).toBe('flag')
    expect(merged.mdns).toBe(false)
    expect(merged.logLevel).toBe('debug')
    expect(merged.upnp).toBe(true)
  })

  it('merges nested objects key by key and replaces arrays whole', () => {
    expect(mergeConfig(defaults, { dht: {} }).dht).toEqual({ clientMode: 'auto' })
    expect(mergeConfig(defaults, { dht: { clientMode: false } }, { dht: {} }).dht).toEqual({ clientMode: false })
    expect(mergeConfig(defaults, { dht: { clientMode: false } }, { dht: { clientMode: true } }).dht).toEqual({ clientMode: true })
    expect(mergeConfig(defaults, { listen: ['/ip4/127.0.0.1/tcp/4001'] }).listen).toEqual(['/ip4/127.0.0.1/tcp/4001'])
    expect(mergeConfig(defaults, { listen: ['/ip4/127.0.0.1/tcp/4001'] }, { listen: [] }).listen).toEqual([])
  })

  it('with no overrides equals the defaults, and never shares objects with its inputs', () => {
    const file = { announce: ['/dns4/go.example.org/tcp/4001'] }
    const merged = mergeConfig(defaults, file)
    expect(mergeConfig(defaults)).toEqual(defaults)
    merged.announce.push('/ip4/192.0.2.1/tcp/1')
    merged.listen.pop()
    merged.dht.clientMode = true
    expect(file.announce).toHaveLength(1)
    expect(defaults.listen).toHaveLength(5)
    expect(defaults.dht.clientMode).toBe('auto')
  })
})
