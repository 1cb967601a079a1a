import { describe, expect, it } from 'vitest'
import { bindingRequest, bindingResponse, parseBindingRequest, parseBindingResponse } from '../../src/wire/stun.js'

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map(b => parseInt(b, 16)))
const tid = hex('b7e7a701bc34d686fa87dfae')

describe('STUN codec', () => {
  it('reads the XOR-MAPPED-ADDRESS of RFC 5769 §2.2 (192.0.2.1:32853)', () => {
    // The RFC's IPv4 response header and its XOR-MAPPED-ADDRESS attribute, verbatim.
    const msg = hex('0101 000c 2112a442 b7e7a701bc34d686fa87dfae  0020 0008 0001 a147 e112a643')
    expect(parseBindingResponse(msg, tid)).toEqual({ address: '192.0.2.1', port: 32853 })
  })

  it('answers a Binding request with the address it came from, IPv4 and IPv6', () => {
    const request = parseBindingRequest(bindingRequest(tid))
    expect(request?.transactionId).toEqual(tid)
    expect(parseBindingResponse(bindingResponse(request!, '203.0.113.7', 40000), tid)).toEqual({ address: '203.0.113.7', port: 40000 })
    expect(parseBindingResponse(bindingResponse(request!, '2001:db8::1', 5), tid)).toEqual({ address: '2001:db8:0:0:0:0:0:1', port: 5 })
    // A response for another transaction is not ours.
    expect(parseBindingResponse(bindingResponse(request!, '203.0.113.7', 1), new Uint8Array(12))).toBeUndefined()
  })

  it('ignores everything that is not a well-formed Binding request', () => {
    const good = bindingRequest(tid)
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      good.slice(0, 19),
      Uint8Array.of(...good.slice(0, 4), 0, 0, 0, 0, ...good.slice(8)), // no magic cookie
      Uint8Array.of(0x01, 0x01, ...good.slice(2)), // a response, not a request
      Uint8Array.of(...good.slice(0, 2), 0, 4, ...good.slice(4)), // length says 4, nothing follows
      new Uint8Array(1000) // far too long
    ]
    for (const c of cases) expect(parseBindingRequest(c)).toBeUndefined()
    expect(() => bindingResponse({ transactionId: tid }, 'not-an-ip', 1)).toThrow(/not an IP/)
  })
})
