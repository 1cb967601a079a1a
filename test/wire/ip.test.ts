import { describe, expect, it } from 'vitest'
import { ipv4Bytes, ipv6Bytes, ipv6Groups, ipv6Text, isIPv4 } from '../../src/wire/ip.js'

describe('IP address text', () => {
  it.each([
    ['2001:db8::1', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['::ffff:192.0.2.1', [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]],
    ['64:ff9b::192.0.2.1', [0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0201]]
  ])('reads the groups of %s', (text, groups) => {
    expect(ipv6Groups(text)).toEqual(groups)
  })

  it.each(['1:2:3', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', 'g::1', '::ffff:300.0.0.1', '192.0.2.1', ''])('refuses %j as IPv6', text => {
    expect(ipv6Groups(text)).toBeUndefined()
    expect(ipv6Bytes(text)).toBeUndefined()
  })

  it('turns IPv6 into bytes and back', () => {
    const bytes = ipv6Bytes('2001:db8::ff00:42')
    expect(bytes).toEqual(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0x42]))
    expect(ipv6Text(bytes!)).toBe('2001:db8:0:0:0:0:ff00:42')
  })

  it('tells IPv4 apart and reads its bytes', () => {
    expect(isIPv4('192.0.2.1')).toBe(true)
    expect(isIPv4('256.0.0.1')).toBe(false)
    expect(isIPv4('::1')).toBe(false)
    expect(ipv4Bytes('192.0.2.1')).toEqual(Uint8Array.from([192, 0, 2, 1]))
  })
})
