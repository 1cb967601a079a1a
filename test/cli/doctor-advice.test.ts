import { describe, expect, it } from 'vitest'
import { adviceOf, canPlay, doctorReach, doctorReachText, settled, type DoctorFacts } from '../../src/queries/doctor-advice.js'
import { formatDoctor } from '../../src/cli/commands/doctor.js'
import { doctorAnswerOf } from '../../src/queries/doctor.js'

const relay = { peer: '12D3KooWRelayPeerAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', rttMs: 20, reservations: null, circuits: null, chosen: true }

/** A player at home behind an endpoint-independent NAT, on a relay: all well. */
const home: DoctorFacts = {
  reach: 'relayed',
  relay: relay.peer,
  scope: 'lan',
  relaySlots: 2,
  nat: { type: 'endpoint-independent', publicAddresses: ['198.51.100.7:40000'], reason: 'the same public port towards every server' },
  stunServers: 2,
  upnp: { enabled: true, mapped: null },
  ipv4: { listening: true },
  ipv6: { globalAddress: false, listening: true },
  relays: [relay],
  dht: { lan: 0, wan: 12 },
  rendezvous: null,
  peerCache: 30,
  peers: 8,
  bootstrap: 2,
  mdns: true
}

describe('p2pgo doctor: reach in one word', () => {
  it.each([
    ['a confirmed public address', { reach: 'public' }, 'public'],
    ['a UPnP mapping', { reach: 'upnp' }, 'upnp'],
    ['a relay, behind an endpoint-independent NAT', {}, 'hole-punchable'],
    ['a relay, with no NAT', { nat: { ...home.nat!, type: 'none' } }, 'hole-punchable'],
    ['a relay, behind a symmetric NAT', { nat: { ...home.nat!, type: 'endpoint-dependent' } }, 'relayed only'],
    ['a relay, NAT type unknown', { nat: { ...home.nat!, type: 'unknown' } }, 'relayed only'],
    ['no reach, LAN addresses', { reach: undefined, scope: 'lan' }, 'local network'],
    ['no reach, loopback only', { reach: undefined, scope: 'loopback' }, 'local network'],
    ['no reach, an unconfirmed public address', { reach: undefined, scope: 'public' }, 'unreachable'],
    ['no address at all', { reach: undefined, scope: 'none' }, 'unreachable']
  ] as const)('%s', (_, change, word) => {
    expect(doctorReach({ ...home, ...change } as DoctorFacts)).toBe(word)
  })

  it('uses the status line\'s words, the wait being over', () => {
    expect(doctorReachText(home)).toBe('relayed via …AAAAAA')
    expect(doctorReachText({ ...home, reach: undefined, relaySlots: 0 })).toBe('local network only (no relay slot: --no-relay)')
  })
})

describe('p2pgo doctor: can it play, and advice', () => {
  it('all well: can play, no advice', () => {
    expect(canPlay(home)).toBe(true)
    expect(adviceOf(home)).toEqual([])
  })

  it('a path to peers is a connection, a reservation, or being reachable', () => {
    const alone = { ...home, peers: 0, relays: [], reach: undefined }
    expect(canPlay(alone)).toBe(false)
    expect(canPlay({ ...alone, peers: 1 })).toBe(true)
    expect(canPlay({ ...alone, relays: [relay] })).toBe(true)
    expect(canPlay({ ...alone, relays: [{ ...relay, chosen: false }] })).toBe(false)
    expect(canPlay({ ...alone, reach: 'public' })).toBe(true)
  })

  it('no bootstrap and no mDNS: says how to find players', () => {
    const advice = adviceOf({ ...home, peers: 0, relays: [], reach: undefined, bootstrap: 0, mdns: false })
    expect(advice[0]).toMatch(/no way to find other players: give a bootstrap relay with --bootstrap/)
  })

  it('bootstrap relays that do not answer: says to check them', () => {
    expect(adviceOf({ ...home, peers: 0, relays: [], reach: undefined })[0]).toMatch(/No peer answered: check that the bootstrap relays/)
  })

  it('one sentence per problem, each a sentence', () => {
    const sick: DoctorFacts = {
      ...home,
      reach: undefined,
      nat: { type: 'endpoint-dependent', publicAddresses: ['198.51.100.7:40000', '198.51.100.7:40001'], reason: '' },
      relays: [{ ...relay, rttMs: null, chosen: false }],
      dht: { lan: 0, wan: 0 },
      ipv6: { globalAddress: true, listening: false }
    }
    const advice = adviceOf(sick)
    expect(advice).toHaveLength(6)
    expect(advice.join('\n')).toMatch(/DHT peers/)
    expect(advice.join('\n')).toMatch(/symmetric NAT: hole punching cannot work/)
    expect(advice.join('\n')).toMatch(/No relay has given this node a reservation/)
    expect(advice.join('\n')).toMatch(/mapped no port by UPnP/)
    expect(advice.join('\n')).toMatch(/No relay answered a ping/)
    expect(advice.join('\n')).toMatch(/global IPv6 address but p2pgo does not listen on IPv6/)
    for (const a of advice) expect(a).toMatch(/^[A-Z].*\.$/)
  })

  it('UDP blocked, and a NAT type that cannot be told with one STUN server', () => {
    const noUpnp = { ...home, upnp: { enabled: false, mapped: null } }
    expect(adviceOf({ ...noUpnp, nat: { ...home.nat!, type: 'udp-blocked' } })).toEqual([expect.stringMatching(/UDP looks blocked/)])
    expect(adviceOf({ ...noUpnp, stunServers: 1, nat: { ...home.nat!, type: 'unknown' } })).toEqual([expect.stringMatching(/cannot be told with fewer than two STUN servers/)])
    // UPnP on and no mapping, where no punch gets through: that is worth a word too.
    expect(adviceOf({ ...home, nat: { ...home.nat!, type: 'udp-blocked' } })).toEqual([expect.stringMatching(/UDP looks blocked/), expect.stringMatching(/mapped no port by UPnP/)])
  })

  it('--no-relay behind a NAT: says nobody can reach it', () => {
    expect(adviceOf({ ...home, reach: undefined, relaySlots: 0, relays: [] }).join('\n')).toMatch(/asks no relay for a slot/)
  })
})

describe('p2pgo doctor: when the wait is over', () => {
  it('not before the NAT probe; at once with nowhere to look; once connected with DHT peers and a reach', () => {
    expect(settled(home, false)).toBe(false)
    expect(settled({ ...home, peers: 0, bootstrap: 0, mdns: false }, true)).toBe(true)
    expect(settled({ ...home, peers: 0 }, true)).toBe(false)
    expect(settled({ ...home, dht: { lan: 0, wan: 0 } }, true)).toBe(false)
    expect(settled({ ...home, reach: undefined }, true)).toBe(false)
    expect(settled({ ...home, reach: undefined, relaySlots: 0, upnp: { enabled: false, mapped: null } }, true)).toBe(true)
    // UPnP on and no mapping yet: a router maps in seconds, so the wait goes on (to its limit).
    expect(settled(home, true)).toBe(false)
    expect(settled({ ...home, reach: 'upnp', upnp: { enabled: true, mapped: '/ip4/198.51.100.11/tcp/4001' } }, true)).toBe(true)
    expect(settled({ ...home, upnp: { enabled: false, mapped: null } }, true)).toBe(true)
  })
})

describe('p2pgo doctor: the answer', () => {
  it('has the contract\'s fields, and prints as aligned lines', () => {
    const answer = doctorAnswerOf(home)
    expect(Object.keys(answer)).toEqual(expect.arrayContaining(['reach', 'nat', 'upnp', 'ipv6', 'relays', 'dht', 'rendezvous', 'peerCache', 'advice']))
    expect(answer).toMatchObject({ reach: 'hole-punchable', nat: { type: 'endpoint-independent', publicAddresses: ['198.51.100.7:40000'] }, upnp: { ok: false, mapped: null }, dht: { lan: 0, wan: 12 }, rendezvous: null, peerCache: 30 })
    expect(answer.relays[0]).toEqual({ peer: relay.peer, rttMs: 20, reservations: null, circuits: null, chosen: true })
    const lines = formatDoctor(answer)
    expect(lines[0]).toBe('reach        hole-punchable (relayed via …AAAAAA)')
    expect(lines).toContain('DHT peers    LAN 0, WAN 12')
    expect(lines.at(-1)).toBe('can play: yes')
    expect(formatDoctor(doctorAnswerOf({ ...home, reach: undefined, relays: [] }))[0]).toBe('reach        local network only (no relay reservation yet)')
  })
})

describe('p2pgo doctor: a double NAT', () => {
  const verdict = (double: boolean | null, gatewayAddress: string | null, reason = ''): NonNullable<DoctorFacts['nat']>['double'] => ({ double, gatewayAddress, reason })
  /** Behind a carrier-grade NAT: the home router's UPnP says 100.64.3.2, STUN sees 198.51.100.7. */
  const cgn: DoctorFacts = { ...home, nat: { ...home.nat!, double: verdict(true, '100.64.3.2') } }

  it('the answer says nat.double, true, false or null, with the router\'s own address; the mapping type is unchanged', () => {
    expect(doctorAnswerOf(cgn).nat).toMatchObject({ type: 'endpoint-independent', double: true, gatewayAddress: '100.64.3.2' })
    expect(doctorAnswerOf({ ...home, nat: { ...home.nat!, double: verdict(false, '198.51.100.7') } }).nat).toMatchObject({ double: false, gatewayAddress: '198.51.100.7' })
    expect(doctorAnswerOf({ ...home, nat: { ...home.nat!, double: verdict(null, null) } }).nat).toMatchObject({ double: null, gatewayAddress: null })
    // A node that does not probe (a bootstrap relay), or facts without the verdict: unknown.
    expect(doctorAnswerOf({ ...home, nat: null }).nat).toMatchObject({ double: null, gatewayAddress: null })
    expect(doctorAnswerOf(home).nat).toMatchObject({ double: null, gatewayAddress: null })
    expect(doctorReach(cgn)).toBe('hole-punchable')
  })

  it('the text names the router\'s own external address', () => {
    expect(formatDoctor(doctorAnswerOf(cgn))).toContain('NAT          endpoint-independent (hole punching works), seen as 198.51.100.7:40000; double NAT (the router\'s own external address is 100.64.3.2)')
    expect(formatDoctor(doctorAnswerOf({ ...home, nat: { ...home.nat!, double: verdict(true, '') } })).join('\n')).toMatch(/double NAT \(the router reports no external address of its own\)/)
    expect(formatDoctor(doctorAnswerOf({ ...home, nat: { ...home.nat!, double: verdict(false, '198.51.100.7') } })).join('\n')).not.toMatch(/double/)
  })

  it('advice: one plain sentence, instead of asking for UPnP that cannot help', () => {
    const symmetric = { ...cgn, reach: undefined, nat: { ...cgn.nat!, type: 'endpoint-dependent' as const } }
    const advice = adviceOf(symmetric)
    expect(advice.filter(a => /double NAT/.test(a))).toEqual(['This node is behind a double NAT (the router\'s own external address is 100.64.3.2): UPnP mappings cannot make it reachable; ask the provider for a public address or use the relays; hole punching still works when both NATs are endpoint-independent.'])
    expect(advice.join('\n')).not.toMatch(/mapped no port by UPnP/)
    expect(adviceOf(cgn)).toEqual([expect.stringMatching(/^This node is behind a double NAT/)])
  })

  it('the wait ends without a mapping: behind a double NAT none will come', () => {
    expect(settled(cgn, true)).toBe(true)
    expect(settled({ ...home, nat: { ...home.nat!, double: verdict(null, null) } }, true)).toBe(false)
  })
})
