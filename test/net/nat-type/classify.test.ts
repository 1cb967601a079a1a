import { describe, expect, it } from 'vitest'
import { canHolePunch, classifyNat, type StunAnswer } from '../../../src/net/nat-type/classify.js'

const a = (host: string, address?: string, port?: number): StunAnswer => ({ host, port: 3478, ...(address != null ? { mapped: { address, port: port ?? 0 } } : {}) })

describe('NAT type from two STUN answers', () => {
  const local = ['127.0.0.1', '192.168.1.20']
  it.each([
    ['the same mapped port from both servers', [a('203.0.113.10', '198.51.100.7', 40000), a('203.0.113.11', '198.51.100.7', 40000)], 'endpoint-independent'],
    ['a different mapped port per server', [a('203.0.113.10', '198.51.100.7', 40000), a('203.0.113.11', '198.51.100.7', 40001)], 'endpoint-dependent'],
    ['a different mapped address per server', [a('203.0.113.10', '198.51.100.7', 40000), a('203.0.113.11', '198.51.100.8', 40000)], 'endpoint-dependent'],
    ['no answer at all', [a('203.0.113.10'), a('203.0.113.11')], 'udp-blocked'],
    ['the machine\'s own address and port', [a('203.0.113.10', '192.168.1.20', 5000), a('203.0.113.11', '192.168.1.20', 5000)], 'none'],
    ['one server only', [a('203.0.113.10', '198.51.100.7', 40000)], 'unknown'],
    ['one of two answering', [a('203.0.113.10', '198.51.100.7', 40000), a('203.0.113.11')], 'unknown'],
    ['two servers on one address (a per-address mapping cannot be told)', [a('203.0.113.10', '198.51.100.7', 40000), { ...a('203.0.113.10', '198.51.100.7', 40000), port: 3479 }], 'unknown'],
    ['no server', [], 'unknown']
  ] as const)('%s', (_, answers, type) => {
    expect(classifyNat(answers, local, 5000).type).toBe(type)
  })

  it('says why the type cannot be told with one server', () => {
    expect(classifyNat([a('203.0.113.10', '198.51.100.7', 40000)], local, 5000)).toEqual({
      type: 'unknown', publicAddresses: ['198.51.100.7:40000'], reason: 'only one STUN server address known: the NAT type cannot be told'
    })
  })

  it('own address on another port is a NAT on this machine, not "none"', () => {
    expect(classifyNat([a('203.0.113.10', '192.168.1.20', 6000), a('203.0.113.11', '192.168.1.20', 6000)], local, 5000).type).toBe('endpoint-independent')
  })

  it('lists each public address once', () => {
    expect(classifyNat([a('203.0.113.10', '198.51.100.7', 40000), a('203.0.113.11', '198.51.100.7', 40000)], local, 5000).publicAddresses).toEqual(['198.51.100.7:40000'])
  })

  it('hole punching: no behind a symmetric NAT or blocked UDP, yes behind none or endpoint-independent, unknown otherwise', () => {
    expect([canHolePunch('endpoint-dependent'), canHolePunch('udp-blocked'), canHolePunch('none'), canHolePunch('endpoint-independent'), canHolePunch('unknown'), canHolePunch(undefined)])
      .toEqual([false, false, true, true, undefined, undefined])
  })
})
