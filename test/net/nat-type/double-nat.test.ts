import { describe, expect, it } from 'vitest'
import { classifyDoubleNat, ipOfMapped, isPrivateOrShared } from '../../../src/net/nat-type/double-nat.js'

describe('private and shared address space', () => {
  it.each([
    ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true], ['192.168.1.1', true],
    ['100.64.0.1', true], ['100.127.255.254', true],
    ['172.32.0.1', false], ['100.63.255.255', false], ['100.128.0.1', false], ['198.51.100.7', false],
    ['8.8.8.8', false], ['2001:db8::1', false], ['', false], ['0.0.0.0', false], ['300.1.1.1', false], ['10.1.2', false]
  ])('%s: %s', (address, expected) => {
    expect(isPrivateOrShared(address)).toBe(expected)
  })

  it('the IP of a STUN answer', () => {
    expect(ipOfMapped('198.51.100.7:40000')).toBe('198.51.100.7')
    expect(ipOfMapped('[2001:db8::1]:40000')).toBe('2001:db8::1')
  })
})

describe('a double NAT, from the router\'s external address and what STUN saw', () => {
  const stun = ['198.51.100.7:40000']

  it('the router on shared (carrier-grade NAT) or private space while STUN sees a public address: double', () => {
    expect(classifyDoubleNat('100.64.3.2', stun)).toEqual({ double: true, gatewayAddress: '100.64.3.2', reason: 'the router\'s own external address is 100.64.3.2 while the STUN servers see 198.51.100.7: another NAT stands beyond the router' })
    expect(classifyDoubleNat('192.168.0.20', stun).double).toBe(true)
    expect(classifyDoubleNat('10.20.30.40', stun).double).toBe(true)
  })

  it('a router that reports no external address (miniupnpd on a private WAN) while STUN sees a public one: double', () => {
    expect(classifyDoubleNat('', stun)).toMatchObject({ double: true, gatewayAddress: '', reason: expect.stringMatching(/^the router reports no external address of its own while/) })
    expect(classifyDoubleNat('0.0.0.0', stun).double).toBe(true)
  })

  it('the router on a public address: one NAT', () => {
    expect(classifyDoubleNat('198.51.100.7', stun)).toMatchObject({ double: false, gatewayAddress: '198.51.100.7' })
    expect(classifyDoubleNat('198.51.100.7', [])).toMatchObject({ double: false })
  })

  it('no gateway answered, or STUN saw nothing public: cannot be told', () => {
    expect(classifyDoubleNat(undefined, stun)).toEqual({ double: null, gatewayAddress: null, reason: 'no UPnP gateway answered: a double NAT cannot be told' })
    expect(classifyDoubleNat('100.64.3.2', [])).toMatchObject({ double: null, gatewayAddress: '100.64.3.2' })
    // A STUN server inside the same private network sees a private address: no proof of the internet beyond.
    expect(classifyDoubleNat('100.64.3.2', ['100.64.3.2:40000'])).toMatchObject({ double: null })
  })
})
