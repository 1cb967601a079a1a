import { afterEach, describe, expect, it } from 'vitest'
import { isPrivate, isPrivateIp } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { applyPublicRanges, resetPublicRanges, PUBLIC_RANGES_ENV } from '../../src/net/public-ranges.js'

afterEach(() => { resetPublicRanges() })

describe('P2PGO_PUBLIC_RANGES', () => {
  it('changes nothing when unset', () => {
    expect(applyPublicRanges({})).toEqual([])
    expect(isPrivateIp('203.0.113.5')).toBe(true)
    expect(isPrivateIp('8.8.8.8')).toBe(false)
  })

  it('makes libp2p treat the named ranges as public, and only those', () => {
    applyPublicRanges({ [PUBLIC_RANGES_ENV]: '198.51.100.0/24, 203.0.113.0/24' })
    expect(isPrivateIp('203.0.113.5')).toBe(false)
    expect(isPrivateIp('198.51.100.77')).toBe(false)
    expect(isPrivate(multiaddr('/ip4/203.0.113.5/tcp/4001'))).toBe(false)
    expect(isPrivateIp('10.1.2.3')).toBe(true)
    expect(isPrivateIp('192.0.2.1')).toBe(true)
    resetPublicRanges()
    expect(isPrivateIp('203.0.113.5')).toBe(true)
  })

  it('refuses a value that is not a list of IPv4 CIDR ranges, naming the entry', () => {
    expect(() => applyPublicRanges({ [PUBLIC_RANGES_ENV]: '203.0.113.0/24,nonsense' })).toThrow(/"nonsense" is not an IPv4 CIDR range/)
    expect(() => applyPublicRanges({ [PUBLIC_RANGES_ENV]: '300.0.0.0/8' })).toThrow(/300.0.0.0\/8/)
    expect(isPrivateIp('203.0.113.5')).toBe(true)
  })
})
